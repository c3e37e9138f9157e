"""Persian text repair: pure ``str → str`` functions, one concern each.

``normalize_text`` runs them in order; ``match_key`` folds a name for comparison.
"""

from streams.enrich.persian.normalize import (
    ZWNJ,
    clean_zwnj,
    collapse_spaces,
    fix_characters,
    fix_digits,
    fix_punctuation,
    is_adjective,
    is_descriptive,
    is_inflected,
    is_verb,
    join_hard_wraps,
    match_key,
    normalize_phrase,
    normalize_text,
    restore_zwnj,
    strip_html,
    word_frequency,
    zwnj_restoration,
)

__all__ = [
    "ZWNJ",
    "clean_zwnj",
    "collapse_spaces",
    "fix_characters",
    "fix_digits",
    "fix_punctuation",
    "is_adjective",
    "is_descriptive",
    "is_inflected",
    "is_verb",
    "join_hard_wraps",
    "match_key",
    "normalize_phrase",
    "normalize_text",
    "restore_zwnj",
    "strip_html",
    "word_frequency",
    "zwnj_restoration",
]
