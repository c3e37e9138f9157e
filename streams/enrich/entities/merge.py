"""Findings reconciled with the gazetteer's links: one entity, however the article names it.

- a person found by context who is a gazetteer person under another transliteration;
- a surname the gazetteer gives to someone else, which here names the person introduced in full;
- a linked organization named again by the first words of its name, or by a short form;
- a linked organization written after a head that only describes it («شرکت فولاد مبارکه»).
"""

from __future__ import annotations

import bisect

from streams.enrich.entities.grammar import verbal
from streams.enrich.entities.org_words import OrganizationWords
from streams.enrich.entities.scan import Linked, Scan, Unlinked
from streams.enrich.entities.tokens import stands_alone
from streams.enrich.gazetteer import Gazetteer, GazetteerEntry
from streams.enrich.lexicon import Lexicon
from streams.enrich.persian import ZWNJ, match_key
from streams.model import Mention

__all__ = ["first_name_variants", "heads_before_organizations", "merge_short_forms", "name_prefixes",
           "organization_prefixes", "surname_of_the_introduced"]

_KEY_PREFIX = 2  # letters of two first names' keys that must agree for them to be one name


def first_name_variants(unlinked: Unlinked, linked: Linked, gaz: Gazetteer) -> None:
    """«ولودیمیر زلنسکی» is «ولادیمیر زلنسکی» transliterated otherwise: a person found by context whose
    surname names one gazetteer person, with a first name that starts alike, is that person."""
    for key, (name, mentions) in list(unlinked.items()):
        eid = _same_person(name, gaz)
        if eid is not None:
            linked.setdefault(eid, []).extend(mentions)
            del unlinked[key]


def _same_person(name: str, gaz: Gazetteer) -> str | None:
    words = name.split()
    if len(words) != 2:
        return None
    owners = {e.id for e in gaz.lookup(words[1]) if e.type == "person"}
    if len(owners) != 1:
        return None
    eid = next(iter(owners))
    first = gaz.entries[eid].name.split()[0]
    return eid if match_key(first)[:_KEY_PREFIX] == match_key(words[0])[:_KEY_PREFIX] else None


def surname_of_the_introduced(unlinked: Unlinked, linked: Linked, gaz: Gazetteer) -> None:
    """«اولکسی کولبا ... کولبا گفت»: a surname the gazetteer gives to someone else (دیمیترو کولبا) is the
    person the article introduced in full, when that someone is only ever named by it here."""
    by_surname: dict[str, str] = {}
    for key, (name, _) in unlinked.items():
        if " " in name:
            by_surname.setdefault(match_key(name.split()[-1]), key)
    if not by_surname:
        return
    for eid in list(linked):
        entry = gaz.entries[eid]
        if entry.type != "person":
            continue
        short = _only_short_form(entry, linked[eid])
        if short is not None and short in by_surname:
            unlinked[by_surname[short]][1].extend(linked.pop(eid))


def _only_short_form(entry: GazetteerEntry, mentions: list[Mention]) -> str | None:
    """The key of the one short form that all of an entity's mentions use, if they use only one."""
    keys = {match_key(m.surface) for m in mentions}
    if len(keys) != 1:
        return None
    key = next(iter(keys))
    return key if key in {match_key(s) for s in entry.short} else None


def name_prefixes(entry: GazetteerEntry, mentions: list[Mention], lex: Lexicon) -> list[str]:
    """The first two or more words (fewer than all) of each name of an organization that begins with a
    head noun, as written here or in the gazetteer; longest first."""
    surfaces = {m.surface.replace(ZWNJ, " ") for m in mentions} | {entry.name}
    prefixes: set[str] = set()
    for surface in surfaces:
        words = surface.split()
        if len(words) >= 3 and words[0] in lex.org_heads:
            prefixes.update(" ".join(words[:n]) for n in range(2, len(words)))
    return sorted(prefixes, key=len, reverse=True)


class _NextToken:
    """The first token at or after an offset, by bisection over token starts listed on first use
    (most articles never ask)."""

    def __init__(self, scan: Scan) -> None:
        self._scan = scan
        self._starts: list[int] | None = None

    def after(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [t.start for t in self._scan.tokens]
        return bisect.bisect_left(self._starts, offset)


def _name_ends_at(scan: Scan, nxt: int) -> bool:
    """Does a name visibly end before token ``nxt``: the end of text, punctuation, a function word, a verb?"""
    tokens = scan.tokens
    return (nxt >= len(tokens) or not tokens[nxt].is_word or tokens[nxt].text in scan.lex.stopnames
            or verbal(tokens, nxt, scan.grammar))


def organization_prefixes(scan: Scan, linked: Linked) -> None:
    """A linked organization named again by the first words of its name, from its head noun on
    («فدراسیون فوتبال» for «فدراسیون فوتبال جمهوری اسلامی ایران» named before or after), where the
    name visibly ends there: punctuation, a function word or a verb follows («وزارت امور» of
    «وزارت امور اقتصادی» is not «وزارت امور خارجه»)."""
    next_token = _NextToken(scan)
    for eid in list(linked):
        entry = scan.gaz.entries[eid]
        if entry.type != "organization":
            continue
        for prefix in name_prefixes(entry, linked[eid], scan.lex):
            _link_prefix(scan, linked[eid], prefix, next_token)


def _link_prefix(scan: Scan, mentions: list[Mention], prefix: str, next_token: _NextToken) -> None:
    text, spans = scan.text, scan.spans
    at = text.find(prefix)
    while at != -1:
        end = at + len(prefix)
        if (stands_alone(text, at, end) and not spans.overlaps(at, end)
                and _name_ends_at(scan, next_token.after(end))):
            mentions.append(Mention(at, end, prefix))
            spans.add(at, end)
        at = text.find(prefix, end)


def merge_short_forms(organizations: Unlinked, linked: Linked, gaz: Gazetteer) -> None:
    """«فدراسیون فوتبال» in an article that also names «فدراسیون فوتبال ایران» is that body: an unlinked
    name that begins one linked organization's name is folded into it."""
    if not organizations:
        return
    keys = {eid: [match_key(n) for n in gaz.names_of(eid)] for eid in linked
            if gaz.entries[eid].type == "organization"}
    for key in list(organizations):
        owners = {eid for eid, names in keys.items() if any(n.startswith(key) and n != key for n in names)}
        if len(owners) == 1:
            linked[owners.pop()].extend(organizations.pop(key)[1])


def heads_before_organizations(scan: Scan, linked: Linked, words: OrganizationWords) -> None:
    """«شرکت فولاد مبارکه»، «روزنامه کیهان»: a head that only describes a linked organization, right
    before its name, joins that mention (the entity keeps its name), so the organization is found
    whether a reader counts the head as part of its name or not."""
    heads = words.company_heads | words.generic_heads
    starts = [t.start for t in scan.tokens]
    for eid, mentions in linked.items():
        entry = scan.gaz.entries[eid]
        if entry.type != "organization":
            continue
        for n, m in enumerate(mentions):
            k = bisect.bisect_left(starts, m.start)
            head = _head_before(scan, k, heads)
            if head is not None and not entry.name.startswith(scan.text[head:m.start].strip()):
                mentions[n] = Mention(head, m.end, scan.text[head:m.end])
                scan.spans.add(head, m.start)


def _head_before(scan: Scan, k: int, heads: frozenset[str]) -> int | None:
    """Where a head of one or two words ending right before token k starts; None if none does."""
    tokens = scan.tokens
    for width in (2, 1):
        first = k - width
        if first < 0 or tokens[k - 1].end + 1 != tokens[k].start:
            continue
        words = " ".join(t.text for t in tokens[first:k])
        gaps_ok = all(tokens[x].end + 1 == tokens[x + 1].start for x in range(first, k - 1))
        if words in heads and gaps_ok and not scan.spans.overlaps(tokens[first].start, tokens[k - 1].end):
            return tokens[first].start
    return None

