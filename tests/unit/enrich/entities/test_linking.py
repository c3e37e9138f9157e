"""Gazetteer names in the text: spelling variants, short forms, surnames alone, clubs in sports copy."""

from __future__ import annotations

import pytest

from streams.enrich.entities.linking import link_gazetteer, link_surnames, prefer, short_form_owner
from streams.enrich.gazetteer import NameHit
from streams.model import Mention
from tests.unit.enrich.entities.support import entities, names, scan_of


@pytest.mark.parametrize("text,name", [
    ("«سرگئی لاوروف» وزیر خارجه روسیه گفت", "سرگئی لاوروف"),
    ("الهام علیاف رئیسجمهور آذربایجان", "الهام علی‌اف"),
    ("الهام علی اف در باکو", "الهام علی‌اف"),
    ("دفتر آنتونیو گوترس اعلام کرد", "آنتونیو گوترش"),
])
def test_gazetteer_persons_in_any_spelling(text: str, name: str) -> None:
    """Spelling variants (ZWNJ, space, joined, transliteration) link to the canonical name."""
    assert name in names(text, "person")


def test_surname_before_full_name_links() -> None:
    """A kicker naming only the surname links to the person introduced later («لاوروف:»)."""
    ents = entities("لاوروف:\n\nسرگئی لاوروف وزیر امور خارجه روسیه گفت که ثبات برقرار است.")
    lavrov = next(e for e in ents if e.name == "سرگئی لاوروف")
    assert [m.surface for m in lavrov.mentions] == ["لاوروف", "سرگئی لاوروف"]


def test_name_inside_guillemets_is_a_name() -> None:
    """«ولادیمیر پوتین» in guillemets is a person mention."""
    assert "ولادیمیر پوتین" in names("در این دیدار «ولادیمیر پوتین» حضور داشت", "person")


def test_an_adjective_of_nationality_names_the_country() -> None:
    """«مقام‌های لبنانی» names Lebanon (the annotation conventions count it)."""
    ents = entities("مقام‌های لبنانی از آتش‌بس استقبال کردند.")
    assert [(e.id, e.mentions[0].surface) for e in ents] == [("location/lebanon", "لبنانی")]


def test_clubs_named_by_common_words_in_sports_copy_only() -> None:
    """«تراکتور» and «استقلال» are clubs after a coach and a referee, words elsewhere."""
    sport = names("سرمربی تراکتور پس از تساوی با استقلال از داور انتقاد کرد.", "organization")
    assert sorted(sport) == ["استقلال تهران", "تراکتور تبریز"]
    politics = names("رئیس‌جمهور در سالگرد استقلال کشور از کارخانه تراکتور بازدید کرد.", "organization")
    assert politics == []


def test_a_surname_after_another_first_name_is_someone_else() -> None:
    """«اولکسی کولبا» is not the gazetteer's دیمیترو کولبا; «ولودیمیر زلنسکی» is ولادیمیر زلنسکی."""
    ents = entities("اولکسی کولبا، معاون نخست‌وزیر اوکراین، گفت: «بندر آسیب دید.» کولبا افزود: «کار ادامه دارد.»")
    person = next(e for e in ents if e.type == "person")
    assert (person.name, person.linked, len(person.mentions)) == ("اولکسی کولبا", False, 2)
    ents = entities("ولودیمیر زلنسکی رئیس‌جمهور اوکراین گفت که مذاکره می‌کند.")
    assert [e.id for e in ents if e.type == "person"] == ["person/volodymyr-zelensky"]
    ents = entities("لیلیت هاروتیونیان، مدیر سازمان مردم‌نهاد «خانه امن» در ایروان، گفت که کار سخت است.")
    assert [(e.name, e.linked) for e in ents if e.type == "person"] == [("لیلیت هاروتیونیان", False)]


_HITS = [NameHit("person/a", "alias"), NameHit("person/b", "name"), NameHit("person/c", "name")]


@pytest.mark.parametrize("found,chosen", [
    ({}, "person/b"),
    ({"person/c": [Mention(0, 1, "x")]}, "person/c"),
    ({"person/z": [Mention(0, 1, "x")]}, "person/b"),
])
def test_prefer_the_mentioned_then_the_canonical_name(found: dict[str, list[Mention]], chosen: str) -> None:
    """Among entities sharing a name: the one already mentioned, else the canonical-name holder."""
    assert prefer(_HITS, found).entity_id == chosen


def test_prefer_falls_back_to_the_first() -> None:
    """With no mentioned entity and no canonical name, the first hit."""
    assert prefer([NameHit("person/a", "alias"), NameHit("person/b", "short")], {}).entity_id == "person/a"


@pytest.mark.parametrize("hits,found,owner", [
    ((NameHit("person/a", "short"),), {}, "person/a"),
    ((NameHit("person/a", "short"), NameHit("person/a", "short")), {}, "person/a"),
    ((NameHit("person/a", "short"), NameHit("person/b", "short")), {}, None),
    ((NameHit("person/a", "short"), NameHit("person/b", "short")), {"person/b": [Mention(0, 1, "x")]}, "person/b"),
])
def test_short_form_owner(hits: tuple[NameHit, ...], found: dict[str, list[Mention]], owner: str | None) -> None:
    """A short form goes to the entity the article introduced, else to its only user, else to no one."""
    chosen = short_form_owner(hits, found)
    assert (chosen.entity_id if chosen else None) == owner


@pytest.mark.parametrize("text,linked", [
    ("سرگئی لاوروف گفت", {"person/sergey-lavrov": ["سرگئی لاوروف"]}),
    ("لاوروف گفت", {"person/sergey-lavrov": ["لاوروف"]}),
    ("اولکسی کولبا گفت", {}),
    ("ژیلبر لاوروف، مدیر موزه، گفت", {}),
])
def test_link_gazetteer(text: str, linked: dict[str, list[str]]) -> None:
    """Full names and short forms link; a one-word name after another first name does not, nor after a
    word no lexicon knows («ژیلبر»), which is a given name of someone else."""
    found = link_gazetteer(scan_of(text))
    assert {eid: [m.surface for m in ms] for eid, ms in found.items() if eid.startswith("person/")} == linked


@pytest.mark.parametrize("text,surnames", [
    ("محمد اسلامی گفت. اسلامی افزود.", ["اسلامی"]),
    ("محمد اسلامی گفت و بعد اسلامی افزود.", []),
    ("محمد اسلامی گفت. انقلاب اسلامی پیروز شد.", []),
])
def test_link_surnames_of_people_introduced_in_full(text: str, surnames: list[str]) -> None:
    """A surname alone names the person introduced in full; a common word only opening a clause."""
    scan = scan_of(text)
    linked = link_gazetteer(scan)
    before = {eid: len(ms) for eid, ms in linked.items()}
    link_surnames(scan, linked)
    added = [m.surface for eid, ms in linked.items() for m in ms[before.get(eid, 0):]]
    assert added == surnames
