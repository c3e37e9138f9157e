"""Hard wraps: lines of agency copy → paragraphs separated by a blank line (``\\n\\n``).

Example:
    >>> join_hard_wraps("تیتر\\n\\nمتن خبر.")
    'تیتر\\n\\nمتن خبر.'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from streams.enrich.persian.letters import ZWNJ
from streams.enrich.persian.wordlists import word_list

__all__ = ["join_hard_wraps"]

_FINAL = frozenset(".!?؟:»\"…)")
_MIN_WIDTH = 60
_SHORT = 0.6  # a line shorter than this share of the wrap width was ended on purpose
_MAX_WRAP = 200  # no agency wraps wider: longer lines are whole paragraphs
_SINGLE_BREAK = re.compile(r"(?<!\n)\n(?![ \t]*\n)")  # a line break that is no blank line's


@cache
def _paragraph_start() -> re.Pattern[str]:
    """A dash, a bullet, a numbered item or an opening phrase (``paragraph_openers.txt``)."""
    openers = "|".join(re.escape(p) for p in word_list("paragraph_openers.txt"))
    return re.compile(f"[-–—•*■▪●]|{openers}|[0-9۰-۹]+[-.)] ")


def _width(line: str) -> int:
    """A line's length without its ZWNJs, which restoration adds later."""
    return len(line) - line.count(ZWNJ) if ZWNJ in line else len(line)


def _letters_width(line: str) -> int:
    """A paragraph's length without spaces or ZWNJs: the spaces punctuation spacing and restoration
    add after the paragraphs are read do not change how normalized text reads again."""
    return len(line) - line.count(ZWNJ) - line.count(" ")


def _wrap_width(lines: list[str], measure: Callable[[str], int]) -> int:
    lengths = sorted(measure(line) for line in lines if line)
    if not lengths:
        return _MIN_WIDTH
    return max(_MIN_WIDTH, lengths[int(0.8 * (len(lengths) - 1))])


def _cut_mid_sentence(last: str, line: str, short: float, measure: Callable[[str], int]) -> bool:
    """After a blank line: the line before is full width, leaves its sentence open, and ``line``
    does not open a paragraph of its own."""
    return measure(last) >= short and last[-1] not in _FINAL and not _paragraph_start().match(line)


def _wrapped(last: str, open_marks: int, short: float, width: int) -> bool:
    """After a single break: the line before is full width (and, in paragraph-long lines, does not
    end a sentence), or the paragraph so far leaves a «» open (``open_marks``), which a name or quote
    cut mid-way does however short."""
    ends = last[-1] in _FINAL
    if _width(last) >= short and not (width > _MAX_WRAP and ends):
        return True
    return not ends and open_marks > 0


def join_hard_wraps(text: str) -> str:
    """Lines → paragraphs separated by ``\\n\\n``, read again until they settle.

    The wrap width is the 80th percentile of line lengths. A single line break is a hard wrap
    (joined with a space) unless the line before it is short (under 60% of the width: a kicker, a
    title, a paragraph's last line), or lines are paragraph-long (width over 200) and it ends a
    sentence. A blank line ends the paragraph unless the copy was cut mid-sentence: the line
    before it is full width, does not end in . ! ؟ : » … and the next line does not open a new
    paragraph (a dash, a bullet, «به گزارش»).

    Paragraphs measure wider than the lines they were joined from, so a second reading may join two
    of them across their blank line; reading until nothing changes (each reading only joins, so
    this ends) makes normalized text come out as it went in.

    >>> wrapped = "ب" * 70
    >>> join_hard_wraps(f"لاوروف:\\n\\n{wrapped} قره\\nباغ پایان.").replace(wrapped, "…")
    'لاوروف:\\n\\n… قره باغ پایان.'
    >>> join_hard_wraps(f"{wrapped} و\\n\\nبه گزارش ایرنا").replace(wrapped, "…")
    '… و\\n\\nبه گزارش ایرنا'
    """
    # Text that is paragraphs already (no single line break) is read as normalized text is reread.
    joined = _paragraphs(text, _letters_width if _SINGLE_BREAK.search(text) is None else _width)
    while "\n" in joined and (again := _paragraphs(joined, _letters_width)) != joined:
        joined = again
    return joined


def _paragraphs(text: str, measure: Callable[[str], int]) -> str:
    lines = [line.strip() for line in text.split("\n")]
    width = _wrap_width(lines, measure)
    short = _SHORT * width
    paragraphs: list[str] = []
    current: list[str] = []
    open_marks = 0  # «» the paragraph so far leaves open, counted as it grows (a recount is quadratic)
    blank_before = False
    for line in lines:
        if not line:
            blank_before = bool(current) or blank_before
            continue
        if current and not (
            _cut_mid_sentence(current[-1], line, short, measure) if blank_before
            else _wrapped(current[-1], open_marks, short, width)
        ):
            paragraphs.append(" ".join(current))
            current, open_marks = [], 0
        current.append(line)
        open_marks += line.count("«") - line.count("»")
        blank_before = False
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
