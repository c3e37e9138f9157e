"""The ``split_structure`` stage: kicker (روتیتر), title, lead, body paragraphs, dateline, source.

Flat and ninjs articles carry their parts in fields; a body-only text carries them in its first
lines, as agency text files do: an optional short kicker line («لاوروف:»), the title line, then
the lead paragraph. Those head lines are read from the raw text before normalization joins
hard-wrapped lines (:func:`split_head`), the rest after it (:func:`split_structure`).
"""

from __future__ import annotations

import re

from streams.model import Structure

__all__ = ["split_head", "split_structure"]

_FINAL = (".", "!", "؟", "?", "»", "…")
_MAX_KICKER_WORDS = 8
_MAX_TITLE_WORDS = 25
# «تهران- ایرنا-» / «مسکو - خبرگزاری مهر -» at the very start of the lead
_DATELINE = re.compile(r"^\s*([^\s\-–—،:]{2,20}(?: [^\s\-–—،:]{2,20}){0,2})\s*[-–—]\s*"
                       r"([^\-–—\n]{2,40}?)\s*[-–—]\s*")
_SOURCE = re.compile(r"(?:^|[\s،.])(?:به گزارش|به نقل از)\s+([^،,:\n]{2,80}?)\s*[،,]")


def _is_wrapped(line: str, width: int) -> bool:
    """A line as long as the text's wrap width belongs to a hard-wrapped paragraph."""
    return width >= 50 and len(line) >= 0.85 * width


def split_head(raw: str) -> tuple[str, str, str]:
    """(kicker, title, rest) from the first lines of a body-only text."""
    lines = [ln.strip() for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [(i, ln) for i, ln in enumerate(lines) if ln]
    if not filled:
        return "", "", raw
    width = max(len(ln) for _, ln in filled[:40])
    l1, rest_from = filled[0][1], filled[0][0] + 1
    if len(l1.split()) > _MAX_TITLE_WORDS or _is_wrapped(l1, width) or l1.endswith("."):
        return "", "", "\n".join(lines)
    if len(filled) > 1:
        i2, l2 = filled[1]
        short_first = l1.endswith(":") or len(l1.split()) <= _MAX_KICKER_WORDS
        l2_is_title = len(l2.split()) <= _MAX_TITLE_WORDS and not _is_wrapped(l2, width) and not l2.endswith(".")
        if short_first and l2_is_title and len(filled) > 2:
            return l1, l2, "\n".join(lines[i2 + 1:])
    return "", l1, "\n".join(lines[rest_from:])


def _dateline(lead: str) -> tuple[str | None, str]:
    m = _DATELINE.match(lead)
    if not m or len(m.group(0)) > 70:
        return None, lead
    return m.group(0).strip(" -–—"), lead[m.end():]


def _source(text: str) -> str | None:
    m = _SOURCE.search(text[:600])
    return m.group(1).strip() if m else None


def split_structure(kicker: str, title: str, lead: str, body: str) -> Structure:
    """Normalized fields → structure. A missing lead is the body's first paragraph."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if not lead.strip() and paragraphs:
        lead = paragraphs.pop(0)
    if not title.strip() and not kicker.strip() and lead and len(lead.split()) <= _MAX_TITLE_WORDS \
            and not lead.endswith(_FINAL) and paragraphs:
        title, lead = lead, paragraphs.pop(0)
    dateline, lead_text = _dateline(lead)
    source = _source(lead + "\n" + "\n".join(paragraphs[:2]))
    return Structure(
        kicker=kicker.strip(),
        title=title.strip(),
        lead=lead_text.strip(),
        paragraphs=tuple(paragraphs),
        dateline=dateline,
        source=source,
    )
