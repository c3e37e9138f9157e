"""streams.devtools.bench.engine: the drain rate from the documents' own indexed_at stamps."""

from __future__ import annotations

from typing import Any

import pytest

from streams.devtools.bench.engine import Engine


class _Answers(Engine):
    """An engine answering the drain-rate queries from fixed figures, with no server behind it."""

    def __init__(self, first_ms: float, last_ms: float, in_first: int, total: int) -> None:
        self.figures = (first_ms, last_ms, in_first, total)

    def search(self, body: dict[str, Any], size: int) -> dict[str, Any]:
        first_ms, last_ms, in_first, _ = self.figures
        if "aggs" in body:
            return {"aggregations": {"first": {"value": first_ms}, "last": {"value": last_ms}}}
        return {"hits": {"total": {"value": in_first}}}

    def count(self) -> int:
        return self.figures[3]


@pytest.mark.parametrize(
    ("figures", "started", "expected"),
    [
        ((1_000_000.0, 1_010_000.0, 100, 1100), 990.0, (100.0, 1100, 10.0, "steady")),
        ((1_000_000.0, 1_000_010.0, 500, 500), 995.0, (500 / 5.01, 500, 5.01, "from-start")),
    ],
)
def test_drain_rate(figures: tuple[float, float, int, int], started: float,
                    expected: tuple[float, int, float, str]) -> None:
    """From the first bulk request to the last when they differ; from the consumer's start otherwise."""
    rate, total, seconds, method = _Answers(*figures).drain_rate(started)
    assert (total, method) == expected[1::2]
    assert rate == pytest.approx(expected[0]) and seconds == pytest.approx(expected[2])
