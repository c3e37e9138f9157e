"""Entity extraction: gazetteer linking, short forms, people by context, organizations, dates."""

from __future__ import annotations

import pytest

from streams.enrich.entities import extract_entities
from streams.enrich.gazetteer import load_gazetteer
from streams.enrich.lexicon import load_lexicon
from streams.enrich.persian import normalize_text
from streams.model import Entity


def _entities(text: str) -> tuple[Entity, ...]:
    return extract_entities(normalize_text(text), load_gazetteer(), load_lexicon(), year=2021)


def _names(text: str, etype: str) -> list[str]:
    return [e.name for e in _entities(text) if e.type == etype]


@pytest.mark.parametrize("text,name", [
    ("«سرگئی لاوروف» وزیر خارجه روسیه گفت", "سرگئی لاوروف"),
    ("الهام علیاف رئیسجمهور آذربایجان", "الهام علی‌اف"),
    ("الهام علی اف در باکو", "الهام علی‌اف"),
    ("دفتر آنتونیو گوترس اعلام کرد", "آنتونیو گوترش"),
])
def test_gazetteer_persons_in_any_spelling(text: str, name: str) -> None:
    """Spelling variants (ZWNJ, space, joined, transliteration) link to the canonical name."""
    assert name in _names(text, "person")


def test_surname_before_full_name_links() -> None:
    """A kicker naming only the surname links to the person introduced later («لاوروف:»)."""
    ents = _entities("لاوروف:\n\nسرگئی لاوروف وزیر امور خارجه روسیه گفت که ثبات برقرار است.")
    lavrov = next(e for e in ents if e.name == "سرگئی لاوروف")
    assert [m.surface for m in lavrov.mentions] == ["لاوروف", "سرگئی لاوروف"]


@pytest.mark.parametrize("text,name", [
    ("استاندار گیلان، کیوان محمدزاده امروز از رشت بازدید کرد.", "کیوان محمدزاده"),
    ("کیوان محمدزاده سخنگوی شرکت ملی گاز گفت که مصرف بالا رفته است.", "کیوان محمدزاده"),
    ("آقای بهنام رضاپور در این نشست حضور داشت.", "بهنام رضاپور"),
    ("به گزارش ایلنا، بهنام رضاپور روز یکشنبه در نشست خبری گفت: «آب کم است.»", "بهنام رضاپور"),
])
def test_people_missing_from_the_gazetteer_found_by_context(text: str, name: str) -> None:
    """A first name and surname next to a role, a title, or as the subject of a speech verb is a person."""
    persons = [e for e in _entities(text) if e.type == "person"]
    assert name in [e.name for e in persons]
    assert not next(e for e in persons if e.name == name).linked


def test_unknown_person_surname_resolves() -> None:
    """After «کیوان محمدزاده» is introduced, «محمدزاده» alone is the same person."""
    text = "سخنگوی شرکت، کیوان محمدزاده اعلام کرد که تولید افزایش یافت. محمدزاده افزود که صادرات هم بیشتر شد."
    person = next(e for e in _entities(text) if e.name == "کیوان محمدزاده")
    assert len(person.mentions) == 2


def test_first_name_without_context_is_not_a_person() -> None:
    """A first name followed by words with no role, title, quote or speech verb is not taken."""
    assert _names("رضا دادن به این طرح آسان نبود و مردم آن را نپذیرفتند.", "person") == []


@pytest.mark.parametrize("text,name", [
    ("وزارت بهداشت غزه اعلام کرد", "وزارت بهداشت غزه"),
    ("شرکت ملی نفت آذربایجان قرارداد را امضا کرد", None),
])
def test_organizations_by_head_noun(text: str, name: str | None) -> None:
    """An organization head noun and the words naming it make one organization."""
    orgs = _names(text, "organization")
    assert orgs, text
    if name:
        assert name in orgs


def test_verbs_end_an_organization_name() -> None:
    """«شرکت نکردند» is a verb, not an organization."""
    assert _names("نمایندگان در این جلسه شرکت نکردند و خواستار تعویق شدند.", "organization") == []


def test_places_inside_organization_names_belong_to_it() -> None:
    """«ارتش لبنان» is one organization; لبنان is not counted as a place there."""
    ents = _entities("ارتش لبنان در مرز مستقر شد.")
    assert "ارتش لبنان" in [e.name for e in ents if e.type == "organization"]


def test_locations_and_dates() -> None:
    """Places link to canonical names; dates become ISO."""
    ents = _entities("در ۹ نوامبر ۲۰۲۰ در مسکو و قره باغ و ۱۸ آبان ۱۴۰۰ در تهران")
    assert {"مسکو", "قره‌باغ", "تهران"} <= {e.name for e in ents if e.type == "location"}
    assert {"2020-11-09", "2021-11-09"} == {e.name for e in ents if e.type == "date"}


def test_name_inside_guillemets_is_a_name() -> None:
    """«ولادیمیر پوتین» in guillemets is a person mention."""
    assert "ولادیمیر پوتین" in _names("در این دیدار «ولادیمیر پوتین» حضور داشت", "person")


def test_adversarial_input_completes() -> None:
    """A megabyte of guillemets and affixes completes."""
    assert _entities("«« " * 150_000) == ()
    _entities("آقای وزیر " * 100_000)


@pytest.mark.parametrize("text,place", [
    ("هواپیما در نزدیکی شهر پاولودار فرود آمد.", "پاولودار"),
    ("سطح آب دریاچه بالخاش پایین رفته است.", "دریاچه بالخاش"),
    ("نشست سران در نوکوس، مرکز استان قره‌قالپاقستان برگزار شد.", "نوکوس"),
    ("قطار مسافری از آستانه عازم کاراگاندا بود.", "کاراگاندا"),
    ("سفیر در ماردکرت و شوشا با مقام‌های محلی دیدار کرد.", "ماردکرت"),
])
def test_places_missing_from_the_gazetteer_by_what_the_text_says(text: str, place: str) -> None:
    """A head noun, an apposition, a destination, or «و» with a known place makes an unknown word a place."""
    assert place in _names(text, "location")


@pytest.mark.parametrize("text", [
    "بیماران در بخش مراقبت‌های ویژه بستری شدند.",
    "این شهر بزرگی است که در آن زندگی می‌کنیم.",
    "در دوشنبه، سه‌شنبه و چهارشنبه جلسه برگزار شد.",
])
def test_common_words_after_a_place_head_are_not_places(text: str) -> None:
    assert _names(text, "location") == []


def test_a_head_after_a_determiner_refers_back() -> None:
    """«این گروه پیش‌تر ...» refers to a group named before; it names none."""
    assert _names("این گروه پیش‌تر کاهش تولید را اعلام کرده بود.", "organization") == []


def test_a_head_with_only_relational_adjectives_describes() -> None:
    """«خبرگزاری دولتی» and «کمیسیون مشترک کنسولی» describe an organization rather than name one."""
    assert _names("کمیسیون مشترک کنسولی دو کشور ماه آینده تشکیل می‌شود.", "organization") == []


def test_and_inside_an_organization_name() -> None:
    """«حزب نان و آزادی،» is one name: «و» and a last word before the comma."""
    assert "حزب نان و آزادی" in _names("نامزد حزب نان و آزادی، در انتخابات پیروز شد.", "organization")


def test_first_name_and_a_surname_that_is_no_common_word() -> None:
    """«مهدی ترابی» needs no role: ترابی is no word of the lexicon, so the pair is a name."""
    assert "مهدی ترابی" in _names("تیم با ضربه سر مهدی ترابی پیش افتاد.", "person")
    assert _names("او جان انسان‌ها را نجات داد.", "person") == []


def test_two_first_names_with_a_role_are_a_name() -> None:
    """«بهزاد پارسا، مدیرعامل ...»: پارسا is also a first name, and here the surname."""
    assert "بهزاد پارسا" in _names("بهزاد پارسا، مدیرعامل شرکت آب منطقه‌ای تهران، گفت که ذخایر کم است.", "person")


def test_second_surname_word_is_rare_or_a_surname_tail() -> None:
    """«شریعتی نیاسر» and «دلاوری نژاد» are whole; an adverb after a surname is not part of it."""
    assert "حمیدرضا دلاوری نژاد" in _names("حمیدرضا دلاوری نژاد، فرماندار تایباد، گفت: «مرز باز است.»", "person")
    assert "موعود بنیادی‌فر" in _names("موعود بنیادی‌فر به‌شدت از داوری انتقاد کرد.", "person")
    assert _names("این پیمان ندارد که کشورها را به هم نزدیک کند.", "person") == []


def test_a_title_and_one_name_before_a_role() -> None:
    """«مولوی عبدالکبیر، وزیر ...»: Afghan officials are often named by one name after a title."""
    assert "عبدالکبیر" in _names("مولوی عبدالکبیر، وزیر مهاجرین طالبان، در کابل گفت که بازگشت ادامه دارد.", "person")


def test_the_first_word_of_a_two_word_surname_names_the_person_later() -> None:
    """«مالک شریعتی نیاسر» … «شریعتی گفت» are one person."""
    ents = _entities("«مالک شریعتی نیاسر» نماینده تهران سؤال کرد. شریعتی در ادامه انتقاد کرد.")
    person = next(e for e in ents if e.type == "person")
    assert [m.surface for m in person.mentions] == ["مالک شریعتی نیاسر", "شریعتی"]


def test_a_body_named_under_another_is_one_organization() -> None:
    """«ستاد حقوق بشر قوه قضاییه» is one name; «قوه قضاییه» inside it is not listed apart."""
    orgs = _names("ستاد حقوق بشر قوه قضاییه در بیانیه‌ای این گزارش را رد کرد.", "organization")
    assert orgs == ["ستاد حقوق بشر قوه قضاییه"]


def test_a_delegation_of_a_named_body_is_that_body() -> None:
    """«هیئت مذاکره‌کننده حماس» describes a delegation: حماس is the organization."""
    assert _names("هیئت مذاکره‌کننده حماس وارد قاهره شد.", "organization") == ["حماس"]


def test_a_short_form_folds_into_the_full_name_named_elsewhere() -> None:
    """«فدراسیون فوتبال» after «فدراسیون فوتبال جمهوری اسلامی ایران» is the same body."""
    ents = _entities("فدراسیون فوتبال جمهوری اسلامی ایران بیانیه داد. سرمربی از فدراسیون فوتبال توضیح خواست.")
    orgs = [e for e in ents if e.type == "organization"]
    assert len(orgs) == 1 and len(orgs[0].mentions) == 2


def test_a_trailing_qualifier_is_not_part_of_the_name() -> None:
    assert "سازمان حقوق بشر کردستان" in _names(
        "سازمان حقوق بشر کردستان مستقر در اربیل گزارشی منتشر کرد.", "organization")


def test_a_prefix_that_continues_into_another_name_is_not_a_short_form() -> None:
    """«وزارت امور اقتصادی» is not «وزارت امور خارجه» cut short."""
    ents = _entities("وزارت امور خارجه جمهوری اسلامی ایران بیانیه داد. وزارت امور اقتصادی و دارایی هم اعلام کرد.")
    foreign = [e for e in ents if e.id == "organization/iran-foreign-ministry"]
    assert len(foreign) == 1 and len(foreign[0].mentions) == 1


def test_an_adjective_of_nationality_names_the_country() -> None:
    """«مقام‌های لبنانی» names Lebanon (the annotation conventions count it)."""
    ents = _entities("مقام‌های لبنانی از آتش‌بس استقبال کردند.")
    assert [(e.id, e.mentions[0].surface) for e in ents] == [("location/lebanon", "لبنانی")]


def test_clubs_named_by_common_words_in_sports_copy_only() -> None:
    """«تراکتور» and «استقلال» are clubs after a coach and a referee, words elsewhere."""
    sport = _names("سرمربی تراکتور پس از تساوی با استقلال از داور انتقاد کرد.", "organization")
    assert sorted(sport) == ["استقلال تهران", "تراکتور تبریز"]
    politics = _names("رئیس‌جمهور در سالگرد استقلال کشور از کارخانه تراکتور بازدید کرد.", "organization")
    assert politics == []


def test_a_surname_after_another_first_name_is_someone_else() -> None:
    """«اولکسی کولبا» is not the gazetteer's دیمیترو کولبا; «ولودیمیر زلنسکی» is ولادیمیر زلنسکی."""
    ents = _entities("اولکسی کولبا، معاون نخست‌وزیر اوکراین، گفت: «بندر آسیب دید.» کولبا افزود: «کار ادامه دارد.»")
    person = next(e for e in ents if e.type == "person")
    assert (person.name, person.linked, len(person.mentions)) == ("اولکسی کولبا", False, 2)
    ents = _entities("ولودیمیر زلنسکی رئیس‌جمهور اوکراین گفت که مذاکره می‌کند.")
    assert [e.id for e in ents if e.type == "person"] == ["person/volodymyr-zelensky"]


def test_compound_first_names() -> None:
    """«سیدمحسن جوادی»، «احمدعلی گودرزی»: two first names written as one."""
    names = _names("سیدمحسن جوادی، رئیس ستاد پزشکی حج، و احمدعلی گودرزی، فرمانده مرزبانی، گفتند.", "person")
    assert "سیدمحسن جوادی" in names and "احمدعلی گودرزی" in names


def test_a_feature_named_after_a_town_is_a_place_of_its_own() -> None:
    """«رودخانه کرج» is the river, not the city; «رودخانه ولگا» stays the Volga."""
    assert _names("آب رودخانه کرج به کمترین حد رسید.", "location") == ["رودخانه کرج"]
    assert "تنگه بسفر" in _names("نفتکش‌ها از تنگه بسفر عبور می‌کنند.", "location")


def test_a_verb_is_not_part_of_a_place_or_organization_name() -> None:
    """«... وزارت بهداشت قرار داده‌ایم»: the compound verb ends the name."""
    assert "وزارت بهداشت قرار" not in " ".join(
        _names("گزارش را در اختیار وزارت بهداشت قرار داده‌ایم.", "organization"))
