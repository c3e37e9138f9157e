"""Where speech starts and ends: quoted spans and their closing marks, speech to the end of its
line or sentence, and the spans already read as speech."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

__all__ = ["MAX_QUOTE", "OPENERS", "SENTENCE_END", "Spans", "closing", "closings", "direct_text", "indirect_text"]

OPENERS: Mapping[str, str] = MappingProxyType({"«": "»", '"': '"', "“": "”"})
SENTENCE_END = re.compile(r"[.!؟?]\s|\n")
MAX_QUOTE = 6000  # a quote longer than this is a mark left open
_NESTING: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {opener: re.compile(f"[{re.escape(opener)}{re.escape(closer)}]")
     for opener, closer in OPENERS.items() if opener != closer})


def closing(text: str, open_at: int) -> int:
    """Index of the mark closing the quote opened at ``open_at``, or -1: nesting-aware for «»
    and “”, and a straight quote left open at a paragraph break is not closed by a later one."""
    opener = text[open_at]
    closer = OPENERS[opener]
    limit = min(len(text), open_at + MAX_QUOTE)
    if opener == closer:
        return _closing_straight(text, open_at, closer, limit)
    depth = 0
    for mark in _NESTING[opener].finditer(text, open_at, limit):
        depth += 1 if mark.group() == opener else -1
        if depth <= 0:
            return mark.start()
    return -1


_MARKS = re.compile("[" + re.escape("".join({*OPENERS, *OPENERS.values()})) + "]")


def closings(text: str) -> dict[int, int]:
    """Every quote mark's closing mark, found in one pass (the same answers as :func:`closing`, for
    all marks at once): «» and “” by nesting, a straight quote by the next one in its paragraph; a
    quote longer than :data:`MAX_QUOTE` is a mark left open and gets none."""
    out: dict[int, int] = {}
    stacks: dict[str, list[int]] = {opener: [] for opener, closer in OPENERS.items() if opener != closer}
    closers = {closer: opener for opener, closer in OPENERS.items() if opener != closer}
    straight: int | None = None
    for mark in _MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch in stacks:
            stacks[ch].append(i)
        elif ch in closers and stacks[closers[ch]]:
            start = stacks[closers[ch]].pop()
            if i - start <= MAX_QUOTE:
                out[start] = i
        elif ch == '"':
            if straight is not None and i - straight <= MAX_QUOTE and "\n\n" not in text[straight:i]:
                out[straight] = i
                straight = None
            else:
                straight = i
    return out


def _closing_straight(text: str, open_at: int, mark: str, limit: int) -> int:
    close = text.find(mark, open_at + 1, limit)
    paragraph = text.find("\n\n", open_at + 1, limit + 1)
    if close == -1 or (paragraph != -1 and paragraph < close):
        return -1
    return close


def direct_text(text: str, after: int) -> tuple[str, int, bool] | None:
    """The speech after a colon, the offset where it ends and whether it stands in quote marks: a
    quoted span, or the rest of the line; None when the colon closes a paragraph and no quote mark
    follows."""
    i = after
    while i < len(text) and text[i] in " \u200c\n":
        i += 1
    if i >= len(text):
        return None
    if text[i] not in OPENERS:
        if "\n" in text[after:i]:
            return None  # «... گفت:» closing a paragraph introduces only quoted speech
        end = text.find("\n", i)
        end = len(text) if end == -1 else end
        return text[i:end].strip(), end, False
    close = closing(text, i)
    if close != -1:
        return text[i + 1:close].strip(), close + 1, True
    end = text.find("\n\n", i)  # an unclosed quote ends with its paragraph
    end = len(text) if end == -1 else end
    return text[i + 1:end].strip(), end, True


def indirect_text(text: str, after: int) -> tuple[str, int]:
    """Reported speech: from ``after`` to the end of the sentence."""
    end_match = SENTENCE_END.search(text, after)
    end = end_match.start() + 1 if end_match else len(text)
    return text[after:end].strip(" .،\n"), end


class Spans:
    """Spans of text already read as speech. Positions are asked about in increasing order, so a
    question costs heap operations instead of a pass over every span."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans: list[tuple[int, int]] = list(spans)
        self._pending = list(self.spans)
        heapq.heapify(self._pending)
        self._reach = -1   # the furthest end of the spans starting at or before the last position asked
        self._asked = -1

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        heapq.heappush(self._pending, (start, end))

    def covers(self, pos: int) -> bool:
        """Does a span hold ``pos`` (start <= pos < end)?"""
        if pos < self._asked:
            return any(s <= pos < e for s, e in self.spans)
        self._asked = pos
        while self._pending and self._pending[0][0] <= pos:
            self._reach = max(self._reach, heapq.heappop(self._pending)[1])
        return pos < self._reach
