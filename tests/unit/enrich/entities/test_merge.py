"""Findings reconciled with the gazetteer's links: transliterations, surnames, organization prefixes."""

from __future__ import annotations

import pytest

from streams.enrich.entities.merge import (
    first_name_variants,
    merge_short_forms,
    name_prefixes,
    surname_of_the_introduced,
)
from streams.enrich.gazetteer import load_gazetteer
from streams.enrich.lexicon import load_lexicon
from streams.enrich.persian import match_key
from streams.model import Mention
from tests.unit.enrich.entities.support import entities


def test_a_short_form_folds_into_the_full_name_named_elsewhere() -> None:
    """«فدراسیون فوتبال» after «فدراسیون فوتبال جمهوری اسلامی ایران» is the same body."""
    ents = entities("فدراسیون فوتبال جمهوری اسلامی ایران بیانیه داد. سرمربی از فدراسیون فوتبال توضیح خواست.")
    orgs = [e for e in ents if e.type == "organization"]
    assert len(orgs) == 1 and len(orgs[0].mentions) == 2


def test_a_prefix_that_continues_into_another_name_is_not_a_short_form() -> None:
    """«وزارت امور اقتصادی» is not «وزارت امور خارجه» cut short."""
    ents = entities("وزارت امور خارجه جمهوری اسلامی ایران بیانیه داد. وزارت امور اقتصادی و دارایی هم اعلام کرد.")
    foreign = [e for e in ents if e.id == "organization/iran-foreign-ministry"]
    assert len(foreign) == 1 and len(foreign[0].mentions) == 1


def _mention(surface: str) -> list[Mention]:
    return [Mention(0, len(surface), surface)]


@pytest.mark.parametrize("name,linked_to", [
    ("ولودیمیر زلنسکی", "person/volodymyr-zelensky"),
    ("اولکسی زلنسکی", None),
    ("ولودیمیر کریمی", None),
    ("زلنسکی", None),
])
def test_first_name_variants(name: str, linked_to: str | None) -> None:
    """A name whose surname is one gazetteer person's, with a first name starting alike, is that person."""
    unlinked = {"k": (name, _mention(name))}
    linked: dict[str, list[Mention]] = {}
    first_name_variants(unlinked, linked, load_gazetteer())
    assert (next(iter(linked)) if linked else None) == linked_to
    assert ("k" in unlinked) is (linked_to is None)


@pytest.mark.parametrize("surfaces,moved", [
    (["کولبا"], True),
    (["کولبا", "دیمیترو کولبا"], False),
])
def test_surname_of_the_introduced(surfaces: list[str], moved: bool) -> None:
    """A gazetteer person named here only by a surname that the introduced person also bears is them."""
    unlinked = {"k": ("اولکسی کولبا", _mention("اولکسی کولبا"))}
    linked = {"person/dmytro-kuleba": [Mention(0, len(s), s) for s in surfaces]}
    surname_of_the_introduced(unlinked, linked, load_gazetteer())
    assert ("person/dmytro-kuleba" not in linked) is moved
    assert len(unlinked["k"][1]) == (1 + len(surfaces) if moved else 1)


_FEDERATION = "organization/iran-football-federation"  # «فدراسیون فوتبال ایران»


@pytest.mark.parametrize("surfaces,prefixes", [
    ([], ["فدراسیون فوتبال"]),
    (["فدراسیون فوتبال جمهوری اسلامی ایران"], ["فدراسیون فوتبال جمهوری اسلامی", "فدراسیون فوتبال جمهوری",
                                              "فدراسیون فوتبال"]),
])
def test_name_prefixes(surfaces: list[str], prefixes: list[str]) -> None:
    """The leading words (two or more, fewer than all) of each name that opens with a head noun."""
    mentions = [Mention(0, len(s), s) for s in surfaces]
    assert name_prefixes(load_gazetteer().entries[_FEDERATION], mentions, load_lexicon()) == prefixes


@pytest.mark.parametrize("unlinked_name,folded", [
    ("فدراسیون فوتبال", True),
    ("فدراسیون فوتبال ایران", False),
    ("فدراسیون والیبال", False),
])
def test_merge_short_forms(unlinked_name: str, folded: bool) -> None:
    """An unlinked name that begins (and is shorter than) one linked organization's name is folded into it."""
    key = match_key(unlinked_name)
    organizations = {key: (unlinked_name, _mention(unlinked_name))}
    linked = {_FEDERATION: _mention("فدراسیون فوتبال ایران")}
    merge_short_forms(organizations, linked, load_gazetteer())
    assert (key not in organizations) is folded
    assert len(linked[_FEDERATION]) == (2 if folded else 1)
