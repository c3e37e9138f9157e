"""Tests for the vocabulary ZWNJ restoration reads: hazm's lexicon with our overrides applied."""

from __future__ import annotations

import pytest

from streams.enrich.persian import ZWNJ
from streams.enrich.persian.vocabulary import vocabulary
from streams.enrich.persian.wordlists import word_list


def test_our_compounds_win() -> None:
    """Every word of compounds.txt is a compound, under its joined spelling."""
    compounds = vocabulary().compounds
    for word in word_list("compounds.txt"):
        assert compounds[word.replace(ZWNJ, "")] == word


def test_our_compounds_are_not_words_joined() -> None:
    """No word of compounds.txt is a tagged word of hazm's lexicon when joined: that spelling is in use."""
    lex = vocabulary()
    for word in word_list("compounds.txt"):
        assert word.replace(ZWNJ, "") not in lex.frequency, word


@pytest.mark.parametrize("joined", ["پنجشنبه", "همزمان", "میانجیگری", "نیمکره", "نگهداری"])
def test_a_tagged_joined_spelling_is_no_compound(joined: str) -> None:
    """A joined spelling hazm tags as a word is known as written, however common its ZWNJ spelling."""
    lex = vocabulary()
    assert joined in lex.known and joined not in lex.compounds


def test_causative_past_forms() -> None:
    """Past forms of causative verbs, from hazm's verb stems and infinitives, are known verbs."""
    forms = vocabulary().causative_forms
    assert {"خشکاند", "رویاند", "رویاندند", "رساندند"} <= forms and "خشک" not in forms


def test_keep_joined_words_are_known_and_never_split() -> None:
    """Every word of keep_joined.txt is a known word and no compound."""
    lex = vocabulary()
    for word in word_list("keep_joined.txt"):
        assert word in lex.known and word not in lex.compounds


@pytest.mark.parametrize(
    ("joined", "spelled"),
    [("آتشبس", "آتش_بس"), ("رئیسجمهور", "رئیس_جمهور"), ("بینالمللی", "بین_المللی")],
)
def test_compounds_from_the_lexicon(joined: str, spelled: str) -> None:
    """hazm's ZWNJ spellings become compounds when the joined spelling is no commoner word."""
    assert vocabulary().compounds[joined] == spelled.replace("_", ZWNJ)


@pytest.mark.parametrize(("tail", "expected"), [("توان", True), ("گوید", True), ("رفتند", True), ("تهران", False)])
def test_verb_tails(tail: str, expected: bool) -> None:
    """What may follow می/نمی: present and past forms from hazm's stems, and impersonal stems."""
    assert (tail in vocabulary().verb_tails) is expected


def test_participles_include_the_negated_form() -> None:
    """A past stem + ه is a participle, and so is its negation."""
    participles = vocabulary().participles
    assert "رفته" in participles and "نرفته" in participles
