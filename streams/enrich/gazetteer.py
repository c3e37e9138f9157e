"""The gazetteer: canonical persons, organizations and locations, loaded once from data.

``streams/data/gazetteer.yaml`` holds one entry per entity (id, type, canonical Persian name,
Latin name, aliases, short forms, role). Names are normalized with the same functions as the
text, so a lookup never depends on how an editor typed ی or a ZWNJ.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from streams.enrich.matcher import PhraseMatcher
from streams.enrich.persian import ZWNJ, match_key, normalize_phrase, squash_key
from streams.resources import data_path

__all__ = ["GazetteerEntry", "Gazetteer", "NameHit", "load_gazetteer", "role_keys_of", "squash_key"]

Form = Literal["name", "alias", "short"]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    type: str
    name: str
    latin: str | None
    aliases: tuple[str, ...]
    short: tuple[str, ...]
    role: str | None
    kind: str | None
    country: str | None
    demonyms: tuple[str, ...] = ()  # «لبنانی» names لبنان; matched, but not a name of the entity
    contextual: tuple[str, ...] = ()  # names that are common words too (استقلال): linked in their field only


@dataclass(frozen=True, slots=True)
class NameHit:
    """Payload of a gazetteer phrase: which entity, through which form of its name."""

    entity_id: str
    form: Form


def role_keys_of(role: str, *, one_word: bool = False) -> tuple[str, ...]:
    """Keys of a role and of its leading parts down to two words, longest first: «مدیرکل آژانس
    بین‌المللی انرژی اتمی» is also written «مدیرکل آژانس». «امور» is dropped, so «وزیر امور خارجه» and
    «وزیر خارجه» are one role. A one-word role has a key only with ``one_word``."""
    words = [w for w in role.split() if w != "امور"]
    keys = tuple(squash_key(" ".join(words[:n])) for n in range(len(words), 1, -1))
    return keys or ((squash_key(words[0]),) if one_word and words else ())


def _strings(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if v)


class Gazetteer:
    """Entries by id and by name key, and one phrase matcher over every name form."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries: dict[str, GazetteerEntry] = {e.id: e for e in entries}
        self._by_key: dict[str, list[str]] = {}
        phrases: list[tuple[str, NameHit]] = []
        for e in entries:
            for form, names in (("name", (e.name,)), ("alias", e.aliases), ("short", e.short)):
                for n in names:
                    phrases.append((n, NameHit(e.id, form)))  # type: ignore[arg-type]
                    bucket = self._by_key.setdefault(match_key(n), [])
                    if e.id not in bucket:
                        bucket.append(e.id)
            phrases.extend((d, NameHit(e.id, "alias")) for d in e.demonyms)
            if e.latin:
                phrases.append((e.latin, NameHit(e.id, "alias")))
                self._by_key.setdefault(match_key(e.latin), []).append(e.id)
        self.matcher: PhraseMatcher[NameHit] = PhraseMatcher(phrases)
        # sports clubs whose short names are everyday words (استقلال، تراکتور، فولاد)
        self.club_matcher: PhraseMatcher[NameHit] = PhraseMatcher(
            (n, NameHit(e.id, "short")) for e in entries for n in e.contextual
        )
        # demonyms as they may appear in text: with or without ZWNJ (کره‌ای، ترکیه ای)
        self.demonyms: frozenset[str] = frozenset(
            v for e in entries for d in e.demonyms for v in (d, d.replace(ZWNJ, " "), d.replace(ZWNJ, ""))
        )

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries.values())

    def get(self, entity_id: str) -> GazetteerEntry | None:
        return self.entries.get(entity_id)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entities any of whose names has the same match key as ``name``."""
        return [self.entries[i] for i in self._by_key.get(match_key(name), [])]

    def role_keys(self, entity_id: str) -> tuple[str, ...]:
        """Keys of a person's role and of its leading parts, longest first; «امور» is dropped so
        «وزیر امور خارجه» and «وزیر خارجه» are one role."""
        e = self.entries.get(entity_id)
        return role_keys_of(e.role) if e is not None and e.role else ()

    def names_of(self, entity_id: str) -> tuple[str, ...]:
        e = self.entries.get(entity_id)
        if e is None:
            return ()
        return (e.name, *e.aliases, *e.short, *((e.latin,) if e.latin else ()))


def _entry(raw: dict[str, Any]) -> GazetteerEntry:
    return GazetteerEntry(
        id=str(raw["id"]),
        type=str(raw["type"]),
        name=normalize_phrase(str(raw["name"])),
        latin=str(raw["latin"]) if raw.get("latin") else None,
        aliases=tuple(normalize_phrase(a) for a in _strings(raw.get("aliases"))),
        short=tuple(normalize_phrase(a) for a in _strings(raw.get("short"))),
        role=normalize_phrase(str(raw["role"])) if raw.get("role") else None,
        kind=str(raw["kind"]) if raw.get("kind") else None,
        country=str(raw["country"]) if raw.get("country") else None,
        contextual=tuple(normalize_phrase(a) for a in _strings(raw.get("contextual"))),
    )


def parse_gazetteer(text: str, demonyms: dict[str, Any] | None = None) -> Gazetteer:
    """Entries from YAML text; ``demonyms`` maps entity ids to their adjectives of nationality."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=loader) or []
    entries = [_entry(r) for r in raw]
    if demonyms:
        unknown = sorted(set(demonyms) - {e.id for e in entries})
        if unknown:
            raise ValueError(f"demonyms of unknown entities: {', '.join(unknown)}")
        entries = [
            replace(e, demonyms=tuple(normalize_phrase(d) for d in _strings(demonyms[e.id]))) if e.id in demonyms
            else e
            for e in entries
        ]
    return Gazetteer(entries)


@cache
def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The shipped gazetteer (with its demonyms), parsed and compiled once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    demonyms = None if path else yaml.load(data_path("demonyms.yaml").read_text(encoding="utf-8"), Loader=loader)
    return parse_gazetteer((path or data_path("gazetteer.yaml")).read_text(encoding="utf-8"), demonyms)
