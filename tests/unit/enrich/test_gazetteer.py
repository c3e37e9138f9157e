"""The gazetteer: hand-kept entries, outlets, demonyms and the generated world places, loaded as one."""

from __future__ import annotations

from collections import Counter

import pytest

from streams.enrich.gazetteer import load_gazetteer, load_gazetteer_entries, parse_entries, with_world_places
from streams.enrich.persian import match_key

_ENTRY = "- id: location/x\n  type: location\n  name: ایکس\n"


def test_world_places_are_linked_like_the_hand_kept_ones() -> None:
    """A CLDR city the hand-kept gazetteer lacks is a place; a CLDR spelling names the known place."""
    gaz = load_gazetteer()
    assert [e.id for e in gaz.lookup("زاگرب")] == ["location/zagreb"]
    assert [e.id for e in gaz.lookup("ایالات متحده")] == ["location/united-states"]


def test_ids_are_unique_across_gazetteer_outlets_and_world_places() -> None:
    """No id is defined twice: a later definition would silently replace an earlier one."""
    ids = Counter(e.id for e in load_gazetteer())
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(load_gazetteer()) == len(ids)


def test_no_world_place_takes_another_entitys_name() -> None:
    """A generated name names one place only, never an outlet, an organization or a person."""
    hand = load_gazetteer_entries()
    hand_keys = {match_key(n) for e in hand for n in (e.name, *e.aliases, *e.short, *e.guarded)}
    gaz = load_gazetteer()
    generated = [e for e in gaz if e.id not in {h.id for h in hand}]
    assert generated
    assert [e.name for e in generated if match_key(e.name) in hand_keys] == []


def test_a_world_place_may_not_reuse_an_id() -> None:
    """A generated place under a hand-kept id is an error naming the id and the fix."""
    with pytest.raises(ValueError, match=r"location/x.*regenerate"):
        with_world_places(parse_entries(_ENTRY), {"places": [{"id": "location/x", "type": "location", "name": "ی"}]})


def test_a_spelling_of_an_unknown_place_is_an_error() -> None:
    with pytest.raises(ValueError, match="location/y"):
        with_world_places(parse_entries(_ENTRY), {"variants": {"location/y": ["ایگرگ"]}})


def test_spellings_become_aliases() -> None:
    entries = with_world_places(parse_entries(_ENTRY), {"variants": {"location/x": ["ایکسستان"]}})
    assert entries[0].aliases == ("ایکسستان",)


def test_an_id_defined_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="defined twice: location/x"):
        parse_entries(_ENTRY + _ENTRY)
