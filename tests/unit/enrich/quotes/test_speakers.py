"""Speaker resolution: one table row per rule, each written so that the rule decides its answer."""

from __future__ import annotations

import pytest

from streams.enrich.quotes import speakers
from streams.enrich.quotes.reading import read_article
from streams.enrich.quotes.speakers import RULES, read_clause
from tests.unit.enrich.quotes.article import LEX, entities_in, roles_of, speakers_in

FIRST = "علی رضایی گفت: «کار ادامه دارد.»\n\n"  # a first quote, so a speaker is remembered

RULE_CASES = [
    pytest.param(
        FIRST + "مریم احمدی مهمان نشست بود.\n\nوی درباره مریم احمدی افزود: «او خوش آمد.»", None,
        ["علی رضایی", "علی رضایی"], id="pronoun_subject"),
    pytest.param("سازمان ملل و علی رضایی گفتند: «کار ادامه دارد.»", None, ["علی رضایی"], id="named_person"),
    pytest.param(
        "علی رضایی در جلسه بود.\n\nدفتر وزیر اعلام کرد: «نشست لغو شد.»", roles_of(ali="وزیر کشور"),
        ["علی رضایی"], id="office_of_role"),
    pytest.param(
        "علی رضایی در جلسه بود.\n\nرئیس جمهور در سخنانی گفت: «کار ادامه دارد.»", roles_of(ali="رئیس جمهور"),
        ["علی رضایی"], id="holder_of_role"),
    pytest.param(
        "یونیسف در بیانیه‌ای اعلام کرد: «آب نیست.» صلیب سرخ هم هشدار داده بود.\n\n"
        "در ادامه این بیانیه آمده است: «سوخت نیست.»", None,
        ["یونیسف", "یونیسف"], id="statement_continued"),
    pytest.param(
        FIRST + "مریم احمدی از شهر بازدید کرد. این مقام تصریح کرد: «ساختمان آماده است.»", None,
        ["علی رضایی", "مریم احمدی"], id="person_anaphor"),
    pytest.param(
        "برنامه جهانی غذا از کمبود آرد خبر داد.\n\n"
        "این نهاد وابسته به سازمان ملل در بیانیه‌ای اعلام کرد: «ذخایر کافی نیست.»", None,
        ["برنامه جهانی غذا"], id="organization_anaphor"),
    pytest.param(
        "صلیب سرخ روز سه‌شنبه خواستار لغو حکم شد. در این بیانیه آمده است: «حکم باید لغو شود.»",
        None, ["صلیب سرخ"], id="statement_of_body"),
    pytest.param(FIRST + "سپس وی افزود: «همکاری می‌کنیم.»", None, ["علی رضایی", "علی رضایی"],
                 id="pronoun_near_start"),
    pytest.param("یونیسف در گزارشی گفت: «کودکان در خطرند.»", None, ["یونیسف"], id="any_actor"),
    pytest.param("وزارت خارجه روسیه در بیانیه‌ای اعلام کرد: «ثبات برقرار است.»", None, ["وزارت خارجه روسیه"],
                 id="office_at_start"),
]


@pytest.mark.parametrize("text,roles,expected", RULE_CASES)
def test_each_rule_finds_its_speaker(text: str, roles: dict[str, tuple[str, ...]] | None,
                                     expected: list[str | None]) -> None:
    """Each rule of speaker resolution, on a text where it decides the speaker."""
    assert speakers_in(text, roles) == expected


@pytest.mark.parametrize("text,roles,expected", RULE_CASES)
def test_each_rule_is_needed(text: str, roles: dict[str, tuple[str, ...]] | None, expected: list[str | None],
                             request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the rule its row names, its text gets another answer."""
    name = request.node.callspec.id
    without = tuple(r for r in RULES if r.__name__ != name)
    assert len(without) == len(RULES) - 1
    monkeypatch.setattr(speakers.speaker_in, "__defaults__", (without,))
    assert speakers_in(text, roles) != expected


SPEAKER_CASES = [
    # the speaker named after a quote the sentence opens with is the subject «وی» refers to next
    pytest.param(
        FIRST + "«هر خانواده‌ای که برمی‌گردد می‌پرسد زمینش امن است یا نه.» این را مریم احمدی در مراسم گفت.\n\n"
        "وی افزود: «برنامه ادامه دارد.»", None,
        ["علی رضایی", "مریم احمدی", "مریم احمدی"], id="subject-after-opening-quote"),
    # «این» and any role word of the lexicon refers back like «این مقام»
    pytest.param(
        FIRST + "مریم احمدی از بیمارستان بازدید کرد. این جراح ادامه داد: «بخش آماده است.»", None,
        ["علی رضایی", "مریم احمدی"], id="this-role-word"),
    # «به گزارش X،» is skipped: وی opens the clause, not the agency
    pytest.param(FIRST + "به گزارش خبرگزاری فارس، وی افزود: «همکاری می‌کنیم.»", None,
                 ["علی رضایی", "علی رضایی"], id="attribution-skipped"),
    # the last speaker is remembered past a person named inside the quote
    pytest.param("علی رضایی گفت: «مریم احمدی آمد.»\n\nوی افزود: «او خوش آمد.»", None,
                 ["علی رضایی", "علی رضایی"], id="last-speaker-remembered"),
    # a person made the subject of a sentence since the last quote wins over the last speaker
    pytest.param(FIRST + "مریم احمدی اما معتقد است این کافی نیست. وی گفت: «نقدینگی زیاد است.»", None,
                 ["علی رضایی", "مریم احمدی"], id="new-subject"),
    # … but not a person named later in a sentence
    pytest.param(FIRST + "دیروز نشستی با حضور مریم احمدی برگزار شد. وی گفت: «نقدینگی زیاد است.»", None,
                 ["علی رضایی", "علی رضایی"], id="named-not-subject"),
    # roles: the earliest role in the clause wins, whatever the order of the persons
    pytest.param("علی رضایی و مریم احمدی آمدند.\n\nسخنگوی دولت و وزیر کشور گفتند: «نشست لغو شد.»",
                 roles_of(ali="وزیر کشور", maryam="سخنگوی دولت"), ["مریم احمدی"],
                 id="role-earliest"),
    # … and of two roles at one place, the longer
    pytest.param("علی رضایی و مریم احمدی آمدند.\n\nوزیر کشور ایران گفت: «نشست لغو شد.»",
                 roles_of(ali="وزیر کشور", maryam="وزیر کشور ایران"), ["مریم احمدی"], id="role-longest"),
    # a role word held by one person speaks for them; held by several, for nobody
    pytest.param("علی رضایی آمد.\n\nسخنگو گفت: «نشست لغو شد.»", roles_of(ali="سخنگوی دولت"),
                 ["علی رضایی"], id="role-one-holder"),
    pytest.param("علی رضایی و مریم احمدی آمدند.\n\nسخنگو گفت: «نشست لغو شد.»",
                 roles_of(ali="سخنگوی دولت", maryam="سخنگوی وزارت خارجه"), [None], id="role-several-holders"),
    # «این نهاد» is the organization last quoted before any other named since
    pytest.param("یونیسف گفت: «آب نیست.»\n\nصلیب سرخ هم در منطقه است.\n\nاین نهاد افزود: «سوخت نیست.»", None,
                 ["یونیسف", "یونیسف"], id="last-organization-remembered"),
    # «در بیانیه این نهاد»: an anaphor among the first words, not only opening the clause
    pytest.param("برنامه جهانی غذا از کمبود آرد خبر داد.\n\nدر بیانیه این نهاد آمده است: «ذخایر کافی نیست.»",
                 None, ["برنامه جهانی غذا"], id="organization-anaphor-inside"),
    # «X استقبال کرد و Y نوشت»: the second subject speaks
    pytest.param("علی رضایی از توافق استقبال کرد و مریم احمدی نیز در پیامی نوشت: «پیروزی است.»", None,
                 ["مریم احمدی"], id="coordinated-clause"),
]


@pytest.mark.parametrize("text,roles,expected", SPEAKER_CASES)
def test_speaker_resolution(text: str, roles: dict[str, tuple[str, ...]] | None, expected: list[str | None]) -> None:
    """The rules around resolution: lead-ins, memory, subjects, role order and holders."""
    assert speakers_in(text, roles) == expected


@pytest.mark.parametrize("sentence,expected", [
    ("صلیب سرخ روز سه‌شنبه خواستار لغو حکم شد. ", ["صلیب سرخ"]),
    ("به گزارش صلیب سرخ، حکم روز سه‌شنبه صادر شد. ", [None]),  # an outlet crediting the report issued nothing
])
def test_statement_of_body_after_many_sentences(sentence: str, expected: list[str | None]) -> None:
    """Thousands of sentences in, the statement's issuer is still read from the sentence that names it."""
    text = "نشست تا شب ادامه داشت. " * 3000 + sentence + "در این بیانیه آمده است: «حکم باید لغو شود.»"
    assert speakers_in(text) == expected


@pytest.mark.parametrize("text,clause", [
    ("به گزارش خبرگزاری فارس، وی افزود", "وی افزود"),
    ("طبق گزارش رسانه‌ها، علی رضایی گفت", "علی رضایی گفت"),
    ("به نقل از یک منبع آگاه وی گفت", "به نقل از یک منبع آگاه وی گفت"),  # no comma: no lead-in
    ("وی افزود", "وی افزود"),
])
def test_a_clause_starts_after_its_lead_in(text: str, clause: str) -> None:
    """A clause is read after any «به گزارش ...،» lead-in."""
    read = read_clause(read_article(text, entities_in(text), LEX, None), 0, len(text))
    assert (read.begin, read.text, read.words) == (len(text) - len(clause), clause, clause.split())
