"""Tracked figures and how an enriched article mentions or quotes them.

A figure is either a gazetteer entity (a person or an organization, matched by its id, the way
enrichment linked it) or a free-form name with aliases (matched by name key against the article's
entities and quote speakers, then as a phrase in the text). The watchlist itself lives in a
compacted Kafka topic: key = figure id, value = :meth:`Figure.to_bytes`, a tombstone removes it.

Pure: no Kafka, no faust; the worker and the CLI both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

import orjson

from streams.enrich.gazetteer import Gazetteer
from streams.enrich.persian import ZWNJ, match_key, normalize_phrase

__all__ = [
    "Figure",
    "FigureMatch",
    "FigureMatcher",
    "WatchlistError",
    "custom_figure",
    "fold_watchlist",
    "resolve_figure",
]

FigureType = Literal["person", "organization", "custom"]
MentionKind = Literal["mention", "quote"]
_TRACKABLE = ("person", "organization")


class WatchlistError(ValueError):
    """A figure cannot be resolved or parsed; the message is meant for a person."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One tracked figure as stored on the watchlist topic."""

    id: str
    name: str
    type: FigureType
    aliases: tuple[str, ...] = ()
    source: Literal["gazetteer", "custom"] = "gazetteer"
    added_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases),
                "source": self.source, "added_at": self.added_at}

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Figure:
        try:
            fig_type = str(raw.get("type") or "custom")
            if fig_type not in ("person", "organization", "custom"):
                raise WatchlistError(f"unknown figure type {fig_type!r}")
            source: Literal["gazetteer", "custom"] = (
                "gazetteer" if raw.get("source", "gazetteer") == "gazetteer" else "custom")
            return cls(id=str(raw["id"]), name=str(raw["name"]), type=fig_type,  # type: ignore[arg-type]
                       aliases=tuple(str(a) for a in raw.get("aliases") or () if a),
                       source=source, added_at=raw.get("added_at"))
        except KeyError as exc:
            raise WatchlistError(f"figure record lacks {exc.args[0]!r}") from None

    @classmethod
    def from_bytes(cls, value: bytes) -> Figure:
        try:
            raw = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise WatchlistError(f"figure record is not JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise WatchlistError("figure record is not a JSON object")
        return cls.from_dict(raw)


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def custom_figure(name: str, aliases: Sequence[str] = (), *, fig_type: FigureType = "custom") -> Figure:
    """A free-form figure: its id is derived from the normalized name, so adding it twice is one figure."""
    canonical = normalize_phrase(name)
    if not match_key(canonical):
        raise WatchlistError("a figure needs a non-empty name")
    slug = "-".join(canonical.replace(ZWNJ, "").split()).lower()
    forms = tuple(dict.fromkeys(a for a in (normalize_phrase(x) for x in aliases) if a and a != canonical))
    return Figure(id=f"name/{slug}", name=canonical, type=fig_type, aliases=forms, source="custom",
                  added_at=_now_iso())


def resolve_figure(gazetteer: Gazetteer, query: str) -> Figure:
    """A gazetteer id (``person/sergey-lavrov``) or any name of one person or organization → a figure."""
    entry = gazetteer.get(query.strip())
    if entry is None:
        candidates = [e for e in gazetteer.lookup(query) if e.type in _TRACKABLE]
        if not candidates:
            raise WatchlistError(f"{query!r} is neither a gazetteer id nor a person or organization name "
                                 "in the gazetteer; add it with --name and --alias")
        if len({e.id for e in candidates}) > 1:
            ids = ", ".join(sorted({e.id for e in candidates}))
            raise WatchlistError(f"{query!r} is ambiguous: {ids}; give the id")
        entry = candidates[0]
    if entry.type not in _TRACKABLE:
        raise WatchlistError(f"{entry.id} is a {entry.type}; only persons and organizations can be tracked")
    names = gazetteer.names_of(entry.id)
    aliases = tuple(dict.fromkeys(n for n in names if n != entry.name))
    return Figure(id=entry.id, name=entry.name, type=entry.type,  # type: ignore[arg-type]
                  aliases=aliases, source="gazetteer", added_at=_now_iso())


def fold_watchlist(records: Iterable[tuple[bytes | None, bytes | None]]) -> dict[str, Figure]:
    """Replay a compacted topic (key, value) in order: the last value per key wins, a tombstone deletes."""
    out: dict[str, Figure] = {}
    for key, value in records:
        if key is None:
            continue
        fid = key.decode("utf-8", "replace")
        if value is None:
            out.pop(fid, None)
            continue
        try:
            out[fid] = Figure.from_bytes(value)
        except WatchlistError:
            continue  # a record we cannot read is not a figure; the topic may hold foreign data
    return out


@dataclass(frozen=True, slots=True)
class FigureMatch:
    """How one article refers to one tracked figure."""

    figure: Figure
    kind: MentionKind
    surface: str
    quote: str | None = None


def _phrase_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex over every form of a name, tolerant to space/ZWNJ/no-space between its words."""
    alternatives = []
    for form in sorted(set(forms), key=len, reverse=True):
        words = [w for w in re.split(r"[\s\u200c]+", form) if w]
        if words:
            alternatives.append(r"[\s\u200c]?".join(re.escape(w) for w in words))
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@dataclass
class _Compiled:
    figure: Figure
    keys: frozenset[str]
    pattern: re.Pattern[str] | None


@dataclass
class FigureMatcher:
    """Matches enriched documents (the ``news.enriched`` shape) against a set of figures."""

    figures: Sequence[Figure]
    _by_id: dict[str, Figure] = field(init=False)
    _custom: list[_Compiled] = field(init=False)

    def __post_init__(self) -> None:
        self._by_id = {f.id: f for f in self.figures if f.source == "gazetteer"}
        self._custom = []
        for f in self.figures:
            if f.source == "gazetteer":
                continue
            forms = [normalize_phrase(x) for x in (f.name, *f.aliases)]
            keys = frozenset(k for k in (match_key(x) for x in forms) if k)
            self._custom.append(_Compiled(f, keys, _phrase_pattern(forms)))

    def __len__(self) -> int:
        return len(self.figures)

    def match(self, doc: Mapping[str, Any]) -> list[FigureMatch]:
        """Every tracked figure the document mentions, once each; a quote wins over a mention."""
        out: dict[str, FigureMatch] = {}
        entities = [e for e in doc.get("entities") or () if isinstance(e, dict)]
        quotes = [q for q in doc.get("quotes") or () if isinstance(q, dict)]
        # direct quotes first: they are the speaker's own words
        quotes.sort(key=lambda q: 0 if q.get("kind") == "direct" else 1)
        if self._by_id:
            self._match_linked(entities, quotes, out)
        if self._custom:
            self._match_custom(doc, entities, quotes, out)
        return list(out.values())

    def _match_linked(self, entities: list[dict[str, Any]], quotes: list[dict[str, Any]],
                      out: dict[str, FigureMatch]) -> None:
        surfaces: dict[str, str] = {}
        for e in entities:
            fid = e.get("id")
            if fid in self._by_id and fid not in surfaces:
                mentions = e.get("mentions") or [e.get("name") or ""]
                surfaces[fid] = str(mentions[0])
        for q in quotes:
            speaker = q.get("speaker") or {}
            fid = speaker.get("id")
            if fid in self._by_id and fid not in out:
                surface = surfaces.get(fid) or str(speaker.get("name") or "")
                out[fid] = FigureMatch(self._by_id[fid], "quote", surface, str(q.get("text") or ""))
        for fid, surface in surfaces.items():
            if fid not in out:
                out[fid] = FigureMatch(self._by_id[fid], "mention", surface)

    def _match_custom(self, doc: Mapping[str, Any], entities: list[dict[str, Any]],
                      quotes: list[dict[str, Any]], out: dict[str, FigureMatch]) -> None:
        text = "\n".join(str(doc.get(k) or "") for k in ("kicker", "title", "lead", "body"))
        for c in self._custom:
            fid = c.figure.id
            if fid in out:
                continue
            quote = next((q for q in quotes
                          if match_key(str((q.get("speaker") or {}).get("name") or "")) in c.keys), None)
            surface: str | None = None
            for e in entities:
                if e.get("type") == "date":
                    continue
                name = str(e.get("name") or "")
                forms = [str(m) for m in e.get("mentions") or ()]
                if name and match_key(name) in c.keys:
                    surface = forms[0] if forms else name
                    break
                surface = next((f for f in forms if match_key(f) in c.keys), None)
                if surface is not None:
                    break
            if surface is None and c.pattern is not None:
                found = c.pattern.search(text)
                if found:
                    surface = found.group(0)
            if quote is not None:
                speaker = str((quote.get("speaker") or {}).get("name") or c.figure.name)
                out[fid] = FigureMatch(c.figure, "quote", surface or speaker, str(quote.get("text") or ""))
            elif surface is not None:
                out[fid] = FigureMatch(c.figure, "mention", surface)
