"""The ``extract_entities`` stage: persons, organizations, locations and dates, linked to ids.

The order matters: each step claims text, and later steps never take what an earlier one explained.
Gazetteer names first, then people by context, then organizations and places by their head
nouns, then dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from streams.enrich.entities.dates import find_dates
from streams.enrich.entities.linking import link_club_names, link_gazetteer, link_surnames
from streams.enrich.entities.merge import (
    first_name_variants,
    heads_before_organizations,
    merge_short_forms,
    organization_prefixes,
    surname_of_the_introduced,
)
from streams.enrich.entities.org_words import load_organization_words
from streams.enrich.entities.organizations import find_organizations
from streams.enrich.entities.persons import find_persons
from streams.enrich.entities.places import find_places
from streams.enrich.entities.scan import Linked, Scan, Unlinked, new_scan
from streams.enrich.gazetteer import Gazetteer
from streams.enrich.lexicon import Lexicon
from streams.model import Entity, EntityType, Mention

__all__ = ["extract_entities", "mentions_by_position"]

_TYPES: Mapping[str, EntityType] = MappingProxyType(
    {"person": "person", "organization": "organization", "location": "location"})


@dataclass
class _Found:
    entity_id: str
    type: EntityType
    name: str
    latin: str | None
    linked: bool
    mentions: list[Mention]


def extract_entities(text: str, gaz: Gazetteer, lex: Lexicon, *, year: int | None = None) -> tuple[Entity, ...]:
    """All entities of an article's joined text, in order of first mention."""
    scan = new_scan(text, gaz, lex)
    linked = link_gazetteer(scan)
    persons = find_persons(scan)
    first_name_variants(persons, linked, gaz)
    surname_of_the_introduced(persons, linked, gaz)
    link_surnames(scan, linked)
    link_club_names(scan, linked)
    organization_prefixes(scan, linked)
    organizations = find_organizations(scan, linked)
    heads_before_organizations(scan, linked, load_organization_words())
    places = find_places(scan, linked)
    merge_short_forms(organizations, linked, gaz)
    found = [*_linked(linked, gaz), *_unlinked("person", persons), *_unlinked("organization", organizations),
             *_unlinked("location", places)]
    found.extend(_dates(scan, found, year))
    found.sort(key=lambda f: min(m.start for m in f.mentions))
    return tuple(
        Entity(f.type, f.entity_id, f.name, tuple(sorted(f.mentions, key=lambda m: m.start)), f.latin, f.linked)
        for f in found
    )


def _linked(linked: Linked, gaz: Gazetteer) -> list[_Found]:
    found = []
    for entity_id, mentions in linked.items():
        e = gaz.entries[entity_id]
        found.append(_Found(entity_id, _TYPES.get(e.type, "organization"), e.name, e.latin, True, mentions))
    return found


def _unlinked(etype: EntityType, names: Unlinked) -> list[_Found]:
    return [_Found(f"{etype}/~{key}", etype, name, None, False, mentions) for key, (name, mentions) in names.items()]


def _dates(scan: Scan, found: list[_Found], year: int | None) -> list[_Found]:
    """Dates not inside another entity's name, one entity per ISO date (joined to ``found``'s if any)."""
    by_id = {f.entity_id: f for f in found}
    dates: list[_Found] = []
    for hit in find_dates(scan.text, year):
        if scan.spans.overlaps(hit.start, hit.end):
            continue
        entity_id = f"date/{hit.iso}"
        mention = Mention(hit.start, hit.end, hit.surface)
        if entity_id in by_id:
            by_id[entity_id].mentions.append(mention)
        else:
            by_id[entity_id] = _Found(entity_id, "date", hit.iso, None, True, [mention])
            dates.append(by_id[entity_id])
    return dates


def mentions_by_position(entities: Iterable[Entity]) -> list[tuple[Mention, Entity]]:
    """Every mention with its entity, sorted by position (for the quote stage)."""
    pairs = [(m, e) for e in entities for m in e.mentions]
    pairs.sort(key=lambda p: p[0].start)
    return pairs
