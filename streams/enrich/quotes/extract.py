"""The ``extract_quotes`` stage: what was said, by whom, with which verb.

Persian agency copy introduces speech with a verb and a colon: «X گفت: «...»», «وی افزود: «...»»,
«دفتر X در بیانیه‌ای نوشت: «...»», or «X گفت: ...» with no quote marks. The speaker is the first
person named in the clause before the verb (after any «به گزارش ...،» attribution), a pronoun
resolved to the last speaker or person, an office resolved to its head, or an organization.
Indirect speech («به گفته وی، ...», «X گفت که ...») is kept as ``indirect``. A name or a term inside
«» is never a quote: only speech after a speech verb counts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from streams.enrich.lexicon import Lexicon
from streams.enrich.quotes.headline import Headlines, headline_quotes, link_condensed, office_holders
from streams.enrich.quotes.marked import marked_quotes
from streams.enrich.quotes.markers import MIN_WORDS_INDIRECT, quotes_by_marker
from streams.enrich.quotes.marks import SENTENCE_END, Spans, direct_text, indirect_text
from streams.enrich.quotes.reading import Memory, Reading, read_article
from streams.enrich.quotes.speakers import speaker_in
from streams.enrich.quotes.verbs import SpeechVerb, speech_verbs
from streams.model import Entity, Quote, QuoteField, QuoteKind, Speaker

__all__ = ["extract_quotes"]


def extract_quotes(text: str, entities: tuple[Entity, ...], lex: Lexicon,
                   roles: dict[str, tuple[str, ...]] | None = None,
                   fields: Sequence[tuple[int, int, QuoteField]] = ()) -> tuple[Quote, ...]:
    """Direct, colon, indirect and headline quotes of an article's joined text, in order, with speakers.

    ``roles`` maps the ids of persons mentioned in the article to their role keys (see
    :meth:`Gazetteer.role_keys`), so a clause that names only a role finds its speaker. ``fields``
    gives where the kicker, title, lead and body stand (start, end, field): a quote carries its field,
    and speech in the kicker or the title is headline speech."""
    reading = read_article(text, entities, lex, roles)
    memory = Memory()
    quotes: list[Quote] = []
    taken, said_directly = Spans(), Spans()
    spoken: dict[int, Speaker | None] = {}
    memories: list[tuple[int, Memory]] = []
    verbs = speech_verbs(text, lex)
    for k, verb in enumerate(verbs):
        if taken.covers(verb.start):
            continue
        speech = _speech(text, verb, verbs[k + 1].start if k + 1 < len(verbs) else len(text))
        if speech is None:
            continue
        said, end, kind = speech
        narrow, wide = reading.clause_starts(verb.start, memory.floor)
        speaker = _speaker_before(reading, memory, verb, narrow, wide)
        quotes.append(Quote(said, speaker, verb.verb, kind, verb.start))
        taken.add(verb.end, end)
        if kind != "indirect":
            said_directly.add(verb.end, end)
        spoken[verb.start] = speaker
        memories.append((verb.start, replace(memory)))
        _remember(memory, speaker, text[narrow:verb.start], lex)
        memory.floor = max(memory.floor, end)
    # quotes in marks that a verb of their sentence attributes, though no colon introduces them
    spoken_at = [(m.start, m.end, text[m.start:m.end]) for m in lex.speech.find(text)]
    marked = marked_quotes(reading, spoken_at, Spans(said_directly.spans), spoken.get,
                           lambda pos: _memory_at(memories, pos))
    quotes.extend(marked)
    # «به گفته وی» resolves against the speakers known at its position
    quotes.sort(key=lambda q: q.start)
    quotes.extend(quotes_by_marker(reading, quotes, Spans([*taken.spans, *((q.start, q.start + 1) for q in marked)])))
    lines = Headlines(_span(fields, "kicker"), _span(fields, "title"))
    ordered = sorted(fields)
    starts = [start for start, _, _ in ordered]
    placed = office_holders(reading, lines, [_placed(q, ordered, starts) for q in quotes])
    placed.extend(headline_quotes(reading, lines, spoken_at, placed))
    placed.sort(key=lambda q: q.start)
    return link_condensed(placed)


def _span(fields: Sequence[tuple[int, int, QuoteField]], name: QuoteField) -> tuple[int, int]:
    return next(((start, end) for start, end, field in fields if field == name), (-1, -1))


def _placed(quote: Quote, fields: Sequence[tuple[int, int, QuoteField]], starts: Sequence[int]) -> Quote:
    """The quote with the field it stands in; speech in the kicker or the title is headline speech.
    ``fields`` do not overlap and are sorted by ``starts``: the one holding the quote is found by
    bisection (an article of thousands of paragraphs has as many fields)."""
    i = bisect_right(starts, quote.start) - 1
    field: QuoteField = fields[i][2] if i >= 0 and quote.start < fields[i][1] else "body"
    kind: QuoteKind = "headline" if field in ("kicker", "title") else quote.kind
    return replace(quote, field=field, kind=kind)


def _sentence_start(text: str, floor: int, at: int) -> int:
    start = floor
    for m in SENTENCE_END.finditer(text, floor, at):
        start = m.end()
    return start


def _memory_at(memories: list[tuple[int, Memory]], pos: int) -> Memory:
    """What the reading remembered at the last speech verb before ``pos``."""
    i = bisect_left(memories, pos, key=lambda m: m[0]) - 1
    return memories[i][1] if i >= 0 else Memory()


def _speech(text: str, verb: SpeechVerb, next_verb: int) -> tuple[str, int, QuoteKind] | None:
    """(what was said, where it ends, its kind), or None when nothing was said after the verb.
    Speech without quote marks ends where the sentence of the next speech verb begins («... . وی
    افزود: ...»)."""
    if verb.direct:
        got = direct_text(text, verb.end)
        if got is None or not got[0]:
            return None
        if got[2]:
            return got[0], got[1], "direct"
        end = got[1]
        if next_verb < end:
            end = _sentence_start(text, verb.end, next_verb)
        said = text[verb.end:end].strip()
        return (said, end, "colon") if said else None
    said, end = indirect_text(text, verb.end)
    if len(said.split()) < MIN_WORDS_INDIRECT:
        return None
    return said, end, "indirect"


def _speaker_before(reading: Reading, memory: Memory, verb: SpeechVerb, narrow: int, wide: int) -> Speaker | None:
    """The speaker in the narrow clause (after a coordinated verb), else in the whole sentence."""
    speaker = speaker_in(reading, memory, narrow, verb.start)
    if speaker is None and narrow != wide:
        speaker = speaker_in(reading, memory, wide, verb.start)
    return speaker


def _remember(memory: Memory, speaker: Speaker | None, clause: str, lex: Lexicon) -> None:
    """Keep who spoke last, which organization, and who issued a statement the clause names."""
    if speaker is None:
        return
    if any(noun in clause for noun in lex.statement_nouns):
        memory.last_statement = speaker
    if speaker.type == "person":
        memory.last_speaker = speaker
    elif speaker.type == "organization":
        memory.last_org = speaker
