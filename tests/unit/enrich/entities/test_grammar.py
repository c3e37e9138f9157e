"""Function words and verb shapes: which tokens are verbs, which open a clause."""

from __future__ import annotations

import pytest

from streams.enrich.entities.grammar import clause_initial, load_grammar, verbal
from tests.unit.enrich.entities.support import index_of, scan_of


@pytest.mark.parametrize("text,word,is_verbal", [
    ("اعلام کرد", "کرد", True),
    ("برگزار شد", "برگزار", True),
    ("می‌گوید", "می‌گوید", True),
    ("نمی‌رود", "نمی‌رود", True),
    ("شده‌اند", "شده‌اند", True),
    ("قرار داده‌ایم", "قرار", True),
    ("خنده دار", "خنده", False),
    ("وزارت بهداشت", "وزارت", False),
    ("بهداشت", "بهداشت", False),
])
def test_verbal(text: str, word: str, is_verbal: bool) -> None:
    """A verb form, or the first part of a compound verb, ends a name."""
    scan = scan_of(text)
    assert verbal(scan.tokens, index_of(scan, word), load_grammar()) is is_verbal


@pytest.mark.parametrize("text,word,initial", [
    ("اسلامی گفت", "اسلامی", True),
    ("او آمد. اسلامی گفت", "اسلامی", True),
    ("او آمد، اسلامی گفت", "اسلامی", True),
    ("او آمد و اسلامی گفت", "اسلامی", True),
    ("او آمد\nاسلامی گفت", "اسلامی", True),
    ("انقلاب اسلامی", "اسلامی", False),
])
def test_clause_initial(text: str, word: str, initial: bool) -> None:
    """Start of text or line, after a clause mark or «و»."""
    scan = scan_of(text)
    assert clause_initial(scan.text, scan.tokens, index_of(scan, word), load_grammar()) is initial


def test_light_verb_pattern_is_whole_token() -> None:
    """The light-verb pattern matches whole tokens, with their prefixes and endings only."""
    pattern = load_grammar().light_verb
    assert [w for w in ("کرد", "نکردند", "می‌شود", "کردار", "شدت") if pattern.match(w)] == ["کرد", "نکردند", "می‌شود"]
