"""The enrichment stages in order, over resources built once.

``normalize_text`` → ``split_structure`` → ``extract_entities`` → ``extract_sources`` →
``extract_quotes`` → ``classify_topics``, each pure and, when the caller gives a timer, timed under its own name (the
name is its metric label). A stage that raises is reported as :class:`~streams.errors.StageError`
naming the stage. :mod:`streams.enrich.document` turns the result into the published document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from streams.enrich.entities import extract_entities
from streams.enrich.gazetteer import Gazetteer, load_gazetteer
from streams.enrich.lexicon import Lexicon, load_lexicon
from streams.enrich.persian import normalize_text
from streams.enrich.quotes import extract_quotes, head_role_keys, stated_role_keys
from streams.enrich.sources import extract_sources
from streams.enrich.structure import split_head, split_structure
from streams.enrich.topics import Taxonomy, classify_topics, load_taxonomy
from streams.errors import StageError
from streams.model import Article, Enriched, Quote, QuoteField, Structure

__all__ = ["Pipeline", "STAGES", "StageTimes", "joined_text"]

STAGES = ("normalize_text", "split_structure", "extract_entities", "extract_sources", "extract_quotes",
          "classify_topics")
T = TypeVar("T")
StageTimes = dict[str, float]


def joined_text(structure: Structure) -> str:
    """The article's parts joined by paragraph breaks, as the entity and quote stages read them."""
    return "\n\n".join(s for s in structure.segments() if s)


_SEGMENT_FIELDS: tuple[QuoteField, ...] = ("kicker", "title", "lead", "lead")  # kicker, title, dateline, lead


def field_spans(structure: Structure) -> list[tuple[int, int, QuoteField]]:
    """Where each part stands in :func:`joined_text` (start, end, field); paragraphs are the body."""
    spans: list[tuple[int, int, QuoteField]] = []
    at = 0
    for k, segment in enumerate(structure.segments()):
        if not segment:
            continue
        field = _SEGMENT_FIELDS[k] if k < len(_SEGMENT_FIELDS) else "body"
        spans.append((at, at + len(segment), field))
        at += len(segment) + 2
    return spans


@dataclass
class Pipeline:
    """Resources built once (gazetteer automaton, taxonomy, lexicon), then pure calls per article."""

    gazetteer: Gazetteer = field(default_factory=load_gazetteer)
    taxonomy: Taxonomy = field(default_factory=load_taxonomy)
    lexicon: Lexicon = field(default_factory=load_lexicon)
    #: seconds from an arbitrary origin (e.g. ``time.perf_counter``); without one, stages are not timed
    timer: Callable[[], float] | None = None

    def _run(self, stage: str, article: Article, timings: StageTimes, fn: Callable[[], T]) -> T:
        began = self.timer() if self.timer else 0.0
        try:
            return fn()
        except Exception as exc:  # any failure inside a stage is that article's permanent error
            raise StageError(stage, article.doc_id, f"{type(exc).__name__}: {exc}"[:300]) from exc
        finally:
            if self.timer:
                timings[stage] = timings.get(stage, 0.0) + self.timer() - began

    def enrich(self, article: Article, *, received_at: datetime) -> tuple[Enriched, StageTimes]:
        """Enrich one article; also return seconds spent per stage (empty without a timer).

        ``received_at`` dates an article that carries no date of its own (a year for day-month dates).
        """
        timings: StageTimes = {}
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
        year = (article.published_at or article.updated_at or received_at).year
        entities = self._run(
            "extract_entities", article, timings,
            lambda: extract_entities(text, self.gazetteer, self.lexicon, year=year),
        )
        sources, entities = self._run("extract_sources", article, timings,
                                      lambda: extract_sources(text, entities, self.gazetteer, structure.dateline))

        def quotes_of() -> tuple[Quote, ...]:
            roles = {e.id: self.gazetteer.role_keys(e.id) for e in entities if e.type == "person" and e.linked}
            for e in entities:  # people missing from the gazetteer hold the role the text gives them
                if e.type == "person" and not roles.get(e.id):
                    roles[e.id] = stated_role_keys(text, e, self.lexicon)
            spans = field_spans(structure)
            head_end = max((end for _, end, f in spans if f != "body"), default=0)
            persons = [e for e in entities if e.type == "person"]
            roles.update(head_role_keys(text, head_end, persons, roles, self.lexicon))
            return extract_quotes(text, entities, self.lexicon, {k: v for k, v in roles.items() if v},
                                  spans)

        quotes = self._run("extract_quotes", article, timings, quotes_of)
        scores = self._run("classify_topics", article, timings,
                           lambda: classify_topics(text, entities, self.taxonomy, self.gazetteer.demonyms))
        enriched = Enriched(article, structure, entities, quotes, tuple(scores), scores, sources)
        return enriched, timings
