"""Function words and verb shapes: what ends a name, what opens a clause.

Words in ``streams/data/entities/grammar.yaml``; loaded once by :func:`load_grammar`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from streams.enrich.entities.data import read_entity_data, word_list
from streams.enrich.entities.tokens import Token
from streams.enrich.persian import ZWNJ, is_verb

__all__ = ["Grammar", "clause_initial", "load_grammar", "verbal"]

# marks after which a new clause (and so possibly a subject) starts
_CLAUSE_MARKS = frozenset({".", "،", ",", "؛", "!", "؟", ":", "«"})


@dataclass(frozen=True, slots=True)
class Grammar:
    conjunction: str                 # «و»
    verb_prefixes: tuple[str, ...]   # «می‌»، «نمی‌»
    light_verb: re.Pattern[str]      # a whole token that is a light verb form («کرد»، «شده‌اند»)
    not_after_word: frozenset[str]   # light-verb forms that after a word make a noun («دار»)
    plural_endings: tuple[str, ...]  # «ان»، «ها»، «های»


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in words)


@cache
def load_grammar() -> Grammar:
    doc = read_entity_data("grammar.yaml")
    light = doc["light_verbs"]
    pattern = (f"^(?:{_alternation(word_list(light, 'prefixes'))})?(?:{_alternation(word_list(light, 'stems'))})"
               f"(?:{_alternation(word_list(light, 'endings'))})?$")
    return Grammar(
        conjunction=str(doc["conjunction"]),
        verb_prefixes=word_list(doc, "verb_prefixes"),
        light_verb=re.compile(pattern),
        not_after_word=frozenset(word_list(light, "not_after_word")),
        plural_endings=word_list(doc, "plural_endings"),
    )


def clause_initial(text: str, tokens: list[Token], k: int, grammar: Grammar) -> bool:
    """Does token k open a clause (start of text or line, after punctuation, «» or «و»)?"""
    if k == 0 or "\n" in text[tokens[k - 1].end:tokens[k].start]:
        return True
    before = tokens[k - 1].text
    return before in _CLAUSE_MARKS or before == grammar.conjunction


def verbal(tokens: list[Token], j: int, grammar: Grammar) -> bool:
    """A verb, or the first part of a compound verb («برگزار شد»، «اعلام کرد»)."""
    t = tokens[j].text
    if t.startswith(grammar.verb_prefixes) or grammar.light_verb.match(t):
        return True
    if j + 1 >= len(tokens):
        return False
    nxt = tokens[j + 1].text
    # «قرار داده‌ایم»: a participle with its clitic also follows the first part of a compound verb
    return (bool(grammar.light_verb.match(nxt)) and nxt not in grammar.not_after_word) or (ZWNJ in nxt and is_verb(nxt))
