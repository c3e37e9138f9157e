"""The words around places (``streams/data/entities/places.yaml``), and what a name's token may be.

Read once by :func:`load_place_words`; the place finders (``places.py``) and the readings of known
place names (``place_senses.py``) share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from streams.enrich.entities.data import read_entity_data, word_list
from streams.enrich.entities.scan import Scan
from streams.enrich.entities.tokens import Token
from streams.enrich.persian import ZWNJ, is_descriptive, is_inflected, is_verb, word_frequency

__all__ = ["PlaceWords", "common_word", "free_name_word", "load_place_words", "place_word"]

# hazm's list holds many rare names too (ورزقان 5, زاگرب 20): a word is common from this frequency on
# (or when listed without a count: «تقریبا»، «عملا»)
COMMON_FROM = 100
# a pronoun, the indefinite or a plural after ZWNJ ends a word, never a place's name («مرز جنوبی‌اش»)
_CLITIC_TAILS = tuple(f"{ZWNJ}{tail}" for tail in ("اش", "شان", "مان", "تان", "ام", "ات", "ای", "ها", "های"))


@dataclass(frozen=True, slots=True)
class PlaceWords:
    named_with_head: frozenset[str]  # «دریاچه»، «کوه»: the head is part of the name
    place_heads: frozenset[str]      # «شهر»، «استان»: the name after the head stands alone
    appositions: tuple[str, ...]     # «پایتخت»: «X، پایتخت Y» says X is a place
    destinations: frozenset[str]     # «عازم»، «مقصد»
    prepositions: frozenset[str]     # «در»، «از»، «به»
    constituency: tuple[str, ...]    # «نماینده مردم»: the towns an MP stands for follow
    including: str                   # «از جمله»: places of a group named just before follow
    place_groups: frozenset[str]     # «شهرهای»، «مناطق»: groups of places
    compass_adjectives: frozenset[str]  # «شرقی»: «زنگزور شرقی» is a region of its own
    place_cues: frozenset[str]       # «دولت»، «امیر»، «شمال»: the name after is a place's
    competition_events: frozenset[str]  # «قهرمانی»: a place right after is the competition's
    competition_heads: frozenset[str]  # «لیگ»، «جام»: with a word below, a place after is the competition's
    competition_words: frozenset[str]  # «قهرمانان»، «برتر»: between such a head and the place
    club_heads: frozenset[str]       # «تیم»، «باشگاه»
    club_naming_heads: frozenset[str]  # «باشگاه»: the town names the club through the article
    club_roles: frozenset[str]       # «سرمربی»، «هواداران»: a town's name after is a club's
    club_sports: frozenset[str]      # «فوتبال»: «تیم فوتبال قره‌باغ»
    clubs_before_city: frozenset[str]  # «دینامو تفلیس»
    clubs_after_city: frozenset[str]   # «منچستر یونایتد»
    village_heads: frozenset[str]    # «روستای»: a village named after a larger place
    figurative_heads: dict[str, frozenset[str]]  # «از سد X گذشت»: head → verbs of getting past

    @property
    def two_word_firsts(self) -> frozenset[str]:
        """First words of the two-word cues («از» of «از جمله»، «نماینده» of «نماینده مردم»)."""
        return frozenset(p.split()[0] for p in (self.including, *self.constituency))


def _mapping(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    if not isinstance(value, dict):
        raise KeyError(f"missing mapping: {key}")
    return value


@cache
def load_place_words() -> PlaceWords:
    doc = read_entity_data("places.yaml")
    competitions, clubs = _mapping(doc, "competitions"), _mapping(doc, "clubs")
    return PlaceWords(
        named_with_head=frozenset(word_list(doc, "named_with_head")),
        place_heads=frozenset(word_list(doc, "place_heads")),
        appositions=word_list(doc, "appositions"),
        destinations=frozenset(word_list(doc, "destinations")),
        prepositions=frozenset(word_list(doc, "prepositions")),
        constituency=word_list(doc, "constituency"),
        including=str(doc["including"]),
        place_groups=frozenset(word_list(doc, "place_groups")),
        compass_adjectives=frozenset(word_list(doc, "compass_adjectives")),
        place_cues=frozenset(word_list(doc, "place_cues")),
        competition_events=frozenset(word_list(competitions, "events")),
        competition_heads=frozenset(word_list(competitions, "heads")),
        competition_words=frozenset(word_list(competitions, "words")),
        club_heads=frozenset(word_list(clubs, "heads")),
        club_naming_heads=frozenset(word_list(clubs, "naming_heads")),
        club_roles=frozenset(word_list(clubs, "roles")),
        club_sports=frozenset(word_list(clubs, "sports")),
        clubs_before_city=frozenset(word_list(clubs, "before_city")),
        clubs_after_city=frozenset(word_list(clubs, "after_city")),
        village_heads=frozenset(word_list(doc, "village_heads")),
        figurative_heads={str(h): frozenset(word_list(_mapping(doc, "figurative_heads"), h))
                          for h in _mapping(doc, "figurative_heads")},
    )


def common_word(word: str) -> bool:
    """A word hazm knows as common (names are rare or absent there)."""
    frequency = word_frequency(word)
    return frequency is not None and (frequency == 0 or frequency >= COMMON_FROM)


def place_word(scan: Scan, j: int, *, strict: bool = True) -> bool:
    """Could token j be (part of) a place name missing from the gazetteer? Not a common word when strict."""
    if j >= len(scan.tokens):
        return False
    t = scan.tokens[j]
    return (free_name_word(t, scan) and not _name_of_something_else(t.text, scan, strict)
            and not _grammatical(t.text, scan) and (not strict or not common_word(t.text)))


def free_name_word(t: Token, scan: Scan) -> bool:
    """A word not claimed yet, long enough to be a name, not a number."""
    return t.is_word and not t.text.isdigit() and len(t.text) >= 3 and not scan.spans.overlaps(t.start, t.end)


def _name_of_something_else(word: str, scan: Scan, strict: bool) -> bool:
    """A function word (when strict), a role, an organization head or a first name."""
    lex = scan.lex
    return ((strict and word in lex.stopnames) or word in lex.role_heads or word in lex.org_heads
            or word in lex.first_names)


def _grammatical(word: str, scan: Scan) -> bool:
    """An adjective, an inflected word or a verb."""
    return (is_descriptive(word) or is_inflected(word) or is_verb(word) or word.endswith(_CLITIC_TAILS)
            or word.startswith(scan.grammar.verb_prefixes))
