"""Speech verbs that introduce speech."""

from __future__ import annotations

import pytest

from streams.enrich.quotes.verbs import speech_verbs
from tests.unit.enrich.quotes.article import LEX


@pytest.mark.parametrize("text,expected", [
    ("علی گفت: «بله»", [("گفت", ":", True)]),
    ("علی گفت : «بله»", [("گفت", ":", True)]),
    ("علی گفت که می‌آید", [("گفت", "که", False)]),
    ("علی تصریح کرد: «بله» و افزود که می‌آید", [("تصریح کرد", ":", True), ("افزود", "که", False)]),
    ("علی گفت و رفت", []),              # no colon, no complementizer: not speech
    ("علی گفت کهنه است", []),           # «که» must be a word of its own
    ("دیروز گفته بود: «نه»", [("گفته بود", ":", True)]),  # the longest form
])
def test_speech_verbs(text: str, expected: list[tuple[str, str, bool]]) -> None:
    """(verb, mark, direct) of every speech verb followed by a colon or «که»."""
    assert [(v.verb, v.mark, v.direct) for v in speech_verbs(text, LEX)] == expected


def test_a_verb_spans_to_after_its_mark() -> None:
    """A verb's span starts at the verb and ends after its colon."""
    text = "علی گفت : «بله»"
    (verb,) = speech_verbs(text, LEX)
    assert (text[verb.start:verb.end], text[verb.end:]) == ("گفت :", " «بله»")
