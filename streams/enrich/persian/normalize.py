"""The ``normalize_text`` stage: agency copy → one canonical Persian text.

Each concern is a small pure ``str → str`` function over tables and patterns compiled once;
:func:`normalize_text` composes them in one place::

    strip_html → fix_characters → join_hard_wraps → fix_digits → fix_punctuation
               → collapse_spaces → clean_zwnj → restore_zwnj

Canonical choices (keyword fields, entity ids and topic matching rely on them being stable):

- ی and ک are Persian (ي ى → ی, ك → ک); ة → ه, except ت before the Arabic article «ال»
  (آیةالله → آیت‌الله), the way Persian spells those loans.
- ۀ and هٔ → ه. The ezafe hamza is optional, and agencies mostly leave it out: dropping it makes
  «خارجهٔ روسیه» and «خارجه روسیه» one key. «ه‌ی» written out is left as it is.
- أ at the start of a word → ا (احمد); inside a word it is Persian orthography (تأکید) and stays.
  إ ٱ → ا; آ ؤ ئ stay. :func:`match_key` also folds أ ؤ ئ to ا و ی, so تأکید/تاکید match.
- Digits: one form, Persian ۰-۹, with ٫ as decimal and ٬ as thousands separator, and ٪. A number
  inside a token that holds a Latin letter (COVID-19, F-35, a URL) keeps its Latin digits.
- Diacritics, kashida, bidi controls, zero-width spaces, BOM, soft hyphens and control characters
  are removed. A ZWNJ stays only between a letter that joins forward and one that joins back
  (the only place it changes anything); ZWJ only inside emoji sequences.
- Paragraphs are separated by a blank line (``\\n\\n``); see :func:`join_hard_wraps` for when a
  line break is a hard wrap (joined with a space) and when it ends a paragraph.
- Missing ZWNJs are restored from hazm's lexicon (see :func:`restore_zwnj`); a space is never
  turned into a ZWNJ, so «قره باغ» stays two words (:func:`match_key` makes it equal to قره‌باغ).

Examples:
    >>> normalize_text("توافقی که به فعالیتهای نظامی پایان میدهد")
    'توافقی که به فعالیت\u200cهای نظامی پایان می\u200cدهد'
    >>> match_key("قره باغ") == match_key("قره\u200cباغ") == match_key("قرهباغ")
    True
"""

from __future__ import annotations

import bisect
import difflib
import html
import importlib.util
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from streams.resources import data_path

__all__ = [
    "normalize_text",
    "normalize_phrase",
    "strip_html",
    "match_key",
    "zwnj_restoration",
    "fix_characters",
    "fix_digits",
    "fix_punctuation",
    "collapse_spaces",
    "clean_zwnj",
    "restore_zwnj",
    "join_hard_wraps",
]

ZWNJ = "\u200c"

# Letters by how they join (Unicode ArabicShaping): a ZWNJ matters only after a letter that
# joins forward (dual) and before one that joins back (dual or right).
_DUAL = "بپتثجچحخسشصضطظعغفقکگلمنهیئ"
_RIGHT = "آأإؤادذرزژو"
_LETTERS = _DUAL + _RIGHT + "ء"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_TAG_START = re.compile(r"<[A-Za-z/!?]")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_DROP_CONTENT = frozenset({"script", "style", "noscript", "template"})
_CLOSERS = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _DROP_CONTENT}
_LINE_TAGS = frozenset({"br"})
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "section", "article", "header",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "figure", "figcaption", "dd", "dt",
})


def _html_pieces(text: str) -> Iterator[str]:
    # A forward scan with str.find: every position is looked at a bounded number of times.
    i, n = 0, len(text)
    while i < n:
        j = text.find("<", i)
        if j < 0:
            yield text[i:]
            return
        yield text[i:j]
        if text.startswith("<!--", j):
            end = text.find("-->", j + 4)
            if end < 0:
                return  # an unclosed comment hides the rest, as in a browser
            i = end + 3
            continue
        if not _TAG_START.match(text, j):
            yield "<"
            i = j + 1
            continue
        end = text.find(">", j + 1)
        if end < 0:
            yield text[j:]  # no tag can close after this point: the rest is text
            return
        m = _TAG_NAME.match(text, j, end)
        name = m.group(1).lower() if m else ""
        i = end + 1
        if name in _DROP_CONTENT and not text.startswith("</", j):
            close = _CLOSERS[name].search(text, i)
            if close is None:
                return
            i = close.end()
        elif name in _LINE_TAGS:
            yield "\n"
        elif name in _BLOCK_TAGS:
            yield "\n\n"


def strip_html(text: str) -> str:
    """Remove tags safely (script/style contents dropped entirely, entities unescaped, <br>/<p> become
    line/paragraph breaks). Never regex-catastrophic.

    >>> strip_html("<p>سلام&nbsp;دنیا</p><script>alert(1)</script>")
    '\\n\\nسلام\\xa0دنیا\\n\\n'
    """
    return html.unescape("".join(_html_pieces(text)))


# ---------------------------------------------------------------------------------------------
# Characters
# ---------------------------------------------------------------------------------------------

_LETTER_MAP = {
    "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی", "ے": "ی", "ۓ": "ئ", "ٸ": "ئ",
    "ك": "ک", "ڪ": "ک", "ػ": "ک", "ؼ": "ک",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه", "ۂ": "ه", "ۃ": "ه",
    "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ٶ": "ؤ", "ٷ": "ؤ",
}
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
_BREAKS = {"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}


def _build_char_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Presentation forms (ﻙ ﮐ ﷲ ﻻ …) fold to their letters; the result gets the letter map too.
    for block in (range(0xFB50, 0xFE00), range(0xFE70, 0xFEFF)):
        for code in block:
            ch = chr(code)
            if unicodedata.category(ch) == "Cn":
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch:
                folded = "".join(_LETTER_MAP.get(c, c) for c in folded)
                table[code] = "".join(c for c in folded if c not in _DIACRITICS and c != "\u0640")
    for src, dst in _LETTER_MAP.items():
        table[ord(src)] = dst
    for offset in range(10):
        table[0x0660 + offset] = _PERSIAN_DIGITS[offset]  # Arabic-Indic → Persian
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
_MARK_COMPOSED = {
    ("ا", "\u0653"): "آ", ("ا", "\u0654"): "أ", ("ا", "\u0655"): "ا",
    ("و", "\u0654"): "ؤ", ("ؤ", "\u0654"): "ؤ",
    ("ی", "\u0654"): "ئ", ("ي", "\u0654"): "ئ", ("ئ", "\u0654"): "ئ",
    ("ه", "\u0654"): "ه", ("ە", "\u0654"): "ه",
}
_TAA_BEFORE_AL = re.compile("ة(?=[ \u200c]?ال)")
_INITIAL_HAMZA_ALEF = re.compile(f"(?<![{_LETTERS}])أ")
_ZWJ_OUTSIDE_EMOJI = re.compile(
    "(?<![\u2600-\u27bf\U0001f000-\U0001faff])\u200d|\u200d(?![\u2600-\u27bf\U0001f000-\U0001faff])"
)


def _compose_mark(m: re.Match[str]) -> str:
    return _MARK_COMPOSED.get((m.group(1), m.group(2)), m.group(1))


def fix_characters(text: str) -> str:
    """Letters, digits and invisible characters to their canonical form (see the module docstring).

    >>> fix_characters("كتاب عربي\u200f و آیة الله\u200cها و مَدرسۀ ۱٢٣")
    'کتاب عربی و آیت الله\u200cها و مدرسه ۱۲۳'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        if _MARKS.search(text):
            text = _MARK_PAIRS.sub(_compose_mark, text)
        if "ة" in text:
            text = _TAA_BEFORE_AL.sub("ت", text)
        if "\u200d" in text:
            text = _ZWJ_OUTSIDE_EMOJI.sub("", text)
    text = text.translate(_CHAR_TABLE)
    if "أ" in text:
        text = _INITIAL_HAMZA_ALEF.sub("ا", text)
    return text


# ---------------------------------------------------------------------------------------------
# Digits
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[0-9۰-۹]+(?:[.,][0-9۰-۹]+)*%?")
_LATIN_CONTEXT = re.compile(r"[A-Za-z@_]")
_NUMBER_TABLE = str.maketrans({**{str(d): _PERSIAN_DIGITS[d] for d in range(10)}, ".": "٫", ",": "٬", "%": "٪"})
_CONTEXT_CHARS = 24  # how far a Latin neighbour is looked for: keeps the scan bounded


def _token_context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - _CONTEXT_CHARS):start]
    right = text[end:end + _CONTEXT_CHARS]
    cut_left = max(left.rfind(" "), left.rfind("\n"))
    cut_right = min((i for i in (right.find(" "), right.find("\n")) if i >= 0), default=len(right))
    return left[cut_left + 1:] + right[:cut_right]


def _number(m: re.Match[str]) -> str:
    number = m.group()
    if not number.isascii() or not _LATIN_CONTEXT.search(_token_context(m.string, m.start(), m.end())):
        return number.translate(_NUMBER_TABLE)
    return number


def fix_digits(text: str) -> str:
    """Numbers to Persian digits with ٫ ٬ ٪, except inside Latin tokens (URLs, model names).

    >>> fix_digits("در 9 نوامبر 2020 رشد 3.5% بود؛ COVID-19 و F-35")
    'در ۹ نوامبر ۲۰۲۰ رشد ۳٫۵٪ بود؛ COVID-19 و F-35'
    """
    return _NUMBER.sub(_number, text)


# ---------------------------------------------------------------------------------------------
# Punctuation and spaces
# ---------------------------------------------------------------------------------------------

_CTX = f"{_LETTERS}{_PERSIAN_DIGITS}«»"
# Run only when the mark occurs at all: most Persian copy has none.
_LATIN_MARKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (",", re.compile(f"(?<=[{_CTX}]) ?,(?![0-9])|,(?= ?[{_LETTERS}«])"), "،"),
    (";", re.compile(f"(?<=[{_CTX}]) ?;|;(?= ?[{_LETTERS}«])"), "؛"),
    ("?", re.compile(f"(?<=[{_CTX}]) ?\\?"), "؟"),
)
# Each pattern starts on a character it consumes, so the scan between matches stays in C.
_SPACING: tuple[tuple[re.Pattern[str], str], ...] = (
    # no space before closing marks, none after opening ones ("..." keeps its space: «و ...»)
    (re.compile(r" +(?=[،؛؟!:»)\]]|\.(?!\.))"), ""),
    (re.compile(r"([«(\[]) +"), r"\1"),
    # one space after Persian punctuation, after ! : . before a Persian word, around guillemets
    (re.compile(r"([،؛؟])(?=[^\s،؛؟!.:»)\]…])"), r"\1 "),
    (re.compile(f"([!:])(?=[{_LETTERS}«])|(?<=[{_LETTERS}]{{2}})(\\.)(?=[{_LETTERS}«])"), r"\1\2 "),
    (re.compile(f"»(?=[{_LETTERS}{_PERSIAN_DIGITS}])"), "» "),
    (re.compile(f"([{_LETTERS}{_PERSIAN_DIGITS}])«"), r"\1 «"),
)
_SPACE_RUN = re.compile(r" {2,}")


def fix_punctuation(text: str) -> str:
    """Persian ، ؛ ؟ in Persian context; no space before ، . ؛ ؟ ! : », one after them.

    >>> fix_punctuation("آرام ، صلح آمیز,باثبات ?گفت:«نه» .")
    'آرام، صلح آمیز، باثبات؟ گفت: «نه».'
    """
    for mark, pattern, repl in _LATIN_MARKS:
        if mark in text:
            text = pattern.sub(repl, text)
    for pattern, repl in _SPACING:
        text = pattern.sub(repl, text)
    return text


def collapse_spaces(text: str) -> str:
    """Runs of spaces to one; lines trimmed.

    >>> collapse_spaces("  سلام   دنیا \\n  خبر ")
    'سلام دنیا\\nخبر'
    """
    text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        return "\n".join(line.strip(" ") for line in text.split("\n"))
    return text.strip(" ")


# ---------------------------------------------------------------------------------------------
# ZWNJ
# ---------------------------------------------------------------------------------------------

_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")
_ZWNJ_USELESS = re.compile(f"(?<![{_DUAL}]){ZWNJ}|{ZWNJ}(?![{_DUAL}{_RIGHT}])")


def clean_zwnj(text: str) -> str:
    """Keep a ZWNJ only between a forward-joining and a back-joining letter, once.

    >>> clean_zwnj("\u200cکشور\u200cها و می\u200c\u200cرود \u200cو")
    'کشورها و می\u200cرود و'
    """
    if ZWNJ not in text:
        return text
    return _ZWNJ_USELESS.sub("", _ZWNJ_RUN.sub(ZWNJ, text))


# Suffixes written after a ZWNJ when the stem ends in a forward-joining letter.
_PLURALS = ("هایشان", "هایتان", "هایمان", "هایی", "هایش", "هایم", "هایت", "هاست", "های", "ها")
_AFTER_SILENT_HEH = ("اند", "ایم", "اید", "ای", "ام", "اش")
_COMPARATIVES = ("ترین", "تری", "تر")
# Second parts of compounds written with a ZWNJ (Academy orthography) when the first part is a word.
_COMPOUND_HEADS = (
    "شدگان", "شده", "کنندگان", "کننده", "کنندگی", "آمیز", "انگیز", "ناپذیری", "ناپذیر", "پذیری",
    "پذیر", "گیری", "گذاری", "رسانی", "آوری", "سازی", "زدایی", "نامه", "گرایی", "شناسی", "شناس",
    "دهندگان", "دهنده", "باختگان", "باخته", "تبار", "زبان", "زنی", "مدت",
)
# Surname parts written after a ZWNJ when the first part ends in ی (رستمی‌پور، شهابی‌نیا).
_NAME_HEADS = ("پور", "نیا", "فر", "راد", "نژاد", "زاده")
_SURNAME_ENDINGS = ("اوف", "اف", "یف")
_NON_JOINING = frozenset("اآدذرزژو")
# Clitics written after a ZWNJ when the word ends in ی (جنوبی‌اش، مدعی‌اند).
_AFTER_YEH = ("اند", "اش")
# Endings that attach straight to a compound restored from the lexicon (نخست‌وزیران).
_JOINED_ENDINGS = ("یان", "انی", "شان", "مان", "تان", "ان", "یی", "ی", "ش", "م", "ت")
# An inflected compound follows its stem: if the stem is written joined, so is it.
_KEPT_STEM_ENDINGS = ("ترین", "تری", "یان", "انی", "ان", "یی")
_PREVERBS = ("", "بر", "در", "باز", "فرا", "فرو", "ور", "وا")
# Second person singular (می‌دانی) is left out: rare in news copy, and it turns surnames such as
# میدری into verbs.
_PERSON_PRESENT = ("م", "د", "یم", "ید", "ند")
_PERSON_PAST = ("", "م", "یم", "ید", "ند")


@dataclass(frozen=True)
class _Lexicon:
    known: frozenset[str]  # words to leave alone as written
    untagged: frozenset[str]  # hazm's untagged entries: fine as stems, not proof a word is right
    frequency: Mapping[str, int]  # of tagged words, to weigh two readings of one spelling
    compounds: Mapping[str, str]  # joined spelling → spelling with its ZWNJs
    adjectives: frozenset[str]
    verb_tails: frozenset[str]  # what follows می/نمی in a verb form
    participles: frozenset[str]  # past stem + ه, also negated
    first_names: frozenset[str] = frozenset()  # for Azerbaijani surnames: کریم‌اف، حسن‌اف


def _hazm_data(name: str) -> str:
    # Located without importing hazm, whose import pulls in nltk and takes a second.
    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("hazm is not installed")
    return (Path(next(iter(spec.submodule_search_locations))) / "data" / name).read_text(encoding="utf-8")


def _own_list(name: str) -> list[str]:
    lines = data_path(f"normalize/{name}").read_text(encoding="utf-8").splitlines()
    return [fix_characters(s).strip() for s in (ln.split("#", 1)[0] for ln in lines) if s.strip()]


def _first_names() -> list[str]:
    path = data_path("first_names.txt")
    if not path.is_file():
        return []
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and " " not in line:
            names.append(fix_characters(line))
    return names


@cache
def _lexicon() -> _Lexicon:
    """hazm's word list and verb stems, plus our own overrides; read once."""
    tagged: dict[str, int] = {}
    candidates: dict[str, tuple[int, int, str]] = {}  # joined → (tagged?, frequency, ZWNJ spelling)
    adjectives: set[str] = set()
    untagged: set[str] = set()
    # fix_characters turns the file's tabs into spaces; entries hold no spaces of their own.
    for line in fix_characters(_hazm_data("words.dat")).split("\n"):
        parts = line.split(" ")
        if len(parts) != 3:
            continue
        word, freq, tags = clean_zwnj(parts[0]), int(parts[1]), parts[2]
        is_tagged = tags != "0"  # untagged entries mix real words with misspellings such as میشود
        if is_tagged:
            tagged[word] = max(freq, tagged.get(word, 0))
            if "AJ" in tags.split(","):
                adjectives.add(word)
        elif ZWNJ not in word:
            untagged.add(word)
        if ZWNJ in word:
            joined = word.replace(ZWNJ, "")
            candidates[joined] = max(candidates.get(joined, (-1, -1, "")), (int(is_tagged), freq, word))
    # A joined spelling that is itself a word at least as common stays joined (همچنین، کتابخانه).
    compounds = {
        joined: word for joined, (_, freq, word) in candidates.items()
        if joined not in tagged or tagged[joined] < freq
    }
    for word in _own_list("compounds.txt"):
        compounds[word.replace(ZWNJ, "")] = word
    keep = set(_own_list("keep_joined.txt"))
    for word in keep:
        compounds.pop(word, None)
    kept = (set(tagged) - set(compounds)) | keep
    for joined in list(compounds):
        for ending in _KEPT_STEM_ENDINGS:
            stem = joined[: -len(ending)]
            if joined.endswith(ending) and len(stem) > 2 and stem in kept and stem not in compounds:
                del compounds[joined]  # پاسخگویی follows پاسخگو, بیشترین follows بیشتر: written joined
                break

    tails: set[str] = {"توان"}  # نمی‌توان: the bare stem is used impersonally
    participles: set[str] = set()
    for line in fix_characters(_hazm_data("verbs.dat")).split("\n"):
        if "#" not in line:
            continue
        past, presents = line.split("#", 1)
        past = past.strip()
        for present in presents.replace(" یا ", " ").split():
            stems = [present] + ([present + "ی"] if present[-1] in "اوآ" else [])
            tails.update(stem + end for stem in stems for end in _PERSON_PRESENT)
        if past:
            tails.update(past + end for end in _PERSON_PAST)
            tails.add(past + "ه")
            participles.update((past + "ه", "ن" + past + "ه"))
    return _Lexicon(
        known=frozenset((set(tagged) - set(compounds)) | keep),
        untagged=frozenset(untagged - set(tagged) - set(compounds)),
        frequency=tagged,
        compounds=compounds,
        adjectives=frozenset(adjectives),
        first_names=frozenset(_first_names()),
        verb_tails=frozenset(tails),
        participles=frozenset(participles),
    )


def _attach(stem: str, suffix: str) -> str:
    return stem + ZWNJ + suffix if stem[-1] in _DUAL else stem + suffix


def _base(lex: _Lexicon, stem: str, loose: bool, shortest: int = 3) -> str | None:
    """The stem as it should be written, if it is a word we know (short stems are too ambiguous)."""
    if len(stem) < shortest:
        return None
    if stem in lex.known or stem in lex.participles or (loose and stem in lex.untagged):
        return stem
    return lex.compounds.get(stem)


def _verb(lex: _Lexicon, word: str) -> str | None:
    for preverb in _PREVERBS:
        if not word.startswith(preverb):
            continue
        rest = word[len(preverb):]
        for prefix in ("نمی", "می"):
            if not rest.startswith(prefix):
                continue
            tail = rest[len(prefix):]
            if len(tail) < 2:
                continue
            if tail in lex.verb_tails:
                return preverb + prefix + ZWNJ + tail
            for suffix in _AFTER_SILENT_HEH:  # می‌رفته‌اند
                stem = tail[: -len(suffix)]
                if tail.endswith(suffix) and stem in lex.participles:
                    return preverb + prefix + ZWNJ + stem + ZWNJ + suffix
    return None


def _heh_reading_wins(lex: _Lexicon, stem: str, loose: bool) -> bool:
    """«Xهای»: Xه + ای (بیانیه‌ای) rather than X + های (سال‌های), when both are words?

    Plurals are the commoner reading: the ه word must be a tagged word with a fair share of X's
    count, all of X's after a letter that does not join (روزهای، دورهای), where the plural needs no
    ZWNJ. Pairs the counts get wrong are listed in ``compounds.txt`` (طرف‌های، دهه‌ای).
    """
    plural_stem = stem[:-1]
    if _base(lex, plural_stem, loose, shortest=2) is None:
        return True
    share = 0.1 if plural_stem[-1] in _DUAL else 1.0
    heh_count = lex.frequency.get(stem, 0)
    return heh_count > 0 and heh_count >= share * lex.frequency.get(plural_stem, 0)


def _suffixed(lex: _Lexicon, word: str, loose: bool) -> str | None:
    for suffix in _AFTER_SILENT_HEH:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem.endswith("ه") and (base := _base(lex, stem, loose)):
            if suffix == "ای" and not _heh_reading_wins(lex, stem, loose):
                break
            return base + ZWNJ + suffix
    if word.endswith("است"):
        stem = word[:-3]
        if stem.endswith("ه") and stem in lex.participles:
            return stem + " است"  # گفتهاست: «است» is a word of its own after a participle
    for suffix in _PLURALS:
        if word.endswith(suffix) and (base := _base(lex, word[: -len(suffix)], loose, shortest=2)):
            return _attach(base, suffix)
    for suffix in _COMPARATIVES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem in lex.adjectives:
            if stem + "تر" in lex.known:
                break  # بیشتر، کمتر، بهتر are written joined, and so are بیشترین، کمتری
            return _attach(lex.compounds.get(stem, stem), suffix)
    for suffix in _COMPOUND_HEADS:
        if word.endswith(suffix) and (base := _base(lex, word[: -len(suffix)], loose)):
            return _attach(base, suffix)
    for suffix in (*_SURNAME_ENDINGS, "زاده"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem in lex.first_names and stem[-1] not in _NON_JOINING:
            return stem + ZWNJ + suffix  # a first name + اف/یف/اوف/زاده is a surname: کریم‌اف، حسین‌زاده
    for suffix in _NAME_HEADS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem.endswith("ی") and (base := _base(lex, stem, loose)):
            return base + ZWNJ + suffix
    for suffix in ("اند", "ایم", "اید"):  # خطرناک‌اند، ساکن‌اند: an adjective and the verb «to be»
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem[-1] in _DUAL and stem in lex.adjectives:
            return stem + ZWNJ + suffix
    for suffix in _AFTER_YEH:
        stem = word[: -len(suffix)]
        # a tagged stem, not ـای (بنمایاند is a verb)
        if word.endswith(suffix) and stem.endswith("ی") and stem[-2:-1] != "ا" and (
                _base(lex, stem, False) or (len(stem) >= 4 and stem[:-1] in lex.known)):  # مصری‌اش
            return stem + ZWNJ + suffix
    half = (len(word) - 2) // 2  # خانه‌به‌خانه، نقطه‌به‌نقطه
    if half >= 2 and len(word) == 2 * half + 2 and word[half:half + 2] == "به" and word[:half] == word[half + 2:]:
        if base := _base(lex, word[:half], loose, shortest=2):
            return _attach(_attach(base, "به"), base)
    for suffix in _JOINED_ENDINGS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem in lex.compounds:
            return lex.compounds[stem] + suffix
    return None


def is_adjective(word: str) -> bool:
    """hazm's lexicon tags this word as an adjective (used to tell a name from a description)."""
    return word in _lexicon().adjectives


def word_frequency(word: str) -> int | None:
    """How common a word is in hazm's tagged list; None when it is not a tagged word (names often are not)."""
    lex = _lexicon()
    return lex.frequency.get(word) if word in lex.known else None


def is_verb(word: str) -> bool:
    """A finite verb form by hazm's verb stems: ندارد، می‌گوید، رفتند (names are not)."""
    lex = _lexicon()
    bare = word.replace(ZWNJ, "")
    if bare in lex.verb_tails or _verb(lex, bare) is not None:
        return True
    for ending in ("ایم", "اید", "اند", "ام", "ای"):  # داده‌ایم، رفته‌اند
        if bare.endswith(ending) and bare[: -len(ending)] in lex.participles:
            return True
    return bare.startswith("ن") and bare[1:] in lex.verb_tails


_INFLECTIONS = ("هایی", "های", "ها", "ترین", "تر", "ان", "ای", "ی")


def is_inflected(word: str) -> bool:
    """A known word with a plural, comparative or indefinite ending (مراقبت‌های، بزرگی، شمالی)."""
    lex = _lexicon()
    bare = word.replace(ZWNJ, "")
    for ending in _INFLECTIONS:
        stem = bare[: -len(ending)]
        if bare.endswith(ending) and len(stem) >= 2 and stem in lex.known:
            return True
    return False


def is_descriptive(word: str) -> bool:
    """An adjective, by hazm's tags or by form: a relational adjective is a known noun + ی (دولتی،
    کنسولی), + یی after a vowel (آمریکایی), or + ‌ای after a silent ه (منطقه‌ای)."""
    lex = _lexicon()
    if word in lex.adjectives:
        return True
    if ZWNJ in word and word.endswith("ی") and is_descriptive(word.rsplit(ZWNJ, 1)[1]):
        return True  # بین‌دولتی، فرامنطقه‌ای
    for ending in (ZWNJ + "ای", "یی", "ی"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem in lex.known:
            return True
    return False


@lru_cache(maxsize=1 << 16)  # a bounded memo: news copy repeats its unknown words
def _restore_word(word: str) -> str:
    """One word without ZWNJ → the word with the ZWNJs the lexicon is sure of."""
    lex = _lexicon()
    if word in lex.known:
        return word
    for ending in ("یی", "ی"):
        if word.endswith(ending) and word[: -len(ending)] in lex.known and word[-len(ending) - 1] != "ه":
            return word  # تنهایی، میدانی: a known word + ی, not a plural or a verb
    fixed = lex.compounds.get(word)
    if fixed is not None:
        return fixed
    # Stems from the tagged list first: an untagged entry may itself be a misspelling.
    return _verb(lex, word) or _suffixed(lex, word, False) or _suffixed(lex, word, True) or _prefixed(word) or word


# Prefixes written joined to a word that itself takes a ZWNJ: فرامنطقه‌ای، پسابرجامی.
_JOINED_PREFIXES = ("فرا", "پسا", "ضد", "غیر")


def _prefixed(word: str) -> str | None:
    rest = word[3:]
    if word.startswith("شبه") and len(rest) >= 4 and rest[0] != "ه":
        return "شبه" + ZWNJ + rest  # شبه‌نظامی، شبه‌آنفلوانزا: «شبه» is always set apart
    for prefix in _JOINED_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4:
            restored = _restore_word(rest)
            if ZWNJ in restored:
                return prefix + restored
    return None


_WORD = re.compile(f"[{_LETTERS}]+(?:{ZWNJ}[{_LETTERS}]+)*")
_LONGEST_WORD = 40  # longer runs of letters are not words: left alone, and kept out of the cache


def _restore_match(m: re.Match[str]) -> str:
    word = m.group()
    return word if ZWNJ in word or len(word) > _LONGEST_WORD else _restore_word(word)


# After «Xهای», these show the word ends its phrase: the ezafe plural (X‌های + a noun) cannot stand there,
# so «Xه + ای» is the reading (زمینه‌ای، / دوره‌ای است).
_PHRASE_END = frozenset("،,.؛;:!؟?)»")
_COPULAS = frozenset({
    "است", "بود", "بوده", "باشد", "نیست", "نبود", "هست", "شد", "شده", "شود", "می‌شود", "کرد", "کرده",
    "کند", "می‌کند", "دارد", "داشت", "خواهد", "را", "که",
})


def _heh_reading(word: str) -> str | None:
    """«Xهای» read as Xه + ای, when Xه is a word."""
    if not word.endswith("های") or len(word) < 6:
        return None
    base = _base(_lexicon(), word[:-2], False)
    return base + ZWNJ + "ای" if base else None


def _at_phrase_end(tokens: list[str], i: int, end: int) -> bool:
    token = tokens[i]
    if end < len(token):
        return token[end] in _PHRASE_END
    return i + 1 < len(tokens) and (tokens[i + 1] in _COPULAS or tokens[i + 1][:1] in _PHRASE_END)


def restore_zwnj(text: str) -> str:
    """Put back the ZWNJs agency copy loses, where hazm's lexicon (plus our lists) is sure of them.

    A word is changed only when, as written, it is not a known word and it splits into known parts:
    می/نمی + a verb form, a stem + a plural/comparative/personal suffix, a stem + a compound part,
    or it is a compound the lexicon spells with a ZWNJ. Words that already hold a ZWNJ are left alone.

    >>> restore_zwnj("میدهد بیانیهای فعالیتهای آتشبس برای میان بیشتر کشورها")
    'می\u200cدهد بیانیه\u200cای فعالیت\u200cهای آتش\u200cبس برای میان بیشتر کشورها'
    """
    known = _lexicon().known
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        if token not in known:  # most tokens are plain known words: a set lookup, no regex
            restored = _WORD.sub(_restore_match, token)
            m = _WORD.search(token) if "های" in token else None
            if m is not None and m.group().endswith("های") and ZWNJ not in m.group() \
                    and _at_phrase_end(tokens, i, m.end()) and (alt := _heh_reading(m.group())):
                restored = token[:m.start()] + alt + token[m.end():]
            tokens[i] = restored
    return " ".join(tokens)


# ---------------------------------------------------------------------------------------------
# Hard wraps and paragraphs
# ---------------------------------------------------------------------------------------------

_FINAL = frozenset(".!?؟:»\"…)")
_PARAGRAPH_START = re.compile(r"[-–—•*■▪●]|به گزارش|[0-9۰-۹]+[-.)] ")
_MIN_WIDTH = 60
_SHORT = 0.6  # a line shorter than this share of the wrap width was ended on purpose
_MAX_WRAP = 200  # no agency wraps wider: longer lines are whole paragraphs


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return _MIN_WIDTH
    return max(_MIN_WIDTH, lengths[int(0.8 * (len(lengths) - 1))])


def join_hard_wraps(text: str) -> str:
    """Lines → paragraphs separated by ``\\n\\n``.

    The wrap width is the 80th percentile of line lengths. A single line break is a hard wrap
    (joined with a space) unless the line before it is short (under 60% of the width: a kicker, a
    title, a paragraph's last line), or lines are paragraph-long (width over 200) and it ends a
    sentence. A blank line ends the paragraph unless the copy was cut mid-sentence: the line
    before it is full width, does not end in . ! ؟ : » … and the next line does not open a new
    paragraph (a dash, a bullet, «به گزارش»).

    >>> wrapped = "ب" * 70
    >>> join_hard_wraps(f"لاوروف:\\n\\n{wrapped} قره\\nباغ پایان.").replace(wrapped, "…")
    'لاوروف:\\n\\n… قره باغ پایان.'
    """
    lines = [line.strip() for line in text.split("\n")]
    width = _wrap_width(lines)
    short = _SHORT * width
    paragraphs: list[str] = []
    current: list[str] = []
    blank_before = False
    for line in lines:
        if not line:
            blank_before = bool(current) or blank_before
            continue
        if current:
            last = current[-1]
            ends = last[-1] in _FINAL
            if blank_before:
                joined = len(last) >= short and not ends and not _PARAGRAPH_START.match(line)
            else:
                joined = len(last) >= short and not (width > _MAX_WRAP and ends)
                # a line that leaves a «» open is cut mid-quote or mid-name, however short it is
                opened = sum(part.count("«") - part.count("»") for part in current)
                joined = joined or (opened > 0 and not ends)
            if not joined:
                paragraphs.append(" ".join(current))
                current = []
        current.append(line)
        blank_before = False
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Public stages
# ---------------------------------------------------------------------------------------------

_HAS_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9]*[\s/>]|/[A-Za-z]|!--)")


def normalize_text(text: str) -> str:
    """Article text (title/lead/body) → canonical text. Keeps paragraph breaks as '\\n\\n', rejoins
    hard-wrapped lines inside a paragraph with a space.

    >>> normalize_text(" لاوروف:\\n\\nمسائل زیادی در قره باغ باید حل شود")
    'لاوروف:\\n\\nمسائل زیادی در قره باغ باید حل شود'
    """
    if "<" in text and _HAS_TAG.search(text):
        text = strip_html(text)
    elif "&" in text:
        text = html.unescape(text)
    text = fix_characters(text)
    text = collapse_spaces(text)
    text = join_hard_wraps(text)
    text = fix_digits(text)
    text = fix_punctuation(text)
    text = collapse_spaces(text)
    return restore_zwnj(clean_zwnj(text))


def normalize_phrase(text: str) -> str:
    """A short string (a name, a keyword, a query): same character and ZWNJ fixes, single line, trimmed.

    >>> normalize_phrase("  رئیس جمهور\\nعليف ")
    'رئیس جمهور علیف'
    """
    text = fix_characters(text)
    if "\n" in text:
        text = text.replace("\n", " ")
    text = fix_punctuation(fix_digits(text))
    return restore_zwnj(clean_zwnj(collapse_spaces(text)))


_KEY_TABLE = str.maketrans({ZWNJ: None, " ": None, "أ": "ا", "ؤ": "و", "ئ": "ی"})


@lru_cache(maxsize=1 << 15)  # entity names recur from article to article
def match_key(text: str) -> str:
    """Comparison key for matching/ids: normalize_phrase, then ZWNJ and spaces removed, lowercased Latin.
    قره‌باغ, قره باغ, قرهباغ, قره‌ باغ → the same key. Hamza seats fold too (رئیس/رییس, تأکید/تاکید).

    >>> match_key("قره\u200c باغ") == match_key("قرهباغ")
    True
    """
    return normalize_phrase(text).translate(_KEY_TABLE).lower()


# ---------------------------------------------------------------------------------------------
# Measuring ZWNJ restoration
# ---------------------------------------------------------------------------------------------


def _zwnj_skeleton(text: str) -> tuple[str, list[int]]:
    """Canonical characters without ZWNJs and whitespace, and where the ZWNJs stood."""
    text = clean_zwnj(fix_punctuation(fix_digits(fix_characters(text))))
    chars: list[str] = []
    positions: list[int] = []
    for ch in text:
        if ch == ZWNJ:
            positions.append(len(chars))
        elif not ch.isspace():
            chars.append(ch)
    return "".join(chars), positions


def zwnj_restoration(original: str, restored: str) -> tuple[int, int, int]:
    """(restored_count, lost_count, wrongly_inserted) of ``restored`` against ``original``'s ZWNJs.

    Both texts are compared on their canonical characters with ZWNJs and whitespace set aside, so
    other normalization (digits, spacing, line joins) does not count; ZWNJs that change nothing
    (after ر, before a space) are not counted on either side. A ZWNJ that replaced a space is wrong.

    >>> zwnj_restoration("می\u200cدهد و فعالیت\u200cها", "می\u200cدهد و فعالیتها")
    (1, 1, 0)
    """
    skel_o, pos_o = _zwnj_skeleton(original)
    skel_r, pos_r = _zwnj_skeleton(restored)
    if skel_o == skel_r:
        mapped = set(pos_r)
    else:
        # Map the restored text's positions onto the original's through the common blocks.
        matcher = difflib.SequenceMatcher(None, skel_o, skel_r, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        starts = [b.b for b in blocks]
        mapped = set()
        for p in pos_r:
            # A ZWNJ before character p is the original's only if p-1 and p are aligned together.
            k = bisect.bisect_right(starts, p - 1) - 1
            if k >= 0 and blocks[k].b <= p - 1 and p < blocks[k].b + blocks[k].size:
                mapped.add(blocks[k].a + p - blocks[k].b)
            else:
                mapped.add(-1 - p)  # unaligned: cannot be one of the original's
    truth = set(pos_o)
    hit = len(truth & mapped)
    return hit, len(truth) - hit, len(mapped) - hit
