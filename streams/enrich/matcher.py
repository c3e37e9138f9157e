"""Multi-pattern phrase matching over normalized Persian text (Aho–Corasick, built once).

Persian copy writes one phrase several ways: with a ZWNJ, with a space or with nothing between
its parts (قره‌باغ، قره باغ، قرهباغ). The text is matched in a *squashed* form with ZWNJs
removed and ASCII lowered (``persian.keys.squash``); each pattern is expanded into its
space/no-space variants at every boundary between two Persian letters. Offsets are mapped back
to the normalized text.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from streams.enrich.persian import ZWNJ, Squashed, squash

__all__ = ["PhraseMatcher", "Match", "Squashed", "squash"]

P = TypeVar("P", bound=Hashable)

_MAX_BOUNDARIES = 5  # 2**5 variants at most per pattern


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _optional_boundaries(words: list[str], zwnj_at: frozenset[int]) -> list[int]:
    """Boundaries between two Persian letters that copy may write as a space or as nothing (indexes
    of the words they follow): all of them in a short phrase, the ZWNJ ones in a long one."""
    joinable = [
        i for i, (left, right) in enumerate(itertools.pairwise(words))
        if left and right and not left[-1].isascii() and not right[0].isascii()
    ]
    optional = joinable if len(joinable) <= _MAX_BOUNDARIES else [i for i in joinable if i in zwnj_at]
    return optional[: 2 * _MAX_BOUNDARIES]


def _variants(phrase: str, zwnj_at: frozenset[int] = frozenset()) -> set[str]:
    """Space/no-space variants of a squashed phrase at boundaries between Persian letters.

    A boundary that was a ZWNJ (``zwnj_at``: indexes of the words it follows) always varies; a
    space varies too while the phrase has few boundaries, since copy rarely joins real words."""
    words = phrase.split(" ")
    optional = _optional_boundaries(words, zwnj_at)
    out: set[str] = set()
    for combo in itertools.product((False, True), repeat=len(optional)):
        dropped = {optional[k] for k, drop in enumerate(combo) if drop}
        pieces = [words[0]]
        for i, word in enumerate(words[1:]):
            pieces.append(word if i in dropped else " " + word)
        out.add("".join(pieces))
    return out


def _zwnj_word_indexes(phrase: str) -> list[int]:
    """Indexes of the words (after splitting at spaces and ZWNJs) that a ZWNJ follows."""
    out: list[int] = []
    index = 0
    for part in " ".join(phrase.split()).split(" "):
        pieces = part.split(ZWNJ)
        for _ in pieces[:-1]:
            out.append(index)
            index += 1
        index += 1
    return out


@dataclass(frozen=True, slots=True)
class Match(Generic[P]):
    """One phrase found: offsets in the original text and the payloads of every pattern that fits."""

    start: int
    end: int
    payloads: tuple[P, ...]


class PhraseMatcher(Generic[P]):
    """Leftmost-longest, word-bounded phrase matching with a payload per phrase."""

    def __init__(self, phrases: Iterable[tuple[str, P]]) -> None:
        table: dict[str, list[P]] = {}
        for phrase, payload in phrases:
            # a ZWNJ in a pattern is a boundary that copy may write as a space or as nothing
            squashed = " ".join(squash(phrase.replace(ZWNJ, " ")).text.split())
            if not squashed:
                continue
            zwnj_at = frozenset(_zwnj_word_indexes(phrase))
            for variant in _variants(squashed, zwnj_at):
                bucket = table.setdefault(variant, [])
                if payload not in bucket:
                    bucket.append(payload)
        self._automaton = ahocorasick.Automaton()
        for key, payloads in table.items():
            self._automaton.add_word(key, (len(key), tuple(payloads)))
        self._size = len(table)
        self._memo: list[tuple[str, list[Match[P]]]] = []
        if table:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def _bounded(self, sq: Squashed, start: int, end: int) -> bool:
        text = sq.text
        before_ok = start == 0 or not _is_word_char(text[start - 1]) or sq.zwnj_at(start)
        after_ok = end == len(text) or not _is_word_char(text[end]) or sq.zwnj_at(end)
        return before_ok and after_ok

    def find(self, text: str) -> list[Match[P]]:
        """All non-overlapping matches, leftmost first, longest at each start.

        The stages of one article ask again about the same text (the speech verbs are wanted by
        the entity and the quote stages): the last answer is kept and returned for the same text.
        """
        if not self._size:
            return []
        for seen, answer in self._memo:
            if seen is text:
                return answer
        out = self._find(text)
        self._memo = [(text, out), *self._memo[:3]]  # the article's text and a few clauses
        return out

    def _find(self, text: str) -> list[Match[P]]:
        sq = squash(text)
        candidates: list[tuple[int, int, tuple[P, ...]]] = []
        for end_idx, (length, payloads) in self._automaton.iter(sq.text):
            start = end_idx - length + 1
            if self._bounded(sq, start, end_idx + 1):
                candidates.append((start, end_idx + 1, payloads))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        out: list[Match[P]] = []
        last_end = -1
        for start, end, payloads in candidates:
            if start < last_end:
                continue
            last_end = end
            out.append(Match(sq.to_original(start), sq.to_original(end - 1) + 1, payloads))
        return out

    def iter_find(self, text: str) -> Iterator[Match[P]]:
        yield from self.find(text)
