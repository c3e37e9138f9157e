"""The generated world places: CLDR and pycountry names in Persian, regenerated from the libraries."""

from __future__ import annotations

import pytest

from streams.devtools.world_places import COMMON_WORDS, clean_name, collect, render, slug
from streams.resources import data_path


def test_the_shipped_file_is_what_the_libraries_give_today() -> None:
    """world_places.yaml is regenerated, never edited: running the generator changes nothing."""
    assert data_path("world_places.yaml").read_text(encoding="utf-8") == render(collect())


@pytest.mark.parametrize("raw,name", [
    ("هنگ\u200cکنگ، منطقهٔ ویژهٔ اداری چین", "هنگ\u200cکنگ"),
    ("میانمار (برمه)", "میانمار"),
    ("کرهٔ جنوبی", "کره جنوبی"),
    ("امارات متحدهٔ عربی", "امارات متحده عربی"),
])
def test_clean_name(raw: str, name: str) -> None:
    """CLDR's qualifiers and ezafe marks are not part of the name copy writes."""
    assert clean_name(raw) == name


def test_slug() -> None:
    assert slug("São Tomé & Príncipe") == "sao-tome-principe"


def test_common_words_and_other_entities_names_are_left_out() -> None:
    """«کیف» (bag), «دوشنبه» (Monday) and the outlet «الجزیره» are not made places."""
    world = collect()
    names = {e["name"] for e in world.places} | {n for ns in world.variants.values() for n in ns}
    assert not names & COMMON_WORDS
    assert "الجزیره" not in names
    assert {"زاگرب", "لیوبلیانا"} <= names


def test_a_name_given_to_two_places_is_left_out() -> None:
    """pycountry gives «جمهوری زامبیا» to Gambia and to Zambia: neither gets it."""
    world = collect()
    assert all("جمهوری زامبیا" not in names for names in world.variants.values())
