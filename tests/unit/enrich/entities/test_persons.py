"""People missing from the gazetteer, found by context, then named by their surname alone."""

from __future__ import annotations

import pytest

from streams.enrich.entities.persons import find_persons, lone_name, quoted_name_end, surnames_of
from streams.enrich.lexicon import load_lexicon
from tests.unit.enrich.entities.support import entities, names, scan_of, words


@pytest.mark.parametrize("text,name", [
    ("استاندار گیلان، کیوان محمدزاده امروز از رشت بازدید کرد.", "کیوان محمدزاده"),
    ("کیوان محمدزاده سخنگوی شرکت ملی گاز گفت که مصرف بالا رفته است.", "کیوان محمدزاده"),
    ("آقای بهنام رضاپور در این نشست حضور داشت.", "بهنام رضاپور"),
    ("به گزارش ایلنا، بهنام رضاپور روز یکشنبه در نشست خبری گفت: «آب کم است.»", "بهنام رضاپور"),
    # a surname that is an adjective too, after a given name no list holds, in apposition to a role
    ("حمیدالله فرهمند، سخنگوی اداره حوادث طبیعی در غزنی، گفت که آب بالا آمده است.", "حمیدالله فرهمند"),
    # a quoted name whose first part is a function word too, before a role
    ("سردار «ناصر ولی زاده» فرمانده انتظامی استان گفت که مرز بسته است.", "ناصر ولی زاده"),
])
def test_people_missing_from_the_gazetteer_found_by_context(text: str, name: str) -> None:
    """A first name and surname next to a role, a title, or as the subject of a speech verb is a person."""
    persons = [e for e in entities(text) if e.type == "person"]
    assert name in [e.name for e in persons]
    assert not next(e for e in persons if e.name == name).linked


def test_unknown_person_surname_resolves() -> None:
    """After «کیوان محمدزاده» is introduced, «محمدزاده» alone is the same person."""
    text = "سخنگوی شرکت، کیوان محمدزاده اعلام کرد که تولید افزایش یافت. محمدزاده افزود که صادرات هم بیشتر شد."
    person = next(e for e in entities(text) if e.name == "کیوان محمدزاده")
    assert len(person.mentions) == 2


def test_first_name_without_context_is_not_a_person() -> None:
    """A first name followed by words with no role, title, quote or speech verb is not taken."""
    assert names("رضا دادن به این طرح آسان نبود و مردم آن را نپذیرفتند.", "person") == []


def test_first_name_and_a_surname_that_is_no_common_word() -> None:
    """«مهدی ترابی» needs no role: ترابی is no word of the lexicon, so the pair is a name."""
    assert "مهدی ترابی" in names("تیم با ضربه سر مهدی ترابی پیش افتاد.", "person")
    assert names("او جان انسان‌ها را نجات داد.", "person") == []


def test_two_first_names_with_a_role_are_a_name() -> None:
    """«بهزاد پارسا، مدیرعامل ...»: پارسا is also a first name, and here the surname."""
    assert "بهزاد پارسا" in names("بهزاد پارسا، مدیرعامل شرکت آب منطقه‌ای تهران، گفت که ذخایر کم است.", "person")


def test_second_surname_word_is_rare_or_a_surname_tail() -> None:
    """«شریعتی نیاسر» and «دلاوری نژاد» are whole; an adverb after a surname is not part of it."""
    assert "حمیدرضا دلاوری نژاد" in names("حمیدرضا دلاوری نژاد، فرماندار تایباد، گفت: «مرز باز است.»", "person")
    assert "موعود بنیادی‌فر" in names("موعود بنیادی‌فر به‌شدت از داوری انتقاد کرد.", "person")
    assert names("این پیمان ندارد که کشورها را به هم نزدیک کند.", "person") == []


def test_a_title_and_one_name_before_a_role() -> None:
    """«مولوی عبدالکبیر، وزیر ...»: Afghan officials are often named by one name after a title."""
    assert "عبدالکبیر" in names("مولوی عبدالکبیر، وزیر مهاجرین طالبان، در کابل گفت که بازگشت ادامه دارد.", "person")


def test_the_first_word_of_a_two_word_surname_names_the_person_later() -> None:
    """«مالک شریعتی نیاسر» … «شریعتی گفت» are one person."""
    ents = entities("«مالک شریعتی نیاسر» نماینده تهران سؤال کرد. شریعتی در ادامه انتقاد کرد.")
    person = next(e for e in ents if e.type == "person")
    assert [m.surface for m in person.mentions] == ["مالک شریعتی نیاسر", "شریعتی"]


def test_compound_first_names() -> None:
    """«سیدمحسن جوادی»، «احمدعلی گودرزی»: two first names written as one."""
    found = names("سیدمحسن جوادی، رئیس ستاد پزشکی حج، و احمدعلی گودرزی، فرمانده مرزبانی، گفتند.", "person")
    assert "سیدمحسن جوادی" in found and "احمدعلی گودرزی" in found


@pytest.mark.parametrize("text,found", [
    ("کیوان محمدزاده گفت که آب کم است. محمدزاده افزود.", {"کیوان محمدزاده": 2}),
    ("«مالک شریعتی نیاسر» نماینده تهران سؤال کرد.", {"مالک شریعتی نیاسر": 1}),
    ("مولوی عبدالکبیر، وزیر مهاجرین طالبان، گفت.", {"عبدالکبیر": 1}),
    ("رضا دادن به این طرح آسان نبود.", {}),
])
def test_find_persons(text: str, found: dict[str, int]) -> None:
    """Each way of finding a person, with the count of their mentions."""
    persons = find_persons(scan_of(text))
    assert {name: len(mentions) for name, mentions in persons.values()} == found


@pytest.mark.parametrize("text,name", [
    ("«کیوان شریعتی نیاسر»", "کیوان شریعتی نیاسر"),
    ("«مالک شریعتی نیاسر»", ""),  # «مالک» (owner) is listed as never part of a name
    ("«شریعتی نیاسر»", "شریعتی نیاسر"),
    ("«شریعتی»", ""),
    ("«یک دو سه چهار پنج»", ""),
    ("«مالک شریعتی", ""),
])
def test_quoted_name_end(text: str, name: str) -> None:
    """Two or three name words between «»."""
    scan = scan_of(text)
    j = quoted_name_end(scan.text, scan.tokens, 0, scan.lex)
    assert (words(scan, 1, j) if j else "") == name


@pytest.mark.parametrize("word,alone", [
    ("عبدالکبیر", True),
    ("دولتی", False),
    ("مردم", False),
    ("،", False),
])
def test_lone_name(word: str, alone: bool) -> None:
    """A rare word that is no description can be a whole name."""
    scan = scan_of(word)
    assert lone_name(scan.tokens[0], scan) is alone


@pytest.mark.parametrize("name,surnames", [
    ("کیوان محمدزاده", {"محمدزاده"}),
    ("مالک شریعتی نیاسر", {"شریعتی", "نیاسر"}),
    ("حمیدرضا دلاوری نژاد", {"دلاوری", "نژاد"}),
    ("بهزاد پارسا", set()),  # پارسا is a first name too
    ("عمر احمد محمد", set()),
    ("علی لو", set()),
])
def test_surnames_of(name: str, surnames: set[str]) -> None:
    """The words that name the person alone later: not first names, not words under three letters."""
    assert surnames_of(name, load_lexicon()) == surnames


@pytest.mark.parametrize("text,name", [
    # a given name no list has, a surname no lexicon knows, then a comma and a role
    ("کریستوف برنارد، نماینده سازمان ملل، گفت که وضعیت بد است.", "کریستوف برنارد"),
    ("آویخای ادرعی، سخنگوی ارتش اسرائیل، در پیامی نوشت که ساکنان باید بروند.", "آویخای ادرعی"),
    # a given name that is an everyday word too, and a surname that is a role word
    ("قربان قربانف، سرمربی قره‌باغ، گفت که تیمش خوب بازی کرد.", "قربان قربانف"),
    ("علیرضا دبیر، رئیس فدراسیون کشتی، در اینستاگرام نوشت که داوری بد بود.", "علیرضا دبیر"),
    # a telling surname ending with a given name, and a speech verb
    ("گیورگی کوباخیدزه گفت که حزب از انتخابات کنار نمی‌رود.", "گیورگی کوباخیدزه"),
])
def test_people_no_list_knows(text: str, name: str) -> None:
    """People named by apposition to a role, or by a surname's shape, though no list has them."""
    assert name in names(text, "person")


@pytest.mark.parametrize("text", [
    "رسانه‌های محلی، به نقل از مقام‌های محلی، گفتند که آتش مهار شد.",
    "سخنانی تلویزیونی، رئیس جمهور گفت که آماده گفت‌وگوست.",
])
def test_plurals_and_descriptions_are_no_names(text: str) -> None:
    """Plural nouns and adjectives before a comma and a role are not a person's name."""
    assert names(text, "person") == [] or all(" " not in n or "رئیس" in n for n in names(text, "person"))
