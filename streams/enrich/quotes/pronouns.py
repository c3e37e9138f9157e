"""Who «وی»، «او» or «این مقام» is: the person made the subject of a sentence since the last quote,
else the last speaker, else the last person named; never a person the clause itself names."""

from __future__ import annotations

import re
from collections.abc import Collection

from streams.enrich.quotes.marks import OPENERS, closing
from streams.enrich.quotes.reading import Memory, Reading, speaker_of
from streams.model import Speaker

__all__ = ["resolve_pronoun"]

_LEAD_WORD = re.compile(r"[^\s«]+")
_SUBJECT_WORDS = 2  # a subject stands within a sentence's first two words
_QUOTED_WORDS = 5  # fewer words in marks at a sentence's start are a name, not the quote it opens with


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
    """Is ``at`` where a sentence's subject stands: its first words, after any «به گزارش ...،», or
    after the quote the sentence opens with («"..." این را X گفت»، «"..." این جمله را X گفت»)?"""
    skip = reading.words.attribution.match(reading.text, sentence_start, at)
    lead = skip.end() if skip else sentence_start
    words = _SUBJECT_WORDS
    opener = len(reading.text[lead:at]) - len(reading.text[lead:at].lstrip())
    if reading.text[lead + opener:lead + opener + 1] in OPENERS:
        close = closing(reading.text, lead + opener)
        quoted = reading.text[lead + opener + 1:close].split() if close != -1 else []
        if close != -1 and close < at and len(quoted) >= _QUOTED_WORDS:  # not a name in marks: «حسین راغفر»
            lead, words = close + 1, _SUBJECT_WORDS + 1
    for count, _ in enumerate(_LEAD_WORD.finditer(reading.text, lead, at), 1):
        if count > words:
            return False
    return True
