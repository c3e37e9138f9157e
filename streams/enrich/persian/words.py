"""What a word is, by hazm's lexicon: an adjective, a verb, an inflected word, how common.

The entity finders ask these to tell a name from a description or a verb.

Example:
    >>> is_verb("می\u200cگوید"), is_verb("لاوروف")
    (True, False)
"""

from __future__ import annotations

from streams.enrich.persian.letters import ZWNJ
from streams.enrich.persian.vocabulary import Vocabulary, vocabulary
from streams.enrich.persian.wordforms import verb_form

__all__ = ["is_adjective", "is_descriptive", "is_inflected", "is_noun", "is_verb", "word_frequency"]


def is_adjective(word: str) -> bool:
    """hazm's lexicon tags this word as an adjective (used to tell a name from a description).

    >>> is_adjective("بزرگ"), is_adjective("لاوروف")
    (True, False)
    """
    return word in vocabulary().adjectives


def word_frequency(word: str) -> int | None:
    """How common a word is in hazm's tagged list; None when it is not a tagged word (names often are not).

    >>> word_frequency("کشور") > 1000, word_frequency("لاوروف")
    (True, None)
    """
    lex = vocabulary()
    return lex.frequency.get(word) if word in lex.known else None


def is_verb(word: str) -> bool:
    """A finite verb form by hazm's verb stems: ندارد، می‌گوید، رفتند (names are not).

    >>> [is_verb(w) for w in ("ندارد", "میگوید", "رفته\u200cاند", "رفتند", "ترامپ")]
    [True, True, True, True, False]
    """
    lex = vocabulary()
    bare = word.replace(ZWNJ, "")
    if bare in lex.verb_tails or verb_form(lex, bare) is not None:
        return True
    for ending in lex.affixes.perfect_endings:  # داده‌ایم، رفته‌اند
        if bare.endswith(ending) and bare[: -len(ending)] in lex.participles:
            return True
    return bare.startswith("ن") and bare[1:] in lex.verb_tails


def is_noun(word: str) -> bool:
    """A word read first as a noun, which may name a body's field after its head («وزارت جهاد
    کشاورزی»، «سازمان غذا و دارو»، «فدراسیون کشتی»، «شورای عالی فضای مجازی»): hazm tags it a noun
    and not an adverb (its tags give many nouns an adjective reading too: آب، جهاد، دارو), and, when
    it may also be an adjective, it does not have a relational adjective's form (کشاورزی، مرکزی).
    A word hazm does not tag is a noun when it is not an adjective by form; after ا or و a ی is
    the ezafe (فضای), the relational ending being یی there (فضایی).

    >>> [is_noun(w) for w in ("جهاد", "دارو", "کشتی", "فضای", "دولتی", "آماده", "آمریکایی")]
    [True, True, True, True, False, False, False]
    """
    lex = vocabulary()
    if word in lex.nouns:
        return word not in lex.adjectives or not _relational(lex, word)
    if word in lex.known:
        return False
    if word.endswith(("ای", "وی")) and not word.endswith(("یی", ZWNJ + "ای")):
        return True  # فضای، بازوی: a noun in ezafe
    return not is_descriptive(word)


def _relational(lex: Vocabulary, word: str) -> bool:
    """A known noun with a relational ending: دولتی، آمریکایی، منطقه‌ای."""
    for ending in lex.affixes.relational_endings:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem in lex.known:
            return True
    return False


def is_inflected(word: str) -> bool:
    """A known word with a plural, comparative or indefinite ending (مراقبت‌های، بزرگی، شمالی).

    >>> is_inflected("مراقبت\u200cهای"), is_inflected("بزرگی"), is_inflected("تهران")
    (True, True, False)
    """
    lex = vocabulary()
    bare = word.replace(ZWNJ, "")
    for ending in lex.affixes.inflections:
        stem = bare[: -len(ending)]
        if bare.endswith(ending) and len(stem) >= 2 and stem in lex.known:
            return True
    return False


def is_descriptive(word: str) -> bool:
    """An adjective, by hazm's tags or by form: a relational adjective is a known noun + ی (دولتی،
    کنسولی), + یی after a vowel (آمریکایی), or + ‌ای after a silent ه (منطقه‌ای).

    >>> [is_descriptive(w) for w in ("دولتی", "آمریکایی", "منطقه\u200cای", "بین\u200cدولتی", "لاوروف")]
    [True, True, True, True, False]
    """
    lex = vocabulary()
    if word in lex.adjectives:
        return True
    if ZWNJ in word and word.endswith("ی") and is_descriptive(word.rsplit(ZWNJ, 1)[1]):
        return True  # بین‌دولتی، فرامنطقه‌ای
    return _relational(lex, word)
