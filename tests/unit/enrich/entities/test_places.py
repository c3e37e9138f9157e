"""Places missing from the gazetteer, by a head noun, an apposition, a destination or a list."""

from __future__ import annotations

import pytest

from streams.enrich.entities.linking import link_gazetteer
from streams.enrich.entities.places import find_places, place_word
from tests.unit.enrich.entities.support import index_of, names, scan_of


@pytest.mark.parametrize("text,place", [
    ("هواپیما در نزدیکی شهر پاولودار فرود آمد.", "پاولودار"),
    ("سطح آب دریاچه بالخاش پایین رفته است.", "دریاچه بالخاش"),
    ("نشست سران در نوکوس، مرکز استان قره‌قالپاقستان برگزار شد.", "نوکوس"),
    ("قطار مسافری از آستانه عازم کاراگاندا بود.", "کاراگاندا"),
    ("سفیر در ماردکرت و شوشا با مقام‌های محلی دیدار کرد.", "ماردکرت"),
])
def test_places_missing_from_the_gazetteer_by_what_the_text_says(text: str, place: str) -> None:
    """A head noun, an apposition, a destination, or «و» with a known place makes an unknown word a place."""
    assert place in names(text, "location")


@pytest.mark.parametrize("text", [
    "بیماران در بخش مراقبت‌های ویژه بستری شدند.",
    "این شهر بزرگی است که در آن زندگی می‌کنیم.",
    "در دوشنبه، سه‌شنبه و چهارشنبه جلسه برگزار شد.",
])
def test_common_words_after_a_place_head_are_not_places(text: str) -> None:
    assert names(text, "location") == []


def test_a_feature_named_after_a_town_is_a_place_of_its_own() -> None:
    """«رودخانه کرج» is the river, not the city; «رودخانه ولگا» stays the Volga."""
    assert names("آب رودخانه کرج به کمترین حد رسید.", "location") == ["رودخانه کرج"]
    assert "تنگه بسفر" in names("نفتکش‌ها از تنگه بسفر عبور می‌کنند.", "location")


@pytest.mark.parametrize("text,places", [
    ("شهر پاولودار", {"پاولودار": 1}),
    ("دریاچه بالخاش", {"دریاچه بالخاش": 1}),
    ("رودخانه کرج", {"رودخانه کرج": 1}),
    ("در نوکوس، مرکز استان", {"نوکوس": 1}),
    ("عازم کاراگاندا شد", {"کاراگاندا": 1}),
    ("در ماردکرت و شوشا", {"ماردکرت": 1}),
    ("در شوشا و ماردکرت، مردم", {"ماردکرت": 1}),
    ("در شوشا و ماردکرت بود", {}),
    ("شهر پاولودار بزرگ است. پاولودار سرد است.", {"پاولودار": 2}),
    ("در دوشنبه، پایتخت تاجیکستان. دوشنبه تعطیل است.", {"دوشنبه": 1}),
    ("شهر علی", {}),
])
def test_find_places(text: str, places: dict[str, int]) -> None:
    """Each cue, with the count of mentions (the same name again counts unless it is a common word)."""
    scan = scan_of(text)
    found = find_places(scan, link_gazetteer(scan))
    assert {name: len(mentions) for name, mentions in found.values()} == places


def test_a_feature_takes_the_known_place_mention() -> None:
    """«رودخانه کرج»: the city's mention is unlinked, as it is part of the river's name."""
    scan = scan_of("آب رودخانه کرج کم شد")
    linked = link_gazetteer(scan)
    assert any(eid.startswith("location/") for eid in linked)
    find_places(scan, linked)
    assert not any(eid.startswith("location/") for eid in linked)


@pytest.mark.parametrize("word,strict,can_be", [
    ("پاولودار", True, True),
    ("دوشنبه", True, False),
    ("دوشنبه", False, True),
    ("در", False, False),
    ("مردم", True, False),
    ("علی", False, False),
    ("وزارت", False, False),
    ("بزرگ", False, False),
    ("می‌رود", False, False),
    ("۱۲۳", False, False),
    ("آب", False, False),
])
def test_place_word(word: str, strict: bool, can_be: bool) -> None:
    """A word of three letters or more that is no name of something else, no grammar word, and
    (when strict) no common word."""
    scan = scan_of(f"شهر {word}")
    assert place_word(scan, index_of(scan, word), strict=strict) is can_be
