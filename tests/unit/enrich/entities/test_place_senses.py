"""Known place names that name something else: a competition, a club, a village, a common word."""

from __future__ import annotations

import pytest

from tests.unit.enrich.entities.support import entities, names


def _places(text: str) -> dict[str, str]:
    """Location names → ids («~» for a place no gazetteer holds)."""
    return {e.name: e.id for e in entities(text) if e.type == "location"}


@pytest.mark.parametrize("text,absent,present", [
    # competitions
    ("تیم در لیگ قهرمانان اروپا بازی کرد.", ["اروپا"], []),
    ("اردوی تیم برای رقابت‌های قهرمانی آسیا آغاز می‌شود.", ["آسیا"], []),
    ("او آقای گل لیگ برتر ترکیه شد.", ["ترکیه"], []),
    ("طارمی در لیگ یونان بازی می‌کند.", [], ["یونان"]),  # the country's league names the country
    # clubs: after a club head, then through the article, except where something is put in the town
    ("تیم فوتبال قره‌باغ آغدام پیروز شد. سرمربی قره‌باغ گفت ورزشگاه باشگاه در آغدام آماده نیست.",
     ["قره‌باغ"], ["آغدام"]),
    ("قره‌باغ در هفته دوم میزبان تیم کپنهاگ دانمارک خواهد بود.", ["کپنهاگ"], ["دانمارک"]),
    # a team role before the name; a club and its home town in sports copy
    ("هواداران قره‌باغ در باکو جشن گرفتند و سرمربی قره‌باغ از بازیکنان تشکر کرد.", ["قره‌باغ"], ["باکو"]),
    ("قره‌باغ آغدام در لیگ قهرمانان با دو گل پیروز شد و سرمربی تیم از داور انتقاد کرد.", ["قره‌باغ", "آغدام"], []),
    ("مهاجم دینامو تفلیس به تهران آمد.", ["تفلیس"], ["تهران"]),
    ("تیم فوتبال ما در لیگ قهرمانان با دو گل از سد اسلاویا پراگ گذشت و سرمربی تیم از داور انتقاد کرد.",
     ["پراگ"], []),
    ("تیم ملی ایران در تهران تمرین کرد.", [], ["ایران", "تهران"]),  # a country's team is its country's
    # «تیم تهران» (a province's team, perhaps) is not Tehran this once; Tehran elsewhere is
    ("تیم تهران قهرمان شد و استاندار تهران به کشتی‌گیران تبریک گفت.", [], ["تهران"]),
    # words inside a longer word
    ("آنفلوآنزا در نیم‌کره شمالی زودتر آغاز شد.", ["کره شمالی"], []),
    # common words too: a place only where the text says so
    ("هواشناسی افزایش دبی رود ارس را پیش‌بینی کرد.", ["دبی"], ["رود ارس"]),
    ("او در دبی زندگی می‌کند.", [], ["دبی"]),
    ("این پرواز را قطر ایرویز انجام داد.", ["قطر"], []),
    ("ذرات با قطر کمتر از ۲٫۵ میکرون به ریه نفوذ می‌کنند.", ["قطر"], []),
    ("امیر قطر به تهران سفر کرد.", [], ["قطر"]),
    ("وزیران خارجه قطر و عمان دیدار کردند.", [], ["قطر"]),
    ("قیمت تیگو ۷ پرو افزایش یافت.", ["پرو"], []),
    # adjectives of nationality: describing an organization, or a person's surname
    ("به نوشته روزنامه پرتغالی رکورد، تیم باخت.", [], ["پرتغال"]),
    ("تحلیلگر بانک آلمانی «کومرتس‌بانک» گفت.", [], ["آلمان"]),
    ("محمد شیاع السودانی پیروز شد و ائتلاف سودانی پیشتاز است.", ["سودان"], []),
])
def test_what_a_known_place_name_names(text: str, absent: list[str], present: list[str]) -> None:
    """A competition's, a club's, a word's: no location; the place itself where the text puts it."""
    found = names(text, "location")
    assert [n for n in absent if n in found] == []
    assert [n for n in present if n not in found] == []


def test_a_village_named_after_a_region_is_a_place_of_its_own() -> None:
    """«روستای قره‌باغ» in an Iranian county: a village, named so again by «دهیار قره‌باغ»; not Karabakh."""
    places = _places("راه روستای قره‌باغ در کلیبر قطع شد و دهیار قره‌باغ خبر داد.")
    assert places["قره‌باغ"].startswith("location/~")
    assert "location/nagorno-karabakh" not in places.values()


def test_the_region_itself_stays_linked() -> None:
    """Karabakh named as a region, even beside a village or a club word elsewhere."""
    assert _places("ارامنه از قره‌باغ کوهستانی به ارمنستان رفتند.")["قره‌باغ"] == "location/nagorno-karabakh"
