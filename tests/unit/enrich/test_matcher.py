"""Phrase matching over Persian text with spelling variants."""

import pytest

from streams.enrich.matcher import PhraseMatcher
from streams.enrich.persian import ZWNJ

MATCHER = PhraseMatcher([
    (f"قره{ZWNJ}باغ", "karabakh"),
    (f"ناگورنو قره{ZWNJ}باغ", "nagorno"),
    ("NATO", "nato"),
    ("لاچین", "lachin"),
    ("ایران", "iran"),
])


@pytest.mark.parametrize("text", [f"در قره{ZWNJ}باغ", "در قره باغ", "در قرهباغ", "در قره باغ،"])
def test_every_spelling_matches(text: str) -> None:
    """ZWNJ, space and joined spellings of one phrase all match."""
    hits = MATCHER.find(text)
    assert [h.payloads for h in hits] == [("karabakh",)]
    assert text[hits[0].start:hits[0].end].replace(" ", "").replace(ZWNJ, "") == "قرهباغ"


def test_longest_match_wins() -> None:
    """The longer phrase is preferred at the same start."""
    hits = MATCHER.find("منطقه ناگورنو قره باغ")
    assert [h.payloads for h in hits] == [("nagorno",)]


@pytest.mark.parametrize("text", ["ایرانی", "لاچینی", "خبرایران"])
def test_word_boundaries(text: str) -> None:
    """A phrase inside a longer word is not a match."""
    assert MATCHER.find(text) == []


def test_suffix_after_zwnj_is_a_boundary() -> None:
    """A suffix attached with a ZWNJ keeps the phrase matchable."""
    assert [h.payloads for h in MATCHER.find(f"ایران{ZWNJ}ها")] == [("iran",)]


def test_latin_is_case_insensitive() -> None:
    """Latin acronyms match in any case."""
    assert [h.payloads for h in MATCHER.find("nato و Nato")] == [("nato",), ("nato",)]


def test_offsets_map_back_through_removed_zwnj() -> None:
    """Offsets point into the original text even after ZWNJs were removed before the match."""
    text = f"می{ZWNJ}گوید که لاچین"
    (hit,) = MATCHER.find(text)
    assert text[hit.start:hit.end] == "لاچین"


def test_one_matcher_answers_each_text_on_its_own() -> None:
    """Matchers keep no state between texts: two texts asked in turn get their own matches."""
    first, second = "در لاچین", f"در قره{ZWNJ}باغ و ایران"
    for _ in range(2):
        assert [h.payloads for h in MATCHER.find(first)] == [("lachin",)]
        assert [h.payloads for h in MATCHER.find(second)] == [("karabakh",), ("iran",)]


def test_adversarial_input_is_linear() -> None:
    """A megabyte of repeated near-matches completes."""
    text = "قره " * 250_000
    assert MATCHER.find(text) == []
