"""Properties of ``normalize_text`` on generated text: it never raises, a second pass changes
nothing, and its output stays within twice the input's length once letters are unfolded.

Text is drawn from Persian, Arabic and Latin letters, both digit sets, Persian and Latin marks,
whole Persian words that lost their ZWNJ, emoji (with ZWJ sequences and flags), presentation forms,
invisible and control characters and markup. The seed is fixed and the number of examples bounded,
so a run is the same everywhere.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from streams.enrich.persian import fix_characters, normalize_phrase, normalize_text, strip_markup
from streams.enrich.persian.letters import LETTERS

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئءؤأ"
ARABIC = "ةيكىإٱۀًٌٍَُِّْٰ٠١٢٣٤٥٦٧٨٩"
LATIN = "aBcDxyzF"
DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹"
MARKS = "«»،؛؟!:.,;?()[]-%/\"'…"
SPACES = [" ", " ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u2028", "\u2029", "\u3000"]
INVISIBLE = ["\u200c", "\u200c\u200c", "\u200d", "\u200b", "\u200e", "\u200f", "\u202b", "\u202c", "\u2066",
             "\ufeff", "\u00ad", "\u0640", "\u061c"]
CONTROL = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f"]
EMOJI = ["👍", "👍🏽", "👨\u200d👩\u200d👧", "🇮🇷", "❤️", "\u2764\u200d\U0001f525", "😀"]
PRESENTATION = ["ﻛ", "ﮐ", "ﻻ", "ﷲ", "ﷺ", "ﺏ", "ﻯ"]
MARKUP = ["<b>", "</p>", "<br>", "&amp;", "&lt;", "&gt;", "&nbsp;", "<!--", "-->", "<"]
# Words whose ZWNJ was lost, words with affixes, and two readings of one spelling.
WORDS = ["میشود", "نمیتوان", "کتابها", "سالهای", "نامهای", "زمینهای", "بیانیهای", "آتشبس", "گفتهاست",
         "رئیسجمهور", "قره باغ", "بیبرق", "آمادگیای", "حسینزاده", "خطرناکاند", "گفتوگو", "۶۳", "2020",
         "COVID-19", "https://irna.ir/a/1"]

_PIECES = st.one_of(
    st.sampled_from(PERSIAN), st.sampled_from(PERSIAN), st.sampled_from(ARABIC), st.sampled_from(LATIN),
    st.sampled_from(DIGITS), st.sampled_from(MARKS), st.sampled_from(SPACES), st.sampled_from(INVISIBLE),
    st.sampled_from(CONTROL), st.sampled_from(EMOJI), st.sampled_from(PRESENTATION),
    st.sampled_from(MARKUP), st.sampled_from(WORDS), st.characters(codec="utf-8"),
)
TEXT = st.lists(_PIECES, max_size=30).map("".join)
_PERSIAN_LETTER = re.compile(f"[{LETTERS}]")


@settings(max_examples=1500, derandomize=True, deadline=None, database=None)
@given(TEXT)
@example("ا\n\u200c")  # a line holding only a ZWNJ read as a paragraph before the ZWNJ went
@example("4ز«D")  # a digit's token split by the space put before «
@example("a٠;0")  # … by the space put after a ; that became ؛
@example("&lt;a&gt;")  # an entity decoding to a tag
@example("سالهای»aمیشود")  # a word after «Xهای» in one token
@example("ا" * 70 + "\nب\n\nپ")  # a paragraph wider than its last line, read again
@example("ااااااامیشودمیشودرئیسجمهور۰بیانیهای\n\nا")  # a line widened by its restored ZWNJs
@example("اااا«-->نمیتوان\n\nا")  # … by the space put before «
@example("0 .0")  # a point pulled onto a number
def test_normalize_text_properties(text: str) -> None:
    """normalize_text: a second pass changes nothing, no letter is lost, the length stays bounded."""
    once = normalize_text(text)
    assert normalize_text(once) == once, "not idempotent"
    # markup and invisible characters go and letters take one form; no letter is dropped or added
    assert _PERSIAN_LETTER.findall(once) == _PERSIAN_LETTER.findall(fix_characters(strip_markup(text)))
    # unfolding letters (a ligature such as ﷲ is several) is the only growth beyond one added
    # character in two: a space after a mark or a ZWNJ between a word's parts
    assert len(once) <= 2 * len(fix_characters(text))


@settings(max_examples=500, derandomize=True, deadline=None, database=None)
@given(TEXT)
def test_normalize_phrase_is_idempotent(text: str) -> None:
    """A phrase normalized twice is the phrase normalized once."""
    once = normalize_phrase(text)
    assert normalize_phrase(once) == once
