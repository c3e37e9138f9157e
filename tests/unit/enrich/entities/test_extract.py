"""The extract_entities stage end to end: every finder in order, dates, entities by first mention."""

from __future__ import annotations

import pytest

from streams.enrich.entities import extract_entities, mentions_by_position
from streams.enrich.gazetteer import load_gazetteer
from streams.enrich.lexicon import load_lexicon
from streams.model import Entity, Mention
from tests.unit.enrich.entities.support import entities, names


def test_locations_and_dates() -> None:
    """Places link to canonical names; dates become ISO."""
    ents = entities("در ۹ نوامبر ۲۰۲۰ در مسکو و قره باغ و ۱۸ آبان ۱۴۰۰ در تهران")
    assert {"مسکو", "قره‌باغ", "تهران"} <= {e.name for e in ents if e.type == "location"}
    assert {"2020-11-09", "2021-11-09"} == {e.name for e in ents if e.type == "date"}


def test_adversarial_input_completes() -> None:
    """A megabyte of guillemets and affixes completes."""
    assert entities("«« " * 150_000) == ()
    entities("آقای وزیر " * 100_000)


@pytest.mark.parametrize("text,expected", [
    ("در ۹ نوامبر ۲۰۲۰ و باز ۹ نوامبر ۲۰۲۰", [("date/2020-11-09", 2)]),
    ("روز ۹ نوامبر", [("date/2021-11-09", 1)]),
    ("۹ مهر", []),
])
def test_one_entity_per_date(text: str, expected: list[tuple[str, int]]) -> None:
    """A date written twice is one entity with two mentions; a day and month take the article's year."""
    assert [(e.id, len(e.mentions)) for e in entities(text) if e.type == "date"] == expected


@pytest.mark.parametrize("text,ids", [
    ("لاوروف در مسکو گفت", ["person/sergey-lavrov", "location/moscow"]),
    ("در مسکو، لاوروف گفت", ["location/moscow", "person/sergey-lavrov"]),
])
def test_entities_in_order_of_first_mention(text: str, ids: list[str]) -> None:
    """Entities come out in the order the article first names them."""
    assert [e.id for e in entities(text)] == ids


def test_no_text_no_entities() -> None:
    """Empty text has no entities."""
    assert extract_entities("", load_gazetteer(), load_lexicon()) == ()


def test_mentions_by_position() -> None:
    """Every mention with its entity, in text order across entities."""
    a = Entity("person", "person/a", "الف", (Mention(0, 3, "الف"), Mention(20, 23, "الف")))
    b = Entity("location", "location/b", "ب", (Mention(10, 11, "ب"),))
    assert [(m.start, e.id) for m, e in mentions_by_position([a, b])] == [
        (0, "person/a"), (10, "location/b"), (20, "person/a")]


def test_names_helper_sees_types() -> None:
    """Places and people are told apart in one sentence."""
    text = "سرگئی لاوروف در مسکو گفت"
    assert names(text, "person") == ["سرگئی لاوروف"] and names(text, "location") == ["مسکو"]
