"""ZWNJ restoration: the ZWNJs agency copy loses, put back where hazm's lexicon is sure of them.

Word by word (see :mod:`~streams.enrich.persian.wordforms`), plus one reading that needs the words
around it: «Xهای» is Xه + ای where the ezafe plural cannot stand (at the end of a phrase, before a
copula, after a number). A space is never turned into a ZWNJ, so «قره باغ» stays two words
(``match_key`` makes it equal to قره‌باغ).

Example:
    >>> restore_zwnj("فعالیتهای نظامی")
    'فعالیت\u200cهای نظامی'
"""

from __future__ import annotations

import re
from functools import cache

from streams.enrich.persian.letters import DUAL_JOINING, LETTERS, ZWNJ
from streams.enrich.persian.vocabulary import vocabulary
from streams.enrich.persian.wordforms import known_base, restore_word

__all__ = ["restore_zwnj"]

_WORD = re.compile(f"[{LETTERS}]+(?:{ZWNJ}[{LETTERS}]+)*")
_LONGEST_WORD = 40  # longer runs of letters are not words: left alone, and kept out of the cache
# After «Xهای», these show the word ends its phrase: the ezafe plural (X‌های + a noun) cannot stand
# there, so «Xه + ای» is the reading (زمینه‌ای، / دوره‌ای است); so do the words in ``copulas``.
_PHRASE_END = frozenset("،,.؛;:!؟?)»")
_DIGITS = frozenset("0123456789۰۱۲۳۴۵۶۷۸۹")


@cache
def _next_words() -> tuple[frozenset[str], frozenset[str]]:
    """(copulas, prepositions) as written with or without their ZWNJs: what follows a word decides
    its reading whether or not that next word has been restored yet."""
    aff = vocabulary().affixes
    return (frozenset(w.replace(ZWNJ, "") for w in aff.copulas),
            frozenset(w.replace(ZWNJ, "") for w in aff.prepositions))


def _restore_match(m: re.Match[str]) -> str:
    word = m.group()
    return word if ZWNJ in word or len(word) > _LONGEST_WORD else restore_word(word)


def _heh_reading(word: str) -> str | None:
    """«Xهای» read as Xه + ای, when Xه is a word."""
    if not word.endswith("های") or len(word) < 6:
        return None
    base = known_base(vocabulary(), word[:-2], False)
    return base + ZWNJ + "ای" if base else None


def _indefinite_here(tokens: list[str], i: int, start: int, end: int, undecided: bool) -> bool:
    """Does what surrounds «Xهای» (``tokens[i][start:end]``) rule out the ezafe plural?

    The plural's ezafe needs a noun or an adjective after it: the end of a phrase, a copula, «که»
    or «را» after the word rule it out, and so does a number before it, since a noun after a number
    is singular (۶۳ ساله‌ای). A preposition after it (نامه‌ای به، مجموعه‌ای از) decides only a word
    whose two readings are both common (``undecided``): «کشورهای در حال توسعه» is a plural.
    """
    token = tokens[i]
    if end < len(token):
        return token[end] in _PHRASE_END
    if start == 0 and i > 0 and tokens[i - 1] and all(ch in _DIGITS for ch in tokens[i - 1]):
        return True
    if i + 1 == len(tokens):
        return False
    following = tokens[i + 1].replace(ZWNJ, "")
    copulas, prepositions = _next_words()
    return following in copulas or following[:1] in _PHRASE_END or (undecided and following in prepositions)


def _restore_token(tokens: list[str], i: int) -> str:
    """One space-separated token with its words restored, reading «Xهای» by what surrounds it."""
    token = tokens[i]
    restored = _WORD.sub(_restore_match, token)
    m = _WORD.search(token) if "های" in token else None
    if m is None or len(m.group()) < 6 or not m.group().endswith("های") or ZWNJ in m.group():
        return restored
    word = m.group()
    undecided = restore_word(word) == word and word[-4] in DUAL_JOINING  # neither reading chosen
    if _indefinite_here(tokens, i, m.start(), m.end(), undecided) and (alt := _heh_reading(word)):
        restored = token[:m.start()] + alt + _WORD.sub(_restore_match, token[m.end():])
    return restored


def restore_zwnj(text: str) -> str:
    """Put back the ZWNJs agency copy loses, where hazm's lexicon (plus our lists) is sure of them.

    A word is changed only when, as written, it is not a known word and it splits into known parts:
    می/نمی + a verb form, a stem + a plural/comparative/personal suffix, a stem + a compound part,
    or it is a compound the lexicon spells with a ZWNJ. Words that already hold a ZWNJ are left alone.

    >>> restore_zwnj("میدهد بیانیهای فعالیتهای آتشبس برای میان بیشتر کشورها")
    'می\u200cدهد بیانیه\u200cای فعالیت\u200cهای آتش\u200cبس برای میان بیشتر کشورها'
    >>> restore_zwnj("در این زمینهای، دو طرف و زمینهای کشاورزی")
    'در این زمینه\u200cای، دو طرف و زمین\u200cهای کشاورزی'
    >>> restore_zwnj("نامهای او و نامهای به وزیر و ۶۳ سالهای")
    'نامهای او و نامه\u200cای به وزیر و ۶۳ ساله\u200cای'
    >>> restore_zwnj("می\u200cرود و قره باغ")
    'می\u200cرود و قره باغ'
    """
    known = vocabulary().known
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        if token not in known:  # most tokens are plain known words: a set lookup, no regex
            tokens[i] = _restore_token(tokens, i)
    return " ".join(tokens)
