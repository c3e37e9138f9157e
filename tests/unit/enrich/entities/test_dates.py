"""Jalali and Gregorian dates in Persian copy → ISO dates."""

import pytest

from streams.enrich.entities import find_dates
from streams.enrich.entities.data import read_entity_data, word_list


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


@pytest.mark.parametrize("text,surface", [
    ("روز ۱۸ام آبان ۱۴۰۰ بود", "۱۸ام آبان ۱۴۰۰"),
    ("روز ۱۸ آبان ماه ۱۴۰۰ بود", "۱۸ آبان ماه ۱۴۰۰"),
    ("روز ۱۸ آبان سال ۱۴۰۰ بود", "۱۸ آبان سال ۱۴۰۰"),
    ("on Nov 9, 2020 it", "Nov 9, 2020"),
    ("۳ ژانویهٔ ۲۰۲۴", "۳ ژانویهٔ ۲۰۲۴"),
])
def test_words_around_a_date_belong_to_it(text: str, surface: str) -> None:
    """An ordinal suffix, «ماه» and «سال» are part of the date's surface; Latin abbreviations count."""
    assert [h.surface for h in find_dates(text)] == [surface]


@pytest.mark.parametrize("text,default_year", [("۱۸ آبان", None), ("۹ نوامبر", None), ("۹ نوامبر ۱۷۰۰", 2021)])
def test_no_year_no_date(text: str, default_year: int | None) -> None:
    """Without a year in the text or the article, or with a year out of range, there is no date."""
    assert find_dates(text, default_year) == []


def test_month_table() -> None:
    """Every month number is 1–12, and each ambiguous name is a month name."""
    doc = read_entity_data("months.yaml")
    months = {**doc["jalali"], **doc["gregorian"]}
    assert set(months.values()) == set(range(1, 13))
    assert set(word_list(doc, "needs_year")) <= set(months)
