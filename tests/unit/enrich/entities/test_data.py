"""The entity word lists in streams/data/entities: each key read, each word written as text is normalized."""

from __future__ import annotations

import pytest

from streams.enrich.entities.data import read_entity_data, word_list
from streams.enrich.persian import normalize_phrase

# every key of every file, and the finder module that reads it
_KEYS = {
    "grammar.yaml": {"conjunction", "verb_prefixes", "light_verbs", "plural_endings"},
    "persons.yaml": {"surname_tails"},
    "organizations.yaml": {"trailing", "modals", "determiners", "describing_endings", "ezafe_ending",
                           "generic_heads", "seat_heads", "seat_preposition", "affairs", "jurisdictions",
                           "subunit_heads", "boards", "adjectives", "nation", "governing_nouns", "company_heads"},
    "places.yaml": {"named_with_head", "place_heads", "appositions", "destinations", "prepositions", "constituency",
                    "compass_adjectives", "place_cues", "competitions", "clubs", "village_heads", "figurative_heads",
                    "including", "place_groups"},
    "months.yaml": {"jalali", "gregorian", "needs_year", "ordinal_suffix", "month_word", "year_word"},
}
# lists of whole words (affixes such as «می‌» are written as they attach, so they are left out)
_WORD_LISTS = [
    ("persons.yaml", "surname_tails"), ("organizations.yaml", "trailing"), ("organizations.yaml", "modals"),
    ("organizations.yaml", "determiners"), ("organizations.yaml", "generic_heads"),
    ("organizations.yaml", "adjectives"), ("organizations.yaml", "governing_nouns"),
    ("places.yaml", "named_with_head"), ("places.yaml", "place_heads"),
    ("places.yaml", "appositions"), ("places.yaml", "destinations"), ("places.yaml", "prepositions"),
    ("places.yaml", "compass_adjectives"), ("places.yaml", "place_cues"), ("places.yaml", "village_heads"),
    ("places.yaml", "place_groups"),
]


@pytest.mark.parametrize("name,keys", sorted(_KEYS.items()))
def test_every_key_is_read(name: str, keys: set[str]) -> None:
    """A file holds exactly the keys its loader reads: none unused, none missing."""
    assert set(read_entity_data(name)) == keys


@pytest.mark.parametrize("name,key", _WORD_LISTS)
def test_words_are_written_normalized(name: str, key: str) -> None:
    """Words are compared with normalized text, so each is written in that form, once."""
    words = word_list(read_entity_data(name), key)
    assert [w for w in words if normalize_phrase(w) != w] == []
    assert len(set(words)) == len(words)


@pytest.mark.parametrize("value,words", [("و", ("و",)), (["ان", "ها"], ("ان", "ها")), ([], ())])
def test_word_list_reads_one_word_or_a_list(value: object, words: tuple[str, ...]) -> None:
    """A single word or a list of words."""
    assert word_list({"key": value}, "key") == words


def test_a_missing_word_list_is_an_error() -> None:
    """A key the loader needs and the file lacks fails at load, not silently."""
    with pytest.raises(KeyError):
        word_list({}, "surname_tails")
