"""Kafka as the worker sees it: broker reachability (for /readyz) and consumer lag per partition.

Every few seconds a timer asks the cluster for its metadata through the app's own producer
connection (so a broker the worker cannot reach shows up even while no message flows), then reads
the end offsets of the partitions this worker consumes and publishes, per partition,
``khabar_consumer_lag`` = end offset − the offset faust committed (its fetch position until the
first commit). Partitions that moved to another worker stop being reported.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from streams.app.metrics import Metrics

__all__ = ["KafkaHealth"]

log = logging.getLogger("khabar.kafka")


@dataclass
class KafkaHealth:
    app: Any
    metrics: Metrics
    topics: Collection[str]
    timeout_s: float = 5.0
    stale_after_s: float = 20.0
    clock: Callable[[], float] = time.monotonic
    last_ok: float | None = None
    last_error: str | None = None
    _reported: set[tuple[str, int]] = field(default_factory=set)
    _lag_busy: bool = False

    @property
    def connected(self) -> bool:
        """The last metadata request succeeded, recently."""
        return (self.last_error is None and self.last_ok is not None
                and self.clock() - self.last_ok <= self.stale_after_s)

    async def refresh(self, max_age_s: float = 2.0) -> bool:
        """Probe now unless a probe succeeded within ``max_age_s``; whether Kafka is reachable."""
        if self.last_ok is None or self.last_error is not None or self.clock() - self.last_ok > max_age_s:
            await self.probe()
        return self.connected

    async def check(self) -> None:
        """One timer run: probe the brokers, then sample lag (never raises)."""
        await self.probe()
        if self.connected:
            await self.sample_lag()

    async def probe(self) -> None:
        try:
            client = self.app.producer._ensure_producer().client
            await asyncio.wait_for(client.fetch_all_metadata(), timeout=self.timeout_s)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 -- any failure means: not connected
            if self.last_error is None:
                log.warning("Kafka unreachable: %s", type(exc).__name__)
            self.last_error = type(exc).__name__
            self.metrics.kafka_up.set(0)
            return
        if self.last_error is not None:
            log.info("Kafka reachable again")
        self.last_ok, self.last_error = self.clock(), None
        self.metrics.kafka_up.set(1)

    async def sample_lag(self) -> None:
        if self._lag_busy:  # the previous request is still out: never pile them up
            return
        self._lag_busy = True
        try:
            await self._sample_lag()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 -- a missed sample is reported by its timestamp
            log.debug("consumer lag not sampled: %s", type(exc).__name__)
        finally:
            self._lag_busy = False

    async def _sample_lag(self) -> None:
        consumer = self.app.consumer
        tps = sorted((tp for tp in consumer.assignment() if tp.topic in self.topics),
                     key=lambda tp: (tp.topic, tp.partition))
        current = {(tp.topic, tp.partition) for tp in tps}
        for topic, partition in self._reported - current:
            try:
                self.metrics.lag.remove(topic, str(partition))
            except KeyError:
                pass
        self._reported &= current
        if not tps:
            self.metrics.lag_sampled.set(time.time())
            return
        ends = await asyncio.wait_for(consumer.highwaters(*tps), timeout=self.timeout_s)
        committed = getattr(consumer, "_committed_offset", {})
        for tp in tps:
            end = ends.get(tp)
            if end is None:
                continue
            done = committed.get(tp) if hasattr(committed, "get") else None
            if done is None:
                done = await asyncio.wait_for(consumer.position(tp), timeout=self.timeout_s)
            if done is None:
                continue
            self.metrics.lag.labels(tp.topic, str(tp.partition)).set(max(0, int(end) - int(done)))
            self._reported.add((tp.topic, tp.partition))
        self.metrics.lag_sampled.set(time.time())
