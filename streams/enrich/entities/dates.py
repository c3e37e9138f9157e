"""Dates in Persian copy → ISO dates: Jalali and Gregorian, Persian and Latin month names and digits.

«۹ نوامبر ۲۰۲۰» → 2020-11-09, «۱۸ آبان ۱۴۰۰» → 2021-11-09, «November 9, 2020» → 2020-11-09.
A day and month without a year take the year of the article's publication. Month names are in
``streams/data/entities/months.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import jdatetime

from streams.enrich.entities.data import read_entity_data, word_list

__all__ = ["DateHit", "find_dates"]

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_D = r"[0-9۰-۹٠-٩]"
_JALALI_YEARS = range(1200, 1501)
_GREGORIAN_YEARS = range(1800, 2201)


@dataclass(frozen=True, slots=True)
class DateHit:
    start: int
    end: int
    surface: str
    iso: str


@dataclass(frozen=True, slots=True)
class _Calendar:
    jalali: dict[str, int]          # lower-cased month name → month number
    gregorian: dict[str, int]
    needs_year: frozenset[str]      # month names that are common words too
    day_month: re.Pattern[str]      # «۱۸ آبان [ماه] [سال] [۱۴۰۰]»
    month_day: re.Pattern[str]      # «November 9, 2020»


def _months(doc: dict[str, object], key: str) -> dict[str, int]:
    table = doc[key]
    if not isinstance(table, dict):
        raise ValueError(f"months.yaml: {key} must map month names to numbers")
    return {str(name): int(number) for name, number in table.items()}


@cache
def _calendar() -> _Calendar:
    doc = read_entity_data("months.yaml")
    jalali, gregorian = _months(doc, "jalali"), _months(doc, "gregorian")
    months = "|".join(sorted((re.escape(m) for m in (*jalali, *gregorian)), key=len, reverse=True))
    ordinal, month_word, year_word = (re.escape(str(doc[k])) for k in ("ordinal_suffix", "month_word", "year_word"))
    # day month [year]: the year is optional; the month word may follow a Jalali month name
    day_month = (rf"(?<![0-9۰-۹٠-٩\w])({_D}{{1,2}})(?:\s*{ordinal})?\s+({months})(?:\s+{month_word})?"
                 rf"(?:\s*(?:{year_word}\s+)?({_D}{{4}}))?(?![\w])")
    return _Calendar(
        jalali=jalali,
        gregorian=gregorian,
        needs_year=frozenset(word_list(doc, "needs_year")),
        day_month=re.compile(day_month, re.IGNORECASE),
        month_day=re.compile(rf"\b({months})\s+({_D}{{1,2}}),?\s+({_D}{{4}})\b", re.IGNORECASE),
    )


def _to_int(text: str) -> int:
    return int(text.translate(_DIGITS))


def _jalali_iso(day: int, month: int, year: int | None, default_year: int | None) -> str | None:
    if year is None:
        if default_year is None:
            return None
        year = jdatetime.date.fromgregorian(date=date(default_year, 6, 1)).year
    if year not in _JALALI_YEARS:
        return None
    gregorian: date = jdatetime.date(year, month, day).togregorian()
    return gregorian.isoformat()


def _gregorian_iso(day: int, month: int, year: int | None, default_year: int | None) -> str | None:
    if year is None:
        year = default_year
    if year is None or year not in _GREGORIAN_YEARS:
        return None
    return date(year, month, day).isoformat()


def _resolve(day: int, month_word: str, year: int | None, default_year: int | None) -> str | None:
    calendar = _calendar()
    key = month_word.lower()
    try:
        if key in calendar.jalali:
            return _jalali_iso(day, calendar.jalali[key], year, default_year)
        return _gregorian_iso(day, calendar.gregorian[key], year, default_year)
    except (ValueError, KeyError):
        return None


def find_dates(text: str, default_year: int | None = None) -> list[DateHit]:
    """Every calendar date written in ``text``, converted to ISO 8601 (Gregorian).

    >>> [h.iso for h in find_dates("در ۱۸ آبان ۱۴۰۰ و ۹ نوامبر ۲۰۲۰")]
    ['2021-11-09', '2020-11-09']
    """
    calendar = _calendar()
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for m in calendar.day_month.finditer(text):
        day_s, month_word, year_s = m.group(1), m.group(2), m.group(3)
        if year_s is None and month_word.lower() in calendar.needs_year:
            continue
        iso = _resolve(_to_int(day_s), month_word, _to_int(year_s) if year_s else None, default_year)
        if iso:
            hits.append(DateHit(m.start(), m.end(), m.group(0), iso))
            taken.append((m.start(), m.end()))
    for m in calendar.month_day.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        iso = _resolve(_to_int(m.group(2)), m.group(1), _to_int(m.group(3)), default_year)
        if iso:
            hits.append(DateHit(m.start(), m.end(), m.group(0), iso))
    hits.sort(key=lambda h: h.start)
    return hits
