"""Dates in Persian copy → ISO dates: Jalali and Gregorian, Persian and Latin month names and digits.

«۹ نوامبر ۲۰۲۰» → 2020-11-09, «۱۸ آبان ۱۴۰۰» → 2021-11-09, «November 9, 2020» → 2020-11-09.
A day and month without a year take the year of the article's publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import jdatetime

__all__ = ["DateHit", "find_dates"]

_JALALI = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
    "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}
_GREGORIAN = {
    "ژانویه": 1, "ژانویهٔ": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "آپریل": 4, "مه": 5, "می": 5, "مئی": 5,
    "ژوئن": 6, "جون": 6, "ژوئیه": 7, "جولای": 7, "اوت": 8, "آگوست": 8, "اگوست": 8, "سپتامبر": 9,
    "اکتبر": 10, "نوامبر": 11, "دسامبر": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_D = r"[0-9۰-۹٠-٩]"
_MONTHS = "|".join(sorted((re.escape(m) for m in (*_JALALI, *_GREGORIAN)), key=len, reverse=True))
# day month [year] — the year is optional; «ماه» may follow a Jalali month name
_DAY_MONTH = re.compile(
    rf"(?<![0-9۰-۹٠-٩\w])({_D}{{1,2}})(?:\s*ام)?\s+({_MONTHS})(?:\s+ماه)?(?:\s*(?:سال\s+)?({_D}{{4}}))?(?![\w])",
    re.IGNORECASE,
)
# Month day, year (Latin style)
_MONTH_DAY = re.compile(rf"\b({_MONTHS})\s+({_D}{{1,2}}),?\s+({_D}{{4}})\b", re.IGNORECASE)
# ambiguous month words that are also common words need a year to count
_NEEDS_YEAR = frozenset({"مهر", "دی", "تیر", "آذر", "مه", "می", "may", "mar", "jun"})


@dataclass(frozen=True, slots=True)
class DateHit:
    start: int
    end: int
    surface: str
    iso: str


def _to_int(text: str) -> int:
    return int(text.translate(_DIGITS))


def _resolve(day: int, month_word: str, year: int | None, default_year: int | None) -> str | None:
    key = month_word.lower()
    try:
        if key in _JALALI:
            if year is None:
                if default_year is None:
                    return None
                year = jdatetime.date.fromgregorian(date=date(default_year, 6, 1)).year
            if not 1200 <= year <= 1500:
                return None
            gregorian: date = jdatetime.date(year, _JALALI[key], day).togregorian()
            return gregorian.isoformat()
        month = _GREGORIAN[key]
        if year is None:
            if default_year is None:
                return None
            year = default_year
        if not 1800 <= year <= 2200:
            return None
        return date(year, month, day).isoformat()
    except (ValueError, KeyError):
        return None


def find_dates(text: str, default_year: int | None = None) -> list[DateHit]:
    """Every calendar date written in ``text``, converted to ISO 8601 (Gregorian)."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for m in _DAY_MONTH.finditer(text):
        day_s, month_word, year_s = m.group(1), m.group(2), m.group(3)
        if year_s is None and month_word.lower() in _NEEDS_YEAR:
            continue
        iso = _resolve(_to_int(day_s), month_word, _to_int(year_s) if year_s else None, default_year)
        if iso:
            hits.append(DateHit(m.start(), m.end(), m.group(0), iso))
            taken.append((m.start(), m.end()))
    for m in _MONTH_DAY.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        iso = _resolve(_to_int(m.group(2)), m.group(1), _to_int(m.group(3)), default_year)
        if iso:
            hits.append(DateHit(m.start(), m.end(), m.group(0), iso))
    hits.sort(key=lambda h: h.start)
    return hits
