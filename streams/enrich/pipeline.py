"""The enrichment pipeline: the one entry point the agents, `khabar enrich` and backfills call.

``normalize_text`` → ``split_structure`` → ``extract_entities`` → ``extract_quotes`` →
``classify_topics``, each pure and timed under its own name (the name is its metric label).
A stage that raises is reported as :class:`~streams.errors.StageError` naming the stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

from streams.enrich.entities import extract_entities
from streams.enrich.gazetteer import Gazetteer, load_gazetteer
from streams.enrich.lexicon import Lexicon, load_lexicon
from streams.enrich.persian import match_key, normalize_text
from streams.enrich.quotes import extract_quotes, stated_role_keys
from streams.enrich.structure import split_head, split_structure
from streams.enrich.topics import Taxonomy, classify_topics, load_taxonomy
from streams.errors import StageError
from streams.model import Article, Enriched, Quote, Structure

__all__ = ["Pipeline", "STAGES", "to_document", "joined_text"]

STAGES = ("normalize_text", "split_structure", "extract_entities", "extract_quotes", "classify_topics")
T = TypeVar("T")


def joined_text(structure: Structure) -> str:
    """The article's parts joined by paragraph breaks, as the entity and quote stages read them."""
    return "\n\n".join(s for s in structure.segments() if s)


@dataclass
class Pipeline:
    """Resources built once (gazetteer automaton, taxonomy, lexicon), then pure calls per article."""

    gazetteer: Gazetteer = field(default_factory=load_gazetteer)
    taxonomy: Taxonomy = field(default_factory=load_taxonomy)
    lexicon: Lexicon = field(default_factory=load_lexicon)

    def _run(self, stage: str, article: Article, timings: dict[str, float], fn: Callable[[], T]) -> T:
        began = time.perf_counter()
        try:
            return fn()
        except Exception as exc:  # any failure inside a stage is that article's permanent error
            raise StageError(stage, article.doc_id, f"{type(exc).__name__}: {exc}"[:300]) from exc
        finally:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - began

    def enrich(self, article: Article) -> tuple[Enriched, dict[str, float]]:
        """Enrich one article; also return seconds spent per stage."""
        timings: dict[str, float] = {}
        kicker, title, lead, body = article.kicker, article.title, article.lead, article.body
        if article.source_format == "text" and not title:
            kicker, title, body = self._run("split_structure", article, timings, lambda: split_head(body))

        def normalize() -> tuple[str, str, str, str]:
            return normalize_text(kicker), normalize_text(title), normalize_text(lead), normalize_text(body)

        n_kicker, n_title, n_lead, n_body = self._run("normalize_text", article, timings, normalize)
        structure = self._run(
            "split_structure", article, timings, lambda: split_structure(n_kicker, n_title, n_lead, n_body)
        )
        text = joined_text(structure)
        year = (article.published_at or article.updated_at or datetime.now(timezone.utc)).year
        entities = self._run(
            "extract_entities", article, timings,
            lambda: extract_entities(text, self.gazetteer, self.lexicon, year=year),
        )
        def quotes_of() -> tuple[Quote, ...]:
            roles = {e.id: self.gazetteer.role_keys(e.id) for e in entities if e.type == "person" and e.linked}
            for e in entities:  # people missing from the gazetteer hold the role the text gives them
                if e.type == "person" and not roles.get(e.id):
                    roles[e.id] = stated_role_keys(text, e, self.lexicon)
            return extract_quotes(text, entities, self.lexicon, {k: v for k, v in roles.items() if v})

        quotes = self._run("extract_quotes", article, timings, quotes_of)
        scores = self._run("classify_topics", article, timings,
                           lambda: classify_topics(text, entities, self.taxonomy, self.gazetteer.demonyms))
        enriched = Enriched(article, structure, entities, quotes, tuple(scores), scores)
        return enriched, timings


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def _version(article: Article, received_at: datetime) -> int:
    """External version for the search engine: the article's update time in ms (newer wins)."""
    stamp = article.updated_at or article.published_at or received_at
    return int(stamp.timestamp() * 1000)


def to_document(enriched: Enriched, *, received_at: datetime | None = None) -> dict[str, Any]:
    """The enriched document as produced to ``news.enriched`` and indexed (see the schema)."""
    a, s = enriched.article, enriched.structure
    received = received_at or datetime.now(timezone.utc)
    entities = [e.to_dict() for e in enriched.entities]
    by_type: dict[str, list[str]] = {"person": [], "organization": [], "location": [], "date": []}
    for e in enriched.entities:
        by_type[e.type].append(e.name)
    quotes = [q.to_dict() for q in enriched.quotes]
    speakers = list(dict.fromkeys(q.speaker.name for q in enriched.quotes if q.speaker))
    return {
        "id": a.doc_id,
        "article_id": a.article_id,
        "agency": a.agency,
        "url": a.url,
        "language": a.language,
        "source_format": a.source_format,
        "kicker": s.kicker,
        "title": s.title,
        "lead": s.lead,
        "body": s.body,
        "dateline": s.dateline,
        "source": s.source,
        "byline": a.byline,
        "published_at": _iso(a.published_at),
        "updated_at": _iso(a.updated_at),
        "received_at": _iso(received),
        "version": _version(a, received),
        "topics": list(enriched.topics),
        "topic_scores": enriched.topic_scores,
        "entities": entities,
        "entity_ids": [e.id for e in enriched.entities],
        "entity_keys": sorted({match_key(e.name) for e in enriched.entities if e.type != "date"}),
        "persons": by_type["person"],
        "organizations": by_type["organization"],
        "locations": by_type["location"],
        "dates": by_type["date"],
        "quotes": quotes,
        "speakers": speakers,
        "original": {"kicker": a.kicker, "title": a.title, "lead": a.lead, "body": a.body},
    }
