"""ZWNJ restoration: the ZWNJs agency copy loses, put back where hazm's lexicon is sure of them.

Word by word (see :mod:`~streams.enrich.persian.wordforms`), plus one reading that needs the next
word: «Xهای» at the end of a phrase is Xه + ای. A space is never turned into a ZWNJ, so «قره باغ»
stays two words (``match_key`` makes it equal to قره‌باغ).

Example:
    >>> restore_zwnj("فعالیتهای نظامی")
    'فعالیت\u200cهای نظامی'
"""

from __future__ import annotations

import re

from streams.enrich.persian.letters import LETTERS, ZWNJ
from streams.enrich.persian.vocabulary import vocabulary
from streams.enrich.persian.wordforms import known_base, restore_word

__all__ = ["restore_zwnj"]

_WORD = re.compile(f"[{LETTERS}]+(?:{ZWNJ}[{LETTERS}]+)*")
_LONGEST_WORD = 40  # longer runs of letters are not words: left alone, and kept out of the cache
# After «Xهای», these show the word ends its phrase: the ezafe plural (X‌های + a noun) cannot stand
# there, so «Xه + ای» is the reading (زمینه‌ای، / دوره‌ای است); so do the words in ``copulas``.
_PHRASE_END = frozenset("،,.؛;:!؟?)»")


def _restore_match(m: re.Match[str]) -> str:
    word = m.group()
    return word if ZWNJ in word or len(word) > _LONGEST_WORD else restore_word(word)


def _heh_reading(word: str) -> str | None:
    """«Xهای» read as Xه + ای, when Xه is a word."""
    if not word.endswith("های") or len(word) < 6:
        return None
    base = known_base(vocabulary(), word[:-2], False)
    return base + ZWNJ + "ای" if base else None


def _at_phrase_end(tokens: list[str], i: int, end: int) -> bool:
    token = tokens[i]
    if end < len(token):
        return token[end] in _PHRASE_END
    return i + 1 < len(tokens) and (
        tokens[i + 1] in vocabulary().affixes.copulas or tokens[i + 1][:1] in _PHRASE_END
    )


def _restore_token(tokens: list[str], i: int) -> str:
    """One space-separated token with its words restored, reading «Xهای» by what follows it."""
    token = tokens[i]
    restored = _WORD.sub(_restore_match, token)
    m = _WORD.search(token) if "های" in token else None
    if m is not None and m.group().endswith("های") and ZWNJ not in m.group() \
            and _at_phrase_end(tokens, i, m.end()) and (alt := _heh_reading(m.group())):
        restored = token[:m.start()] + alt + token[m.end():]
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
    >>> restore_zwnj("می\u200cرود و قره باغ")
    'می\u200cرود و قره باغ'
    """
    known = vocabulary().known
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        if token not in known:  # most tokens are plain known words: a set lookup, no regex
            tokens[i] = _restore_token(tokens, i)
    return " ".join(tokens)
