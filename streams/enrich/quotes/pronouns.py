"""Who «وی»، «او» or «این مقام» is: the person made the subject of a sentence since the last quote,
else the last speaker, else the last person named; never a person the clause itself names."""

from __future__ import annotations

import re
from collections.abc import Collection

from streams.enrich.quotes.reading import Memory, Reading, speaker_of
from streams.model import Speaker

__all__ = ["resolve_pronoun"]

_LEAD_WORD = re.compile(r"[^\s«]+")
_SUBJECT_WORDS = 2  # a subject stands within a sentence's first two words


def resolve_pronoun(reading: Reading, memory: Memory, begin: int, named: Collection[str] = ()) -> Speaker | None:
    """The person a pronoun at ``begin`` refers to («وی درباره غیبت آزمون افزود» is not آزمون,
    who is in ``named``)."""
    return (_new_subject(reading, memory, begin, named)
            or _last_speaker(memory, named)
            or _last_person(reading, begin, named))


def _new_subject(reading: Reading, memory: Memory, begin: int, named: Collection[str]) -> Speaker | None:
    """«حسین راغفر ... معتقد است ... . وی گفت:»: the subject of the sentence holding the last person
    named since the previous quote."""
    last = reading.persons.last_before(begin, named)
    if last is None or last[0].start < memory.floor:
        return None
    sentence_start = reading.sentence_start(memory.floor, last[0].start)
    subject = reading.persons.first_from(sentence_start, named)
    if subject is not None and _subject_position(reading, sentence_start, subject[0].start):
        return speaker_of(subject[1], "person")
    return None


def _last_speaker(memory: Memory, named: Collection[str]) -> Speaker | None:
    """«X گفت: «...» ... وی افزود:»: the speaker of the previous quotes speaks on."""
    last = memory.last_speaker
    return last if last is not None and last.name not in named else None


def _last_person(reading: Reading, begin: int, named: Collection[str]) -> Speaker | None:
    before = reading.persons.last_before(begin, named)
    return speaker_of(before[1], "person") if before is not None else None


def _subject_position(reading: Reading, sentence_start: int, at: int) -> bool:
    """Is ``at`` where a sentence's subject stands: its first words, after any «به گزارش ...،»?"""
    skip = reading.words.attribution.match(reading.text, sentence_start, at)
    lead = skip.end() if skip else sentence_start
    for count, _ in enumerate(_LEAD_WORD.finditer(reading.text, lead, at), 1):
        if count > _SUBJECT_WORDS:
            return False
    return True
