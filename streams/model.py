"""Typed records that travel through Khabar: the article as it arrived and what enrichment found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Article",
    "Entity",
    "EntityType",
    "Mention",
    "Quote",
    "QuoteField",
    "QuoteKind",
    "Source",
    "SourceRole",
    "Speaker",
    "Structure",
    "Enriched",
]

EntityType = Literal["person", "organization", "location", "date"]
QuoteKind = Literal["direct", "colon", "indirect", "headline"]
QuoteField = Literal["title", "kicker", "lead", "body"]
SourceRole = Literal["reporting", "citing", "credited", "publisher"]


@dataclass(frozen=True, slots=True)
class Article:
    """One agency article, decoded from any accepted raw form (flat, ninjs, text)."""

    doc_id: str
    article_id: str | None
    agency: str | None
    url: str | None
    title: str
    kicker: str
    lead: str
    body: str
    published_at: datetime | None
    updated_at: datetime | None
    language: str
    source_format: Literal["flat", "ninjs", "text"]
    byline: str | None = None


@dataclass(frozen=True, slots=True)
class Structure:
    """The parts of an article after normalization, in reading order."""

    kicker: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    dateline: str | None = None
    source: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def segments(self) -> tuple[str, ...]:
        """Kicker, title, dateline, lead, then each paragraph: the units entity and quote stages read
        (the dateline names a place and often the reporting outlet: «تهران - ایرنا»)."""
        return (self.kicker, self.title, self.dateline or "", self.lead, *self.paragraphs)


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form found in the text, with its offsets in the joined article text."""

    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organization, location or date, linked to a canonical id where known."""

    type: EntityType
    id: str
    name: str
    mentions: tuple[Mention, ...]
    latin: str | None = None
    linked: bool = True

    def to_dict(self) -> dict[str, Any]:
        surfaces: list[str] = []
        for m in self.mentions:
            if m.surface not in surfaces:
                surfaces.append(m.surface)
        out: dict[str, Any] = {
            "type": self.type,
            "id": self.id,
            "name": self.name,
            "mentions": surfaces,
            "count": len(self.mentions),
            "linked": self.linked,
        }
        if self.latin:
            out["latin"] = self.latin
        return out


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quote: a linked entity id where known, always a canonical name."""

    id: str | None
    name: str
    type: EntityType = "person"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type}


@dataclass(frozen=True, slots=True)
class Quote:
    """Speech attributed to a speaker with the verb that introduced it.

    ``kind``: ``direct`` (in «» or ""), ``colon`` (after a colon, without quote marks), ``indirect``
    (reported speech), ``headline`` (a headline's ``Speaker: claim``). ``field`` is the part of the
    article it stands in; a headline quote ``condenses`` the body quote at that index, when one says
    the same thing.
    """

    text: str
    speaker: Speaker | None
    verb: str
    kind: QuoteKind
    start: int = 0
    field: QuoteField = "body"
    condenses: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "verb": self.verb,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet the article credits, and how: reporting it, cited by it, credited or its publisher."""

    entity: Entity
    role: SourceRole
    start: int = 0


@dataclass(frozen=True, slots=True)
class Enriched:
    """The result of the enrichment pipeline for one article."""

    article: Article
    structure: Structure
    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    topics: tuple[str, ...]
    topic_scores: dict[str, float] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
