"""Provenance: the outlets an article credits, in which role, found by the credit frames."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from streams.enrich.pipeline import Pipeline
from streams.intake.decode import parse_article

PIPELINE = Pipeline()
RECEIVED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _sources(body: str, lead: str = "") -> list[tuple[str, str]]:
    article = parse_article({"title": "عنوان خبر", "lead": lead, "body": body}, require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    return [(s.entity.name, s.role) for s in enriched.sources]


@pytest.mark.parametrize("body,expected", [
    # a reporting credit, then the outlet it cites
    ("به گزارش ایرنا به نقل از رویترز، قیمت نفت افزایش یافت.", [("ایرنا", "reporting"), ("رویترز", "citing")]),
    # an outlet whose name is a common word counts in a credit, and only there
    ("به گزارش مهر، جلسه شورا برگزار شد. مهر ماه امسال بارندگی کم بود.", [("مهر", "reporting")]),
    ("در مهر ماه امسال بارندگی کم بود و کشاورزان نگران هستند.", []),
    # a reporter or a desk between the phrase and the outlet
    ("به گزارش خبرنگار ایسنا، نشست امروز برگزار شد.", [("ایسنا", "reporting")]),
    ("به گزارش گروه بین‌الملل خبرگزاری تسنیم، نشست امروز برگزار شد.", [("تسنیم", "reporting")]),
    # an outlet before «گزارش داد» / «نوشت», with «نیز» or a closing » between
    ("رویترز گزارش داد که مذاکرات متوقف شده است.", [("رویترز", "citing")]),
    ("روزنامه «هاآرتص» نوشت که ارتش عقب‌نشینی کرده است.", [("هاآرتص", "citing")]),
    # a credit line and a footer; outlets in parentheses closing a paragraph; a rights notice
    ("بازار آرام بود. (خبرگزاری فرانسه، رویترز)", [("خبرگزاری فرانسه", "credited"), ("رویترز", "credited")]),
    ("بازار آرام بود (نقل از یک کارشناس)", []),
    ("بازار آرام بود.\n\nحق نشر © ۲۰۲۵ بی‌بی‌سی فارسی. تمامی حقوق محفوظ است.", [("بی‌بی‌سی فارسی", "publisher")]),
    # an outlet whose name is a common word, opening the sentence of its verb
    ("بازار آرام بود.\n\nکیهان نیز در گزارشی نوشت که قیمت‌ها بالا رفته است.", [("کیهان", "citing")]),
    ("بازار آرام بود.\n\n© تمامی حقوق این سایت متعلق به آفتاب نیوز است.", [("آفتاب نیوز", "publisher")]),
    ("قیمت‌ها بالا رفت.\n\nمنبع: خبرگزاری فرانسه", [("خبرگزاری فرانسه", "credited")]),
    # an outlet missing from the gazetteer, introduced by a head word with an adjective
    ("به نوشته روزنامه پرتغالی رکورد، این شکست فشار زیادی بر مربی وارد کرد.", [("رکورد", "citing")]),
    # a platform something was posted on is no source; an outlet that is the story's subject neither
    ("وی در شبکه اجتماعی ایکس نوشت که از تصمیم دولت حمایت می‌کند.", []),
    ("دفتر روزنامه شرق در تهران پلمب شد و مدیر آن احضار شد.", []),
    # an outlet opening the sentence whose reporting verb comes later, past an apposition
    ("روزنامه اعتماد در شماره امروز خود نوشت که پرونده مختومه شده است.", [("اعتماد", "citing")]),
    ("خبرگزاری فارس، وابسته به سپاه پاسداران، روز شنبه گزارش داد که قیمت‌ها بالا رفته است.",
     [("فارس", "citing")]),
    # ... but not when another speaker stands between it and the verb
    ("روزنامه شرق توقیف شد و وزیر فرهنگ در پیامی نوشت که قانون اجرا شده است.", []),
    # «این خبرگزاری» refers back to an outlet already credited
    ("به گزارش رویترز، ده نفر کشته شدند. به نوشته این خبرگزاری، شمار زخمی‌ها بیشتر است.", [("رویترز", "reporting")]),
])
def test_credit_frames(body: str, expected: list[tuple[str, str]]) -> None:
    """Each credit frame names its outlet with its role; other mentions of outlets are not sources."""
    assert _sources(body) == expected


def test_a_dateline_credits_the_reporting_outlet() -> None:
    """«تهران - ایرنا -» at the head of the lead: ایرنا reports the article."""
    assert _sources("متن خبر در اینجا ادامه دارد.", lead="تهران - ایرنا - وزیر امور خارجه امروز به مسکو رفت.") \
        == [("ایرنا", "reporting")]


@pytest.mark.parametrize("lead,body", [
    ("وزیر امور خارجه امروز به مسکو رفت.", "تهران/ ایرنا- این سفر دو روز طول می‌کشد."),
    ("وزیر امور خارجه امروز به مسکو رفت.", "تهران- ایرنا: این سفر دو روز طول می‌کشد."),
])
def test_a_dateline_opening_the_first_paragraph_after_the_lead(lead: str, body: str) -> None:
    """A dateline may open the paragraph after a summary lead, with a slash or a colon."""
    assert _sources(body, lead=lead) == [("ایرنا", "reporting")]


def test_outlets_found_in_credits_are_organization_mentions() -> None:
    """An outlet named only in a credit is an organization of the article too."""
    article = parse_article({"title": "عنوان", "body": "به گزارش مهر، جلسه شورا برگزار شد."}, require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    assert "مهر" in [e.name for e in enriched.entities if e.type == "organization"]


@pytest.mark.parametrize("body,expected", [
    ("به گزارش ایرنا، جنگ ادامه دارد.\n\nشبکه المسیره وابسته به جنبش انصارالله گزارش داد که حمله شد.",
     [("ایرنا", "reporting"), ("المسیره", "citing")]),
])
def test_an_apposition_between_the_outlet_and_its_verb(body: str, expected: list[tuple[str, str]]) -> None:
    """«X وابسته به Y گزارش داد»: the outlet before the apposition is cited, not the body inside it."""
    assert _sources(body) == expected
