"""Jalali and Gregorian dates in Persian copy → ISO dates."""

import pytest

from streams.enrich.entities import find_dates


@pytest.mark.parametrize("text,iso", [
    ("در ۹ نوامبر ۲۰۲۰ امضا شد", "2020-11-09"),
    ("در 9 نوامبر 2020 امضا شد", "2020-11-09"),
    ("روز ۱۸ آبان ۱۴۰۰ برگزار شد", "2021-11-09"),
    ("در ۱ فروردین ۱۴۰۳", "2024-03-20"),
    ("on November 9, 2020", "2020-11-09"),
    ("۳ مهر ۱۴۰۲", "2023-09-25"),
    ("۲۵ دسامبر ۲۰۲۳", "2023-12-25"),
])
def test_dates_to_iso(text: str, iso: str) -> None:
    """Each written date becomes its ISO form."""
    assert [h.iso for h in find_dates(text)] == [iso]


def test_year_from_publication() -> None:
    """A day and month without a year take the publication year."""
    assert [h.iso for h in find_dates("روز ۹ نوامبر", default_year=2021)] == ["2021-11-09"]


@pytest.mark.parametrize("text", ["۳۱ فوریه ۲۰۲۰", "۹ مهر", "۱۲ دی", "۴۵ نوامبر ۲۰۲۰"])
def test_impossible_or_ambiguous_dates_are_skipped(text: str) -> None:
    """Impossible days and month names that are common words without a year are not dates."""
    assert find_dates(text) == []
