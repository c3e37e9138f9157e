"""Topic rules: weighted terms, entities, thresholds, relative floor and suppression."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from streams.enrich.pipeline import Pipeline
from streams.enrich.topics import classify_topics, load_taxonomy, parse_taxonomy
from streams.intake.decode import parse_article
from streams.model import Entity, Mention

RECEIVED = datetime(2026, 1, 1, tzinfo=timezone.utc)
PIPELINE = Pipeline()


def _topics(title: str, body: str) -> tuple[str, ...]:
    enriched, _ = PIPELINE.enrich(parse_article({"title": title, "body": body}, require_persian=False),
                                  received_at=RECEIVED)
    return enriched.topics


def test_taxonomy_has_the_required_topics() -> None:
    """At least 15 topics, karabakh among them, each with Persian and Latin labels."""
    tax = load_taxonomy()
    assert len(tax.topics) >= 15 and tax.get("karabakh") is not None
    assert all(t.label_fa and t.label_en for t in tax.topics)


@pytest.mark.parametrize("spelling", ["قره‌باغ", "قره باغ", "قرهباغ", "ناگورنو قره‌باغ", "آرتساخ"])
def test_karabakh_in_every_spelling(spelling: str) -> None:
    """Every spelling of Karabakh tags the article."""
    body = f"درگیری‌ها در {spelling} ادامه دارد و نیروهای دو طرف در منطقه مستقر هستند."
    assert "karabakh" in _topics(f"تحولات {spelling}", body)


@pytest.mark.parametrize("title,body", [
    ("لاوروف: غرب به دنبال تشدید جنگ در اوکراین است",
     "سرگئی لاوروف وزیر امور خارجه روسیه در نشست خبری در مسکو درباره جنگ اوکراین و تحریم‌های غرب سخن گفت."),
    ("انتخابات پارلمانی گرجستان برگزار شد", "مردم گرجستان در انتخابات پارلمانی شرکت کردند و حزب حاکم پیروز شد."),
    ("دیدار وزیران خارجه ارمنستان و آذربایجان درباره مرزها",
     "وزیران خارجه ارمنستان و جمهوری آذربایجان درباره تعیین مرزها و متن پیمان صلح گفت‌وگو کردند."),
])
def test_karabakh_does_not_fire_on_unrelated_caucasus_news(title: str, body: str) -> None:
    """Russia, Georgia or Armenia–Azerbaijan news without Karabakh is not tagged karabakh."""
    assert "karabakh" not in _topics(title, body)


def test_one_generic_word_never_tags() -> None:
    """A single generic word stays under every threshold."""
    assert _topics("نشست", "نشست امروز برگزار شد.") == ()


def test_relative_floor_and_suppression() -> None:
    """A passing mention is dropped next to a dominant topic; a broad topic yields to a specific one."""
    tax = parse_taxonomy("""
default_threshold: 2
relative_floor: 0.5
topics:
  - {slug: a, terms: {الف: 4, ب: 4}}
  - {slug: b, terms: {ج: 2}}
  - {slug: broad, terms: {الف: 2}, suppressed_by: [a]}
""")
    assert list(classify_topics("الف ب ج", (), tax)) == ["a"]


def test_an_adjective_of_nationality_alone_does_not_make_a_country_the_subject() -> None:
    """Afghan prisoners in an Iranian prison story: «افغانستانی» names the country, not the subject."""
    from streams.enrich.pipeline import Pipeline
    from streams.intake.decode import parse_article

    body = ("سازمان عفو بین‌الملل در گزارشی از افزایش اعدام‌ها در زندان‌های ایران خبر داد و نوشت شمار "
            "اتباع افغانستانی اعدام‌شده دو برابر شده است. این سازمان حقوق بشری خواستار توقف اعدام‌ها شد.")
    enriched, _ = Pipeline().enrich(parse_article({"title": "گزارش عفو بین‌الملل درباره اعدام‌ها", "body": body}),
                                    received_at=RECEIVED)
    assert "location/afghanistan" in {e.id for e in enriched.entities}
    assert "afghanistan" not in enriched.topics


_RULES = parse_taxonomy("""
default_threshold: 3
topics:
  - slug: t
    terms: {الف: 2, ب: 1}
    entities: {person/x: 2}
    all_of: [{items: [ب, person/x], weight: 1}]
    none_of: [ممنوع]
""")


@pytest.mark.parametrize("text,entity,expected", [
    ("الف", False, {}),                      # 2 < 3
    ("الف الف", False, {"t": 3.0}),          # a strong term seen twice adds a point
    ("الف ب", False, {"t": 3.0}),
    ("ب", True, {"t": 4.0}),                 # 1 + the entity's 2 + the rule's 1
    ("الف ب ممنوع", True, {}),               # vetoed
])
def test_a_topic_score(text: str, entity: bool, expected: dict[str, float]) -> None:
    """Terms, entities and co-occurrence rules add up; a veto removes the topic."""
    entities = (Entity("person", "person/x", "ایکس", (Mention(0, 1, "ایکس"),)),) if entity else ()
    assert classify_topics(text, entities, _RULES) == expected


def test_a_strong_entity_named_twice_adds_a_point() -> None:
    """Like a strong term seen twice: «لاچین ... لاچین» counts 2 + 1."""
    twice = (Entity("person", "person/x", "ایکس", (Mention(0, 1, "ایکس"), Mention(5, 6, "ایکس"))),)
    assert classify_topics("", twice, _RULES) == {"t": 3.0}


_CLUB = ("کامبک تاریخی قره‌باغ در لیسبون",
         "تیم فوتبال قره‌باغ آغدام در لیگ قهرمانان اروپا با وجود دو گل عقب افتادن بنفیکا را شکست داد. "
         "قربان قربانف، سرمربی قره‌باغ، گفت بازیکنانش شایسته پیروزی بودند. هواداران قره‌باغ در ورزشگاه "
         "جشن گرفتند و قره‌باغ در هفته دوم در باکو میزبان تیم کپنهاگ خواهد بود.")
_CLUB_HOME = ("قره‌باغ از سد اسلاویا گذشت",
              "تیم فوتبال قره‌باغ جمهوری آذربایجان در لیگ قهرمانان اروپا اسلاویا پراگ را در باکو شکست داد. "
              "ورزشگاه این باشگاه در آغدام هنوز آماده میزبانی نیست. سرمربی قره‌باغ گفت: امشب بازیکنانم "
              "جنگیدند. قره‌باغ با این پیروزی هفت امتیازی شد.")
_CLUB_BARE = ("صعود قره‌باغ به مرحله گروهی",
              "قره‌باغ آغدام با پیروزی مقابل فرنتسواروش به مرحله گروهی لیگ قهرمانان صعود کرد. هواداران "
              "قره‌باغ در ورزشگاه باکو جشن گرفتند و گل دوم قره‌باغ را یک مهاجم برزیلی زد.")
_VILLAGE = ("سیلاب راه ارتباطی روستای قره‌باغ را قطع کرد",
            "کلیبر - فرماندار کلیبر گفت بارش شدید باران در سه روستای بخش آبش‌احمد، از جمله روستای قره‌باغ، "
            "سیلاب جاری کرد. دهیار قره‌باغ گفت ۸۰ هکتار از مزارع روستای قره‌باغ زیر آب رفته است. "
            "روستا در نزدیکی رود ارس و مرز جمهوری آذربایجان قرار دارد.")


@pytest.mark.parametrize("title,body", [_CLUB, _CLUB_HOME, _CLUB_BARE, _VILLAGE])
def test_karabakh_does_not_fire_on_the_club_or_the_village(title: str, body: str) -> None:
    """Qarabağ FK in the Champions League (its home town named too), and the Iranian village of
    قره‌باغ in a flood: the name counts only where it names the region."""
    assert "karabakh" not in _topics(title, body)


def test_karabakh_fires_when_the_region_is_named_beside_its_club() -> None:
    """A story about the region that mentions the club still is about the region."""
    body = ("آوارگان قره‌باغ کوهستانی در ایروان تجمع کردند و خواستار کمک دولت شدند. "
            "تیم فوتبال قره‌باغ نیز پس از سی سال به آغدام بازگشته است.")
    assert "karabakh" in _topics("تجمع آوارگان در ایروان", body)
