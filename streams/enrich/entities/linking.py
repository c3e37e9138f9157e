"""Gazetteer names in the text: full names, short forms, surnames of people introduced in full, clubs.

1. Names, aliases and variants are found in one multi-pattern pass; among entities sharing a name
   the one already mentioned wins, else the holder of the canonical name.
2. A short form (a surname alone: «لاوروف») links to the entity introduced elsewhere in the
   article, or to the only entity that uses that short form.
3. A person's surname alone names them once the article introduced them in full.
"""

from __future__ import annotations

import re

from streams.enrich.entities.grammar import clause_initial
from streams.enrich.entities.scan import Linked, Scan
from streams.enrich.gazetteer import Gazetteer, NameHit
from streams.enrich.matcher import Match
from streams.enrich.persian import ZWNJ, is_descriptive, word_frequency
from streams.model import Mention

__all__ = ["link_club_names", "link_gazetteer", "link_surnames", "sports_copy"]

_WORD_BEFORE = re.compile(rf"([\w{ZWNJ}]+)\s*$")
_LOOK_BACK = 30  # characters searched for the word before a name


def link_gazetteer(scan: Scan) -> Linked:
    """Mentions of gazetteer entities by id: full names first, then short forms they resolve."""
    found: Linked = {}
    deferred: list[Match[NameHit]] = []
    for m in scan.gaz.matcher.find(scan.text):
        if _after_another_first_name(scan, m):
            continue
        full = [p for p in m.payloads if p.form != "short"]
        if full:
            _link(found, scan, prefer(full, found).entity_id, m)
        else:
            deferred.append(m)
    for m in deferred:
        owner = short_form_owner(m.payloads, found)
        if owner is not None:
            _link(found, scan, owner.entity_id, m)
    return found


def _link(found: Linked, scan: Scan, entity_id: str, m: Match[NameHit]) -> None:
    found.setdefault(entity_id, []).append(Mention(m.start, m.end, scan.text[m.start:m.end]))
    scan.spans.add(m.start, m.end)


def _after_another_first_name(scan: Scan, m: Match[NameHit]) -> bool:
    """«اولکسی کولبا»: a one-word name of a person after another first name is someone else's; so is
    it after a word no lexicon knows that does not begin as the person's own given name does
    («لیلیت هاروتیونیان» is not «آرایک هاروتیونیان»; «سرگی لاوروف» is «سرگئی لاوروف»)."""
    text = scan.text
    if " " in text[m.start:m.end] or not all(p.entity_id.startswith("person/") for p in m.payloads):
        return False
    before = _WORD_BEFORE.search(text, max(0, m.start - _LOOK_BACK), m.start)
    if before is None or before.end(1) != m.start - 1:
        return before is not None and before.group(1) in scan.lex.first_names
    word = before.group(1)
    if word in scan.lex.first_names:
        return True
    if not scan.lex.is_name_token(word) or word_frequency(word) is not None or is_descriptive(word):
        return False
    given = {_given_name(scan.gaz, p.entity_id)[:2] for p in m.payloads}
    return word[:2] not in given


def _given_name(gaz: Gazetteer, entity_id: str) -> str:
    entry = gaz.get(entity_id)
    return entry.name.split(" ", 1)[0] if entry is not None else ""


def prefer(hits: list[NameHit], found: Linked) -> NameHit:
    """Among entities sharing a name, the one already mentioned, else the canonical-name holder."""
    for h in hits:
        if h.entity_id in found:
            return h
    for h in hits:
        if h.form == "name":
            return h
    return hits[0]


def short_form_owner(hits: tuple[NameHit, ...], found: Linked) -> NameHit | None:
    """Whose short form this is: an entity the article introduced, else the only one using it."""
    introduced = [h for h in hits if h.entity_id in found]
    if introduced:
        return introduced[0]
    if len({h.entity_id for h in hits}) == 1:
        return hits[0]
    return None


def _surnames_of_linked_people(gaz: Gazetteer, linked: Linked) -> dict[str, list[str]]:
    surnames: dict[str, list[str]] = {}
    for entity_id in linked:
        entry = gaz.entries[entity_id]
        if entry.type != "person" or " " not in entry.name:
            continue
        surname = entry.name.split(" ")[-1]
        if len(surname) >= 3:
            surnames.setdefault(surname, []).append(entity_id)
    return surnames


def link_surnames(scan: Scan, linked: Linked) -> None:
    """A person introduced in full is then named by surname alone («محمد اسلامی» … «اسلامی»), even
    when the surname alone is too ambiguous for the gazetteer's short forms."""
    surnames = _surnames_of_linked_people(scan.gaz, linked)
    if not surnames:
        return
    spans, stopnames = scan.spans, scan.lex.stopnames
    for k, t in enumerate(scan.tokens):
        owners = surnames.get(t.text)
        if not owners or len(owners) != 1 or spans.overlaps(t.start, t.end):
            continue
        # a surname that is also a common word («اسلامی»، «سلام») counts only as a clause's subject
        if t.text in stopnames and not clause_initial(scan.text, scan.tokens, k, scan.grammar):
            continue
        linked[owners[0]].append(Mention(t.start, t.end, t.text))
        spans.add(t.start, t.end)


def sports_copy(scan: Scan, linked: Linked) -> bool:
    """A club already named, or two words of the game."""
    clubs = sum(1 for eid in linked if scan.gaz.entries[eid].kind == "sports-club")
    cues = scan.lex.sport_cues
    cue_count = len({m.payloads[0] for m in cues.find(scan.text)}) if cues is not None else 0
    return clubs + cue_count >= 2


def link_club_names(scan: Scan, linked: Linked) -> None:
    """In sports copy «استقلال»، «تراکتور» and «فولاد» are clubs; elsewhere they are the words
    independence, tractor and steel."""
    club_matcher = scan.gaz.club_matcher
    hits = club_matcher.find(scan.text) if len(club_matcher) else []
    if not hits or not sports_copy(scan, linked):
        return  # most articles: no such word, so no need to look for sports copy
    for m in hits:
        if not scan.spans.overlaps(m.start, m.end):
            _link(linked, scan, m.payloads[0].entity_id, m)
