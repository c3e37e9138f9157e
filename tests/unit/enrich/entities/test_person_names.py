"""Where a person's name starts and how far it runs: first names, then one or two surname words."""

from __future__ import annotations

import pytest

from streams.enrich.entities.person_context import find_cues
from streams.enrich.entities.person_names import (
    common_surname_before_role,
    first_names_end,
    load_person_words,
    name_at,
    second_surname_word,
    surname_end,
)
from streams.enrich.lexicon import load_lexicon
from tests.unit.enrich.entities.support import scan_of, words


@pytest.mark.parametrize("text,name", [
    ("کیوان محمدزاده گفت", "کیوان محمدزاده"),
    ("حمیدرضا دلاوری نژاد، فرماندار تایباد", "حمیدرضا دلاوری نژاد"),
    ("مالک شریعتی نیاسر نماینده", "مالک شریعتی نیاسر"),
    ("موعود بنیادی‌فر به‌شدت انتقاد کرد", "موعود بنیادی‌فر"),
    ("بهزاد پارسا، مدیرعامل شرکت", "بهزاد پارسا"),
    ("سیدمحسن جوادی، رئیس ستاد", "سیدمحسن جوادی"),
    ("محمد اسلامی وزیر", "محمد اسلامی"),
    ("علی، وزیر", ""),
    ("علی گفت", ""),
    ("کشور ایران", ""),
])
def test_name_at(text: str, name: str) -> None:
    """First name[s] and a surname; a lone first name or no first name is no name."""
    scan = scan_of(text)
    j = name_at(scan.tokens, 0, scan.lex, load_person_words(), find_cues(scan.text, scan.lex).role_starts)
    assert words(scan, 0, j) == name


@pytest.mark.parametrize("text,count", [
    ("علی رضا محمد حسن کریمی", 3),
    ("علی کریمی", 1),
    ("کریمی", 0),
])
def test_first_names_end(text: str, count: int) -> None:
    """At most three first names in a row."""
    assert first_names_end(scan_of(text).tokens, 0, load_lexicon()) == count


@pytest.mark.parametrize("text,surname", [
    ("علی دلاوری نژاد", "دلاوری نژاد"),
    ("علی محمدی به", "محمدی"),
    ("علی محمدی رضا", "محمدی"),
    ("علی محمدی گفت", "محمدی"),
    ("علی گفت", ""),
    ("علی ،محمدی", ""),
])
def test_surname_end(text: str, surname: str) -> None:
    """A surname runs one or two words, stopping at a speech verb, another first name, a function word."""
    scan = scan_of(text)
    assert words(scan, 1, surname_end(scan.tokens, 1, scan.lex, load_person_words())) == surname


@pytest.mark.parametrize("word,second", [
    ("نژاد", True),
    ("زاده", True),
    ("نیاسر", True),
    ("به‌شدت", False),
    ("کرد", False),
    ("مردم", False),
])
def test_second_surname_word(word: str, second: bool) -> None:
    """A surname's second word is a known tail or a rare word, not a common word or a verb."""
    assert second_surname_word(word, load_person_words()) is second


@pytest.mark.parametrize("text,taken", [
    ("محمد اسلامی وزیر کشور", True),
    ("محمد اسلامی گفت", False),
    ("محمد محمدی وزیر کشور", False),
])
def test_common_surname_before_role(text: str, taken: bool) -> None:
    """A common word («اسلامی») is a surname when a role phrase follows it at once."""
    scan = scan_of(text)
    roles = find_cues(scan.text, scan.lex).role_starts
    assert common_surname_before_role(scan.tokens, 1, scan.lex, roles) is taken
