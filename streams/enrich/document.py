"""The enriched document: the ONE function from an article to what Khabar publishes and indexes.

``enrich_article`` (an :class:`~streams.model.Article`) and ``enrich_payload`` (raw bytes from
``news.raw``) return an :class:`EnrichedDocument`, or a :class:`Rejection` saying why there is
none. The worker, `khabar enrich`, backfills, `khabar eval` and the bench all call these, so the
same input gives the same bytes everywhere (:func:`encode_document`). The document's shape is
``schemas/enriched_article.schema.json``; a contract test checks the two agree.

Time comes in as an argument (``received_at``): nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal, NotRequired, TypedDict

import orjson

from streams.enrich.persian import match_key, strip_html
from streams.enrich.pipeline import Pipeline, StageTimes
from streams.errors import InvalidArticle, PermanentError
from streams.intake.decode import decode_article
from streams.model import Article, Enriched, QuoteField, QuoteKind, SourceRole

__all__ = [
    "EnrichedDocument",
    "EntityRecord",
    "QuoteRecord",
    "Rejection",
    "SourceRecord",
    "SpeakerRecord",
    "encode_document",
    "enrich_article",
    "enrich_payload",
    "enrich_record",
    "external_version",
    "sanitize",
]

EntityKind = Literal["person", "organization", "location", "date"]


class EntityRecord(TypedDict):
    type: EntityKind
    id: str
    name: str
    mentions: list[str]
    count: int
    linked: bool
    latin: NotRequired[str]


class SpeakerRecord(TypedDict):
    id: str | None
    name: str
    type: EntityKind


class QuoteRecord(TypedDict):
    text: str
    speaker: SpeakerRecord | None
    verb: str
    kind: QuoteKind
    field: QuoteField
    condenses: int | None


class SourceEntity(TypedDict):
    id: str
    name: str


class SourceRecord(TypedDict):
    entity: SourceEntity
    role: SourceRole


class OriginalText(TypedDict):
    kicker: str
    title: str
    lead: str
    body: str


class EnrichedDocument(TypedDict):
    """One enriched article, as produced to ``news.enriched`` and indexed (the schema's fields)."""

    id: str
    article_id: str | None
    agency: str | None
    url: str | None
    language: str
    source_format: Literal["flat", "ninjs", "text"]
    kicker: str
    title: str
    lead: str
    body: str
    dateline: str | None
    source: str | None
    byline: str | None
    published_at: str | None
    updated_at: str | None
    received_at: str
    version: int
    topics: list[str]
    topic_scores: dict[str, float]
    entities: list[EntityRecord]
    entity_ids: list[str]
    entity_keys: list[str]
    persons: list[str]
    organizations: list[str]
    locations: list[str]
    dates: list[str]
    quotes: list[QuoteRecord]
    speakers: list[str]
    sources: list[SourceRecord]
    origins: list[str]
    original: OriginalText


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why an article gave no document: a permanent error, bound for the dead-letter topic."""

    error: PermanentError
    agency: str | None = None

    @property
    def reason(self) -> str:
        return self.error.reason

    @property
    def stage(self) -> str:
        return self.error.stage


_SANITIZE_ROUNDS = 4


def sanitize(text: str) -> str:
    """Text with markup removed until none is left, so escaped tags cannot come back as tags.

    >>> sanitize("سلام <b>دنیا</b>")
    'سلام دنیا'
    >>> sanitize("&lt;script&gt;alert(1)&lt;/script&gt; متن")
    'alert(1) متن'
    """
    if "<" not in text and "&" not in text:
        return text
    for _ in range(_SANITIZE_ROUNDS):
        stripped = strip_html(text)
        if stripped == text:
            break
        text = stripped
    return text


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def external_version(article: Article, received_at: datetime) -> int:
    """The search engine's external version: the article's update time in ms (newer wins).

    An undated article has version 0, the lowest: when it was received says nothing of which copy
    is newer (a backfill receives an old copy today), so it never replaces an indexed version.
    """
    stamp = article.updated_at or article.published_at
    return int(stamp.timestamp() * 1000) if stamp is not None else 0


def _entities(enriched: Enriched) -> list[EntityRecord]:
    records: list[EntityRecord] = []
    for e in enriched.entities:
        record: EntityRecord = {
            "type": e.type, "id": e.id, "name": e.name,
            "mentions": list(dict.fromkeys(m.surface for m in e.mentions)),
            "count": len(e.mentions), "linked": e.linked,
        }
        if e.latin:
            record["latin"] = e.latin
        records.append(record)
    return records


def _quotes(enriched: Enriched) -> list[QuoteRecord]:
    records: list[QuoteRecord] = []
    for q in enriched.quotes:
        speaker: SpeakerRecord | None = None
        if q.speaker is not None:
            speaker = {"id": q.speaker.id, "name": q.speaker.name, "type": q.speaker.type}
        records.append({"text": q.text, "speaker": speaker, "verb": q.verb, "kind": q.kind, "field": q.field,
                        "condenses": q.condenses})
    return records


def _sources(enriched: Enriched) -> list[SourceRecord]:
    return [{"entity": {"id": s.entity.id, "name": s.entity.name}, "role": s.role} for s in enriched.sources]


def _origins(enriched: Enriched) -> list[str]:
    """The original source of each chain: the last outlet cited after a reporting one, else the reporter."""
    origins: list[str] = []
    chain: list[str] = []
    for s in [*enriched.sources, None]:
        if s is None or s.role != "citing":
            if chain:
                origins.append(chain[-1])
            chain = [] if s is None else [s.entity.id]
            continue
        chain.append(s.entity.id)
    return list(dict.fromkeys(origins))


def to_document(enriched: Enriched, *, received_at: datetime) -> EnrichedDocument:
    """The document of an enrichment result; stored text carries no markup."""
    a, s = enriched.article, enriched.structure
    by_type: dict[str, list[str]] = {"person": [], "organization": [], "location": [], "date": []}
    for e in enriched.entities:
        by_type[e.type].append(e.name)
    return {
        "id": a.doc_id,
        "article_id": a.article_id,
        "agency": a.agency,
        "url": a.url,
        "language": a.language,
        "source_format": a.source_format,
        "kicker": sanitize(s.kicker),
        "title": sanitize(s.title),
        "lead": sanitize(s.lead),
        "body": sanitize(s.body),
        "dateline": s.dateline,
        "source": s.source,
        "byline": a.byline,
        "published_at": _iso(a.published_at),
        "updated_at": _iso(a.updated_at),
        "received_at": _iso(received_at) or "",
        "version": external_version(a, received_at),
        "topics": list(enriched.topics),
        "topic_scores": enriched.topic_scores,
        "entities": _entities(enriched),
        "entity_ids": [e.id for e in enriched.entities],
        "entity_keys": sorted({match_key(e.name) for e in enriched.entities if e.type != "date"}),
        "persons": by_type["person"],
        "organizations": by_type["organization"],
        "locations": by_type["location"],
        "dates": by_type["date"],
        "quotes": _quotes(enriched),
        "speakers": list(dict.fromkeys(q.speaker.name for q in enriched.quotes if q.speaker)),
        "sources": _sources(enriched),
        "origins": _origins(enriched),
        "original": {"kicker": sanitize(a.kicker), "title": sanitize(a.title), "lead": sanitize(a.lead),
                     "body": sanitize(a.body)},
    }


def enrich_article(article: Article, pipeline: Pipeline, *, received_at: datetime,
                   timings: StageTimes | None = None) -> EnrichedDocument | Rejection:
    """An article's enriched document, or the stage error that stopped it as a :class:`Rejection`.

    ``timings``, when given, receives the seconds spent per stage (the caller's metrics).
    """
    try:
        enriched, spent = pipeline.enrich(article, received_at=received_at)
    except PermanentError as exc:
        return Rejection(exc, article.agency)
    if timings is not None:
        timings.update(spent)
    return to_document(enriched, received_at=received_at)


def enrich_payload(payload: bytes, pipeline: Pipeline, *, received_at: datetime, max_bytes: int,
                   require_persian: bool, timings: StageTimes | None = None) -> EnrichedDocument | Rejection:
    """Raw bytes from ``news.raw`` → document, or the reason they are not one (decode, schema, stage)."""
    try:
        article = decode_article(payload, max_bytes=max_bytes, require_persian=require_persian)
    except PermanentError as exc:
        return Rejection(exc)
    return enrich_article(article, pipeline, received_at=received_at, timings=timings)


def encode_document(doc: EnrichedDocument) -> bytes:
    """The document's bytes, as produced to ``news.enriched`` and printed by `khabar enrich --json`.

    Raises :class:`InvalidArticle` when the text cannot be written as UTF-8 JSON (a lone surrogate).
    """
    try:
        return orjson.dumps(doc)
    except orjson.JSONEncodeError as exc:
        raise InvalidArticle(f"enriched document cannot be encoded as JSON: {exc}"[:200], stage="encode") from None


def enrich_record(payload: bytes, pipeline: Pipeline, *, received_at: datetime, max_bytes: int,
                  require_persian: bool, timings: StageTimes | None = None
                  ) -> tuple[EnrichedDocument, bytes] | Rejection:
    """Raw bytes → (document, its encoded bytes) ready to produce or index, or the :class:`Rejection`."""
    result = enrich_payload(payload, pipeline, received_at=received_at, max_bytes=max_bytes,
                            require_persian=require_persian, timings=timings)
    if isinstance(result, Rejection):
        return result
    try:
        return result, encode_document(result)
    except InvalidArticle as exc:
        return Rejection(exc, result["agency"])
