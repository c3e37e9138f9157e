"""Digits: one form for numbers, Persian ۰-۹ with ٫ as decimal and ٬ as thousands separator, and ٪.

A number inside a token that holds a Latin letter (COVID-19, F-35, a URL) keeps its Latin digits. A
token ends at a space, a Persian letter or a Persian mark («»،؛؟, or , ; ? after Persian text):
where punctuation spacing may later put a space, so the choice is the same on normalized text.

Example:
    >>> fix_digits("۱۲ نفر و 3 خبرنگار")
    '۱۲ نفر و ۳ خبرنگار'
"""

from __future__ import annotations

import re

from streams.enrich.persian.letters import LETTERS, PERSIAN_DIGITS

__all__ = ["fix_digits"]

_NUMBER = re.compile(r"[0-9۰-۹]+(?:[.,][0-9۰-۹]+)*%?")
_LATIN_CONTEXT = re.compile(r"[A-Za-z@_]")
_NUMBER_TABLE = str.maketrans({**{str(d): PERSIAN_DIGITS[d] for d in range(10)}, ".": "٫", ",": "٬", "%": "٪"})
_CONTEXT_CHARS = 24  # how far a Latin neighbour is looked for: keeps the scan bounded
# A Latin , ; ? after a Persian letter, digit or guillemet becomes a Persian mark with a space after it.
_TOKEN_CHAR = f"(?:[^\\s{LETTERS}«»،؛؟,;?]|(?<![{LETTERS}{PERSIAN_DIGITS}«»])[,;?])"
_TOKEN_TAIL = re.compile(f"{_TOKEN_CHAR}*\\Z")
_TOKEN_HEAD = re.compile(f"{_TOKEN_CHAR}*")


def _token_context(text: str, start: int, end: int) -> str:
    left = _TOKEN_TAIL.search(text, max(0, start - _CONTEXT_CHARS), start)
    right = _TOKEN_HEAD.match(text, end, end + _CONTEXT_CHARS)
    return (left.group() if left else "") + (right.group() if right else "")


def _number(m: re.Match[str]) -> str:
    number = m.group()
    if not number.isascii() or not _LATIN_CONTEXT.search(_token_context(m.string, m.start(), m.end())):
        return number.translate(_NUMBER_TABLE)
    return number


def fix_digits(text: str) -> str:
    """Numbers to Persian digits with ٫ ٬ ٪, except inside Latin tokens (URLs, model names).

    >>> fix_digits("در 9 نوامبر 2020 رشد 3.5% بود؛ COVID-19 و F-35")
    'در ۹ نوامبر ۲۰۲۰ رشد ۳٫۵٪ بود؛ COVID-19 و F-35'
    >>> fix_digits("1,200 نفر در https://irna.ir/news/85012345")
    '۱٬۲۰۰ نفر در https://irna.ir/news/85012345'
    """
    return _NUMBER.sub(_number, text)
