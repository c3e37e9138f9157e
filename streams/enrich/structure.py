"""The ``split_structure`` stage: kicker (روتیتر), title, lead, body paragraphs, dateline, source.

Flat and ninjs articles carry their parts in fields; a body-only text carries them in its first
lines, as agency text files do: an optional short kicker line («لاوروف:»), the title line, then
the lead paragraph. Those head lines are read from the raw text before normalization joins
hard-wrapped lines (:func:`split_head`), the rest after it (:func:`split_structure`).
"""

from __future__ import annotations

import re
from functools import cache

from streams.model import Structure
from streams.resources import data_path

__all__ = ["split_head", "split_structure"]

_FINAL = (".", "!", "؟", "?", "»", "…")
_MAX_KICKER_WORDS = 8
_MAX_TITLE_WORDS = 25
# «تهران- ایرنا-» / «مسکو - خبرگزاری مهر -» / «آنکارا/ آناتولی-» / «تبریز- خبرگزاری مهر:» at the very
# start of the lead (or of the first paragraph after it)
_DATELINE = re.compile(r"^\s*([^\s\-–—،:/]{2,20}(?: [^\s\-–—،:/]{2,20}){0,2})\s*[-–—/]\s*"
                       r"([^\-–—\n:«»]{2,40}?)\s*[-–—:]\s*")
_SOURCE_FILE = "structure/source_markers.txt"


@cache
def _source_pattern() -> re.Pattern[str]:
    """«به گزارش X،» / «به نقل از X،»: the words up to the comma name the report's source."""
    lines = data_path(_SOURCE_FILE).read_text(encoding="utf-8").splitlines()
    markers = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    either = "|".join(re.escape(m) for m in markers)
    return re.compile(rf"(?:^|[\s،.])(?:{either})\s+([^،,:\n]{{2,80}}?)\s*[،,]")


def _is_wrapped(line: str, width: int) -> bool:
    """A line as long as the text's wrap width belongs to a hard-wrapped paragraph."""
    return width >= 50 and len(line) >= 0.85 * width


def _is_title(line: str, width: int) -> bool:
    """A title is a short line, not part of a wrapped paragraph, not a sentence."""
    return len(line.split()) <= _MAX_TITLE_WORDS and not _is_wrapped(line, width) and not line.endswith(".")


def _is_kicker(line: str) -> bool:
    """A kicker is a few words, or a speaker's name and a colon («لاوروف:»)."""
    return line.endswith(":") or len(line.split()) <= _MAX_KICKER_WORDS


def split_head(raw: str) -> tuple[str, str, str]:
    """(kicker, title, rest) from the first lines of a body-only text."""
    lines = [ln.strip() for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [(i, ln) for i, ln in enumerate(lines) if ln]
    if not filled:
        return "", "", raw
    width = max(len(ln) for _, ln in filled[:40])
    i1, l1 = filled[0]
    if not _is_title(l1, width):
        return "", "", "\n".join(lines)
    if len(filled) > 2 and _is_kicker(l1) and _is_title(filled[1][1], width):
        i2, l2 = filled[1]
        return l1, l2, "\n".join(lines[i2 + 1:])
    return "", l1, "\n".join(lines[i1 + 1:])


def _dateline(lead: str) -> tuple[str | None, str]:
    m = _DATELINE.match(lead)
    if not m or len(m.group(0)) > 70:
        return None, lead
    return m.group(0).strip(" -–—:/"), lead[m.end():]


def _source(text: str) -> str | None:
    m = _source_pattern().search(text[:600])
    return m.group(1).strip() if m else None


def _reads_as_title(paragraph: str) -> bool:
    """A short first paragraph that does not end like a sentence is a title set as a paragraph."""
    return bool(paragraph) and len(paragraph.split()) <= _MAX_TITLE_WORDS and not paragraph.endswith(_FINAL)


def split_structure(kicker: str, title: str, lead: str, body: str) -> Structure:
    """Normalized fields → structure. A missing lead is the body's first paragraph."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if not lead.strip() and paragraphs:
        lead = paragraphs.pop(0)
    if not title.strip() and not kicker.strip() and _reads_as_title(lead) and paragraphs:
        title, lead = lead, paragraphs.pop(0)
    dateline, lead_text = _dateline(lead)
    if dateline is None and paragraphs:
        dateline, first = _dateline(paragraphs[0])
        paragraphs[0] = first if dateline is not None else paragraphs[0]
    source = _source(lead + "\n" + "\n".join(paragraphs[:2]))
    return Structure(
        kicker=kicker.strip(),
        title=title.strip(),
        lead=lead_text.strip(),
        paragraphs=tuple(paragraphs),
        dateline=dateline,
        source=source,
    )
