"""Tokens of an article and the character spans the finders have already explained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from streams.enrich.persian import ZWNJ

__all__ = ["Spans", "Token", "is_name_char", "stands_alone", "tokenize", "word_starts"]

# a word (letters, digits, joined by ZWNJ) or one punctuation character
_TOKEN = re.compile(rf"[\w{ZWNJ}]+|[^\w\s]")


@dataclass(slots=True, eq=False)  # not frozen: an article makes thousands, and frozen ones cost 3× to build
class Token:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks with their character offsets.

    >>> [t.text for t in tokenize("وزیر خارجه ایران، گفت.")]
    ['وزیر', 'خارجه', 'ایران', '،', 'گفت', '.']
    """
    return [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def is_name_char(ch: str) -> bool:
    """A character that continues a word (so a name found inside a longer word is no mention)."""
    return ch.isalnum() or ch == "_" or ch == ZWNJ


def stands_alone(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` not part of a longer word on either side?"""
    return (start == 0 or not is_name_char(text[start - 1])) and (end == len(text) or not is_name_char(text[end]))


def word_starts(text: str, word: str) -> Iterator[int]:
    """Offsets of ``word`` as a whole word in ``text``, left to right, never overlapping.

    >>> list(word_starts("آرال و دریاچه آرال؛ آرالی", "آرال"))
    [0, 14]
    """
    at = text.find(word)
    while at != -1:
        end = at + len(word)
        if stands_alone(text, at, end):
            yield at
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)


class Spans:
    """Occupied character ranges, so later rules never claim text an earlier rule explained.

    One byte per character of the article: marking and testing a range are C-speed slice
    operations, whatever the number of ranges (a list of ranges made each test linear)."""

    def __init__(self, size: int = 0) -> None:
        self._taken = bytearray(size)
        self.added = 0  # ranges marked so far: a reader can tell that nothing was claimed since it looked

    def add(self, start: int, end: int) -> None:
        self.added += 1
        if end > len(self._taken):
            self._taken.extend(bytes(end - len(self._taken)))
        self._taken[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return start < end and self._taken.find(1, start, end) != -1
