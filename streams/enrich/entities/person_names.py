"""Where a person's name starts and how far it runs: first name[s], then a surname of one or two words.

First names come from ``streams/data/first_names.txt`` (the Lexicon); the second words of compound
surnames («نژاد»، «زاده») from ``streams/data/entities/persons.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from streams.enrich.entities.data import read_entity_data, word_list
from streams.enrich.entities.tokens import Token
from streams.enrich.lexicon import Lexicon
from streams.enrich.persian import (
    ZWNJ,
    is_adjective,
    is_descriptive,
    is_inflected,
    is_verb,
    normalize_phrase,
    word_frequency,
)
from streams.resources import data_path

__all__ = ["PersonWords", "load_person_words", "name_at", "surname_shape"]

_COMMON = 5000  # hazm frequency from which a word is too common to be the second word of a surname
_MAX_FIRST_NAMES = 3
_MAX_SURNAME_WORDS = 2


@dataclass(frozen=True, slots=True)
class PersonWords:
    surname_tails: frozenset[str]  # second parts of compound surnames, common words on their own
    ambiguous_first_names: frozenset[str]  # given names that are everyday words too (امید، قربان)
    surname_endings: tuple[str, ...]  # endings that make a surname on their own (شویلی، اوغلو، ویچ)
    weak_endings: tuple[str, ...]  # endings of a surname only on a word no lexicon knows (یان، اف)


def _tsv(name: str) -> list[list[str]]:
    rows = []
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([normalize_phrase(c.strip()) if k == 0 else c.strip() for k, c in enumerate(line.split("\t"))])
    return rows


@cache
def load_person_words() -> PersonWords:
    doc = read_entity_data("persons.yaml")
    endings = _tsv("names/surname_endings.tsv")
    return PersonWords(
        surname_tails=frozenset(word_list(doc, "surname_tails")),
        ambiguous_first_names=frozenset(row[0] for row in _tsv("names/ambiguous_given_names.tsv")),
        surname_endings=tuple(r[0] for r in endings if len(r) < 3 or r[2] != "ambiguous"),
        weak_endings=tuple(r[0] for r in endings if len(r) >= 3 and r[2] == "ambiguous" and len(r[0]) >= 2),
    )


def surname_shape(word: str, words: PersonWords) -> str | None:
    """How a word is shaped like a family name: ``strong`` for a telling ending (کوباخیدزه،
    داووداوغلو، یانوکوویچ), ``weak`` for a weaker one (پاشینیان، حاجی‌اف) on a word no lexicon
    knows; None for anything else, and for verbs, adjectives and inflected words."""
    if len(word) < 4 or is_verb(word) or is_adjective(word) or is_descriptive(word) or is_inflected(word):
        return None
    if word.endswith(words.surname_endings) and len(word) > 4:
        return "strong"
    return "weak" if word_frequency(word) is None and word.endswith(words.weak_endings) else None


def name_at(tokens: list[Token], i: int, lex: Lexicon, words: PersonWords,
            role_starts: frozenset[int] = frozenset()) -> int:
    """If a person's name starts at token i (first name[s] + surname), the index after it; else i."""
    j = first_names_end(tokens, i, lex)
    if j == i:
        return i
    # a surname that is also a common word («اسلامی») is taken when a role follows it at once
    if common_surname_before_role(tokens, j, lex, role_starts):
        return j + 1
    end = surname_end(tokens, j, lex, words)
    if end == j:
        # a lone first name is not enough; two or three first names are a name only with the context
        # rules' evidence («بهزاد پارسا، مدیرعامل ...»، «عمر احمد محمد، رئیس ...»)
        return j if j - i >= 2 else i
    return end


def first_names_end(tokens: list[Token], i: int, lex: Lexicon) -> int:
    """The index after the first names (at most three) starting at token i."""
    j = i
    while j < len(tokens) and tokens[j].text in lex.first_names and j - i < _MAX_FIRST_NAMES:
        j += 1
    return j


def common_surname_before_role(tokens: list[Token], j: int, lex: Lexicon, role_starts: frozenset[int]) -> bool:
    """Is token j a common word used as a surname, with a role phrase right after it?"""
    if j + 1 >= len(tokens):
        return False
    t = tokens[j]
    return (t.is_word and t.text in lex.stopnames and t.text not in lex.speech_forms
            and tokens[j + 1].start in role_starts)


def surname_end(tokens: list[Token], j: int, lex: Lexicon, words: PersonWords) -> int:
    """The index after the surname (one or two words) starting at token j; j when there is none."""
    start = j
    while j < len(tokens) and j - start < _MAX_SURNAME_WORDS and continues_surname(
            tokens, j, j - start, lex, words):
        j += 1
    return j


def continues_surname(tokens: list[Token], j: int, nth: int, lex: Lexicon, words: PersonWords) -> bool:
    """Can token j be word ``nth`` (0 or 1) of a surname, right after the name's previous word?"""
    t = tokens[j]
    if not t.is_word or not lex.is_name_token(t.text):
        return False
    if t.start - tokens[j - 1].end not in (0, 1):
        return False
    if t.text in lex.speech_forms or (nth and t.text in lex.first_names):
        return False
    return not nth or second_surname_word(t.text, words)


def second_surname_word(word: str, words: PersonWords) -> bool:
    """A second surname word is a known tail or a rare word (شریعتی نیاسر), not an adverb or a
    verb (بنیادی‌فر به‌شدت)."""
    if word in words.surname_tails:
        return True
    freq = word_frequency(word)
    return not ((freq is not None and (freq >= _COMMON or ZWNJ in word)) or is_verb(word))
