"""Letters: one code point per Persian letter, no diacritics, no invisible characters.

Canonical choices (keyword fields, entity ids and topic matching rely on them being stable):

- ی and ک are Persian (ي ى → ی, ك → ک); ة → ه, except ت before the Arabic article «ال»
  (آیةالله → آیت‌الله), the way Persian spells those loans.
- ۀ and هٔ → ه. The ezafe hamza is optional, and agencies mostly leave it out: dropping it makes
  «خارجهٔ روسیه» and «خارجه روسیه» one key. «ه‌ی» written out is left as it is.
- أ at the start of a word → ا (احمد); inside a word it is Persian orthography (تأکید) and stays.
  إ ٱ → ا; آ ؤ ئ stay.
- Arabic-Indic digits become Persian ones (the rest of the digit rules are in ``digits``).
- Diacritics, kashida, bidi controls, zero-width spaces, BOM, soft hyphens and control characters
  are removed. A ZWNJ stays only between a letter that joins forward and one that joins back
  (the only place it changes anything); ZWJ only inside emoji sequences.

Examples:
    >>> fix_characters("كيف")
    'کیف'
    >>> clean_zwnj(fix_characters("كشور\u200cها"))
    'کشورها'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ZWNJ",
    "DUAL_JOINING",
    "RIGHT_JOINING",
    "LETTERS",
    "PERSIAN_DIGITS",
    "fix_characters",
    "clean_zwnj",
]

ZWNJ = "\u200c"

# Letters by how they join (Unicode ArabicShaping): a ZWNJ matters only after a letter that
# joins forward (dual) and before one that joins back (dual or right).
DUAL_JOINING = "بپتثجچحخسشصضطظعغفقکگلمنهیئ"
RIGHT_JOINING = "آأإؤادذرزژو"
LETTERS = DUAL_JOINING + RIGHT_JOINING + "ء"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

_LETTER_MAP: Mapping[str, str] = MappingProxyType({
    "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی", "ے": "ی", "ۓ": "ئ", "ٸ": "ئ",
    "ك": "ک", "ڪ": "ک", "ػ": "ک", "ؼ": "ک",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه", "ۂ": "ه", "ۃ": "ه",
    "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ٶ": "ؤ", "ٷ": "ؤ",
})
_DIACRITICS = (
    [chr(c) for c in range(0x064B, 0x0660)]  # tanwin, harakat, shadda, sukun, madda, hamza marks
    + ["\u0670"]  # superscript alef
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6)]
)
_REMOVED = (
    _DIACRITICS
    + ["\u0640"]  # kashida
    + ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u061c", "\u200e", "\u200f"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\v\f\r"]
    + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0) if c != 0x85]
)
_SPACES = ["\t", "\u00a0", "\u1680", "\u202f", "\u205f", "\u3000"] + [chr(c) for c in range(0x2000, 0x200B)]
_BREAKS: Mapping[str, str] = MappingProxyType(
    {"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})


def _presentation_forms() -> dict[int, str | None]:
    """Presentation forms (ﻙ ﮐ ﷲ ﻻ …) → their letters, with the letter map and removals applied."""
    table: dict[int, str | None] = {}
    for block in (range(0xFB50, 0xFE00), range(0xFE70, 0xFEFF)):
        for code in block:
            ch = chr(code)
            if unicodedata.category(ch) == "Cn":
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch:
                folded = "".join(_LETTER_MAP.get(c, c) for c in folded)
                table[code] = "".join(c for c in folded if c not in _DIACRITICS and c != "\u0640")
    return table


def _build_char_table() -> dict[int, str | None]:
    table = _presentation_forms()
    for src, dst in _LETTER_MAP.items():
        table[ord(src)] = dst
    for offset in range(10):
        table[0x0660 + offset] = PERSIAN_DIGITS[offset]  # Arabic-Indic → Persian
    for ch in _REMOVED:
        table[ord(ch)] = None
    for ch in _SPACES:
        table[ord(ch)] = " "
    for ch, repl in _BREAKS.items():
        table[ord(ch)] = repl
    return table


_CHAR_TABLE = _build_char_table()
_MARKS = re.compile("[\u0653\u0654\u0655]")
_MARK_PAIRS = re.compile("([اوؤیيئهە])([\u0653\u0654\u0655])")
_MARK_COMPOSED: Mapping[tuple[str, str], str] = MappingProxyType({
    ("ا", "\u0653"): "آ", ("ا", "\u0654"): "أ", ("ا", "\u0655"): "ا",
    ("و", "\u0654"): "ؤ", ("ؤ", "\u0654"): "ؤ",
    ("ی", "\u0654"): "ئ", ("ي", "\u0654"): "ئ", ("ئ", "\u0654"): "ئ",
    ("ه", "\u0654"): "ه", ("ە", "\u0654"): "ه",
})
_TAA_BEFORE_AL = re.compile(f"ة(?=[ {ZWNJ}]?ال)")
_INITIAL_HAMZA_ALEF = re.compile(f"(?<![{LETTERS}])أ")
_ZWJ_OUTSIDE_EMOJI = re.compile(
    "(?<![\u2600-\u27bf\U0001f000-\U0001faff])\u200d|\u200d(?![\u2600-\u27bf\U0001f000-\U0001faff])"
)


def _compose_mark(m: re.Match[str]) -> str:
    return _MARK_COMPOSED.get((m.group(1), m.group(2)), m.group(1))


def _compose(text: str) -> str:
    """Composed forms first, so the table sees whole letters: NFC, hamza/madda marks, ة before «ال», ZWJ."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _MARKS.search(text):
        text = _MARK_PAIRS.sub(_compose_mark, text)
    if "ة" in text:
        text = _TAA_BEFORE_AL.sub("ت", text)
    if "\u200d" in text:
        text = _ZWJ_OUTSIDE_EMOJI.sub("", text)
    return text


def fix_characters(text: str) -> str:
    """Letters, digits and invisible characters to their canonical form (see the module docstring).

    >>> fix_characters("كتاب عربي\u200f و آیة الله\u200cها و مَدرسۀ ۱٢٣")
    'کتاب عربی و آیت الله\u200cها و مدرسه ۱۲۳'
    >>> fix_characters("أحمد تأکید کرد")
    'احمد تأکید کرد'
    >>> fix_characters("ﻛﺘﺎﺏ سلامـــت")
    'کتاب سلامت'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if not text.isascii():
        text = _compose(text)
    text = text.translate(_CHAR_TABLE)
    if "أ" in text:
        text = _INITIAL_HAMZA_ALEF.sub("ا", text)
    return text


_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")
_ZWNJ_USELESS = re.compile(f"(?<![{DUAL_JOINING}]){ZWNJ}|{ZWNJ}(?![{DUAL_JOINING}{RIGHT_JOINING}])")


def clean_zwnj(text: str) -> str:
    """Keep a ZWNJ only between a forward-joining and a back-joining letter, once.

    >>> clean_zwnj("\u200cکشور\u200cها و می\u200c\u200cرود \u200cو")
    'کشورها و می\u200cرود و'
    >>> clean_zwnj("قره\u200c باغ")
    'قره باغ'
    """
    if ZWNJ not in text:
        return text
    return _ZWNJ_USELESS.sub("", _ZWNJ_RUN.sub(ZWNJ, text))
