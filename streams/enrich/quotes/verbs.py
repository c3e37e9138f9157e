"""Speech verbs that introduce speech: «گفت:»، «افزود که ...»."""

from __future__ import annotations

from typing import NamedTuple

from streams.enrich.lexicon import Lexicon

__all__ = ["SpeechVerb", "speech_verbs"]


class SpeechVerb(NamedTuple):
    start: int  # where the verb starts
    end: int    # after the colon or complementizer that follows it
    verb: str
    mark: str   # ":" for direct speech, the complementizer («که») for indirect speech

    @property
    def direct(self) -> bool:
        return self.mark == ":"


def speech_verbs(text: str, lex: Lexicon) -> list[SpeechVerb]:
    """Every speech verb followed by a colon or a complementizer, in order: one multi-pattern
    pass, then a look at what follows each verb."""
    out = []
    after_verb = lex.quotes.after_verb
    for m in lex.speech.find(text):
        after = after_verb.match(text, m.end)
        if after:
            out.append(SpeechVerb(m.start, after.end(), text[m.start:m.end], after.group(1)))
    return out
