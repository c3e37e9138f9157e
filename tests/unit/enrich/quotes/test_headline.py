"""Headline speech: `Speaker: claim` titles and `Speaker:` kickers, resolved to the body's speaker,
linked to the body quote they condense; labels, circumstances and times are not speakers."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from streams.enrich.pipeline import Pipeline
from streams.intake.decode import parse_article
from streams.model import Quote

PIPELINE = Pipeline()
RECEIVED = datetime(2026, 1, 1, tzinfo=timezone.utc)
BODY = ("ماریا زاخارووا، سخنگوی وزارت امور خارجه روسیه، روز پنجشنبه گفت: «مسکو اجازه نخواهد داد منافع "
        "امنیتی‌اش در قفقاز جنوبی نادیده گرفته شود.» وی افزود که گفت‌وگوها ادامه دارد.")


def _headlines(title: str, kicker: str = "", body: str = BODY) -> list[Quote]:
    article = parse_article({"title": title, "kicker": kicker, "body": body}, require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    return [q for q in enriched.quotes if q.kind == "headline"]


@pytest.mark.parametrize("title,kicker,speaker,field", [
    # a surname in the title is the person the body names in full
    ("زاخارووا: مسکو اجازه نخواهد داد منافعش نادیده گرفته شود", "", "ماریا زاخارووا", "title"),
    # an office whose holder the body names
    ("سخنگوی وزارت امور خارجه روسیه: منافع مسکو نادیده گرفته نمی‌شود", "", "ماریا زاخارووا", "title"),
    # a kicker «Speaker:» over the claim, and a kicker with a speech verb
    ("مسکو اجازه نخواهد داد منافعش نادیده گرفته شود", "زاخارووا:", "ماریا زاخارووا", "title"),
    ("مسکو اجازه نخواهد داد منافعش نادیده گرفته شود", "زاخارووا اعلام کرد:", "ماریا زاخارووا", "title"),
    # a long office and its circumstance before the kicker's speech verb
    ("مسکو اجازه نخواهد داد منافعش نادیده گرفته شود",
     "سخنگوی وزارت امور خارجه روسیه در واکنش به بیانیه نشست سران قفقاز تأکید کرد:", "ماریا زاخارووا", "title"),
])
def test_headline_speech_and_its_speaker(title: str, kicker: str, speaker: str, field: str) -> None:
    """Each form of headline speech is found, with the speaker the body names."""
    (q,) = _headlines(title, kicker)
    assert q.speaker is not None and q.speaker.name == speaker and q.field == field
    assert q.text.startswith("م")


@pytest.mark.parametrize("title,kicker", [
    ("گزارش تصویری: بازار تهران در آستانه نوروز", ""),        # a series label
    ("در واکنش به تحریم‌ها: بازار ارز آرام ماند", ""),         # a circumstance, not a speaker
    ("ساعت ۱۲:۳۰ بازار تعطیل شد و معامله‌ای انجام نشد", ""),   # a time
    ("روزنامه ایران: قیمت‌ها در بازار تغییری نکرد", ""),        # a masthead
    ("ناشناس: قیمت‌ها در بازار تغییری نکرد", ""),               # a name the article never gives anyone
])
def test_labels_times_and_strangers_are_not_speakers(title: str, kicker: str) -> None:
    """A label, a circumstance, a time, a masthead or an unknown name before a colon is no speaker."""
    assert _headlines(title, kicker) == []


def test_a_headline_quote_condenses_the_body_quote_of_its_speaker() -> None:
    """The link points at the body quote of the same speaker that shares most of its words."""
    article = parse_article({"title": "زاخارووا: مسکو اجازه نخواهد داد منافع امنیتی‌اش نادیده گرفته شود",
                             "body": BODY}, require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    (q,) = [q for q in enriched.quotes if q.kind == "headline"]
    assert q.condenses is not None
    body_quote = enriched.quotes[q.condenses]
    assert body_quote.kind == "direct" and body_quote.text.startswith("مسکو اجازه نخواهد داد")


@pytest.mark.parametrize("body,speaker,first_words", [
    # a partial quote inside reported speech
    ("نیکول پاشینیان، نخست‌وزیر ارمنستان، گفته بود که ادغام آوارگان «یکی از مهم‌ترین اولویت‌های دولت در "
     "سال‌های آینده خواهد بود» و بودجه آن افزایش می‌یابد.", "نیکول پاشینیان", "یکی از مهم‌ترین"),
    # a quote before its speaker
    ("«این بازداشت‌ها بخشی از یک کارزار سازمان‌یافته برای سرکوب مخالفان است.» این را ایراکلی کوباخیدزه، "
     "نخست‌وزیر گرجستان، روز یکشنبه گفت.", "ایراکلی کوباخیدزه", "این بازداشت‌ها بخشی"),
])
def test_quotes_found_by_their_marks(body: str, speaker: str, first_words: str) -> None:
    """Speech in «» that a verb of its sentence attributes, though no colon introduces it."""
    article = parse_article({"title": "عنوان خبر", "body": body}, require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    (q,) = [q for q in enriched.quotes if q.kind == "direct"]
    assert q.speaker is not None and q.speaker.name == speaker and q.text.startswith(first_words)


def test_scare_quotes_and_quoted_names_are_not_quotes() -> None:
    """A quoted term or name, even beside a speech verb, is not a quote."""
    body = ("وزیر خارجه گفت که عادی‌سازی روابط «بخش جدایی‌ناپذیر» طرح «چهارراه صلح» است و گروه «حزب رؤیای "
            "گرجی» نیز از آن حمایت می‌کند.")
    article = parse_article({"title": "عنوان خبر", "body": body}, require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    assert [q for q in enriched.quotes if q.kind == "direct"] == []


def test_an_office_in_the_headline_is_the_person_the_body_appositions_it_to() -> None:
    """«سخنگوی ارتش اسرائیل:» and «آویخای ادرعی، سخنگوی عرب‌زبان ارتش اسرائیل،» in the body: the office's
    role word and organization match, though the body adds a word to the role."""
    body = ("آویخای ادرعی، سخنگوی عرب‌زبان ارتش اسرائیل، در پیامی از ساکنان چهار روستا خواست خانه‌های خود را "
            "ترک کنند.")
    (q,) = _headlines("سخنگوی ارتش اسرائیل: ساکنان چهار روستای جنوب لبنان باید منطقه را ترک کنند", body=body)
    assert q.speaker is not None and q.speaker.name == "آویخای ادرعی"


def test_an_office_with_a_place_is_the_person_the_body_names_in_it() -> None:
    """«مدیرکل محیط زیست گیلان:» and «فرهاد کیانی مدیرکل حفاظت محیط زیست استان گیلان» in the body, no
    comma between them: the same role word and the same place."""
    body = ("فرهاد کیانی مدیرکل حفاظت محیط زیست استان گیلان روز دوشنبه در جمع خبرنگاران گفت که سطح آب تالاب "
            "انزلی به کمترین اندازه در ده سال گذشته رسیده است.")
    (q,) = _headlines("مدیرکل محیط زیست گیلان: تالاب انزلی در وضعیت هشدار قرار دارد", body=body)
    assert q.speaker is not None and q.speaker.name == "فرهاد کیانی"


def test_an_office_the_body_names_no_holder_beside_is_the_speaker_of_the_quote_it_condenses() -> None:
    """«استاندار خراسان رضوی:» and a body naming «حسن رضوانی‌فر» without the office: the person whose
    body quote says the same thing; with no such quote, the office's organization or no quote."""
    body = ("حسن رضوانی‌فر روز سه‌شنبه در دیدار با هیئت تاجیک گفت: «حجم تجارت با سغد در سه سال آینده سه "
            "برابر می‌شود و خط پرواز مستقیم هم برقرار خواهد شد.»")
    (q,) = _headlines("استاندار خراسان رضوی: حجم تجارت با سغد سه برابر می‌شود", body=body)
    assert q.speaker is not None and q.speaker.name == "حسن رضوانی‌فر"
    elsewhere = "هیئت تاجیک روز سه‌شنبه از نمایشگاه صنایع دستی مشهد بازدید کرد و با فعالان اقتصادی دیدار کرد."
    assert _headlines("استاندار خراسان رضوی: حجم تجارت با سغد سه برابر می‌شود", body=elsewhere) == []


def test_a_kicker_read_by_its_speech_verb_is_one_headline_quote() -> None:
    """«وزیر خارجه در نشست خبری گفت:» over a claim in marks: one headline quote, not two."""
    body = ("عباس عراقچی وزیر امور خارجه در نشست خبری گفت: «ایران زیر سایه تهدید هیچ‌گاه مذاکره نمی‌کند و "
            "این موضع تغییر نکرده است.»")
    quotes = _headlines("«ایران زیر سایه تهدید مذاکره نمی‌کند»", kicker="وزیر خارجه در نشست خبری گفت:", body=body)
    assert len(quotes) == 1


def test_an_agency_masthead_is_no_speaker() -> None:
    """«خبرگزاری فارس:» over a title names the outlet whose page it is, not who said the title."""
    assert _headlines("قیمت سکه در بازار تهران سه میلیون تومان کاهش یافت", kicker="خبرگزاری فارس:") == []


def test_quotes_carry_their_field_among_thousands_of_paragraphs() -> None:
    """Every quote carries the field it stands in, however many paragraphs the body has."""
    said = "زاخارووا گفت: «گفت‌وگوها ادامه دارد.»"
    body = "\n\n".join(f"{said} بند {k}." for k in range(3000))
    article = parse_article({"title": "عنوان خبر", "lead": "سرگئی لاوروف گفت: «دیدار انجام شد.»", "body": body},
                            require_persian=False)
    enriched, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    fields = [q.field for q in enriched.quotes]
    assert fields == ["lead"] + ["body"] * 3000
