"""Table tests for measuring ZWNJ restoration (``measure.zwnj_restoration``). «_» stands for a ZWNJ."""

from __future__ import annotations

import pytest

from streams.enrich.persian import zwnj_restoration
from tests.unit.enrich.persian.tables import z


@pytest.mark.parametrize(
    ("original", "restored", "expected"),
    [
        ("می_دهد و فعالیت_ها", "می_دهد و فعالیتها", (1, 1, 0)),
        ("کشور_ها", "کشورها", (0, 0, 0)),  # a ZWNJ after ر changes nothing and is not counted
        ("قره باغ", "قره_باغ", (0, 0, 1)),  # a space turned into a ZWNJ is a wrong one
        ("فعالیت_ها ۹", "فعالیت_ها 9", (1, 0, 0)),
        ("فعالیت_ها", "...فعالیت_ها", (1, 0, 0)),  # text the other normalization added is aligned away
    ],
)
def test_zwnj_restoration_counts(original: str, restored: str, expected: tuple[int, int, int]) -> None:
    """Counts are (restored, lost, wrongly inserted) over positions that matter."""
    assert zwnj_restoration(z(original), z(restored)) == expected
