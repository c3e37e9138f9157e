"""Table tests for one word's ZWNJs (``wordforms.restore_word``), rule by rule. «_» stands for a ZWNJ."""

from __future__ import annotations

import pytest

from streams.enrich.persian.wordforms import restore_word
from tests.unit.enrich.persian.tables import z


@pytest.mark.parametrize(
    ("word", "written"),
    [
        ("نمیتوان", "نمی_توان"),  # می/نمی + a verb form
        ("برمیگردد", "برمی_گردد"),
        ("میرفتهاند", "می_رفته_اند"),
        ("بیانیهای", "بیانیه_ای"),  # after a silent ه
        ("گفتهاست", "گفته است"),  # a participle and «است»
        ("دهها", "ده_ها"),  # plurals
        ("بزرگترین", "بزرگ_ترین"),  # comparatives
        ("کوچکتر", "کوچک_تر"),
        ("صلحآمیز", "صلح_آمیز"),  # compound heads
        ("قطعهسازان", "قطعه_سازان"),
        ("کریماف", "کریم_اف"),  # a first name + a surname ending
        ("رستمیپور", "رستمی_پور"),  # a surname head after ی
        ("خطرناکاند", "خطرناک_اند"),  # an adjective + «to be»
        ("مصریاش", "مصری_اش"),  # a clitic after ی
        ("خانهبهخانه", "خانه_به_خانه"),  # X‌به‌X
        ("نخستوزیران", "نخست_وزیران"),  # an ending straight after a compound
        ("گفتوگو", "گفت_وگو"),  # a compound the lexicon spells with a ZWNJ
        ("شبهنظامی", "شبه_نظامی"),  # a prefix set apart
        ("فرامنطقهای", "فرامنطقه_ای"),  # a joined prefix, the word keeping its own ZWNJ
        ("بیبرق", "بی_برق"),  # «بی» before a word of its own
        ("بیسابقه", "بی_سابقه"),
        ("آمادگیای", "آمادگی_ای"),  # ای after a word ending in ی
        ("یازیجیاوغلو", "یازیجی_اوغلو"),  # a surname ending set apart after any name
        ("حسینیفر", "حسینی_فر"),  # a two-letter surname head after a long stem
        ("فاجعهبارتر", "فاجعه_بارتر"),  # a compound adjective's comparative
        ("آسیبپذیرند", "آسیب_پذیرند"),  # a compound + «ند»
        ("صاحبکارم", "صاحب_کارم"),  # a one-letter ending after a long compound
        ("میخشکاند", "می_خشکاند"),  # می + a causative verb's past
        ("سالهای", "سال_های"),  # «Xهای»: the plural, its stem far commoner
        ("جامعهای", "جامعه_ای"),  # «Xهای»: Xه + ای, Xه far commoner
    ],
)
def test_restore_word_splits(word: str, written: str) -> None:
    """A word made of known parts gets the ZWNJs between them."""
    assert restore_word(word) == z(written)


@pytest.mark.parametrize(
    "word",
    ["شدیدترین", "بیشتر", "کمتری", "شبهات", "فراهانی", "میدانی", "تنهایی", "پسابرجامی", "کشورها", "لاوروف",
     "پنجشنبه", "همزمان",  # joined spellings hazm tags as words
     "نامهای", "یگانهای", "پستهای", "گلهای",  # two readings, both common words
     "ژنیفر", "لوسیفر",  # a two-letter head after a short stem: transliterated names
     "لیلیت",  # a one-letter ending after a short compound (لی‌لی): a name
     "رویاند", "خشکاند", "رویاندند",  # causative verbs, not X + «اند»
     "دریای", "رویای",  # a word + the ezafe, not Xی + ای
     "بیکار", "بیستون", "بیرون", "داووداوغلو"],
)
def test_restore_word_leaves_words_whole(word: str) -> None:
    """Known words, words written joined by rule, and words with no known split stay as they are."""
    assert restore_word(word) == word
