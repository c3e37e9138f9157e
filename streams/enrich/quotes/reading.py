"""The article as the quote stage reads it: mentions, sentence ends and coordinated clauses indexed
by position once, so each speech verb looks up its neighbourhood by bisection instead of rescanning
the article, and extraction stays linear in the article's length."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from streams.enrich.entities import mentions_by_position
from streams.enrich.lexicon import Lexicon, QuoteWords
from streams.enrich.quotes.marks import SENTENCE_END
from streams.model import Entity, EntityType, Mention, Speaker

__all__ = ["Memory", "Mentions", "Pair", "Reading", "read_article", "speaker_of"]

Pair = tuple[Mention, Entity]


def speaker_of(entity: Entity, kind: EntityType) -> Speaker:
    return Speaker(entity.id if entity.linked else None, entity.name, kind)


class Mentions:
    """Mentions sorted by position, with jumps over runs of one name: a lookup that skips the
    names a clause already uses does not walk every mention of them."""

    def __init__(self, pairs: Iterable[Pair]) -> None:
        self.pairs = list(pairs)
        self.starts = [m.start for m, _ in self.pairs]
        self._names = [e.name for _, e in self.pairs]
        n = len(self.pairs)
        self._prev_other = [-1] * n  # the nearest mention before i of another name
        for i in range(1, n):
            same = self._names[i - 1] == self._names[i]
            self._prev_other[i] = self._prev_other[i - 1] if same else i - 1
        self._next_other = [n] * n  # the nearest mention after i of another name
        for i in range(n - 2, -1, -1):
            same = self._names[i + 1] == self._names[i]
            self._next_other[i] = self._next_other[i + 1] if same else i + 1

    def between(self, begin: int, end: int) -> list[Pair]:
        """The mentions starting in [begin, end), in order."""
        return self.pairs[bisect_left(self.starts, begin):bisect_left(self.starts, end)]

    def first_between(self, begin: int, end: int) -> Pair | None:
        i = bisect_left(self.starts, begin)
        return self.pairs[i] if i < len(self.pairs) and self.starts[i] < end else None

    def last_before(self, pos: int, skip: Collection[str] = ()) -> Pair | None:
        """The last mention starting before ``pos`` whose name is not in ``skip``."""
        i = bisect_left(self.starts, pos) - 1
        while i >= 0 and self._names[i] in skip:
            i = self._prev_other[i]
        return self.pairs[i] if i >= 0 else None

    def first_from(self, pos: int, skip: Collection[str] = ()) -> Pair | None:
        """The first mention starting at or after ``pos`` whose name is not in ``skip``."""
        i = bisect_left(self.starts, pos)
        while i < len(self.pairs) and self._names[i] in skip:
            i = self._next_other[i]
        return self.pairs[i] if i < len(self.pairs) else None


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
    sentence_ends: list[int]
    coordinated_starts: list[int]
    coordinated_ends: list[int]

    @property
    def words(self) -> QuoteWords:
        return self.lex.quotes

    def sentence_start(self, floor: int, at: int) -> int:
        """Where the sentence holding ``at`` starts, not before ``floor``: the end of the last
        sentence end found scanning [floor, at)."""
        i = bisect_right(self.sentence_ends, at) - 1
        if i < 0:
            return floor
        end = self.sentence_ends[i]
        # a scan from ``floor`` sees a newline alone, and a stop with its space only when both follow floor
        first = end - 1 if self.text[end - 1] == "\n" else end - 2
        return end if first >= floor else floor

    def clause_starts(self, verb_at: int, floor: int) -> tuple[int, int]:
        """(narrow, wide) starts of the clause that ends at the verb: the wide one follows the last
        sentence end or the floor (the end of the previous quote); the narrow one also follows a
        coordinated finite verb, where a second subject may start."""
        wide = self.sentence_start(floor, verb_at)
        i = bisect_right(self.coordinated_ends, verb_at) - 1
        if i >= 0 and self.coordinated_starts[i] >= wide:
            return self.coordinated_ends[i], wide
        return wide, wide


def _of_types(pairs: list[Pair], *types: EntityType) -> Mentions:
    return Mentions(p for p in pairs if p[1].type in types)


def read_article(text: str, entities: tuple[Entity, ...], lex: Lexicon,
                 roles: dict[str, tuple[str, ...]] | None) -> Reading:
    pairs = mentions_by_position(entities)
    coordinated = [(m.start(), m.end()) for m in lex.quotes.coordinated.finditer(text)]
    return Reading(
        text=text,
        lex=lex,
        roles=roles or {},
        persons=_of_types(pairs, "person"),
        organizations=_of_types(pairs, "organization"),
        actors=_of_types(pairs, "person", "organization"),
        named=_of_types(pairs, "person", "organization", "location"),  # every type but dates
        by_id={e.id: e for _, e in pairs},
        sentence_ends=[m.end() for m in SENTENCE_END.finditer(text)],
        coordinated_starts=[s for s, _ in coordinated],
        coordinated_ends=[e for _, e in coordinated],
    )
