"""Organizations missing from the gazetteer: a head noun and the words that name it."""

from __future__ import annotations

import pytest

from streams.enrich.entities.linking import link_gazetteer
from streams.enrich.entities.organizations import (
    and_continues,
    describes,
    entity_fit,
    head_at,
    load_organization_words,
    org_word,
    organization_at,
)
from tests.unit.enrich.entities.support import entities, index_of, names, scan_of, words


@pytest.mark.parametrize("text,name", [
    ("وزارت بهداشت غزه اعلام کرد", "وزارت بهداشت غزه"),
    ("شرکت ملی نفت آذربایجان قرارداد را امضا کرد", None),
])
def test_organizations_by_head_noun(text: str, name: str | None) -> None:
    """An organization head noun and the words naming it make one organization."""
    orgs = names(text, "organization")
    assert orgs, text
    if name:
        assert name in orgs


def test_verbs_end_an_organization_name() -> None:
    """«شرکت نکردند» is a verb, not an organization."""
    assert names("نمایندگان در این جلسه شرکت نکردند و خواستار تعویق شدند.", "organization") == []


def test_places_inside_organization_names_belong_to_it() -> None:
    """«ارتش لبنان» is one organization; لبنان is not counted as a place there."""
    ents = entities("ارتش لبنان در مرز مستقر شد.")
    assert "ارتش لبنان" in [e.name for e in ents if e.type == "organization"]


def test_a_head_after_a_determiner_refers_back() -> None:
    """«این گروه پیش‌تر ...» refers to a group named before; it names none."""
    assert names("این گروه پیش‌تر کاهش تولید را اعلام کرده بود.", "organization") == []


def test_a_head_with_only_relational_adjectives_describes() -> None:
    """«خبرگزاری دولتی» and «کمیسیون مشترک کنسولی» describe an organization rather than name one."""
    assert names("کمیسیون مشترک کنسولی دو کشور ماه آینده تشکیل می‌شود.", "organization") == []


def test_a_head_with_only_an_adjective_of_nationality_describes() -> None:
    """«باشگاه گرجستانی» is a Georgian club, not one named «گرجستانی»; the country is still named."""
    ents = entities("قرارداد این بازیکن با باشگاه گرجستانی تا تابستان اعتبار دارد.")
    assert [e.name for e in ents if e.type == "organization"] == []
    assert [e.name for e in ents if e.type == "location"] == ["گرجستان"]


def test_and_inside_an_organization_name() -> None:
    """«حزب نان و آزادی،» is one name: «و» and a last word before the comma."""
    assert "حزب نان و آزادی" in names("نامزد حزب نان و آزادی، در انتخابات پیروز شد.", "organization")


def test_a_body_named_under_another_is_one_organization() -> None:
    """«ستاد حقوق بشر قوه قضاییه» is one name; «قوه قضاییه» inside it is not listed apart."""
    orgs = names("ستاد حقوق بشر قوه قضاییه در بیانیه‌ای این گزارش را رد کرد.", "organization")
    assert orgs == ["ستاد حقوق بشر قوه قضاییه"]


def test_a_delegation_of_a_named_body_is_that_body() -> None:
    """«هیئت مذاکره‌کننده حماس» describes a delegation: حماس is the organization."""
    assert names("هیئت مذاکره‌کننده حماس وارد قاهره شد.", "organization") == ["حماس"]


def test_a_trailing_qualifier_is_not_part_of_the_name() -> None:
    assert "سازمان حقوق بشر کردستان" in names(
        "سازمان حقوق بشر کردستان مستقر در اربیل گزارشی منتشر کرد.", "organization")


def test_a_verb_is_not_part_of_a_place_or_organization_name() -> None:
    """«... وزارت بهداشت قرار داده‌ایم»: the compound verb ends the name."""
    assert "وزارت بهداشت قرار" not in " ".join(
        names("گزارش را در اختیار وزارت بهداشت قرار داده‌ایم.", "organization"))


@pytest.mark.parametrize("text,name", [
    ("وزارت بهداشت لبنان گفت", "وزارت بهداشت لبنان"),
    ("انجمن صنفی کارفرمایان گفت", "انجمن صنفی کارفرمایان"),
    ("ارتش لبنان در مرز", ""),  # linked to the gazetteer already
    ("حزب نان و آزادی، پیروز شد", "حزب نان و آزادی"),
    ("سازمان حقوق بشر کردستان مستقر در اربیل", "سازمان حقوق بشر کردستان"),
    ("گروه تروریستی", ""),
    ("خبرگزاری دولتی", ""),
    ("شرکت کردند", ""),
    ("اداره کل حفاظت محیط زیست استان گیلان گفت", "اداره کل حفاظت محیط زیست استان گیلان"),
    ("اتاق بازرگانی، صنایع، معادن و کشاورزی تبریز گفت", "اتاق بازرگانی ، صنایع ، معادن و کشاورزی تبریز"),
    ("وزارت کار و امور اجتماعی ارمنستان گفت", "وزارت کار و امور اجتماعی ارمنستان"),
    ("وزارت نیرو و دو شرکت ایرانی", "وزارت نیرو"),  # «ایرانی» describes: no place closes it
    # a unit named after the body it belongs to
    ("مرکز تحقیقات زعفران دانشگاه بیرجند گفت", "مرکز تحقیقات زعفران دانشگاه بیرجند"),
    ("هیئت علمی دانشگاه علامه طباطبایی", ""),  # a board of people: the university is named by its own head
])
def test_organization_at(text: str, name: str) -> None:
    """The name a head opens, trailing qualifiers dropped; none when it only describes or is a verb."""
    scan = scan_of(text)
    linked = link_gazetteer(scan)
    entity_at = {m.start: (m.start, m.end, eid) for eid, ms in linked.items() for m in ms}
    found = organization_at(scan, 0, entity_at, load_organization_words())
    assert (words(scan, 0, found[0]) if found else "") == name


@pytest.mark.parametrize("text,word,head", [
    ("وزارت بهداشت", "وزارت", 1),
    ("سازمان ملل", "سازمان", 1),
    ("این وزارت", "وزارت", 0),
    ("یک شرکت", "شرکت", 0),
    ("مردم", "مردم", 0),
])
def test_head_at(text: str, word: str, head: int) -> None:
    """A head noun opens a name, unless a determiner before it refers back or counts."""
    scan = scan_of(text)
    assert head_at(scan, index_of(scan, word), load_organization_words()) == head


@pytest.mark.parametrize("text,word,continues", [
    ("وزارت بهداشت", "بهداشت", True),
    ("وزارت در", "در", False),
    ("وزارت ۱۲", "۱۲", False),
    ("وزارت ،", "،", False),
    ("شرکت کردند", "کردند", False),
    ("برگزار شد", "برگزار", False),
    ("وزارت بهداشت و سازمان", "سازمان", False),
])
def test_org_word(text: str, word: str, continues: bool) -> None:
    """Not punctuation, a digit, a function word, a verb, or a head after «و»."""
    scan = scan_of(text)
    assert org_word(scan, index_of(scan, word)) is continues


@pytest.mark.parametrize("text,continues", [
    ("حزب قانون و عدالت", True),
    ("حزب قانون و عدالت، گفت", True),
    ("مرکز مبادله ارز و طلای ایران", True),
    ("حزب قانون و سازمان", False),
    ("حزب قانون و ایران", False),
    ("حزب قانون و علی", False),
    ("حزب قانون و بزرگ کشور", False),
    ("وزارت اکولوژی و منابع طبیعی قزاقستان", True),
    ("وزارت صنعت، معدن و تجارت", True),
    ("وزارت نیرو، نفت و گفت", False),
    ("وزارت نیرو و منابع کشور را", False),
])
def test_and_continues(text: str, continues: bool) -> None:
    """«و Y» (or a list of fields closed by it) belongs to the name when Y is a plain word closing it,
    or in ezafe with the rest, or the name runs on to the body's place."""
    scan = scan_of(text)
    linked = link_gazetteer(scan)
    entity_at = {m.start: (m.start, m.end, eid) for eid, ms in linked.items() for m in ms}
    assert bool(and_continues(scan, index_of(scan, "و"), entity_at, load_organization_words())) is continues


@pytest.mark.parametrize("text,described", [
    ("دولتی", True),
    ("دولتی باید", True),
    ("کارفرمایان", False),
    ("", True),
])
def test_describes(text: str, described: bool) -> None:
    """Only descriptive words and modals after a head describe a body rather than name one."""
    assert describes(scan_of(text).tokens, load_organization_words()) is described


@pytest.mark.parametrize("text,fit", [
    ("شرکت نفت کویت", "inside"),
    ("ستاد حقوق بشر قوه قضاییه", "closes"),
    ("هیئت مذاکره‌کننده حماس", "outside"),
    ("گروه تروریستی داعش", "outside"),
    ("سخنگوی سرگئی لاوروف", "outside"),
])
def test_entity_fit(text: str, fit: str) -> None:
    """A place is inside the name; a body under another closes it, unless a description comes before."""
    scan = scan_of(text)
    linked = link_gazetteer(scan)
    (eid, mentions), = linked.items()
    j = next(k for k, t in enumerate(scan.tokens) if t.start == mentions[0].start)
    assert entity_fit(scan, 0, j, j - 1, eid, load_organization_words()) == fit


def _organizations(text: str) -> dict[str, list[str]]:
    """Organization name → its mentions as written."""
    return {e.name: [m.surface for m in e.mentions] for e in entities(text) if e.type == "organization"}


@pytest.mark.parametrize("text,name,surface", [
    # a generic head and its adjectives describe; the name is what follows
    ("به نوشته روزنامه پرتغالی رکورد، مربی برکنار شد.", "رکورد", "روزنامه پرتغالی رکورد"),
    ("باشگاه بنفیکا اعلام کرد که قرارداد تمدید شد.", "بنفیکا", "باشگاه بنفیکا"),
    # after any head, a demonym describes and words no lexicon knows are the name itself
    ("شرکت چینی چری کارخانه‌ای در ایران ساخت.", "چری", "شرکت چینی چری"),
    ("هواپیمایی پگاسوس پروازهای خود را افزایش داد.", "پگاسوس", "هواپیمایی پگاسوس"),
    # a name of dictionary words keeps its head
    ("وزارت نیرو اعلام کرد که خاموشی نخواهیم داشت.", "وزارت نیرو", "وزارت نیرو"),
])
def test_the_name_of_a_described_organization(text: str, name: str, surface: str) -> None:
    """The canonical name drops a describing head and adjectives; the mention keeps the whole phrase."""
    assert surface in _organizations(text).get(name, []), _organizations(text)


@pytest.mark.parametrize("text,name", [
    ("سفارت ایتالیا در تهران بیانیه‌ای منتشر کرد.", "سفارت ایتالیا در تهران"),
    ("هیئت نمایندگی اتحادیه اروپا در گرجستان از دو طرف خواست آرام باشند.",
     "هیئت نمایندگی اتحادیه اروپا در گرجستان"),
    ("دانشگاه علوم پزشکی شهید بهشتی اعلام کرد کلاس‌ها مجازی است.", "دانشگاه علوم پزشکی شهید بهشتی"),
])
def test_a_missions_seat_and_an_honorific_belong_to_the_name(text: str, name: str) -> None:
    """«در» and a place after a mission's head, and a title before the name it honours, continue the name."""
    assert name in _organizations(text), _organizations(text)


def test_a_state_body_with_another_country_is_that_countrys_body() -> None:
    """«وزارت کشور گرجستان» is Georgia's interior ministry, not the gazetteer's (Iran's)."""
    orgs = _organizations("وزارت کشور گرجستان اعلام کرد که ده نفر بازداشت شدند.")
    assert "وزارت کشور گرجستان" in orgs and "وزارت کشور" not in orgs
    assert "وزارت کشور" in _organizations("وزارت کشور اعلام کرد که انتخابات برگزار می‌شود.")


@pytest.mark.parametrize("text,name", [
    ("وزارت جهاد کشاورزی در اطلاعیه‌ای اعلام کرد", "وزارت جهاد کشاورزی"),      # nouns hazm also tags AJ
    ("سازمان غذا و دارو اعلام کرد که", "سازمان غذا و دارو"),                   # «و Y» before the verb
    ("حزب عدالت و توسعه گفت", "حزب عدالت و توسعه"),
    ("رئیس فدراسیون کشتی گفت", "فدراسیون کشتی"),                              # a noun alone names
    ("شورای عالی فضای مجازی تصمیم گرفت", "شورای عالی فضای مجازی"),            # ezafe after a vowel
    ("سازمان بازرسی کل کشور اعلام کرد", "سازمان بازرسی کل کشور"),             # «کشور» closes a name
    ("مرکز مبادله ارز باید نرخ را اعلام کند", "مرکز مبادله ارز"),              # a modal ends it
])
def test_names_of_common_nouns(text: str, name: str) -> None:
    """A body named by common nouns is found whole, and ends before what the sentence says of it."""
    assert name in names(text, "organization")


@pytest.mark.parametrize("text", [
    "حزب حاکم در انتخابات پیروز شد",             # an adjective alone describes
    "کمیسیون مشترک اقتصادی دو کشور تشکیل شد",   # an adjective hazm also reads as a noun
    "بیشترین افزایش در گروه خوراکی‌ها و آشامیدنی‌ها ثبت شده است",  # plurals joined by «و» describe
])
def test_descriptions_are_not_names(text: str) -> None:
    assert names(text, "organization") == []


@pytest.mark.parametrize("text,name", [
    ("عضو کمیسیون بهداشت و درمان مجلس شورای اسلامی گفت", "کمیسیون بهداشت و درمان مجلس شورای اسلامی"),
    ("عضو کمیسیون امنیت ملی و سیاست خارجی مجلس گفت", "کمیسیون امنیت ملی و سیاست خارجی مجلس"),
    ("رئیس مرکز تحقیقات هماتولوژی و انکولوژی دانشگاه علوم پزشکی تبریز گفت",
     "مرکز تحقیقات هماتولوژی و انکولوژی دانشگاه علوم پزشکی تبریز"),
])
def test_a_unit_named_with_and_keeps_its_parent_body(text: str, name: str) -> None:
    """«و Y» inside a unit's name runs on to the body the unit belongs to."""
    assert name in names(text, "organization")


@pytest.mark.parametrize("text,name", [
    ("بانک توسعه اوراسیا آمادگی خود را اعلام کرد", "بانک توسعه اوراسیا"),      # a place ends a name
    ("دادگاه نظامی باکو اتهامات را خواند", "دادگاه نظامی باکو"),
    ("مدیرکل گمرک جمهوری اسلامی ایران گفت", "گمرک جمهوری اسلامی ایران"),
    ("رئیس خانه کشاورز استان گلستان گفت", "خانه کشاورز استان گلستان"),
])
def test_where_a_name_ends(text: str, name: str) -> None:
    assert name in names(text, "organization")


def test_two_bodies_joined_by_and_are_two_names() -> None:
    """A head after «و» opens a name of its own, even when a place follows it."""
    found = names("وزارت جهاد کشاورزی و سازمان توسعه تجارت ایران اعلام کردند", "organization")
    assert "وزارت جهاد کشاورزی" in found and "سازمان توسعه تجارت ایران" in found


@pytest.mark.parametrize("text,name", [
    ("کمیته حمایت از روزنامه‌نگاران در بیانیه‌ای نوشت", "کمیته حمایت از روزنامه‌نگاران"),
    ("هیئت نظارت بر مطبوعات اعلام کرد", "هیئت نظارت بر مطبوعات"),
    ("ستاد مبارزه با قاچاق کالا و ارز گفت", "ستاد مبارزه با قاچاق کالا و ارز"),
])
def test_a_task_noun_keeps_its_preposition(text: str, name: str) -> None:
    """«حمایت از»، «نظارت بر»: a body's task and the preposition it governs stay in its name."""
    assert name in names(text, "organization")


def test_a_preposition_alone_does_not_end_a_name() -> None:
    assert not any(n.endswith(" از") for n in names("شورای حفاظت از ۱۲ نماینده تشکیل شد", "organization"))


@pytest.mark.parametrize("text,name", [
    # a unit's name ending in an adjective still joins the body it belongs to
    ("عضو کمیسیون امنیت ملی و سیاست خارجی مجلس شورای اسلامی گفت",
     "کمیسیون امنیت ملی و سیاست خارجی مجلس شورای اسلامی"),
])
def test_a_unit_named_past_an_adjective_joins_its_body(text: str, name: str) -> None:
    assert name in names(text, "organization")


def test_a_newspaper_is_named_past_a_place_in_its_name() -> None:
    found = [m.surface for e in entities("روزنامه اصفهان زیبا نوشت") if e.type == "organization" for m in e.mentions]
    assert found == ["روزنامه اصفهان زیبا"]


def test_a_known_body_keeps_the_head_written_before_it() -> None:
    """«شرکت فولاد مبارکه»: the head joins the mention, the entity keeps its own name."""
    found = [e for e in entities("مدیرعامل شرکت فولاد مبارکه گفت که تولید بالا رفت.") if e.type == "organization"]
    assert [(e.name, e.mentions[0].surface) for e in found] == [("فولاد مبارکه", "شرکت فولاد مبارکه")]


@pytest.mark.parametrize("text,name", [
    ("مدیرعامل شرکت آب منطقه‌ای اصفهان گفت", "شرکت آب منطقه‌ای اصفهان"),
    ("مدیرعامل شرکت برق منطقه‌ای خوزستان گفت", "شرکت برق منطقه‌ای خوزستان"),
])
def test_an_adjective_that_ends_names_leads_here_to_the_bodys_place(text: str, name: str) -> None:
    assert name in names(text, "organization")


def test_the_same_adjective_still_ends_a_name_before_other_words() -> None:
    assert "شرکت آب منطقه‌ای" not in names("شرکت آب منطقه‌ای در این استان فعال است", "organization")
