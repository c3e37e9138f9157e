"""The ``extract_quotes`` stage: what was said, by whom, with which verb.

Persian agency copy introduces speech with a verb and a colon: «X گفت: «...»», «وی افزود: «...»»,
«دفتر X در بیانیه‌ای نوشت: «...»», or «X گفت: ...» with no quote marks. The speaker is the first
person named in the clause before the verb (after any «به گزارش ...،» attribution), a pronoun
resolved to the last speaker or person, an office resolved to its head, or an organization.
Indirect speech («به گفته وی، ...», «X گفت که ...») is kept as ``indirect``. A name or a term inside
«» is never a quote: only speech after a speech verb counts.
"""

from __future__ import annotations

from streams.enrich.lexicon import Lexicon
from streams.enrich.quotes.markers import MIN_WORDS_INDIRECT, quotes_by_marker
from streams.enrich.quotes.marks import Spans, direct_text, indirect_text
from streams.enrich.quotes.reading import Memory, Reading, read_article
from streams.enrich.quotes.speakers import speaker_in
from streams.enrich.quotes.verbs import SpeechVerb, speech_verbs
from streams.model import Entity, Quote, QuoteKind, Speaker

__all__ = ["extract_quotes"]


def extract_quotes(text: str, entities: tuple[Entity, ...], lex: Lexicon,
                   roles: dict[str, tuple[str, ...]] | None = None) -> tuple[Quote, ...]:
    """Direct and indirect quotes of an article's joined text, in order, with speakers.

    ``roles`` maps the ids of persons mentioned in the article to their role keys (see
    :meth:`Gazetteer.role_keys`), so a clause that names only a role finds its speaker."""
    reading = read_article(text, entities, lex, roles)
    memory = Memory()
    quotes: list[Quote] = []
    taken = Spans()
    for verb in speech_verbs(text, lex):
        if taken.covers(verb.start):
            continue
        speech = _speech(text, verb)
        if speech is None:
            continue
        said, end, kind = speech
        narrow, wide = reading.clause_starts(verb.start, memory.floor)
        speaker = _speaker_before(reading, memory, verb, narrow, wide)
        quotes.append(Quote(said, speaker, verb.verb, kind, verb.start))
        taken.add(verb.end, end)
        _remember(memory, speaker, text[narrow:verb.start], lex)
        memory.floor = max(memory.floor, end)
    # «به گفته وی» resolves against the speakers known at its position
    quotes.extend(quotes_by_marker(reading, quotes, Spans(taken.spans)))
    quotes.sort(key=lambda q: q.start)
    return tuple(quotes)


def _speech(text: str, verb: SpeechVerb) -> tuple[str, int, QuoteKind] | None:
    """(what was said, where it ends, its kind), or None when nothing was said after the verb."""
    if verb.direct:
        got = direct_text(text, verb.end)
        if got is None or not got[0]:
            return None
        return got[0], got[1], "direct" if got[2] else "colon"
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
