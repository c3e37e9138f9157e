"""The package's own word lists in ``streams/data/persian/``, read once.

``*.txt`` files hold one item a line (``#`` starts a comment); ``affixes.yaml`` holds the affixes and
function words that ZWNJ restoration and the word tests try, in the order they are tried.

Example:
    >>> "به گزارش" in word_list("paragraph_openers.txt")
    True
    >>> affixes().verb_prefixes
    ('نمی', 'می')
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache

import yaml

from streams.enrich.persian.letters import fix_characters
from streams.resources import data_path

__all__ = ["Affixes", "affixes", "word_list"]


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The items of ``streams/data/persian/<name>``, in canonical characters, comments dropped."""
    lines = data_path(f"persian/{name}").read_text(encoding="utf-8").splitlines()
    return tuple(fix_characters(s).strip() for s in (ln.split("#", 1)[0] for ln in lines) if s.strip())


@dataclass(frozen=True, slots=True)
class Affixes:
    """The lists of ``affixes.yaml`` (what each one is for is said there)."""

    plurals: tuple[str, ...]
    after_silent_heh: tuple[str, ...]
    comparatives: tuple[str, ...]
    compound_heads: tuple[str, ...]
    name_heads: tuple[str, ...]
    apart_name_endings: tuple[str, ...]
    first_name_endings: tuple[str, ...]
    after_yeh: tuple[str, ...]
    joined_endings: tuple[str, ...]
    kept_stem_endings: tuple[str, ...]
    preverbs: tuple[str, ...]
    verb_prefixes: tuple[str, ...]
    present_persons: tuple[str, ...]
    past_persons: tuple[str, ...]
    impersonal_tails: tuple[str, ...]
    to_be_endings: tuple[str, ...]
    perfect_endings: tuple[str, ...]
    inflections: tuple[str, ...]
    relational_endings: tuple[str, ...]
    indefinite_endings: tuple[str, ...]
    joined_prefixes: tuple[str, ...]
    apart_prefixes: tuple[str, ...]
    apart_before_words: tuple[str, ...]
    copulas: tuple[str, ...]
    prepositions: tuple[str, ...]


@cache
def affixes() -> Affixes:
    """``affixes.yaml``, read once; every list the file holds is a field, and every field is in the file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(data_path("persian/affixes.yaml").read_text(encoding="utf-8"), Loader=loader)
    names = {f.name for f in fields(Affixes)}
    if set(raw) != names:
        raise ValueError(f"affixes.yaml: keys differ from the expected ones: {sorted(set(raw) ^ names)}")
    return Affixes(**{name: tuple(str(item) for item in raw[name]) for name in names})
