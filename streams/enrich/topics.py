"""The ``classify_topics`` stage: keyword and entity rules with weights and a threshold.

``streams/data/topics.yaml`` gives each topic weighted terms, weighted gazetteer entities,
co-occurrence rules (``all_of``) and vetoes (``none_of``). A topic's score is the sum of the
weights of the distinct terms and entities found (a strong term seen twice, or a strong entity
named twice, adds one more point),
plus each co-occurrence rule whose items are all present. The topic is tagged when its score
reaches its threshold, so one generic word never tags an article on its own, and when it reaches
a share of the best topic's score (``relative_floor``), so a passing mention of another subject
does not tag it; a broader topic gives way to a more specific one (``suppressed_by``).

A place counts through its entity, not its name as a term: the entity stage tells the region from
a club, a competition or a village named after it («تیم فوتبال قره‌باغ»، «روستای قره‌باغ»), and knows
every spelling of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from streams.enrich.matcher import PhraseMatcher
from streams.enrich.persian import match_key, normalize_phrase
from streams.model import Entity
from streams.resources import data_path

__all__ = ["Topic", "Taxonomy", "load_taxonomy", "classify_topics"]


@dataclass(frozen=True)
class Topic:
    slug: str
    label_fa: str
    label_en: str
    threshold: float
    terms: dict[str, float]            # match key → weight
    entities: dict[str, float]
    all_of: tuple[tuple[frozenset[str], float], ...]  # items are term keys or entity ids
    none_of: frozenset[str]
    suppressed_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    matcher: PhraseMatcher[str]   # payload: a term's match key
    relative_floor: float = 0.0

    def get(self, slug: str) -> Topic | None:
        return next((t for t in self.topics if t.slug == slug), None)


def _is_entity_id(item: str) -> bool:
    return "/" in item and item.split("/", 1)[0] in ("person", "organization", "location")


def _keys(items: Any, phrases: list[str]) -> frozenset[str]:
    """Rule items as the keys they are matched by: an entity id as it is, a term by its match key
    (and its phrase added to those the matcher looks for)."""
    keys = set()
    for raw in items or []:
        item = str(raw)
        if _is_entity_id(item):
            keys.add(item)
        else:
            phrases.append(item)
            keys.add(match_key(item))
    return frozenset(keys)


def _topic(raw: dict[str, Any], default_threshold: float, phrases: list[str]) -> Topic:
    terms: dict[str, float] = {}
    for term, weight in (raw.get("terms") or {}).items():
        phrases.append(str(term))
        terms[match_key(str(term))] = float(weight)
    rules = tuple((_keys(rule.get("items"), phrases), float(rule.get("weight", 1))) for rule in raw.get("all_of") or [])
    vetoes = _keys(raw.get("none_of"), phrases)
    return Topic(
        slug=str(raw["slug"]),
        label_fa=normalize_phrase(str(raw.get("label_fa", raw["slug"]))),
        label_en=str(raw.get("label_en", raw["slug"])),
        threshold=float(raw.get("threshold", default_threshold)),
        terms=terms,
        entities={str(k): float(v) for k, v in (raw.get("entities") or {}).items()},
        all_of=rules,
        none_of=vetoes,
        suppressed_by=frozenset(str(x) for x in raw.get("suppressed_by") or []),
    )


def parse_taxonomy(text: str) -> Taxonomy:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(text, Loader=loader) or {}
    default = float(doc.get("default_threshold", 3))
    phrases: list[str] = []
    topics = tuple(_topic(t, default, phrases) for t in doc.get("topics") or [])
    matcher = PhraseMatcher((p, match_key(p)) for p in phrases)
    return Taxonomy(topics, matcher, float(doc.get("relative_floor", 0.0)))


@cache
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    return parse_taxonomy((path or data_path("topics.yaml")).read_text(encoding="utf-8"))


def classify_topics(text: str, entities: tuple[Entity, ...], taxonomy: Taxonomy,
                    weak: frozenset[str] = frozenset()) -> dict[str, float]:
    """Scores of the topics that reach their threshold, best first.

    ``weak`` holds mention surfaces that name an entity too lightly to make it a subject (adjectives
    of nationality: «زندانیان افغانستانی» is not an Afghanistan story); an entity counts for the
    topic rules only with a mention outside it."""
    counts = _term_counts(text, taxonomy)
    named = {e.id: sum(1 for m in e.mentions if m.surface not in weak) for e in entities}
    present_entities = {eid: n for eid, n in named.items() if n}
    present = set(counts) | set(present_entities)
    scores: dict[str, float] = {}
    for topic in taxonomy.topics:
        if topic.none_of & present:
            continue
        score = _score(topic, counts, present_entities, present)
        if score >= topic.threshold:
            scores[topic.slug] = score
    scores = _dominant(scores, taxonomy)
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))


def _term_counts(text: str, taxonomy: Taxonomy) -> dict[str, int]:
    """How often each term's match key is found in the text."""
    counts: dict[str, int] = {}
    for m in taxonomy.matcher.find(text):
        for key in m.payloads:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _score(topic: Topic, counts: dict[str, int], present_entities: dict[str, int], present: set[str]) -> float:
    """The weights of the distinct terms and entities found (a strong one found twice adds a point),
    plus each co-occurrence rule whose items are all present."""
    score = 0.0
    for key, weight in topic.terms.items():
        score += _weight(weight, counts.get(key, 0))
    for entity_id, weight in topic.entities.items():
        score += _weight(weight, present_entities.get(entity_id, 0))
    for items, weight in topic.all_of:
        if items <= present:
            score += weight
    return score


def _weight(weight: float, found: int) -> float:
    """A term's or entity's weight when found ``found`` times: one more point for a strong one found twice."""
    if not found:
        return 0.0
    return weight + (1.0 if found >= 2 and weight >= 2 else 0.0)


def _dominant(scores: dict[str, float], taxonomy: Taxonomy) -> dict[str, float]:
    """Drop a topic far below the best one (``relative_floor``) or one giving way to a more
    specific topic that was tagged (``suppressed_by``)."""
    if not scores:
        return scores
    floor = taxonomy.relative_floor * max(scores.values())
    by_slug = {t.slug: t for t in taxonomy.topics}
    return {slug: score for slug, score in scores.items()
            if score >= floor and not (by_slug[slug].suppressed_by & scores.keys())}
