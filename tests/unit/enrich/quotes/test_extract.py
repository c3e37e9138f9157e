"""Quotes: direct and indirect speech, verbs, speakers resolved from names, pronouns, offices, roles."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import datetime, timezone

import pytest

from streams.enrich.gazetteer import role_keys_of
from streams.enrich.pipeline import Pipeline
from streams.enrich.quotes import extract_quotes
from streams.intake.decode import parse_article
from streams.model import Entity, Mention, Quote
from tests.unit.enrich.quotes.article import LEX, entities_in, roles_of

RECEIVED = datetime(2026, 1, 1, tzinfo=timezone.utc)
PIPELINE = Pipeline()


def _quotes(body: str) -> tuple[Quote, ...]:
    enriched, _ = PIPELINE.enrich(parse_article({"title": "عنوان", "body": body}, require_persian=False),
                                  received_at=RECEIVED)
    return enriched.quotes


def _speakers(body: str, kind: str = "direct") -> list[str | None]:
    return [q.speaker.name if q.speaker else None for q in _quotes(body) if q.kind == kind]


def test_named_speaker_with_role() -> None:
    """«X» وزیر ... گفت: «...» → X, verb گفت, direct."""
    (q,) = _quotes("«سرگئی لاوروف» وزیر خارجه روسیه گفت: «ثبات در منطقه برقرار شده است.»")
    assert q.speaker is not None and q.speaker.name == "سرگئی لاوروف" and q.speaker.id == "person/sergey-lavrov"
    assert (q.verb, q.kind) == ("گفت", "direct") and q.text == "ثبات در منطقه برقرار شده است."


def test_pronoun_and_surname_resolve_to_the_last_speaker() -> None:
    """وی افزود / لاوروف خاطرنشان کرد resolve to the person already introduced."""
    body = ("سرگئی لاوروف وزیر خارجه روسیه گفت: «اوضاع آرام است.»\n\n"
            "وی افزود: «مسائل زیادی مانده است.»\n\nلاوروف خاطرنشان کرد: «ما همکاری می‌کنیم.»")
    assert _speakers(body) == ["سرگئی لاوروف"] * 3


def test_office_statement_goes_to_its_head() -> None:
    """دفتر گوترش در بیانیه‌ای نوشت → آنتونیو گوترش."""
    body = "آنتونیو گوترش به ایروان رفت.\n\nدفتر گوترش در بیانیه‌ای نوشت: «دبیرکل با وزیر دیدار کرد.»"
    assert _speakers(body) == ["آنتونیو گوترش"]


def test_colon_speech_without_quote_marks() -> None:
    """«X گفت: ...» without marks is colon speech to the end of the paragraph; with marks, direct."""
    (q,) = _quotes("ولادیمیر پوتین گفت: ما به توافق پایبندیم و آن را اجرا می‌کنیم.")
    assert q.kind == "colon" and q.text.startswith("ما به توافق")
    (q,) = _quotes("ولادیمیر پوتین گفت: «ما به توافق پایبندیم و آن را اجرا می‌کنیم.»")
    assert q.kind == "direct" and q.text.startswith("ما به توافق")


def test_indirect_speech_is_marked() -> None:
    """«گفت که ...» and «به گفته وی، ...» are indirect."""
    body = ("ولادیمیر پوتین گفت که روسیه به توافق پایبند است.\n\n"
            "به گفته وی، مذاکرات ادامه خواهد داشت و نتیجه مثبت است.")
    quotes = _quotes(body)
    assert [q.kind for q in quotes] == ["indirect", "indirect"]
    assert all(q.speaker and q.speaker.name == "ولادیمیر پوتین" for q in quotes)


def test_double_quotes() -> None:
    """Some outlets write "..." instead of «...»."""
    (q,) = _quotes('دونالد ترامپ در پیامی نوشت: "ما به توافق رسیدیم."')
    assert q.text == "ما به توافق رسیدیم." and q.speaker and q.speaker.name == "دونالد ترامپ"


def test_names_and_scare_quotes_are_not_quotes() -> None:
    """A name or a term in «» with no speech verb is not a quote."""
    assert _quotes("«سرگئی لاوروف» و «ولادیمیر پوتین» درباره «خط قرمز» مسکو صحبت کردند.") == ()


def test_coordinated_clauses_pick_the_right_subject() -> None:
    """«X استقبال کرد و Y نوشت: ...» → Y."""
    body = "جو بایدن از این توافق استقبال کرد و دونالد ترامپ نیز در پیامی نوشت: «این پیروزی بزرگی است.»"
    assert _speakers(body) == ["دونالد ترامپ"]


def test_role_alone_finds_the_person() -> None:
    """A clause naming only a role speaks for the person of the article who holds it."""
    body = ("رافائل گروسی به تهران سفر کرد.\n\n"
            "مدیرکل آژانس بین‌المللی انرژی اتمی در نشست خبری گفت: «همکاری ادامه دارد.»")
    assert _speakers(body) == ["رافائل گروسی"]


def test_unclosed_quote_and_repeated_marks_complete() -> None:
    """An unclosed quote ends at the paragraph; a megabyte of «« completes."""
    (q,) = _quotes("ولادیمیر پوتین گفت: «ما آماده‌ایم\n\nبند بعدی.")
    assert q.text == "ما آماده‌ایم"
    assert isinstance(_quotes("متن " + "«" * 1_000_000), tuple)


def test_a_statement_continued_keeps_its_issuer() -> None:
    """«در ادامه این بیانیه آمده است: «...»» is the statement's issuer speaking on."""
    body = ("صندوق کودکان ملل متحد (یونیسف) در بیانیه‌ای اعلام کرد: «کودکان غزه به آب آشامیدنی دسترسی ندارند.»\n\n"
            "در ادامه این بیانیه آمده است: «بدون سوخت، تصفیه‌خانه‌های آب از کار خواهند افتاد.»")
    assert _speakers(body) == ["صندوق کودکان ملل متحد", "صندوق کودکان ملل متحد"]


def test_this_body_is_the_organization_named_before() -> None:
    """«این نهاد وابسته به سازمان ملل ...» speaks for the body named before, not for the UN."""
    body = ("برنامه جهانی غذا از کمبود شدید آرد در غزه خبر داد.\n\n"
            "این نهاد وابسته به سازمان ملل متحد در بیانیه‌ای اعلام کرد: «ذخایر آرد تنها برای یک هفته کافی است.»")
    assert _speakers(body) == ["برنامه جهانی غذا"]


def test_a_role_word_alone_finds_the_one_holder() -> None:
    """«سخنگوی دستگاه دیپلماسی گفت» → the one spokesperson the article introduced."""
    body = ("اسماعیل بقائی سخنگوی وزارت امور خارجه گفت: «مذاکرات ادامه دارد.»\n\n"
            "سخنگوی دستگاه دیپلماسی درباره روابط با همسایگان نیز عنوان کرد: «روابط با همه همسایگان رو به گسترش است.»")
    assert _speakers(body) == ["اسماعیل بقائی", "اسماعیل بقائی"]


def test_a_role_stated_by_the_text_finds_a_person_missing_from_the_gazetteer() -> None:
    """«کامران نیک‌سیر، استاندار مازندران، ...» then «استاندار مازندران ... گفت:» → the same person."""
    body = ("کامران نیک‌سیر، استاندار مازندران، روز شنبه از سد لار بازدید کرد و گفت: «ذخایر آب نگران‌کننده است.»\n\n"
            "استاندار مازندران با اشاره به کم‌بارشی خاطرنشان کرد: «مصرف باید کاهش یابد.»")
    assert _speakers(body) == ["کامران نیک‌سیر", "کامران نیک‌سیر"]


def test_a_pronoun_subject_wins_over_a_name_later_in_the_clause() -> None:
    """«وی درباره غیبت آزمون افزود» — وی speaks, not آزمون."""
    body = ("امیر قلعه‌نویی سرمربی تیم ملی گفت: «تیم آماده است.»\n\n"
            "سردار آزمون مهاجم تیم ملی این هفته تمرین نکرد.\n\n"
            "وی درباره غیبت آزمون افزود: «تصمیم با پزشکان تیم است.»")
    assert _speakers(body)[-1] == "امیر قلعه‌نویی"


def test_a_pronoun_after_a_newly_introduced_subject() -> None:
    """«حسین راغفر» اقتصاددان ... معتقد است ... . وی گفت: → راغفر, not the previous speaker."""
    body = ("علی مدنی‌زاده وزیر اقتصاد گفت: «بازار آرام می‌شود.»\n\n"
            "«حسین راغفر» اقتصاددان اما معتقد است این وعده کافی نیست. وی به خبرنگاران گفت: «نقدینگی مهار نشده است.»")
    assert _speakers(body) == ["علی مدنی‌زاده", "حسین راغفر"]


def test_this_official_refers_back_like_a_pronoun() -> None:
    """«این مقام محلی تصریح کرد» → the official just introduced."""
    body = ("ضیا پولات، والی قارص، اعلام کرد زیرساخت‌های گمرکی آماده است. "
            "این مقام محلی تصریح کرد: «ساختمان گمرک تا پایان ماه تکمیل می‌شود.»")
    assert _speakers(body) == ["ضیا پولات"]


def test_a_role_or_its_office_speaks_for_the_one_holder() -> None:
    """«رئیس جمهور نیز ... تصریح کرد» and «دفتر رئیس جمهور ... اعلام کرد» → the president named before."""
    body = ("در این جلسه مسعود پزشکیان رئیس‌جمهور حضور داشت.\n\n"
            "رئیس جمهور نیز در سخنانی تصریح کرد: «ما در شرایط جنگ اقتصادی هستیم.»\n\n"
            "دفتر رئیس جمهور ساعاتی بعد در بیانیه‌ای اعلام کرد: «رئیس‌جمهور به نظر نمایندگان احترام می‌گذارد.»")
    assert _speakers(body) == ["مسعود پزشکیان", "مسعود پزشکیان"]


# One paragraph dense with speech verbs, quotes, names, pronouns, roles and markers.
_HOSTILE = (
    "علی رضایی وزیر کشور گفت: «ثبات برقرار است» و وی افزود: «ما همکاری می‌کنیم» به گفته وی، مذاکرات ادامه "
    "خواهد داشت و نتیجه مثبت است. مریم احمدی در پیامی نوشت: «ما پیروزیم» و این مقام تصریح کرد: «مصرف کم شود» "
    "سازمان ملل در بیانیه‌ای اعلام کرد: «کمک می‌رسد» این نهاد افزود: «آب نیست» دفتر رئیس جمهور اعلام کرد: "
    "«احترام» و حسن کریمی گفت که ما در شرایط سختی هستیم. رئیس جمهور نیز تصریح کرد: «کار ادامه دارد» و "
    "یونیسف گفت: «کودکان در خطرند» "
)


Article = tuple[str, tuple[Entity, ...], dict[str, tuple[str, ...]]]


def _dense(size: int) -> Article:
    text = _HOSTILE * (size // len(_HOSTILE.encode()) + 1)
    return text, entities_in(text), roles_of(ali="وزیر کشور", hasan="رئیس جمهور")


def _many_roles(size: int) -> Article:
    """Every paragraph introduces another official, then quotes them by their role alone."""
    letters = "ابپتثجچحخد"
    parts: list[str] = []
    entities: list[Entity] = []
    roles: dict[str, tuple[str, ...]] = {}
    at = 0
    while at < size // 2:  # Persian letters take two bytes
        tag = "".join(letters[int(d)] for d in str(len(entities)))
        name, role = f"مرد{tag} کاظمی", f"استاندار {tag}"
        part = f"{name}، {role}، آمد. {role} گفت: «کار ادامه دارد.»\n\n"
        entities.append(Entity("person", f"person/{tag}", name, (Mention(at, at + len(name), name),), linked=False))
        roles[f"person/{tag}"] = role_keys_of(role, one_word=True)
        parts.append(part)
        at += len(part)
    return "".join(parts), tuple(entities), roles


def _seconds_per_byte(article: Callable[[int], Article], size: int, runs: int) -> float:
    text, entities, roles = article(size)
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        began = time.process_time()
        quotes = extract_quotes(text, entities, LEX, roles)
        best = min(best, time.process_time() - began)
    assert len(quotes) > size // 200  # the text is read as speech throughout
    return best / len(text.encode())


@pytest.mark.parametrize("article", [_dense, _many_roles], ids=["dense", "many-roles"])
def test_quote_extraction_time_grows_linearly(article: Callable[[int], Article]) -> None:
    """Eight times the text takes about eight times as long: a super-linear lookup fails this."""
    small = _seconds_per_byte(article, 64 * 1024, runs=5)
    large = _seconds_per_byte(article, 512 * 1024, runs=2)
    assert large / small <= 3.0, f"{large / small:.1f}× the time per byte at 8× the size"


def test_an_outlet_crediting_the_report_does_not_speak() -> None:
    """«به گزارش خبرآنلاین، سرمربی آبی‌پوشان در نشست خبری ... گفت»: the clause's subject is an office
    and the outlet only credits the report, so the outlet is not the speaker."""
    body = ("به گزارش خبرآنلاین، سرمربی آبی‌پوشان در نشست خبری پیش از سفر به تبریز گفت: «فاصله ما با صدر جدول "
            "زیاد نیست.»")
    assert "خبرآنلاین" not in _speakers(body)


@pytest.mark.parametrize("body", [
    "«هر بسته تحریمی تنها اقتصاد خود اروپا را ضعیف‌تر می‌کند»؛ این را «ولادیمیر چیژوف»، نماینده دائم روسیه "
    "در اتحادیه اروپا، در واکنش به تصویب بسته جدید گفت.",
    "«هر بسته تحریمی تنها اقتصاد خود اروپا را ضعیف‌تر می‌کند»؛ این را ولادیمیر چیژوف، نماینده دائم روسیه "
    "در اتحادیه اروپا، گفت و افزود که مسکو راه‌های جایگزین پیدا کرده است.",
])
def test_a_quote_before_its_speaker_named_in_marks(body: str) -> None:
    """A name in «» between the quote and its verb is no other quote: the verb still attributes it."""
    assert _speakers(body) == ["ولادیمیر چیژوف"]


def test_by_the_words_of_someone_with_a_role_between_commas() -> None:
    """«به گفته X، role، «...»»: the quote after the apposition is X's direct speech."""
    body = "به گفته الناره حسن‌لی، استاد علوم سیاسی دانشگاه دولتی باکو، «باکو دیگر خود را شریک کوچک مسکو نمی‌داند.»"
    assert _speakers(body) == ["الناره حسن‌لی"]


def test_by_the_words_of_an_office_its_holder_speaks() -> None:
    """«به گفته مدیرکل آژانس، «...»» is the person the article gives that office."""
    body = ("رافائل گروسی، مدیرکل آژانس بین‌المللی انرژی اتمی، به وین رفت.\n\n"
            "به گفته مدیرکل آژانس، «حدود ۴۰۰ کیلوگرم اورانیوم پیش از حملات در ایران وجود داشت.»")
    assert _speakers(body) == ["رافائل گروسی"]
