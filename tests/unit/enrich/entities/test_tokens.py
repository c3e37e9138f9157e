"""Tokens, whole-word occurrences and the spans the finders occupy."""

from __future__ import annotations

import pytest

from streams.enrich.entities import Token, tokenize
from streams.enrich.entities.tokens import Spans, is_name_char, stands_alone, word_starts


@pytest.mark.parametrize("text,tokens", [
    ("وزیر خارجه ایران، گفت.", ["وزیر", "خارجه", "ایران", "،", "گفت", "."]),
    ("می‌گوید «آری»", ["می‌گوید", "«", "آری", "»"]),
    ("سال ۱۴۰۲ و 2023", ["سال", "۱۴۰۲", "و", "2023"]),
    ("", []),
])
def test_tokenize(text: str, tokens: list[str]) -> None:
    """Words joined by ZWNJ stay one token; each punctuation mark is a token."""
    assert [t.text for t in tokenize(text)] == tokens


def test_token_offsets() -> None:
    """Offsets point into the text."""
    text = "در  تهران،"
    assert [(t.start, t.end) for t in tokenize(text)] == [(0, 2), (4, 9), (9, 10)]


@pytest.mark.parametrize("text,is_word", [("تهران", True), ("۱۲", True), ("_x", True), ("،", False), ("«", False)])
def test_is_word(text: str, is_word: bool) -> None:
    """Letters, digits and underscore start a word; punctuation does not."""
    assert Token(0, len(text), text).is_word is is_word


@pytest.mark.parametrize("ch,inside", [("ب", True), ("۱", True), ("_", True), ("\u200c", True), (" ", False),
                                       ("،", False)])
def test_is_name_char(ch: str, inside: bool) -> None:
    """Letters, digits, underscore and ZWNJ continue a word."""
    assert is_name_char(ch) is inside


@pytest.mark.parametrize("text,start,end,alone", [
    ("آرال و", 0, 4, True),
    ("آرالی", 0, 4, False),
    ("دریاچه‌آرال", 7, 11, False),
    ("«آرال»", 1, 5, True),
])
def test_stands_alone(text: str, start: int, end: int, alone: bool) -> None:
    """Not part of a longer word on either side."""
    assert stands_alone(text, start, end) is alone


@pytest.mark.parametrize("text,word,starts", [
    ("آرال و دریاچه آرال؛ آرالی", "آرال", [0, 14]),
    ("آرالآرال آرال", "آرال", [9]),
    ("بی‌آرال", "آرال", []),
    ("", "آرال", []),
])
def test_word_starts(text: str, word: str, starts: list[int]) -> None:
    """Whole-word occurrences only."""
    assert list(word_starts(text, word)) == starts


def test_spans() -> None:
    """A range overlaps another once added; empty ranges overlap nothing; the spans grow on demand."""
    spans = Spans(10)
    spans.add(2, 4)
    assert spans.overlaps(3, 8) and not spans.overlaps(4, 8) and not spans.overlaps(3, 3)
    spans.add(12, 15)
    assert spans.overlaps(14, 20) and not spans.overlaps(10, 12)
