"""One article being read by the finders: its text and tokens, the resources, the spans explained so far.

What the finders return: :data:`Linked` mentions of gazetteer entities by id, and :data:`Unlinked`
names missing from the gazetteer by match key (with the name as first written).
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.enrich.entities.grammar import Grammar, load_grammar
from streams.enrich.entities.tokens import Spans, Token, tokenize
from streams.enrich.gazetteer import Gazetteer
from streams.enrich.lexicon import Lexicon
from streams.enrich.persian import match_key
from streams.model import Mention

__all__ = ["Linked", "Scan", "Unlinked", "claim", "new_scan"]

Linked = dict[str, list[Mention]]
Unlinked = dict[str, tuple[str, list[Mention]]]


@dataclass(frozen=True, slots=True)
class Scan:
    text: str
    tokens: list[Token]
    gaz: Gazetteer
    lex: Lexicon
    grammar: Grammar
    spans: Spans  # the one mutable part: filled as the finders claim text


def new_scan(text: str, gaz: Gazetteer, lex: Lexicon) -> Scan:
    return Scan(text, tokenize(text), gaz, lex, load_grammar(), Spans(len(text)))


def claim(found: Unlinked, scan: Scan, start: int, end: int, name: str | None = None) -> None:
    """Record the text between ``start`` and ``end`` as a mention of an unlinked name (``name``, when
    the mention says more than the name: «روزنامه پرتغالی رکورد» names رکورد), and occupy it."""
    surface = scan.text[start:end]
    name = name or surface
    found.setdefault(match_key(name), (name, []))[1].append(Mention(start, end, surface))
    scan.spans.add(start, end)
