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


@pytest.mark.parametrize("text,places", [
    # a list going on from a known place (strict: names no dictionary holds)
    ("نیروهای امداد در کلیبر، اهر و ورزقان تا پایان هفته آماده‌باش هستند.", ["ورزقان"]),
    # a list after a plural head: known words, given names and Arabic names too
    ("ساکنان روستاهای طیردبا، شحور، عیتا الجبل و کفرتبنیت باید خانه‌ها را ترک کنند.",
     ["طیردبا", "شحور", "عیتا الجبل", "کفرتبنیت"]),
    ("حملات در روستاهای طیبه، طیردبا و زوطر ادامه یافت.", ["طیبه", "طیردبا", "زوطر"]),
    ("مدارس به جز شهرستان‌های فیروزکوه و دماوند روز دوشنبه تعطیل است.", ["دماوند"]),
    ("مدارس به جز شهرستان های فیروزکوه و دماوند روز دوشنبه تعطیل است.", ["دماوند"]),
    ("تجمع‌هایی در شهرهای باتومی و کوتایسی نیز برگزار شد.", ["کوتایسی"]),
    # the places of a group a few words before «از جمله»
    ("ایستگاه‌ها در مناطق جنوبی شهر از جمله شهرری وضعیت ناسالم را ثبت کردند.", ["شهرری"]),
    # a constituency
    ("علی رستمی، نماینده مردم ملکان در مجلس، گفت.", ["ملکان"]),
    ("همتی‌پور نماینده مردم بندر لنگه، بستک و پارسیان و عضو کمیسیون انرژی است.", ["بستک", "پارسیان"]),
    # a name in «» after a head (and an adjective)
    ("بولدوزرها وارد روستای «جباتا الخشب» شدند.", ["جباتا الخشب"]),
    ("نیروها ارتفاعات راهبردی «جبل الشیخ» را اشغال کردند.", ["جبل الشیخ"]),
    # heads: a crossing, heights, a wetland, an airport
    ("روزانه هزاران نفر از گذرگاه تورخم عبور می‌کنند.", ["تورخم"]),
    ("بالگرد در ارتفاعات ورزقان سقوط کرد.", ["ورزقان"]),
    ("آب به تالاب گاوخونی نمی‌رسد.", ["تالاب گاوخونی"]),
    ("پرواز از فرودگاه لایپزیگ بلند شد.", ["لایپزیگ"]),
    # a known region and a compass adjective
    ("هیچ روستایی در قره‌باغ و زنگزور شرقی ویران نمی‌ماند.", ["زنگزور شرقی"]),
])
def test_places_by_list_constituency_quotes_and_heads(text: str, places: list[str]) -> None:
    """Each kind of cue names the places no gazetteer holds."""
    found = names(text, "location")
    assert [p for p in places if p not in found] == []


_LONG_LIST = "کلیبر، اهر، " * 1500  # thousands of known places in one list


@pytest.mark.parametrize("text,places,not_places", [
    # the list going on from its first known place takes the unknown names «و» closes it with
    (f"نیروهای امداد در {_LONG_LIST}ورزقان و بستک تا پایان هفته آماده‌باش هستند.", ["ورزقان", "بستک"], []),
    # … and without «و» it is no list: a common word after it is not taken
    (f"نیروها در {_LONG_LIST}شهروندان را متفرق کردند.", [], ["شهروندان"]),
])
def test_a_list_of_thousands_of_known_places(text: str, places: list[str], not_places: list[str]) -> None:
    """A list of thousands of known places is read as a list like a short one."""
    found = names(text, "location")
    assert [p for p in places if p not in found] == [] and [p for p in not_places if p in found] == []


@pytest.mark.parametrize("text", [
    "مراجعان در مراکز درمانی شهر تقریبا دو برابر شده‌اند.",  # a known word listed without a count
    "خیابان‌های اصلی اردوگاه عملا ویران شده است.",
    "این طرح حاکمیت این کشور بر مرز جنوبی‌اش را کمرنگ می‌کند.",  # a pronoun after ZWNJ
    "رئیس جمهور به نظر نمایندگان مردم احترام می‌گذارد.",  # a common word after «نمایندگان مردم»
    "در شهرهای بزرگ و کوچک",
    "در روستاهای مرزی و دورافتاده",
    "تیم ما از سد اسلاویا گذشت.",  # past a rival, not a dam
    "نیروها در تهران، شهروندان را متفرق کردند.",  # «X، Y» without «و» is no list
])
def test_no_place_where_the_cue_does_not_hold(text: str) -> None:
    assert [n for n in names(text, "location") if n != "تهران"] == []


def test_a_known_place_with_the_copula_joined_is_named() -> None:
    """«آسیاست» is «آسیا است»."""
    assert names("ژاپن یکی از بهترین تیم‌های آسیاست.", "location") == ["ژاپن", "آسیا"]


def test_an_adjective_of_nationality_of_a_stan_country_names_it() -> None:
    """«گرجستانی» beside «گرجی»; «پرتغالی» for a country demonyms.yaml lacks (world_places.yaml)."""
    assert names("قرارداد مهاجم گرجستانی امضا شد.", "location") == ["گرجستان"]
    assert names("هواداران پرتغالی شادی کردند.", "location") == ["پرتغال"]
