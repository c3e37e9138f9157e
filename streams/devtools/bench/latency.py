"""c. Received → searchable latency at a fixed offered load, by polling the engine for newly visible documents."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.config import Settings
from streams.devtools.bench.articles import article_key, generate_articles
from streams.devtools.bench.engine import Engine
from streams.devtools.bench.progress import Advance

__all__ = ["measure_latency", "percentile"]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@dataclass
class _Watch:
    """What the latency run has offered (epoch seconds sent) and seen searchable (seconds after receipt)."""

    ids: set[str]
    began: float
    sent: dict[str, float] = field(default_factory=dict)  # written by the offering thread
    seen: dict[str, float] = field(default_factory=dict)
    indexed: dict[str, float] = field(default_factory=dict)

    def query(self) -> dict[str, Any]:
        """Only what was sent since the oldest article not yet seen: a light query, so the measuring does not
        load the engine it measures."""
        pending = [self.sent[k] for k in list(self.sent) if k not in self.seen]
        oldest = min(pending) if pending else (max(self.sent.values()) if self.sent else self.began)
        since = datetime.fromtimestamp(oldest - 1.0, timezone.utc).isoformat()
        return {"query": {"range": {"received_at": {"gte": since}}}, "_source": ["received_at", "indexed_at"],
                "sort": [{"received_at": "asc"}]}

    def record(self, hits: Sequence[dict[str, Any]], now: float) -> int:
        """Note the run's documents seen for the first time in ``hits``; how many there were."""
        fresh = 0
        for hit in hits:
            if hit["_id"] in self.ids and hit["_id"] not in self.seen:
                src = hit["_source"]
                received = _epoch(src["received_at"])
                self.seen[hit["_id"]] = now - received
                if src.get("indexed_at"):
                    self.indexed[hit["_id"]] = _epoch(src["indexed_at"]) - received
                fresh += 1
        return fresh

    def figures(self, total: int, rate: float) -> dict[str, Any]:
        lat = list(self.seen.values())
        idx = list(self.indexed.values())
        return {"latency_articles": total, "latency_seen": len(self.seen), "latency_rate": rate,
                "p50_latency_s": round(percentile(lat, 50), 3), "p99_latency_s": round(percentile(lat, 99), 3),
                "max_latency_s": round(max(lat), 3) if lat else None,
                "p50_indexed_s": round(percentile(idx, 50), 3), "p99_indexed_s": round(percentile(idx, 99), 3)}


def _offer(settings: Settings, topic: str, docs: Sequence[tuple[bytes, str]], rate: float,
           sent: dict[str, float]) -> None:
    """Produce ``docs`` at ``rate`` per second, noting when each was sent."""
    from streams.sink.kafka import producer

    prod = producer(settings)
    try:
        began = time.monotonic()
        for n, (value, key) in enumerate(docs):
            delay = began + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent[key] = time.time()
            prod.send(topic, key=key.encode(), value=value)
        prod.flush(timeout=60)
    finally:
        prod.close()


def measure_latency(settings: Settings, topic: str, engine: Engine, rate: float, seconds: float, seed: int,
                    start: int, advance: Advance | None = None) -> dict[str, Any]:
    """Offer ``rate`` articles/s for ``seconds``; poll the engine for each to become searchable.

    Received is the Kafka timestamp the producer stamps (the worker copies it into ``received_at``);
    searchable is when a search first returns the document. ``indexed_at − received_at`` is
    reported too: the difference is the engine's refresh.
    """
    total = max(1, int(rate * seconds))
    docs = [(orjson.dumps(d), article_key(d)) for d in generate_articles(total, seed, start=start)]
    watch = _Watch(ids={k for _, k in docs}, began=time.time())
    thread = threading.Thread(target=_offer, args=(settings, topic, docs, rate, watch.sent), name="bench-offer",
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds + 120
    while len(watch.seen) < total and time.monotonic() < deadline:
        hits = engine.search(watch.query(), size=5000)["hits"]["hits"]
        fresh = watch.record(hits, time.time())
        if advance and fresh:
            advance(fresh)
        time.sleep(0.1)
    thread.join(timeout=5)
    return watch.figures(total, rate)
