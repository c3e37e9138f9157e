"""Hard wraps: lines of agency copy → paragraphs separated by a blank line (``\\n\\n``).

Example:
    >>> join_hard_wraps("تیتر\\n\\nمتن خبر.")
    'تیتر\\n\\nمتن خبر.'
"""

from __future__ import annotations

import re
from functools import cache

from streams.enrich.persian.wordlists import word_list

__all__ = ["join_hard_wraps"]

_FINAL = frozenset(".!?؟:»\"…)")
_MIN_WIDTH = 60
_SHORT = 0.6  # a line shorter than this share of the wrap width was ended on purpose
_MAX_WRAP = 200  # no agency wraps wider: longer lines are whole paragraphs


@cache
def _paragraph_start() -> re.Pattern[str]:
    """A dash, a bullet, a numbered item or an opening phrase (``paragraph_openers.txt``)."""
    openers = "|".join(re.escape(p) for p in word_list("paragraph_openers.txt"))
    return re.compile(f"[-–—•*■▪●]|{openers}|[0-9۰-۹]+[-.)] ")


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return _MIN_WIDTH
    return max(_MIN_WIDTH, lengths[int(0.8 * (len(lengths) - 1))])


def _cut_mid_sentence(last: str, line: str, short: float) -> bool:
    """After a blank line: the line before is full width, leaves its sentence open, and ``line``
    does not open a paragraph of its own."""
    return len(last) >= short and last[-1] not in _FINAL and not _paragraph_start().match(line)


def _wrapped(current: list[str], short: float, width: int) -> bool:
    """After a single break: the line before is full width (and, in paragraph-long lines, does not
    end a sentence), or it leaves a «» open, which a name or quote cut mid-way does however short."""
    last = current[-1]
    ends = last[-1] in _FINAL
    if len(last) >= short and not (width > _MAX_WRAP and ends):
        return True
    return not ends and sum(part.count("«") - part.count("»") for part in current) > 0


def join_hard_wraps(text: str) -> str:
    """Lines → paragraphs separated by ``\\n\\n``.

    The wrap width is the 80th percentile of line lengths. A single line break is a hard wrap
    (joined with a space) unless the line before it is short (under 60% of the width: a kicker, a
    title, a paragraph's last line), or lines are paragraph-long (width over 200) and it ends a
    sentence. A blank line ends the paragraph unless the copy was cut mid-sentence: the line
    before it is full width, does not end in . ! ؟ : » … and the next line does not open a new
    paragraph (a dash, a bullet, «به گزارش»).

    >>> wrapped = "ب" * 70
    >>> join_hard_wraps(f"لاوروف:\\n\\n{wrapped} قره\\nباغ پایان.").replace(wrapped, "…")
    'لاوروف:\\n\\n… قره باغ پایان.'
    >>> join_hard_wraps(f"{wrapped} و\\n\\nبه گزارش ایرنا").replace(wrapped, "…")
    '… و\\n\\nبه گزارش ایرنا'
    """
    lines = [line.strip() for line in text.split("\n")]
    width = _wrap_width(lines)
    short = _SHORT * width
    paragraphs: list[str] = []
    current: list[str] = []
    blank_before = False
    for line in lines:
        if not line:
            blank_before = bool(current) or blank_before
            continue
        if current and not (
            _cut_mid_sentence(current[-1], line, short) if blank_before else _wrapped(current, short, width)
        ):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
        blank_before = False
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
