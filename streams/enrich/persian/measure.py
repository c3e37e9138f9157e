"""Measuring ZWNJ restoration: how many of a text's ZWNJs a restored copy has back, and how many wrong.

Example:
    >>> zwnj_restoration("فعالیت\u200cها", "فعالیت\u200cها")
    (1, 0, 0)
"""

from __future__ import annotations

import bisect
import difflib

from streams.enrich.persian.digits import fix_digits
from streams.enrich.persian.letters import ZWNJ, clean_zwnj, fix_characters
from streams.enrich.persian.punctuation import fix_punctuation

__all__ = ["zwnj_restoration"]


def _zwnj_skeleton(text: str) -> tuple[str, list[int]]:
    """Canonical characters without ZWNJs and whitespace, and where the ZWNJs stood."""
    text = clean_zwnj(fix_punctuation(fix_digits(fix_characters(text))))
    chars: list[str] = []
    positions: list[int] = []
    for ch in text:
        if ch == ZWNJ:
            positions.append(len(chars))
        elif not ch.isspace():
            chars.append(ch)
    return "".join(chars), positions


def _aligned(skel_o: str, skel_r: str, pos_r: list[int]) -> set[int]:
    """The restored text's ZWNJ positions mapped onto the original's through their common blocks;
    one that cannot be aligned gets a negative position, which no original ZWNJ has."""
    matcher = difflib.SequenceMatcher(None, skel_o, skel_r, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    starts = [b.b for b in blocks]
    mapped: set[int] = set()
    for p in pos_r:
        # A ZWNJ before character p is the original's only if p-1 and p are aligned together.
        k = bisect.bisect_right(starts, p - 1) - 1
        if k >= 0 and blocks[k].b <= p - 1 and p < blocks[k].b + blocks[k].size:
            mapped.add(blocks[k].a + p - blocks[k].b)
        else:
            mapped.add(-1 - p)
    return mapped


def zwnj_restoration(original: str, restored: str) -> tuple[int, int, int]:
    """(restored_count, lost_count, wrongly_inserted) of ``restored`` against ``original``'s ZWNJs.

    Both texts are compared on their canonical characters with ZWNJs and whitespace set aside, so
    other normalization (digits, spacing, line joins) does not count; ZWNJs that change nothing
    (after ر, before a space) are not counted on either side. A ZWNJ that replaced a space is wrong.

    >>> zwnj_restoration("می\u200cدهد و فعالیت\u200cها", "می\u200cدهد و فعالیتها")
    (1, 1, 0)
    >>> zwnj_restoration("قره باغ", "قره\u200cباغ")
    (0, 0, 1)
    """
    skel_o, pos_o = _zwnj_skeleton(original)
    skel_r, pos_r = _zwnj_skeleton(restored)
    mapped = set(pos_r) if skel_o == skel_r else _aligned(skel_o, skel_r, pos_r)
    truth = set(pos_o)
    hit = len(truth & mapped)
    return hit, len(truth) - hit, len(mapped) - hit
