"""The evidence around a name candidate: a title, a role before or after, «», a speech verb."""

from __future__ import annotations

import pytest

from streams.enrich.entities.grammar import load_grammar
from streams.enrich.entities.person_context import (
    COMMAS,
    after_title,
    find_cues,
    has_person_context,
    quoted,
    role_follows,
    role_precedes,
    speech_follows,
    subject_of_speech,
    unknown_surname,
    unknown_word,
)
from streams.enrich.entities.person_names import load_person_words
from tests.unit.enrich.entities.support import index_of, scan_of

# each text names «کیوان محمدزاده» (a person missing from the gazetteer)
_NAME = ("کیوان", "محمدزاده")


def _at(text: str) -> tuple[int, int]:
    i = index_of(scan_of(text), _NAME[0])
    return i, i + 2


@pytest.mark.parametrize("text,evidence", [
    ("آقای کیوان محمدزاده در نشست بود", True),
    ("«کیوان محمدزاده» در نشست بود", True),
    ("کیوان محمدزاده، سخنگوی شرکت در نشست بود", True),
    ("سخنگوی شرکت، کیوان محمدزاده در نشست بود", True),
    ("کیوان محمدزاده گفت", True),
    ("امروز کیوان محمدزاده در نشست بود", True),  # محمدزاده is no word of the lexicon
    ("امروز کیوان مردم را دید", False),
])
def test_has_person_context(text: str, evidence: bool) -> None:
    """Any one kind of evidence is enough; a name with none around it is not taken."""
    scan = scan_of(text)
    i = index_of(scan, _NAME[0])
    assert has_person_context(scan, i, i + 2, find_cues(scan.text, scan.lex), load_person_words()) is evidence


@pytest.mark.parametrize("text,found", [
    ("آقای کیوان محمدزاده", True),
    ("دکتر کیوان محمدزاده", True),
    ("امروز کیوان محمدزاده", False),
    ("کیوان محمدزاده", False),
])
def test_after_title(text: str, found: bool) -> None:
    """A title right before the name."""
    scan = scan_of(text)
    assert after_title(scan.tokens, _at(text)[0], scan.lex) is found


@pytest.mark.parametrize("text,found", [
    ("«کیوان محمدزاده»", True),
    ("«کیوان محمدزاده گفت»", False),
    ("کیوان محمدزاده»", False),
])
def test_quoted(text: str, found: bool) -> None:
    """The name is the whole of a quotation."""
    assert quoted(scan_of(text).tokens, *_at(text)) is found


@pytest.mark.parametrize("text,found", [
    ("کیوان محمدزاده سخنگوی شرکت", True),
    ("کیوان محمدزاده، سخنگوی شرکت", True),
    ("کیوان محمدزاده، امروز سخنگوی شرکت", False),
    ("کیوان محمدزاده", False),
])
def test_role_follows(text: str, found: bool) -> None:
    """A role phrase right after the name, or after one comma."""
    scan = scan_of(text)
    assert role_follows(scan.tokens, _at(text)[1], find_cues(scan.text, scan.lex), COMMAS) is found


@pytest.mark.parametrize("text,found", [
    ("سخنگوی شرکت کیوان محمدزاده", True),
    ("سخنگوی شرکت ملی گاز، کیوان محمدزاده", True),
    ("سخنگوی شرکت آمد. کیوان محمدزاده", False),
    ("سخنگوی شرکت گفت: کیوان محمدزاده", False),
    ("کیوان محمدزاده", False),
])
def test_role_precedes(text: str, found: bool) -> None:
    """A role phrase a few tokens before the name, not across a sentence's end or a colon."""
    scan = scan_of(text)
    assert role_precedes(scan.text, scan.tokens, _at(text)[0], find_cues(scan.text, scan.lex)) is found


@pytest.mark.parametrize("text,found", [
    ("کیوان محمدزاده گفت", True),
    ("کیوان محمدزاده اظهار داشت", True),
    ("کیوان محمدزاده آمد", False),
    ("کیوان محمدزاده", False),
])
def test_speech_follows(text: str, found: bool) -> None:
    """A speech verb of one or two words right after the name."""
    scan = scan_of(text)
    assert speech_follows(scan.tokens, _at(text)[1], scan.lex) is found


@pytest.mark.parametrize("text,found", [
    ("کیوان محمدزاده روز یکشنبه در نشست خبری گفت", True),
    ("امروز، کیوان محمدزاده در نشست گفت", True),
    ("امروز کیوان محمدزاده در نشست گفت", False),
    ("کیوان محمدزاده آمد. او گفت", False),
])
def test_subject_of_speech(text: str, found: bool) -> None:
    """The name opens a sentence that ends in a speech verb."""
    scan = scan_of(text)
    i, j = _at(text)
    assert subject_of_speech(scan.text, scan.tokens, i, j, find_cues(scan.text, scan.lex)) is found


@pytest.mark.parametrize("word,unknown", [
    ("ترابی", True),
    ("ترزاسکوفسکی", True),
    ("بنیادی‌فر", True),
    ("مردم", False),
    ("بزرگ", False),
    ("رفتند", False),
    ("کارگران", False),
])
def test_unknown_word(word: str, unknown: bool) -> None:
    """A surname that is no word of the lexicon, adjective, verb or plural."""
    assert unknown_word(word, load_person_words(), load_grammar()) is unknown


@pytest.mark.parametrize("text,found", [
    ("مهدی ترابی", True),
    ("مهدی مردم", False),
    ("مهدی رضا", False),
])
def test_unknown_surname(text: str, found: bool) -> None:
    """Every word after the first names is unknown to the lexicon (and there is one)."""
    scan = scan_of(text)
    assert unknown_surname(scan.tokens, 0, 2, scan.lex, load_person_words(), load_grammar()) is found
