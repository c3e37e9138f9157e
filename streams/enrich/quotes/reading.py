"""The article as the quote stage reads it: its mentions indexed by position and its persons' role
keys indexed once, so each speech verb finds its neighbours by bisection and the roles a clause
names in one pass, instead of a pass over every mention or role. Sentence ends and coordinated
clauses are scanned only between the previous quote's end and the verb: those windows do not
overlap, so extraction stays linear in the article's length."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

import ahocorasick

from streams.enrich.entities import mentions_by_position
from streams.enrich.lexicon import Lexicon, QuoteWords
from streams.enrich.quotes.marks import SENTENCE_END
from streams.model import Entity, EntityType, Mention, Speaker

__all__ = ["Memory", "Mentions", "Pair", "Reading", "RoleKeys", "read_article", "speaker_of"]

Pair = tuple[Mention, Entity]


def speaker_of(entity: Entity, kind: EntityType) -> Speaker:
    return Speaker(entity.id if entity.linked else None, entity.name, kind)


class Mentions:
    """Mentions sorted by position, with jumps over runs of one name: a lookup that skips the
    names a clause already uses does not walk every mention of them."""

    def __init__(self, pairs: list[Pair]) -> None:
        self.pairs = pairs
        self.starts = [m.start for m, _ in pairs]

    @cached_property
    def _names(self) -> list[str]:
        return [e.name for _, e in self.pairs]

    @cached_property
    def _prev_other(self) -> list[int]:
        """For each mention, the nearest one before it of another name (-1 if none)."""
        names, out = self._names, [-1] * len(self.pairs)
        for i in range(1, len(names)):
            out[i] = out[i - 1] if names[i - 1] == names[i] else i - 1
        return out

    @cached_property
    def _next_other(self) -> list[int]:
        """For each mention, the nearest one after it of another name (len if none)."""
        names, out = self._names, [len(self.pairs)] * len(self.pairs)
        for i in range(len(names) - 2, -1, -1):
            out[i] = out[i + 1] if names[i + 1] == names[i] else i + 1
        return out

    def between(self, begin: int, end: int) -> list[Pair]:
        """The mentions starting in [begin, end), in order."""
        return self.pairs[bisect_left(self.starts, begin):bisect_left(self.starts, end)]

    def first_between(self, begin: int, end: int) -> Pair | None:
        i = bisect_left(self.starts, begin)
        return self.pairs[i] if i < len(self.pairs) and self.starts[i] < end else None

    def last_before(self, pos: int, skip: Collection[str] = ()) -> Pair | None:
        """The last mention starting before ``pos`` whose name is not in ``skip``."""
        i = bisect_left(self.starts, pos) - 1
        while skip and i >= 0 and self._names[i] in skip:
            i = self._prev_other[i]
        return self.pairs[i] if i >= 0 else None

    def first_from(self, pos: int, skip: Collection[str] = ()) -> Pair | None:
        """The first mention starting at or after ``pos`` whose name is not in ``skip``."""
        i = bisect_left(self.starts, pos)
        while skip and i < len(self.pairs) and self._names[i] in skip:
            i = self._next_other[i]
        return self.pairs[i] if i < len(self.pairs) else None


class RoleKeys:
    """The role keys of the article's persons, indexed once: a clause is read in one pass for all of
    them, and the holders of keys starting with a prefix are found by bisection."""

    def __init__(self, roles: dict[str, tuple[str, ...]]) -> None:
        self._holder: dict[str, str] = {}  # key → the first person holding it
        for entity_id, keys in roles.items():
            for key in keys:
                self._holder.setdefault(key, entity_id)
        self._sorted = sorted((key, entity_id) for entity_id, keys in roles.items() for key in keys)
        self._sorted_keys = [key for key, _ in self._sorted]
        self._automaton = ahocorasick.Automaton()
        for key in self._holder:
            if key:
                self._automaton.add_word(key, (len(key), key))
        if len(self._automaton):
            self._automaton.make_automaton()

    def earliest(self, text: str) -> str | None:
        """The holder of the key found earliest in ``text``, the longest of those found there."""
        best: tuple[int, int, str] | None = (0, 0, "") if "" in self._holder else None
        if len(self._automaton):
            for end, (length, key) in self._automaton.iter(text):
                found = (end - length + 1, -length, key)
                if best is None or found[:2] < best[:2]:
                    best = found
        return self._holder[best[2]] if best is not None else None

    def holders(self, prefix: str, enough: int = 2) -> set[str]:
        """Persons holding a key that starts with ``prefix``; at most ``enough`` of them."""
        out: set[str] = set()
        i = bisect_left(self._sorted_keys, prefix)
        while i < len(self._sorted) and self._sorted_keys[i].startswith(prefix) and len(out) < enough:
            out.add(self._sorted[i][1])
            i += 1
        return out


@dataclass
class Memory:
    """What the reading remembers from the quotes before the current one."""

    last_speaker: Speaker | None = None
    last_org: Speaker | None = None
    last_statement: Speaker | None = None  # who issued the last «بیانیه»، «اطلاعیه» ...
    floor: int = 0  # where the previous quote ended


@dataclass(frozen=True)
class Reading:
    """One article's text with its mentions and clause boundaries indexed by position."""

    text: str
    lex: Lexicon
    roles: dict[str, tuple[str, ...]]  # person id → role keys
    persons: Mentions
    organizations: Mentions
    actors: Mentions     # persons and organizations: who may speak
    named: Mentions      # every mention but dates: who «به گفته X،» may name
    by_id: dict[str, Entity]

    @property
    def words(self) -> QuoteWords:
        return self.lex.quotes

    @cached_property
    def role_keys(self) -> RoleKeys:
        return RoleKeys(self.roles)

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [m.end() for m in SENTENCE_END.finditer(self.text)]

    def sentence_start(self, floor: int, at: int) -> int:
        """Where the sentence holding ``at`` starts, not before ``floor``: after the last sentence end
        in [floor, at), found by bisection (a scan from the floor would be quadratic in a long text)."""
        i = bisect_right(self._sentence_ends, at) - 1
        end = self._sentence_ends[i] if i >= 0 else floor
        if end <= floor or (end == floor + 1 and self.text[floor] != "\n"):
            return floor  # ends at or before the floor, or a mark before the floor with the space after it
        return end

    def clause_starts(self, verb_at: int, floor: int) -> tuple[int, int]:
        """(narrow, wide) starts of the clause that ends at the verb: the wide one follows the last
        sentence end or the floor (the end of the previous quote); the narrow one also follows a
        coordinated finite verb, where a second subject may start."""
        wide = self.sentence_start(floor, verb_at)
        narrow = wide
        for m in self.words.coordinated.finditer(self.text, wide, verb_at):
            narrow = m.end()
        return narrow, wide


def read_article(text: str, entities: tuple[Entity, ...], lex: Lexicon,
                 roles: dict[str, tuple[str, ...]] | None) -> Reading:
    persons: list[Pair] = []
    organizations: list[Pair] = []
    actors: list[Pair] = []
    named: list[Pair] = []
    by_id: dict[str, Entity] = {}
    for pair in mentions_by_position(entities):
        entity = pair[1]
        by_id[entity.id] = entity
        if entity.type == "person":
            persons.append(pair)
        elif entity.type == "organization":
            organizations.append(pair)
        if entity.type != "date":
            named.append(pair)
            if entity.type != "location":
                actors.append(pair)
    return Reading(text, lex, roles or {}, Mentions(persons), Mentions(organizations), Mentions(actors),
                   Mentions(named), by_id)
