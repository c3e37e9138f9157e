"""Speakers named by a role or an office: «وزیر امور خارجه روسیه ... گفت» is the person of the
article who holds that role, «دفتر رئیس‌جمهور» speaks for the president, and an office with no
entity of its own («وزارت خارجه روسیه») speaks as an unlinked organization."""

from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter

from streams.enrich.gazetteer import role_keys_of, squash_key
from streams.enrich.lexicon import Lexicon, QuoteWords
from streams.enrich.quotes.reading import Reading, speaker_of
from streams.model import Entity, Speaker

__all__ = ["head_role_keys", "office_named", "one_holder", "role_holder", "role_prefixes", "stated_role_keys"]

_ROLE_END = re.compile(r"[،,.؛:«»()\n]")
_COMMA_AFTER = re.compile(r"[ ]*[،,]?[ ]*")
_MAX_ROLE = 120


def stated_role_keys(text: str, person: Entity, lex: Lexicon) -> tuple[str, ...]:
    """Role keys for a person the gazetteer does not know, from the role the text puts next to a
    mention: «هادی حق‌شناس، استاندار گیلان،» or «استاندار گیلان، هادی حق‌شناس» → استاندار گیلان."""
    roles = lex.roles.find(text)  # sorted and non-overlapping: starts and ends both ascend
    for mention in person.mentions:
        after = _COMMA_AFTER.match(text[mention.end:mention.end + 4])
        at = mention.end + (after.end() if after else 0)
        i = bisect_left(roles, at, key=attrgetter("start"))
        if i < len(roles) and roles[i].start == at:
            stop = _ROLE_END.search(text, at, at + _MAX_ROLE)
            return _role_keys(text[at:stop.start() if stop else at + _MAX_ROLE])
        before = text[max(0, mention.start - 3):mention.start].rstrip(" ،,")
        end = mention.start - (len(text[max(0, mention.start - 3):mention.start]) - len(before))
        i = bisect_left(roles, end, key=attrgetter("end"))
        if i < len(roles) and roles[i].end == end:
            return _role_keys(text[roles[i].start:end])
    return ()


def head_role_keys(text: str, head_end: int, persons: list[Entity], roles: dict[str, tuple[str, ...]],
                   lex: Lexicon) -> dict[str, tuple[str, ...]]:
    """The agency's habit of naming an official by office in the headline and lead and by name in
    the body: when the head (text before ``head_end``) names no person but opens a role («مدیرعامل
    شرکت آب منطقه‌ای اصفهان از ... خبر داد»), and the first person the body names holds no role,
    that person holds the head's role. Returns the role keys to add (empty when the rule does not apply).
    """
    if any(m.start < head_end for p in persons for m in p.mentions):
        return {}
    first = min(persons, key=lambda p: p.mentions[0].start, default=None)
    if first is None or roles.get(first.id):
        return {}
    held = {key for ks in roles.values() for key in ks}
    for role in lex.roles.find(text[:head_end]):
        stop = _ROLE_END.search(text, role.start, min(head_end, role.start + _MAX_ROLE))
        keys = _role_keys(text[role.start:stop.start() if stop else min(head_end, role.start + _MAX_ROLE)])
        if keys and not held.intersection(keys):
            return {first.id: keys}
    return {}


def _role_keys(role: str) -> tuple[str, ...]:
    return role_keys_of(" ".join(role.split()[:8]), one_word=True)


def _without_fillers(text: str, words: QuoteWords) -> str:
    for filler in words.role_fillers:
        text = text.replace(filler + " ", "")
    return text


def role_prefixes(clause: str, lex: Lexicon) -> list[str]:
    """Keys to look roles up by: the role phrase at the clause's start, then its first word."""
    text = clause.strip()
    head = text.split(maxsplit=1)[0] if text else ""
    out = []
    if head and head in lex.role_heads:
        at_start = [m for m in lex.roles.find(text) if m.start == 0]
        if at_start:
            out.append(squash_key(_without_fillers(text[:at_start[0].end], lex.quotes)))
    if len(head) > 3:
        out.append(squash_key(head))
    return out


def one_holder(clause: str, reading: Reading, *, head_word: bool = True) -> Speaker | None:
    """The one person of the article whose role begins with the role phrase the clause opens with
    (or, with ``head_word``, its first word); None when nobody or several hold it."""
    prefixes = role_prefixes(clause, reading.lex)
    holders: set[str] = set()
    for prefix in prefixes if head_word else prefixes[:1]:
        holders = reading.role_keys.holders(prefix)
        if holders:
            break
    if len(holders) != 1:
        return None
    holder = reading.by_id.get(next(iter(holders)))
    return speaker_of(holder, "person") if holder is not None else None


def role_holder(clause: str, reading: Reading) -> Speaker | None:
    """The person whose role key the clause names, earliest first, then longest («وزیر امور خارجه
    روسیه ... گفت»); else the one holder of the role the clause opens with («رئیس جمهور نیز ...»)."""
    holder = reading.role_keys.earliest(squash_key(_without_fillers(clause, reading.words)))
    if holder is None:
        return one_holder(clause, reading)
    return speaker_of(reading.by_id[holder], "person")


def office_named(words: list[str], quote_words: QuoteWords) -> Speaker | None:
    """An unlinked office or organization named at the clause start («وزارت خارجه روسیه»)."""
    if not words or words[0] not in quote_words.office_name_heads:
        return None
    name: list[str] = []
    for w in words[:6]:
        if w in quote_words.office_name_stops or w.startswith(quote_words.office_name_ends):
            break
        name.append(w.strip("،,"))
    if len(name) < 2:
        return None
    return Speaker(None, " ".join(name), "organization")
