"""The gazetteer: canonical persons, organizations and locations, loaded once from data.

``streams/data/gazetteer.yaml`` holds one entry per entity (id, type, canonical Persian name,
Latin name, aliases, short forms, role); ``streams/data/outlets.yaml`` the news outlets, whose
``guarded`` names are common words too and are linked only where a credit names them. Names are
normalized with the same functions as the
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
    guarded: tuple[str, ...] = ()  # an outlet's names that are common words too (مهر، فارس): in credits only
    medium: str | None = None  # an outlet's: agency, newspaper, tv, radio, website, magazine, platform


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


def _phrases(e: GazetteerEntry) -> list[tuple[str, NameHit]]:
    """The phrases that link to an entry anywhere: its name, aliases, short forms, demonyms and
    Latin name, but not its guarded names."""
    forms: list[tuple[str, NameHit]] = [(e.name, NameHit(e.id, "name"))]
    forms += [(n, NameHit(e.id, "alias")) for n in (*e.aliases, *e.demonyms, *((e.latin,) if e.latin else ()))]
    forms += [(n, NameHit(e.id, "short")) for n in e.short]
    return [(n, hit) for n, hit in forms if n not in e.guarded]


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
        for e in entries:
            for n in (e.name, *e.aliases, *e.short, *e.guarded, *((e.latin,) if e.latin else ())):
                bucket = self._by_key.setdefault(match_key(n), [])
                if e.id not in bucket:
                    bucket.append(e.id)
        self.matcher: PhraseMatcher[NameHit] = PhraseMatcher(p for e in entries for p in _phrases(e))
        # outlets' names that are common words too (مهر، فارس): linked only where a credit names them
        self.guarded_matcher: PhraseMatcher[NameHit] = PhraseMatcher(
            (n, NameHit(e.id, "alias")) for e in entries for n in e.guarded
        )
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
        return (e.name, *e.aliases, *e.short, *e.guarded, *((e.latin,) if e.latin else ()))


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
        guarded=tuple(normalize_phrase(a) for a in _strings(raw.get("guarded"))),
        medium=str(raw["medium"]) if raw.get("medium") else None,
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
    """The shipped gazetteer (with the outlets and the demonyms), parsed and compiled once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if path is not None:
        return parse_gazetteer(path.read_text(encoding="utf-8"))
    demonyms = yaml.load(data_path("demonyms.yaml").read_text(encoding="utf-8"), Loader=loader)
    text = "\n".join(data_path(name).read_text(encoding="utf-8") for name in ("gazetteer.yaml", "outlets.yaml"))
    return parse_gazetteer(text, demonyms)
