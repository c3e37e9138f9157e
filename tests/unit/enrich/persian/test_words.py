"""Table tests for what a word is (``words``): verbs, inflected words, descriptions, frequency.
«_» stands for a ZWNJ."""

from __future__ import annotations

import pytest

from streams.enrich.persian import is_adjective, is_descriptive, is_inflected, is_verb, word_frequency
from tests.unit.enrich.persian.tables import z


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ندارد", True),
        ("میگوید", True),
        ("می_گوید", True),
        ("رفته_اند", True),  # a participle and a perfect ending
        ("داده_ایم", True),
        ("نمی_توان", True),  # the bare stem, used impersonally
        ("رفتند", True),
        ("برمیگردد", True),  # a preverb before می
        ("علی", False),
        ("تهران", False),
        ("پزشکیان", False),
    ],
)
def test_is_verb(word: str, expected: bool) -> None:
    """Finite verb forms are verbs; names and nouns are not."""
    assert is_verb(z(word)) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("مراقبت_های", True),
        ("بزرگی", True),
        ("شمالی", True),
        ("کشورها", True),
        ("بزرگترین", True),
        ("تهران", False),
        ("علی", False),
        ("ترامپ", False),
    ],
)
def test_is_inflected(word: str, expected: bool) -> None:
    """A known word with a plural, comparative or indefinite ending is inflected."""
    assert is_inflected(z(word)) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("دولتی", True),
        ("کنسولی", True),
        ("آمریکایی", True),
        ("منطقه_ای", True),
        ("بین_دولتی", True),
        ("بزرگ", True),
        ("لاوروف", False),
        ("پزشکیان", False),
    ],
)
def test_is_descriptive(word: str, expected: bool) -> None:
    """Tagged adjectives and relational adjectives (noun + ی/یی/‌ای) describe; names do not."""
    assert is_descriptive(z(word)) is expected


@pytest.mark.parametrize(("word", "expected"), [("بزرگ", True), ("لاوروف", False), ("پزشکیان", False)])
def test_is_adjective(word: str, expected: bool) -> None:
    """Only words hazm tags as adjectives are adjectives."""
    assert is_adjective(word) is expected


def test_word_frequency() -> None:
    """Tagged words have a count, commoner words a larger one; untagged names have none."""
    common, rarer = word_frequency("و"), word_frequency("کشور")
    assert common is not None and rarer is not None and common > rarer > 0
    assert word_frequency("لاوروف") is None
