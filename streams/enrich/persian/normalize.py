"""The ``normalize_text`` stage: agency copy → one canonical Persian text.

Each concern is a small pure ``str → str`` function in its own module, over tables and patterns
compiled once; this module composes them in one place::

    strip_markup → fix_characters → clean_zwnj → join_hard_wraps → fix_digits
                 → fix_punctuation → collapse_spaces → restore_zwnj

- ``markup``: HTML tags and entities; ``letters``: one code point per letter, no diacritics or
  invisible characters, ZWNJs only where they change something; ``wraps``: hard-wrapped lines
  rejoined, paragraphs separated by a blank line; ``digits``: Persian digits, ٫ ٬ ٪;
  ``punctuation``: Persian marks and their spacing; ``zwnj``: missing ZWNJs restored from hazm's
  lexicon. ``keys`` folds a phrase further for comparison.

Examples:
    >>> normalize_text("توافقی که به فعالیتهای نظامی پایان میدهد")
    'توافقی که به فعالیت\u200cهای نظامی پایان می\u200cدهد'
"""

from __future__ import annotations

from streams.enrich.persian.digits import fix_digits
from streams.enrich.persian.letters import clean_zwnj, fix_characters
from streams.enrich.persian.markup import strip_markup
from streams.enrich.persian.punctuation import collapse_spaces, fix_punctuation
from streams.enrich.persian.wraps import join_hard_wraps
from streams.enrich.persian.zwnj import restore_zwnj

__all__ = ["normalize_text", "normalize_phrase"]


def normalize_text(text: str) -> str:
    """Article text (title/lead/body) → canonical text. Keeps paragraph breaks as '\\n\\n', rejoins
    hard-wrapped lines inside a paragraph with a space.

    >>> normalize_text(" لاوروف:\\n\\nمسائل زیادی در قره باغ باید حل شود")
    'لاوروف:\\n\\nمسائل زیادی در قره باغ باید حل شود'
    >>> normalize_text("<p>در 9 نوامبر 2020 ، آتشبس</p>")
    'در ۹ نوامبر ۲۰۲۰، آتش\u200cبس'
    """
    # Invisible characters go before the layout is read: a line holding only a ZWNJ is blank.
    text = clean_zwnj(fix_characters(strip_markup(text)))
    text = collapse_spaces(text)
    text = join_hard_wraps(text)
    text = fix_digits(text)
    text = fix_punctuation(text)
    text = collapse_spaces(text)
    return restore_zwnj(text)


def normalize_phrase(text: str) -> str:
    """A short string (a name, a keyword, a query): same character and ZWNJ fixes, single line, trimmed.

    >>> normalize_phrase("  رئیس جمهور\\nعليف ")
    'رئیس جمهور علیف'
    >>> normalize_phrase("نخستوزیر")
    'نخست\u200cوزیر'
    """
    text = clean_zwnj(fix_characters(text))
    if "\n" in text:
        text = text.replace("\n", " ")
    # Spaces are collapsed before punctuation is read, as in normalize_text: «,  ا» is «، ا».
    text = fix_punctuation(fix_digits(collapse_spaces(text)))
    return restore_zwnj(collapse_spaces(text))
