"""Scale-out: two `khabar worker` processes in one consumer group share the partitions and the work."""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from streams.config import Settings, load_settings
from streams.devtools.bench import (
    Engine,
    WorkerProcess,
    bench_env,
    delete_run,
    ensure_topics_for,
    generate_articles,
    group_assignment,
    produce_articles,
)
from streams.devtools.stack import Stack, default_config

pytestmark = pytest.mark.integration

PARTITIONS = 4
ARTICLES = 400


def _settings() -> Settings:
    cfg = default_config()
    return load_settings({"KHABAR_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap, "KHABAR_SEARCH_URL": cfg.search_url,
                          "KHABAR_PARTITIONS": str(PARTITIONS)})


def _wait_assigned(settings: Settings, workers: list[WorkerProcess], group: str, topic: str,
                   timeout: float = 120) -> dict[str, set[int]]:
    """Until every worker is ready and the group's members hold all partitions of ``topic``."""
    deadline = time.monotonic() + timeout
    assignment: dict[str, set[int]] = {}
    for w in workers:
        w.wait_ready(timeout)
    while time.monotonic() < deadline:
        assignment = group_assignment(settings, group, topic)
        held = [p for parts in assignment.values() for p in parts]
        if len(assignment) == len(workers) and sorted(held) == list(range(PARTITIONS)):
            return assignment
        assert all(w.alive() for w in workers), "a worker exited"
        time.sleep(1.0)
    raise AssertionError(f"group {group} never settled: {assignment}")


def _drain(settings: Settings, count: int, logs: Path) -> tuple[float, dict[str, set[int]], list[float]]:
    """Articles/s for ``count`` workers draining the same fixed load; the assignment; per-worker counts."""
    prefix = f"so{uuid.uuid4().hex[:6]}x{count}"
    alias = f"{prefix}-articles"
    wsettings = replace(settings, topic_prefix=prefix)
    ensure_topics_for(settings, prefix)
    env = bench_env(settings, prefix, alias, KHABAR_PARTITIONS=str(PARTITIONS), KHABAR_BULK_SIZE="100")
    workers = [WorkerProcess(env, logs / f"{prefix}-{k}.log") for k in range(count)]
    engine = Engine(settings, alias)
    try:
        for w in workers:
            w.start()
        assignment = _wait_assigned(settings, workers, f"khabar-{prefix}", wsettings.raw_topic)
        started = time.time()
        produce_articles(settings, [wsettings.raw_topic], generate_articles(ARTICLES, seed=11))
        deadline = time.monotonic() + 600
        while engine.count() < ARTICLES:
            assert time.monotonic() < deadline, f"only {engine.count()} of {ARTICLES} indexed"
            assert all(w.alive() for w in workers), "a worker exited"
            time.sleep(0.5)
        rate, _, _, _ = engine.drain_rate(started)
        per_worker = [w.metric("khabar_articles_in_total") for w in workers]
        return rate, assignment, per_worker
    finally:
        for w in workers:
            w.stop()
        engine.delete()
        engine.close()
        delete_run(settings, [prefix])
        shutil.rmtree(env["KHABAR_DATA_DIR"], ignore_errors=True)


def test_two_workers_share_partitions_and_the_load(stack: Stack, tmp_path: Path) -> None:
    """Two workers in one group each hold some partitions, each enrich part of a fixed load, together faster."""
    settings = _settings()
    one_rate, one_assignment, one_counts = _drain(settings, 1, tmp_path)
    two_rate, two_assignment, two_counts = _drain(settings, 2, tmp_path)
    print(f"\nscale-out: 1 worker {one_rate:.1f} articles/s, 2 workers {two_rate:.1f} articles/s, "
          f"ratio {two_rate / one_rate:.2f}; partitions {sorted(map(sorted, two_assignment.values()))}, "
          f"articles per worker {two_counts}")
    assert one_counts == [ARTICLES]
    held = list(two_assignment.values())
    assert len(held) == 2 and all(held), two_assignment
    assert held[0].isdisjoint(held[1]) and held[0] | held[1] == set(range(PARTITIONS))
    assert all(c > 0 for c in two_counts) and sum(two_counts) == ARTICLES
    assert len(one_assignment) == 1
