"""How one word is written: the ZWNJs a word written without them needs, from its known parts.

A word is changed only when, as written, it is not a known word and it splits into known parts:
می/نمی + a verb form, a stem + a plural/comparative/personal suffix, a stem + a compound part, a
prefix + a word, or it is a compound the lexicon spells with a ZWNJ. Each ``_rule`` below tries one
such split and answers the word as it should be written, or None when the split does not apply.
Where a spelling reads two ways that both need a different ZWNJ (نامهای: نام‌های or نامه‌ای), it is
left as written: a ZWNJ put in the wrong place is worse than one not restored.

Example:
    >>> restore_word("آتشبسها")
    'آتش\u200cبس\u200cها'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from streams.enrich.persian.letters import DUAL_JOINING, ZWNJ
from streams.enrich.persian.vocabulary import Vocabulary, vocabulary

__all__ = ["known_base", "restore_word", "verb_form"]

_NON_JOINING = frozenset("اآدذرزژو")  # a first name ending in one of these takes اف/زاده joined


def _attach(stem: str, suffix: str) -> str:
    return stem + ZWNJ + suffix if stem[-1] in DUAL_JOINING else stem + suffix


def known_base(lex: Vocabulary, stem: str, loose: bool, shortest: int = 3) -> str | None:
    """The stem as it should be written, if it is a word we know (short stems are too ambiguous).
    ``loose`` lets hazm's untagged entries count as words."""
    if len(stem) < shortest:
        return None
    if stem in lex.known or stem in lex.participles or (loose and stem in lex.untagged):
        return stem
    return lex.compounds.get(stem)


def verb_form(lex: Vocabulary, word: str) -> str | None:
    """A (pre)verb + می/نمی + a verb form, written with its ZWNJs (برمی‌گردد، می‌رفته‌اند); None if not."""
    for preverb in lex.affixes.preverbs:
        if not word.startswith(preverb):
            continue
        rest = word[len(preverb):]
        for prefix in lex.affixes.verb_prefixes:
            tail = rest[len(prefix):]
            if rest.startswith(prefix) and len(tail) >= 2 and (written := _verb_tail(lex, tail)):
                return preverb + prefix + ZWNJ + written
    return None


def _verb_tail(lex: Vocabulary, tail: str) -> str | None:
    if tail in lex.verb_tails:
        return tail
    for suffix in lex.affixes.after_silent_heh:  # می‌رفته‌اند
        stem = tail[: -len(suffix)]
        if tail.endswith(suffix) and stem in lex.participles:
            return stem + ZWNJ + suffix
    return None


_DOMINANT = 10  # how many times commoner one reading's word must be for it to be chosen on counts alone


def _heh_reading(lex: Vocabulary, stem: str, loose: bool) -> bool | None:
    """«Xهای»: Xه + ای (بیانیه‌ای)? True; X + های (سال‌های)? False; None when both are words and
    neither is far commoner (نامهای: نام‌های or نامه‌ای), which leaves the word as it is written.

    After a letter that does not join (روزهای، دورهای) the plural needs no ZWNJ, so the word is left
    as written unless Xه is the commoner word. Plurals are the commoner reading: an Xه never counted
    loses, an X never counted (پست) decides nothing. Pairs the counts get wrong are listed in
    ``compounds.txt`` (طرف‌های، دهه‌ای); the words around it settle more of them (see
    :mod:`~streams.enrich.persian.zwnj`).
    """
    plural_stem = stem[:-1]
    if known_base(lex, plural_stem, loose, shortest=2) is None:
        return True
    heh_count = lex.frequency.get(stem, 0)
    plural_count = lex.frequency.get(plural_stem, 0)
    if plural_stem[-1] not in DUAL_JOINING:
        return heh_count > 0 and heh_count >= plural_count
    if heh_count == 0:
        return False
    if plural_count == 0:
        return None
    if plural_count >= _DOMINANT * heh_count:
        return False
    if heh_count >= _DOMINANT * plural_count:
        return True
    return None


def _after_silent_heh(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.after_silent_heh:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem.endswith("ه") and (base := known_base(lex, stem, loose)):
            if suffix == "ای" and word.endswith("های"):
                reading = _heh_reading(lex, stem, loose)
                if reading is None:
                    return word  # two readings, both words: left as written
                if not reading:
                    return None
            return base + ZWNJ + suffix
    return None


def _participle_and_est(lex: Vocabulary, word: str, loose: bool) -> str | None:
    stem = word[:-3]
    if word.endswith("است") and stem.endswith("ه") and stem in lex.participles:
        return stem + " است"  # گفتهاست: «است» is a word of its own after a participle
    return None


def _plural(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.plurals:
        if word.endswith(suffix) and (base := known_base(lex, word[: -len(suffix)], loose, shortest=2)):
            return _attach(base, suffix)
    return None


def _comparative(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.comparatives:
        stem = word[: -len(suffix)]
        written = lex.compounds.get(stem, stem)  # a compound adjective compares too: فاجعه‌بارتر
        if word.endswith(suffix) and len(stem) >= 3 and written in lex.adjectives:
            if stem + "تر" in lex.known:
                return None  # بیشتر، کمتر، بهتر are written joined, and so are بیشترین، کمتری
            return _attach(written, suffix)
    return None


def _compound_head(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.compound_heads:
        if word.endswith(suffix) and (base := known_base(lex, word[: -len(suffix)], loose)):
            return _attach(base, suffix)
    return None


def _first_name_surname(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.first_name_endings:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem in lex.first_names and stem[-1] not in _NON_JOINING:
            return stem + ZWNJ + suffix  # a first name + اف/یف/اوف/زاده is a surname: کریم‌اف، حسین‌زاده
    return None


def _name_head(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.name_heads:
        stem = word[: -len(suffix)]
        # A two-letter head also ends transliterated names (ژنیفر، لوسیفر): it needs a long stem.
        shortest = 5 if len(suffix) < 3 else 3
        if word.endswith(suffix) and stem.endswith("ی") and (base := known_base(lex, stem, loose, shortest)):
            return base + ZWNJ + suffix
    for suffix in lex.affixes.apart_name_endings:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem[-1] in DUAL_JOINING:
            return stem + ZWNJ + suffix  # یازیجی‌اوغلو: set apart whatever the name before it
    return None


def _adjective_and_to_be(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.to_be_endings:  # خطرناک‌اند، ساکن‌اند
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem[-1] in DUAL_JOINING and stem in lex.adjectives:
            return stem + ZWNJ + suffix
    return None


def _after_yeh(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.after_yeh:
        stem = word[: -len(suffix)]
        # a tagged stem, not ـای (بنمایاند is a verb)
        if word.endswith(suffix) and stem.endswith("ی") and stem[-2:-1] != "ا" and (
                known_base(lex, stem, False) or (len(stem) >= 4 and stem[:-1] in lex.known)):  # مصری‌اش
            if suffix == "ای" and (known_base(lex, word[:-1], True, 2) or word[:-1] in lex.first_names):
                return None  # دریای، رویای: دریا + the ezafe, not دری + ای
            return stem + ZWNJ + suffix
    return None


def _reduplicated(lex: Vocabulary, word: str, loose: bool) -> str | None:
    half = (len(word) - 2) // 2  # خانه‌به‌خانه، نقطه‌به‌نقطه
    if half >= 2 and len(word) == 2 * half + 2 and word[half:half + 2] == "به" and word[:half] == word[half + 2:]:
        if base := known_base(lex, word[:half], loose, shortest=2):
            return _attach(_attach(base, "به"), base)
    return None


def _joined_ending(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for suffix in lex.affixes.joined_endings:
        stem = word[: -len(suffix)]
        # A one-letter ending after a short compound is too often a name's own letter (لیلیت ≠ لی‌لی + ت).
        if word.endswith(suffix) and stem in lex.compounds and (len(suffix) > 1 or len(stem) >= 5):
            return lex.compounds[stem] + suffix
    return None


# Tried in this order; the first that applies decides.
_SUFFIX_RULES: tuple[Callable[[Vocabulary, str, bool], str | None], ...] = (
    _after_silent_heh, _participle_and_est, _plural, _comparative, _compound_head, _first_name_surname,
    _name_head, _adjective_and_to_be, _after_yeh, _reduplicated, _joined_ending,
)


def _suffixed(lex: Vocabulary, word: str, loose: bool) -> str | None:
    for rule in _SUFFIX_RULES:
        written = rule(lex, word, loose)
        if written is not None:
            return written
    return None


def _prefixed(lex: Vocabulary, word: str) -> str | None:
    for prefix in lex.affixes.apart_prefixes:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4 and rest[0] != "ه":
            return prefix + ZWNJ + rest  # شبه‌نظامی، شبه‌آنفلوانزا: «شبه» is always set apart
    for prefix in lex.affixes.apart_before_words:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3 and rest in lex.known:
            return prefix + ZWNJ + rest  # بی‌برق: «بی» before a word of its own is set apart
    for prefix in lex.affixes.joined_prefixes:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4 and ZWNJ in (restored := restore_word(rest)):
            return prefix + restored  # فرامنطقه‌ای: the prefix joins, the word keeps its ZWNJ
    return None


def _known_as_written(lex: Vocabulary, word: str) -> bool:
    """A known word, or a known word + ی/یی (تنهایی، میدانی) other than after ه: not a plural or a verb."""
    if word in lex.known or word in lex.causative_forms:
        return True
    for ending in lex.affixes.indefinite_endings:
        if word.endswith(ending) and word[: -len(ending)] in lex.known and word[-len(ending) - 1] != "ه":
            return True
    return False


@lru_cache(maxsize=1 << 16)  # a bounded memo: news copy repeats its unknown words
def restore_word(word: str) -> str:
    """One word without ZWNJ → the word with the ZWNJs the lexicon is sure of.

    >>> [restore_word(w) for w in ("میدهد", "بیانیهای", "سالهای", "کشورها", "بیشترین")]
    ['می\u200cدهد', 'بیانیه\u200cای', 'سال\u200cهای', 'کشورها', 'بیشترین']
    >>> [restore_word(w) for w in ("شبهنظامی", "فرامنطقهای", "حسینزاده", "گفتهاست")]
    ['شبه\u200cنظامی', 'فرامنطقه\u200cای', 'حسین\u200cزاده', 'گفته است']
    """
    lex = vocabulary()
    if _known_as_written(lex, word):
        return word
    fixed = lex.compounds.get(word)
    if fixed is not None:
        return fixed
    # Stems from the tagged list first: an untagged entry may itself be a misspelling.
    return (verb_form(lex, word) or _suffixed(lex, word, False) or _suffixed(lex, word, True)
            or _prefixed(lex, word) or word)
