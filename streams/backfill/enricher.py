"""Enrichment for backfills, as a worker does it (the one document function), here or in a process pool."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone

from streams.config import Settings
from streams.enrich.document import Rejection, enrich_record
from streams.enrich.pipeline import Pipeline

__all__ = ["EnrichRunner", "Enricher"]

Item = tuple[str, bytes, float | None]  # (where, raw bytes, received epoch s)
Enriched = tuple[str, bytes | None, str]  # (where, enriched JSON or None, reason if not)


class Enricher:
    """Raw article bytes → enriched document bytes (or the reason there is none), as the worker does."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pipeline = Pipeline()

    def enrich(self, items: Sequence[Item]) -> list[Enriched]:
        out: list[Enriched] = []
        for where, raw, received in items:
            when = datetime.fromtimestamp(received if received is not None else time.time(), timezone.utc)
            result = enrich_record(raw, self.pipeline, received_at=when, max_bytes=self.settings.max_article_bytes,
                                   require_persian=self.settings.language_policy == "reject")
            if isinstance(result, Rejection):
                out.append((where, None, f"{type(result.error).__name__}: {result.reason}"))
            else:
                out.append((where, result[1], ""))
        return out


_POOL_ENRICHER: Enricher | None = None  # one per pool process, made by its initializer


def _pool_init(settings: Settings) -> None:
    global _POOL_ENRICHER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _POOL_ENRICHER = Enricher(settings)


def _pool_enrich(items: Sequence[Item]) -> list[Enriched]:
    assert _POOL_ENRICHER is not None
    return _POOL_ENRICHER.enrich(items)


class EnrichRunner:
    """Chunks enriched in-process (``processes`` ≤ 1) or spread over a process pool."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.processes = processes
        self.local = Enricher(settings) if processes <= 1 else None
        self.pool = (ProcessPoolExecutor(processes, initializer=_pool_init, initargs=(settings,))
                     if processes > 1 else None)

    async def enrich(self, items: list[Item]) -> list[Enriched]:
        if self.local is not None:
            return await asyncio.to_thread(self.local.enrich, items)
        assert self.pool is not None
        loop = asyncio.get_running_loop()
        step = max(1, -(-len(items) // self.processes))
        parts = [items[i:i + step] for i in range(0, len(items), step)]
        results = await asyncio.gather(*(loop.run_in_executor(self.pool, _pool_enrich, p) for p in parts))
        return [r for part in results for r in part]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
