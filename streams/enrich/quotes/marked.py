"""Quoted speech found by its marks: «...» of five words or more that a speech verb in the same
sentence attributes, though no colon introduces it.

- the verb before the quote: «پاشینیان گفته بود که ادغام آوارگان «یکی از مهم‌ترین اولویت‌های دولت
  خواهد بود»» — a partial quote inside reported speech; its speaker is the verb's;
- the verb after it (the quote before its speaker): «...» این را X گفت، «...»، X با بیان این مطلب
  افزود — the speaker is named between the closing mark and the verb.

A quoted name, a term or a scare-quoted phrase is shorter than five words, or has no speech verb in
its sentence: it is not a quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from streams.enrich.quotes.marks import OPENERS, SENTENCE_END, Spans, closings
from streams.enrich.quotes.reading import Memory, Reading
from streams.enrich.quotes.speakers import speaker_in
from streams.model import Quote, Speaker

__all__ = ["MIN_QUOTED_WORDS", "SpokenAt", "marked_quotes"]

MIN_QUOTED_WORDS = 5  # fewer words in «» are a name, a term or a scare quote
_OPEN = re.compile("|".join(re.escape(o) for o in OPENERS))

#: a speech verb occurrence: (start, end, verb as written)
SpokenAt = tuple[int, int, str]


class _Sentences:
    """Sentence breaks of the text, found once: each quote's sentence is found by bisection."""

    def __init__(self, text: str) -> None:
        breaks = list(SENTENCE_END.finditer(text))
        self.starts = [m.start() for m in breaks]
        self.ends = [m.end() for m in breaks]
        self.length = len(text)

    def bounds(self, open_at: int, close_at: int) -> tuple[int, int]:
        """Where the sentence holding the quote starts (before the opening mark) and ends (after the
        closing one)."""
        i = bisect_right(self.ends, open_at) - 1
        start = self.ends[i] if i >= 0 else 0
        k = bisect_left(self.starts, close_at + 1)
        return start, self.starts[k] if k < len(self.starts) else self.length


def marked_quotes(reading: Reading, verbs: Sequence[SpokenAt], taken: Spans,
                  speaker_of_verb: Callable[[int], Speaker | None], memory_at: Callable[[int], Memory]
                  ) -> list[Quote]:
    """Quotes in marks outside the spans ``taken`` by speech already read, attributed by a speech verb
    of their sentence (``verbs`` sorted by position). ``speaker_of_verb`` gives the speaker already
    found for a verb, ``memory_at`` what was remembered at a position."""
    text = reading.text
    starts = [v[0] for v in verbs]
    sentences = _Sentences(text)
    closes = closings(text)
    out: list[Quote] = []
    for m in _OPEN.finditer(text):
        open_at = m.start()
        if taken.covers(open_at):
            continue
        close_at = closes.get(open_at, -1)
        said = text[open_at + 1:close_at].strip() if close_at != -1 else ""
        if len(said.split()) < MIN_QUOTED_WORDS or "\n\n" in said:
            continue
        start, end = sentences.bounds(open_at, close_at)
        quote = _before(reading, verbs, starts, start, open_at, said, speaker_of_verb, memory_at) \
            or _after(reading, verbs, starts, (close_at, end), said, open_at, memory_at, closes)
        if quote is not None:
            out.append(quote)
            taken.add(open_at, close_at + 1)
    return out


def _before(reading: Reading, verbs: Sequence[SpokenAt], starts: list[int], sentence: int, open_at: int, said: str,
            speaker_of_verb: Callable[[int], Speaker | None], memory_at: Callable[[int], Memory]) -> Quote | None:
    """The last speech verb between the sentence's start and the quote attributes it."""
    i = bisect_left(starts, open_at) - 1
    if i < 0 or verbs[i][0] < sentence:
        return None
    verb_start, _, verb = verbs[i]
    speaker = speaker_of_verb(verb_start)
    if speaker is None:
        memory = memory_at(verb_start)
        narrow, _ = reading.clause_starts(verb_start, max(memory.floor, sentence))
        speaker = speaker_in(reading, memory, narrow, verb_start)
    return Quote(said, speaker, verb, "direct", open_at) if speaker is not None else None


def _after(reading: Reading, verbs: Sequence[SpokenAt], starts: list[int], bounds: tuple[int, int],
           said: str, open_at: int, memory_at: Callable[[int], Memory], closes: dict[int, int]) -> Quote | None:
    """«...» این را X گفت: the first speech verb after the quote in its sentence (``bounds``: the
    quote's closing mark and the sentence's end), the speaker named between the closing mark and the
    verb. A name in marks between («...»؛ این را «X»، ... گفت) is no other quote."""
    close_at, sentence_end = bounds
    i = bisect_left(starts, close_at)
    if i >= len(verbs) or verbs[i][0] >= sentence_end:
        return None
    verb_start, _, verb = verbs[i]
    if any(_quoted_words(reading.text, m.start(), closes) >= MIN_QUOTED_WORDS
           for m in _OPEN.finditer(reading.text, close_at + 1, verb_start)):
        return None  # another quote stands between: the verb is its
    speaker = speaker_in(reading, memory_at(open_at), close_at + 1, verb_start)
    return Quote(said, speaker, verb, "direct", open_at) if speaker is not None else None


def _quoted_words(text: str, open_at: int, closes: dict[int, int]) -> int:
    """Words inside the marks opened at ``open_at`` (an unclosed mark counts as a quote)."""
    close_at = closes.get(open_at, -1)
    return len(text[open_at + 1:close_at].split()) if close_at != -1 else MIN_QUOTED_WORDS

