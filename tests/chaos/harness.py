"""What every fault scenario needs: its own topics and index, workers, a feeder, and the final count.

A scenario owns a topic prefix and an index alias, so scenarios never see each other's data.
The verdict compares the index with what was produced, article by article:

- ``indexed``: distinct produced ids found in the index; ``lost``: produced ids missing from it;
- ``duplicates``: documents of the scenario beyond one per produced id (stable ids make this 0
  unless something wrote under another id);
- ``wrong_version``: ids whose engine version or stored ``version`` is not the produced one;
- ``dead_lettered``: distinct source messages on the scenario's dead-letter topic;
- ``redelivered``: records on the enriched topic beyond one per id, i.e. at-least-once at work
  (information, not a failure: the external version makes a redelivery a no-op in the index).
"""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from opensearchpy import OpenSearch, helpers

from streams.config import Settings
from streams.devtools.stack import Stack
from streams.sink.dlq import parse_dead_letter
from streams.sink.kafka import MAX_MESSAGE_BYTES, ensure_topics, read_topic
from tests.chaos.articles import Generated
from tests.support import Worker, free_port, settings_env

__all__ = ["Feeder", "Figures", "Scenario", "env_int"]


def env_int(name: str, default: int) -> int:
    """A volume from the environment (KHABAR_CHAOS_*), else the default."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


#: every scenario's figures line, for the end-of-run summary (tests/conftest.py)
REPORTED: list[str] = []


@dataclass
class Figures:
    """What a scenario produced and what came out of it."""

    scenario: str
    produced: int = 0
    indexed: int = 0
    dead_lettered: int = 0
    duplicates: int = 0
    lost: int = 0
    wrong_version: int = 0
    redelivered: int = 0
    seconds: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)
    missing_sample: list[str] = field(default_factory=list)

    def line(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.notes.items())
        return (f"[chaos {self.scenario}] produced={self.produced} indexed={self.indexed} "
                f"dead_lettered={self.dead_lettered} duplicates={self.duplicates} lost={self.lost} "
                f"wrong_version={self.wrong_version} redelivered={self.redelivered} "
                f"seconds={self.seconds:.1f} {extra}".rstrip()
                + (f" missing e.g. {self.missing_sample}" if self.missing_sample else ""))


class Feeder(threading.Thread):
    """Produces messages in the background at a steady rate; remembers which ones the broker acked.

    The test's own producer is not under test: a send that fails (broker restarting) is sent again
    until acknowledged, so ``acked`` ends up holding every message.
    """

    def __init__(self, bootstrap: str, topic: str, messages: Sequence[tuple[bytes | None, bytes]],
                 rate: float = 0.0) -> None:
        super().__init__(daemon=True, name=f"feeder-{topic}")
        self.bootstrap = bootstrap
        self.topic = topic
        self.messages = messages
        self.rate = rate
        self.acked = 0
        self.resent = 0
        self.where: dict[int, tuple[int, int]] = {}  # message number → (partition, offset)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all", linger_ms=20,
                                     max_request_size=MAX_MESSAGE_BYTES, request_timeout_ms=15000,
                                     delivery_timeout_ms=60000, reconnect_backoff_max_ms=2000)
            try:
                self._feed(producer)
            finally:
                producer.close(timeout=30)
        except BaseException as exc:  # noqa: BLE001 -- reported by wait()
            self.error = exc

    def _feed(self, producer: KafkaProducer) -> None:
        began = time.monotonic()
        pending: list[tuple[int, Any]] = []
        for n, (key, value) in enumerate(self.messages):
            pending.append((n, producer.send(self.topic, key=key, value=value)))
            if self.rate and n % 50 == 49:
                ahead = (n + 1) / self.rate - (time.monotonic() - began)
                if ahead > 0:
                    time.sleep(ahead)
            if len(pending) >= 2000:
                self._settle(producer, pending)
                pending = []
        self._settle(producer, pending)

    def _settle(self, producer: KafkaProducer, pending: list[tuple[int, Any]]) -> None:
        producer.flush()
        for n, fut in pending:
            for attempt in range(30):
                try:
                    meta = (fut if attempt == 0 else producer.send(self.topic, key=self.messages[n][0],
                                                                    value=self.messages[n][1])).get(timeout=90)
                    self.where[n] = (meta.partition, meta.offset)
                    break
                except Exception:  # noqa: BLE001 -- the broker is away: send again shortly
                    self.resent += 1
                    time.sleep(1.0)
            else:
                raise AssertionError(f"message {n} could not be produced to {self.topic}")
            self.acked += 1

    def wait(self, timeout: float) -> None:
        self.join(timeout)
        if self.is_alive():
            raise AssertionError(f"feeder still producing after {timeout}s ({self.acked} acked)")
        if self.error is not None:
            raise self.error


class Scenario:
    """One fault scenario: topics, index alias, workers and the verdict."""

    def __init__(self, name: str, run_id: str, stack: Stack, search: OpenSearch, workdir: Path, *,
                 partitions: int = 3, **worker_env: str) -> None:
        self.name = name
        self.prefix = f"chaos{run_id}{name}"
        self.alias = f"{self.prefix}-articles"
        self.stack = stack
        self.search = search
        self.workdir = workdir
        self.partitions = partitions
        self.worker_env = {"KHABAR_PARTITIONS": str(partitions), "KHABAR_KAFKA_SESSION_TIMEOUT_S": "10",
                           "KHABAR_RETRY_MAX_S": "5", "KHABAR_BULK_SIZE": "250", **worker_env}
        self.workers: list[Worker] = []
        self.began = time.monotonic()
        ensure_topics(self.settings)

    @property
    def settings(self) -> Settings:
        from streams.config import load_settings

        return load_settings(settings_env(self.prefix, self.alias, 6066, **self.worker_env))

    @property
    def bootstrap(self) -> str:
        return self.stack.config.kafka_bootstrap

    # -- workers ------------------------------------------------------------------------------------

    def worker(self, **extra: str) -> Worker:
        """A new worker process of this scenario's consumer group (not started)."""
        n = len(self.workers)
        env = settings_env(self.prefix, self.alias, free_port(), KHABAR_DATA_DIR=str(self.workdir / f"data{n}"),
                           **{**self.worker_env, **extra})
        w = Worker(env, self.workdir / f"worker{n}.log")
        self.workers.append(w)
        return w

    def kill(self, w: Worker) -> None:
        """kill -9: no shutdown, no commit, no goodbye to the group."""
        w.stop(signal.SIGKILL, timeout=30)

    def stop_all(self) -> None:
        for w in self.workers:
            w.stop(timeout=60)

    def raw_partitions(self, w: Worker) -> set[int]:
        """The partitions of news.raw the worker last said it was assigned (from faust's assignment table)."""
        text = w.log.read_text(errors="replace") if w.log.exists() else ""
        table = text.rsplit("Setting newly assigned partitions", 1)
        if len(table) < 2:
            return set()
        match = re.search(rf"\|\s*{re.escape(self.settings.raw_topic)}\s*\|\s*\{{([^}}]*)\}}", table[1])
        if match is None:
            return set()
        out: set[int] = set()
        for part in match.group(1).split(","):
            low, _, high = part.strip().partition("-")
            if low.isdigit():
                out.update(range(int(low), int(high or low) + 1))
        return out

    def logs(self, tail: int = 4000) -> str:
        parts = []
        for w in self.workers:
            if w.log.exists():
                parts.append(f"--- {w.log.name} ---\n{w.log.read_text(errors='replace')[-tail:]}")
        return "\n".join(parts)

    # -- feeding ------------------------------------------------------------------------------------

    def feed(self, messages: Sequence[tuple[bytes | None, bytes]], rate: float = 0.0) -> Feeder:
        feeder = Feeder(self.bootstrap, self.settings.raw_topic, messages, rate)
        feeder.start()
        return feeder

    # -- looking ------------------------------------------------------------------------------------

    def indexed(self) -> dict[str, tuple[int, int]]:
        """id → (engine _version, document's version field) of every document under the alias."""
        if not self.search.indices.exists_alias(name=self.alias):
            return {}
        self.search.indices.refresh(index=self.alias)
        out: dict[str, tuple[int, int]] = {}
        seen: Counter[str] = Counter()
        for hit in helpers.scan(self.search, index=self.alias, query={"query": {"match_all": {}}},
                                _source=["version"], version=True, size=2000):
            seen[hit["_id"]] += 1
            out[hit["_id"]] = (int(hit["_version"]), int(hit["_source"]["version"]))
        self._seen_twice = sum(n - 1 for n in seen.values())
        return out

    def uncommitted(self, topics: Iterable[str] | None = None) -> dict[tuple[str, int], tuple[int | None, int]]:
        """(topic, partition) → (offset the workers' group committed, log end) wherever the group has
        not committed up to the end of the log: a partition left behind (by default news.raw and
        news.enriched)."""
        names = set(topics) if topics is not None else {self.settings.raw_topic, self.settings.enriched_topic}
        group = self.settings.app_id
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False)
        try:
            answer = admin.list_group_offsets(group)
            offsets = answer.get(group, answer) if isinstance(answer, dict) else {}
            committed = {(tp.topic, tp.partition): getattr(meta, "offset", meta) for tp, meta in offsets.items()}
            tps = [TopicPartition(t, p) for t in sorted(names) for p in sorted(consumer.partitions_for_topic(t) or ())]
            ends = consumer.end_offsets(tps) if tps else {}
        finally:
            consumer.close()
            admin.close()
        out: dict[tuple[str, int], tuple[int | None, int]] = {}
        for tp in tps:
            done = committed.get((tp.topic, tp.partition))
            if ends[tp] > 0 and (done is None or done < ends[tp]):
                out[(tp.topic, tp.partition)] = (done, ends[tp])
        return out

    def wait_committed(self, timeout: float) -> dict[tuple[str, int], tuple[int | None, int]]:
        """Wait until the group committed every partition up to its end; what is still behind."""
        deadline = time.monotonic() + timeout
        behind = self.uncommitted()
        while behind and time.monotonic() < deadline:
            time.sleep(2.0)
            behind = self.uncommitted()
        return behind

    def count(self) -> int:
        if not self.search.indices.exists_alias(name=self.alias):
            return 0
        self.search.indices.refresh(index=self.alias)
        return int(self.search.count(index=self.alias)["count"])

    def topic_records(self, topic: str, timeout: float = 5.0) -> Iterable[Any]:
        """Every record now on a topic, read from the beginning to its current end."""
        yield from read_topic(self.settings, topic, timeout=timeout)

    def dead_letters(self) -> dict[tuple[str, int, int], dict[str, Any]]:
        """Distinct source message → its (latest) dead letter."""
        out = {}
        for rec in self.topic_records(self.settings.dlq_topic):
            doc = parse_dead_letter(rec.value)
            out[(doc["topic"], doc["partition"], doc["offset"])] = doc
        return out

    def enriched_per_id(self) -> Counter[str]:
        return Counter(rec.key.decode() for rec in self.topic_records(self.settings.enriched_topic) if rec.key)

    # -- waiting and judging ------------------------------------------------------------------------

    def wait_indexed(self, expected: int, timeout: float, *, alive: Callable[[], bool] | None = None) -> int:
        """Wait until the index holds ``expected`` documents (or the time is up); the last count."""
        deadline = time.monotonic() + timeout
        count = -1
        while time.monotonic() < deadline:
            count = self.count()
            if count >= expected:
                return count
            if alive is not None and not alive():
                raise AssertionError(f"[{self.name}] no worker alive at {count}/{expected} indexed\n{self.logs()}")
            time.sleep(1.0)
        return count

    def verdict(self, articles: Sequence[Generated], *, dead_lettered: int | None = None,
                **notes: Any) -> Figures:
        """Compare the index with the produced articles; print the figures and return them."""
        expected = {a.doc_id: a.version for a in articles}
        found = self.indexed()
        missing = [doc_id for doc_id in expected if doc_id not in found]
        extra = [doc_id for doc_id in found if doc_id not in expected]
        wrong = [doc_id for doc_id, (engine, field_) in found.items()
                 if doc_id in expected and (engine != expected[doc_id] or field_ != expected[doc_id])]
        per_id = self.enriched_per_id()
        figures = Figures(
            scenario=f"{self.name} on {self.stack.engine}",
            produced=len(expected),
            indexed=len(expected) - len(missing),
            dead_lettered=len(self.dead_letters()) if dead_lettered is None else dead_lettered,
            duplicates=len(extra) + getattr(self, "_seen_twice", 0),
            lost=len(missing),
            wrong_version=len(wrong),
            redelivered=sum(n - 1 for doc_id, n in per_id.items() if doc_id in expected and n > 1),
            seconds=time.monotonic() - self.began,
            notes=notes,
            missing_sample=missing[:5],
        )
        print(figures.line(), flush=True)
        REPORTED.append(figures.line())
        return figures


def random_moments(count: int, low: float, high: float, seed: int) -> list[float]:
    """``count`` pauses between ``low`` and ``high`` seconds, reproducible per seed."""
    rng = random.Random(seed)
    return [rng.uniform(low, high) for _ in range(count)]


def messages_of(articles: Iterable[Generated]) -> list[tuple[bytes | None, bytes]]:
    return [(a.key, a.value) for a in articles]


def parse_json(value: bytes) -> Any:
    return orjson.loads(value)
