"""Helpers of the entity tests: texts normalized as the pipeline does, read with the shipped resources."""

from __future__ import annotations

from streams.enrich.entities import extract_entities
from streams.enrich.entities.scan import Scan, new_scan
from streams.enrich.gazetteer import load_gazetteer
from streams.enrich.lexicon import load_lexicon
from streams.enrich.persian import normalize_text
from streams.model import Entity


def entities(text: str) -> tuple[Entity, ...]:
    return extract_entities(normalize_text(text), load_gazetteer(), load_lexicon(), year=2021)


def names(text: str, etype: str) -> list[str]:
    return [e.name for e in entities(text) if e.type == etype]


def scan_of(text: str) -> Scan:
    return new_scan(normalize_text(text), load_gazetteer(), load_lexicon())


def index_of(scan: Scan, word: str, nth: int = 0) -> int:
    """The index of the nth token spelled ``word``."""
    return [k for k, t in enumerate(scan.tokens) if t.text == word][nth]


def words(scan: Scan, i: int, j: int) -> str:
    return " ".join(t.text for t in scan.tokens[i:j])
