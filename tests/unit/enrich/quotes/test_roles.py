"""Speakers named by a role or an office."""

from __future__ import annotations

import re

import pytest

from streams.enrich.gazetteer import role_keys_of, squash_key
from streams.enrich.quotes import head_role_keys, stated_role_keys
from streams.enrich.quotes.reading import read_article
from streams.enrich.quotes.roles import office_named, role_holder, role_prefixes
from streams.model import Entity, Mention
from tests.unit.enrich.quotes.article import LEX, entities_in, roles_of


def _person(text: str, name: str) -> Entity:
    at = text.index(name)
    return Entity("person", "person/x", name, (Mention(at, at + len(name), name),), linked=False)


@pytest.mark.parametrize("text,role", [
    ("کامران نیک‌سیر، استاندار مازندران، از سد بازدید کرد.", "استاندار مازندران"),
    # with no comma the role runs to the next punctuation
    ("کامران نیک‌سیر استاندار مازندران از سد بازدید کرد.", "استاندار مازندران از سد بازدید کرد"),
    # before the name, a role phrase of the lexicon ending at the name's comma
    ("به گفته استاندار، کامران نیک‌سیر، سد پر است.", "استاندار"),
    ("استاندار مازندران، کامران نیک‌سیر، از سد بازدید کرد.", None),
    ("کامران نیک‌سیر از سد بازدید کرد.", None),
])
def test_stated_role_keys(text: str, role: str | None) -> None:
    """The role the text puts right after or right before a person's name."""
    expected = role_keys_of(role, one_word=True) if role else ()
    assert stated_role_keys(text, _person(text, "کامران نیک‌سیر"), LEX) == expected


@pytest.mark.parametrize("clause,expected", [
    ("وزیر امور خارجه روسیه در نشست گفت", ["وزیرخارجه", "وزیر"]),  # the role phrase at the start, then the word
    ("رئیس‌جمهور نیز گفت", ["رئیسجمهور", "رئیسجمهور"]),
    ("دیروز گفت", ["دیروز"]),                      # no role: the first word alone
    ("او گفت", []),                                   # a word of three letters or fewer is no key
])
def test_role_prefixes(clause: str, expected: list[str]) -> None:
    """Keys to look a role's holder up by."""
    assert role_prefixes(clause, LEX) == expected


@pytest.mark.parametrize("clause,roles,expected", [
    ("وزیر کشور گفت", roles_of(ali="وزیر کشور", maryam="سخنگوی دولت"), "علی رضایی"),
    ("سخنگوی دولت و وزیر کشور گفتند", roles_of(ali="وزیر کشور", maryam="سخنگوی دولت"), "مریم احمدی"),
    ("وزیر کشور ایران گفت", roles_of(ali="وزیر کشور", maryam="وزیر کشور ایران"), "مریم احمدی"),
    ("وزیر امور کشور گفت", roles_of(ali="وزیر کشور"), "علی رضایی"),     # «امور» is dropped
    ("سخنگو گفت", roles_of(ali="سخنگوی دولت"), "علی رضایی"),           # the one holder of a role word
    ("سخنگو گفت", roles_of(ali="سخنگوی دولت", maryam="سخنگوی وزارت خارجه"), None),
    ("مدیر گفت", roles_of(ali="وزیر کشور"), None),
])
def test_role_holder(clause: str, roles: dict[str, tuple[str, ...]], expected: str | None) -> None:
    """The person whose role the clause names: earliest, then longest; else the one holder."""
    text = "علی رضایی و مریم احمدی آمدند. " + clause
    found = role_holder(clause, read_article(text, entities_in(text), LEX, roles))
    assert (found.name if found else None) == expected


@pytest.mark.parametrize("clause,expected", [
    ("وزارت خارجه روسیه در بیانیه‌ای اعلام کرد", "وزارت خارجه روسیه"),
    ("سازمان بهداشت جهانی، امروز اعلام کرد", "سازمان بهداشت جهانی"),
    ("دفتر رسانه‌ای حماس بیانیه‌ای داد", "دفتر رسانه‌ای حماس"),
    ("وزارت در بیانیه‌ای گفت", None),                      # one word is no name
    ("مردم شهر در بیانیه‌ای گفتند", None),                  # not an office
    ("ستاد مرکزی مبارزه با قاچاق کالا و ارز گفت", "ستاد مرکزی مبارزه"),  # stops at «با»
])
def test_office_named(clause: str, expected: str | None) -> None:
    """An office named at the clause start, up to a stop word or the statement's medium."""
    found = office_named(clause.split(), LEX.quotes)
    assert (found.name if found else None) == expected
    assert found is None or (found.id, found.type) == (None, "organization")


def test_role_keys_are_squashed() -> None:
    """Role prefixes are compared squashed, as the gazetteer's role keys are."""
    assert role_prefixes("رئیس‌جمهور گفت", LEX)[0] == squash_key("رئیس‌جمهور")


_HEAD = "مدیرعامل شرکت آب منطقه‌ای اصفهان از کاهش ذخیره سد خبر داد."
_BODY = "\n\nکامران نیک‌سیر روز دوشنبه گفت: ذخیره سد کم است."


@pytest.mark.parametrize("text,head_end,others,expected", [
    # the head names an office and no one; the body's first person holds no role: the office is theirs
    (_HEAD + _BODY, len(_HEAD), {}, "مدیرعامل شرکت آب منطقه‌ای اصفهان از کاهش ذخیره"),  # its first 8 words
    # the head names a person: nothing is inferred
    ("کامران نیک‌سیر: " + _HEAD + _BODY, len("کامران نیک‌سیر: " + _HEAD), {}, None),
    # someone already holds the role: nothing is inferred
    (_HEAD + _BODY, len(_HEAD), {"person/y": "مدیرعامل شرکت آب منطقه‌ای اصفهان از کاهش ذخیره سد خبر داد"}, None),
])
def test_head_role_keys(text: str, head_end: int, others: dict[str, str], expected: str | None) -> None:
    """An office in the headline and lead is the first person the body names, when nothing else says so."""
    name = "کامران نیک‌سیر"
    mentions = tuple(Mention(m.start(), m.end(), name) for m in re.finditer(name, text))
    person = Entity("person", "person/x", name, mentions, linked=False)
    roles = {pid: role_keys_of(role, one_word=True) for pid, role in others.items()}
    found = head_role_keys(text, head_end, [person], roles, LEX)
    assert found == ({"person/x": role_keys_of(expected, one_word=True)} if expected else {})
