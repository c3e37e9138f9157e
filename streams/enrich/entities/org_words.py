"""The words of an organization's name: what may continue it, what only describes a body.

The lists are in ``streams/data/entities/organizations.yaml``; the head nouns and stop words in
``streams/data/organizations.yaml`` (the Lexicon).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from streams.enrich.entities.data import read_entity_data, word_list
from streams.enrich.entities.grammar import verbal
from streams.enrich.entities.scan import Scan
from streams.enrich.entities.tokens import Token
from streams.enrich.persian import is_adjective, is_descriptive, is_noun

__all__ = ["OrganizationWords", "adjacent", "describes", "load_organization_words", "org_word", "past"]


@dataclass(frozen=True, slots=True)
class OrganizationWords:
    trailing: frozenset[str]            # qualifiers after a name that are not part of it («مستقر»)
    modals: frozenset[str]              # «باید»: with descriptive words, a description of a body
    determiners: frozenset[str]         # «این گروه»، «یک شرکت»: a head that refers back or counts
    describing_endings: tuple[str, ...]  # «مذاکره‌کننده»، «تروریستی»: a description before a named body
    ezafe_ending: str                   # «طلای ایران»: a word in ezafe with the next
    generic_heads: frozenset[str]       # «روزنامه»، «باشگاه»: heads that describe; the name is what follows
    seat_heads: frozenset[str]          # «سفارت»، «نمایندگی»: a mission, whose seat («در تهران») is in its name
    seat_preposition: str               # «در»
    affairs: str                        # «امور»: «در امور پناهندگان» names a mission's field
    jurisdictions: frozenset[str]       # «استان»، «ولایت»: with a place after it, a body's jurisdiction
    subunit_heads: frozenset[str]       # «مرکز»، «کمیته»: a unit, named after the body it belongs to
    boards: frozenset[str]              # «هیئت مدیره»: people inside a body, no organization of their own
    adjectives: frozenset[str]          # «مشترک»، «حاکم»: adjectives hazm also reads as nouns
    nation: str                         # «کشور»: closes a name («سازمان اورژانس کشور»)
    governing_nouns: frozenset[str]     # «حمایت از»: a task noun and its preposition, inside a name
    company_heads: frozenset[str]       # «شرکت»: a head a known organization is written after


@cache
def load_organization_words() -> OrganizationWords:
    doc = read_entity_data("organizations.yaml")
    return OrganizationWords(
        trailing=frozenset(word_list(doc, "trailing")),
        modals=frozenset(word_list(doc, "modals")),
        determiners=frozenset(word_list(doc, "determiners")),
        describing_endings=word_list(doc, "describing_endings"),
        ezafe_ending=str(doc["ezafe_ending"]),
        generic_heads=frozenset(word_list(doc, "generic_heads")),
        seat_heads=frozenset(word_list(doc, "seat_heads")),
        seat_preposition=str(doc["seat_preposition"]),
        affairs=str(doc["affairs"]),
        jurisdictions=frozenset(word_list(doc, "jurisdictions")),
        subunit_heads=frozenset(word_list(doc, "subunit_heads")),
        boards=frozenset(word_list(doc, "boards")),
        adjectives=frozenset(word_list(doc, "adjectives")),
        nation=str(doc["nation"]),
        governing_nouns=frozenset(word_list(doc, "governing_nouns")),
        company_heads=frozenset(word_list(doc, "company_heads")),
    )


def org_word(scan: Scan, j: int) -> bool:
    """Can token j continue an organization's name (not punctuation, a function word, a verb...)?"""
    tokens, lex = scan.tokens, scan.lex
    if j >= len(tokens):
        return False
    t = tokens[j]
    if not t.is_word or t.text.isdigit():
        return False
    if t.text in lex.titles and j + 1 < len(tokens) and lex.is_name_token(tokens[j + 1].text) \
            and tokens[j + 1].text not in lex.org_stop:
        return True  # «دانشگاه علوم پزشکی شهید بهشتی»: a title and the name it honours
    if t.text in lex.org_stop or t.text in lex.stopnames or t.text in lex.role_heads or t.text in lex.speech_forms:
        return False
    if verbal(tokens, j, scan.grammar):
        return False
    # «وزارت بهداشت و سازمان ...»: a head after «و» opens another name
    return not (t.text in lex.org_heads and j > 0 and tokens[j - 1].text == scan.grammar.conjunction)


def adjacent(text: str, tokens: list[Token], j: int) -> bool:
    """Token j follows the previous one with at most one space, on the same line."""
    gap_start = tokens[j - 1].end
    return tokens[j].start - gap_start <= 1 and "\n" not in text[gap_start:tokens[j].start]


def past(tokens: list[Token], j: int, end: int) -> int:
    while j < len(tokens) and tokens[j].end <= end:
        j += 1
    return j


def describes(after_head: list[Token], words: OrganizationWords, demonyms: frozenset[str] = frozenset()) -> bool:
    """«خبرگزاری دولتی»، «آژانس آماده»، «باشگاه گرجستانی»: only descriptive words (adjectives of
    nationality among them) after the head describe, not name."""
    alone = len(after_head) == 1
    return all(_describing(t.text, alone) or t.text in words.modals or t.text in words.adjectives
               or t.text in demonyms for t in after_head)


def _describing(word: str, alone: bool) -> bool:
    """A word that describes a body rather than naming its field. A noun names («فدراسیون کشتی»); one
    that is also an adjective names only with more words after it («وزارت جهاد کشاورزی»، «سازمان غذا
    و دارو»): alone it describes («حزب حاکم»، «ائتلاف مخالف»)."""
    return is_descriptive(word) and not (is_noun(word) and not (alone and is_adjective(word)))
