"""What generated articles are made of: gazetteer names, sentences of the shipped sample articles, and
hazm's common nouns. Loaded once per process."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import yaml

from streams.resources import data_path

__all__ = ["Corpus", "load_corpus"]


@dataclass(frozen=True)
class Corpus:
    """What generated articles are made of: gazetteer names and sentences of real agency copy."""

    persons: tuple[tuple[str, str], ...]  # (name, role)
    organizations: tuple[str, ...]
    locations: tuple[str, ...]
    sentences: tuple[str, ...]
    clauses: tuple[str, ...]
    nouns: tuple[str, ...]


def _texts_of(path: Path) -> Iterator[str]:
    """The article text in one sample file: a whole .txt, lead and body of each .jsonl line, ninjs body_text."""
    if path.suffix == ".txt":
        yield path.read_text(encoding="utf-8")
    elif path.suffix == ".jsonl":
        for line in path.read_bytes().splitlines():
            if line.strip():
                doc = orjson.loads(line)
                yield from (str(doc.get(k) or "") for k in ("lead", "body"))
    elif path.suffix == ".json":
        doc = orjson.loads(path.read_bytes())
        yield str(doc.get("body_text") or "")


def _sample_texts() -> Iterator[str]:
    samples = data_path("samples")
    for path in sorted(samples.rglob("*")):
        yield from _texts_of(path)


def _sentences(texts: Sequence[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        flat = " ".join(text.split())
        for part in flat.replace("؟", "؟.").split(". "):
            part = part.strip().strip(".").strip()
            # whole sentences only: no quote marks left open, long enough to read as copy
            if 40 <= len(part) <= 400 and part.count("«") == part.count("»") and ":" not in part:
                out.append(part + ("" if part.endswith("؟") else "."))
    return sorted(set(out))


def _clauses(sentences: Sequence[str]) -> tuple[str, ...]:
    """The comma-separated parts of the sentences long enough to recombine into new sentences."""
    return tuple(sorted({c.strip(" .") for s in sentences for c in s.split("، ") if len(c) > 25}))


def _persons(entries: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(e["name"]), str(e.get("role") or "")) for e in entries if e.get("type") == "person"))


def _names(entries: Sequence[Mapping[str, Any]], kind: str) -> tuple[str, ...]:
    return tuple(sorted(str(e["name"]) for e in entries if e.get("type") == kind))


@cache
def load_corpus() -> Corpus:
    """Names from ``streams/data/gazetteer.yaml`` and sentences from the shipped sample articles."""
    entries = yaml.safe_load(data_path("gazetteer.yaml").read_text(encoding="utf-8")) or []
    persons = _persons(entries)
    orgs = _names(entries, "organization")
    locations = _names(entries, "location")
    sentences = tuple(_sentences(list(_sample_texts())))
    clauses = _clauses(sentences)
    if not (persons and orgs and locations and sentences):
        raise RuntimeError("the gazetteer or the sample articles are empty: cannot generate articles")
    return Corpus(persons, orgs, locations, sentences, clauses, _common_nouns())


def _common_nouns(limit: int = 6000) -> tuple[str, ...]:
    """hazm's most frequent nouns: a newsroom-sized vocabulary, so word caches see realistic misses."""
    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        return ()
    words = Path(next(iter(spec.submodule_search_locations))) / "data" / "words.dat"
    ranked: list[tuple[int, str]] = []
    for line in words.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].split(",")[0] == "N" and len(parts[0]) >= 3 and " " not in parts[0]:
            ranked.append((-int(parts[1]), parts[0]))
    return tuple(w for _, w in sorted(ranked)[:limit])
