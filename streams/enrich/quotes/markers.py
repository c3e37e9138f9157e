"""«به گفته X، ...»: indirect speech introduced by a marker, its speaker named right after it."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from streams.enrich.quotes.marks import OPENERS, Spans, closing, indirect_text
from streams.enrich.quotes.reading import Reading, speaker_of
from streams.enrich.quotes.roles import role_holder
from streams.model import Quote, Speaker

__all__ = ["MIN_WORDS_INDIRECT", "quotes_by_marker"]

MIN_WORDS_INDIRECT = 3  # shorter reported speech is a fragment, not a statement
_MIN_DIRECT = 5  # fewer words in marks are a term or a scare quote
_MAX_NAME = 80  # the speaker's name between the marker and its comma


@dataclass
class _PersonsQuoted:
    """Quotes with a person speaking, to find the last one before a position: those of the speech
    verbs (sorted by position) and those of the markers read so far."""

    known: list[Quote]
    known_starts: list[int] = field(init=False)
    last_added: Quote | None = None

    def __post_init__(self) -> None:
        self.known = [q for q in self.known if q.speaker is not None and q.speaker.type == "person"]
        self.known_starts = [q.start for q in self.known]

    def add(self, quote: Quote) -> None:
        if quote.speaker is not None and quote.speaker.type == "person":
            self.last_added = quote

    def last_before(self, pos: int) -> Speaker | None:
        i = bisect_left(self.known_starts, pos) - 1
        known = self.known[i] if i >= 0 else None
        added = self.last_added  # added at an earlier marker, so before ``pos``
        if added is not None and (known is None or added.start >= known.start):
            return added.speaker
        return known.speaker if known is not None else None


def quotes_by_marker(reading: Reading, known: list[Quote], taken: Spans) -> list[Quote]:
    """Indirect speech after «به گفته X،» and the like, outside the spans already ``taken``;
    «به گفته وی» is the last person quoted before it (``known`` holds the quotes found so far, in
    order), else the last person named."""
    text = reading.text
    out: list[Quote] = []
    quoted = _PersonsQuoted(known)
    for m in reading.words.indirect_marker.finditer(text):
        comma = text.find("،", m.end(), m.end() + _MAX_NAME)
        if comma == -1 or taken.covers(m.start()) or "\n" in text[m.end():comma]:
            continue
        speaker = _marker_speaker(reading, m, comma, quoted)
        if speaker is None:
            continue
        quote = (_quoted_after(text, comma + 1, speaker, m) or _quoted_after_apposition(text, comma + 1, speaker, m)
                 or _reported_after(text, comma + 1, speaker, m))
        if quote is not None:
            out.append(quote)
            quoted.add(quote)
    return out


def _quoted_after(text: str, after: int, speaker: Speaker, marker: re.Match[str]) -> Quote | None:
    """«به گفته X، «...»»: the speaker's own words in marks right after the marker are direct speech."""
    open_at = after + len(text[after:after + 3]) - len(text[after:after + 3].lstrip())
    if open_at >= len(text) or text[open_at] not in OPENERS:
        return None
    close = closing(text, open_at)
    said = text[open_at + 1:close].strip() if close != -1 else ""
    return Quote(said, speaker, marker.group(1), "direct", marker.start()) if len(said.split()) >= _MIN_DIRECT else None


def _quoted_after_apposition(text: str, after: int, speaker: Speaker, marker: re.Match[str]) -> Quote | None:
    """«به گفته X، استاد علوم سیاسی دانشگاه باکو، «...»»: the speaker's role between commas, then
    the words in marks."""
    comma = text.find("،", after, after + _MAX_NAME)
    if comma == -1 or "\n" in text[after:comma] or any(o in text[after:comma] for o in OPENERS):
        return None
    return _quoted_after(text, comma + 1, speaker, marker)


def _reported_after(text: str, after: int, speaker: Speaker, marker: re.Match[str]) -> Quote | None:
    said, _ = indirect_text(text, after)
    return Quote(said, speaker, marker.group(1), "indirect", marker.start()) \
        if len(said.split()) >= MIN_WORDS_INDIRECT else None


def _marker_speaker(reading: Reading, marker: re.Match[str], comma: int, quoted: _PersonsQuoted) -> Speaker | None:
    who = reading.text[marker.end():comma].strip()
    if who in reading.words.pronouns:
        prior = quoted.last_before(marker.start())
        if prior is not None:
            return prior
        before = reading.persons.last_before(marker.start())
        return speaker_of(before[1], "person") if before is not None else None
    inside = reading.actors.first_between(marker.end(), comma)  # a person or a body speaks, not a place
    if inside is not None:
        return speaker_of(inside[1], inside[1].type)
    return role_holder(who, reading)  # «به گفته مدیرکل آژانس، ...»: the one who holds that role
