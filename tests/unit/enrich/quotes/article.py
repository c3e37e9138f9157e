"""Articles written for the quote tests: a text, its entities placed by hand where their names
stand, and the quotes read from it with the real lexicon."""

from __future__ import annotations

from streams.enrich.gazetteer import role_keys_of
from streams.enrich.lexicon import Lexicon, load_lexicon
from streams.enrich.quotes import extract_quotes
from streams.model import Entity, EntityType, Mention, Quote

LEX: Lexicon = load_lexicon()

# name → (type, id); a name's every occurrence is a mention, longer names first
NAMES: dict[str, tuple[EntityType, str]] = {
    "علی رضایی": ("person", "person/ali-rezaei"),
    "مریم احمدی": ("person", "person/maryam-ahmadi"),
    "حسن کریمی": ("person", "person/hasan-karimi"),
    "سازمان ملل": ("organization", "organization/un"),
    "یونیسف": ("organization", "organization/unicef"),
    "برنامه جهانی غذا": ("organization", "organization/wfp"),
    "خبرگزاری فارس": ("organization", "organization/fars"),
    "صلیب سرخ": ("organization", "organization/red-cross"),
}


def entities_in(text: str) -> tuple[Entity, ...]:
    """Every name of :data:`NAMES` found in the text, as entities with their mentions."""
    taken = bytearray(len(text))  # 1 where a longer name was already found
    found: dict[str, list[Mention]] = {}
    for name in sorted(NAMES, key=len, reverse=True):
        at = text.find(name)
        while at != -1:
            end = at + len(name)
            if not any(taken[at:end]):
                taken[at:end] = b"\x01" * len(name)
                found.setdefault(name, []).append(Mention(at, end, name))
            at = text.find(name, end)
    return tuple(Entity(NAMES[n][0], NAMES[n][1], n, tuple(ms)) for n, ms in found.items())


def roles_of(**by_name: str) -> dict[str, tuple[str, ...]]:
    """Role keys by entity id from role phrases by name key: ``roles_of(ali="رئیس جمهور")``."""
    ids = {"ali": "person/ali-rezaei", "maryam": "person/maryam-ahmadi", "hasan": "person/hasan-karimi"}
    return {ids[k]: role_keys_of(role, one_word=True) for k, role in by_name.items()}


def quotes_in(text: str, roles: dict[str, tuple[str, ...]] | None = None) -> tuple[Quote, ...]:
    return extract_quotes(text, entities_in(text), LEX, roles)


def speakers_in(text: str, roles: dict[str, tuple[str, ...]] | None = None) -> list[str | None]:
    """The speaker's name of every quote in order (None where nobody was found)."""
    return [q.speaker.name if q.speaker else None for q in quotes_in(text, roles)]
