"""Persian text repair: pure ``str → str`` functions, one concern per module.

``normalize_text`` (in ``normalize``) runs them in order; ``keys`` folds a phrase for comparison.

============  ============================================================================
markup        HTML tags and entities out (``strip_html``, ``strip_markup``)
letters       ZWNJ and letter classes; ``fix_characters``, ``clean_zwnj``
wraps         hard-wrapped lines → paragraphs (``join_hard_wraps``)
digits        one digit form (``fix_digits``)
punctuation   Persian marks and spacing (``fix_punctuation``, ``collapse_spaces``)
zwnj          missing ZWNJs restored (``restore_zwnj``), word by word from ``wordforms``
wordforms     one word's ZWNJs from its known parts (``restore_word``)
vocabulary    hazm's lexicon and our overrides, read once
wordlists     our own lists in ``streams/data/persian/``
words         what a word is (``is_verb``, ``is_adjective``, …)
measure       how well ZWNJs were restored (``zwnj_restoration``)
normalize     ``normalize_text``, ``normalize_phrase``
keys          ``match_key``, ``fold_words``, ``squash_key``, ``squash``
============  ============================================================================

Example:
    >>> normalize_text("<b>آتشبس</b> در كشور") == "آتش" + ZWNJ + "بس در کشور"
    True
"""

from streams.enrich.persian.digits import fix_digits
from streams.enrich.persian.keys import Squashed, fold_words, match_key, squash, squash_key
from streams.enrich.persian.letters import ZWNJ, clean_zwnj, fix_characters
from streams.enrich.persian.markup import strip_html, strip_markup
from streams.enrich.persian.measure import zwnj_restoration
from streams.enrich.persian.normalize import normalize_phrase, normalize_text
from streams.enrich.persian.punctuation import collapse_spaces, fix_punctuation
from streams.enrich.persian.words import is_adjective, is_descriptive, is_inflected, is_noun, is_verb, word_frequency
from streams.enrich.persian.wraps import join_hard_wraps
from streams.enrich.persian.zwnj import restore_zwnj

__all__ = [
    "ZWNJ",
    "Squashed",
    "clean_zwnj",
    "collapse_spaces",
    "fix_characters",
    "fix_digits",
    "fix_punctuation",
    "is_adjective",
    "is_descriptive",
    "is_inflected",
    "is_noun",
    "is_verb",
    "join_hard_wraps",
    "fold_words",
    "match_key",
    "normalize_phrase",
    "normalize_text",
    "restore_zwnj",
    "squash",
    "squash_key",
    "strip_html",
    "strip_markup",
    "word_frequency",
    "zwnj_restoration",
]
