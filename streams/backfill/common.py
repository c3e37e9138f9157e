"""What the two backfill modes share: the result, indexing with retries, stopping at a chunk boundary."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from streams.backoff import Backoff
from streams.errors import SearchUnavailable

__all__ = ["BackfillResult", "CHUNK", "Progress", "Stop", "index_all"]

log = logging.getLogger("khabar.backfill")

CHUNK = 500


@dataclass
class BackfillResult:
    handled: int = 0  # produced or indexed (including documents the engine already had newer)
    skipped: int = 0  # problems: unreadable lines, articles enrichment refused, documents refused
    resumed_from: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.handled / self.seconds if self.seconds else 0.0


Progress = Callable[[int], None]


async def index_all(writer: Any, docs: list[dict[str, Any]], retry_max_s: float, *,
                    replace_same_version: bool = True) -> list[str]:
    """Bulk-index with retries of transient failures; the reasons of documents the engine refused."""
    backoff = Backoff(cap=retry_max_s)
    pending = docs
    refused: list[str] = []
    while pending:
        try:
            outcome = await writer.bulk(pending, replace_same_version=replace_same_version)
        except SearchUnavailable as exc:
            delay = backoff.next_delay()
            log.warning("search engine unavailable (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            continue
        refused.extend(f"{r.doc_id}: {r.error_type}: {r.reason}" for r in outcome.rejected)
        pending = outcome.retry
        if pending:
            await asyncio.sleep(backoff.next_delay())
        else:
            backoff.reset()
    return refused


class Stop:
    """SIGINT/SIGTERM ask for a stop at the next chunk boundary (the checkpoint stays exact)."""

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> Stop:
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                self._old[sig] = signal.signal(sig, self._handle)
            except ValueError:  # not the main thread: the caller handles interruption itself
                pass
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:  # a second signal: stop now, the current chunk is re-sent next time
            raise KeyboardInterrupt
        self.requested = True
        log.warning("stopping after the current chunk (again to stop at once)")

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)
