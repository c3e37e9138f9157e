"""Workers of one consumer group over a 6-partition news.raw: one killed mid-stream, and a churning group."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pytest

from tests.chaos.articles import generate
from tests.chaos.harness import Scenario, env_int, messages_of

pytestmark = pytest.mark.chaos


def test_group_takes_over_from_a_killed_worker(scenario: Callable[..., Scenario]) -> None:
    """kill -9 one of three workers mid-stream: the other two take over its partitions; none lost or doubled,
    and every partition is committed up to its end (none left stalled behind the rebalance)."""
    n = env_int("KHABAR_CHAOS_GROUP_ARTICLES", 9_000)
    sc = scenario("group", partitions=6)
    articles = list(generate(n, sc.prefix))
    workers = [sc.worker() for _ in range(3)]
    for w in workers:
        w.start()
    feeder = sc.feed(messages_of(articles), rate=n / 45)
    deadline = time.monotonic() + 300
    while sc.count() < n // 3:
        assert time.monotonic() < deadline, f"fewer than {n // 3} indexed in time\n{sc.logs()}"
        assert all(w.alive() for w in workers), sc.logs()
        time.sleep(0.5)
    killed_at = sc.count()
    victim = workers[1]
    victim_had = sc.raw_partitions(victim)
    victim.stop(signal.SIGKILL, timeout=30)
    survivors = [workers[0], workers[2]]
    feeder.wait(600)
    sc.wait_indexed(n, 240, alive=lambda: any(w.alive() for w in survivors))
    behind = sc.wait_committed(60)
    # the raw partitions each survivor owns at the end, from faust's own assignment log
    owned = [sorted(sc.raw_partitions(w)) for w in survivors]
    figures = sc.verdict(articles, workers=3, killed_at=killed_at, victim_had=sorted(victim_had),
                         survivors_own=owned, behind=behind)
    assert all(w.alive() for w in survivors), sc.logs()
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()
    assert not behind, figures.line()
    assert sorted(p for ps in owned for p in ps) == list(range(6)), figures.line()


def test_group_churn_leaves_no_partition_behind(scenario: Callable[..., Scenario]) -> None:
    """Workers join and leave (SIGTERM, kill -9) every few seconds while articles flow: every rebalance
    hands partitions over mid-stream, which is when faust's fetcher used to race its own seek to the
    committed offsets (a partition stalled for good, or its first message was committed unhandled).
    All articles are indexed once and every partition is committed up to its end."""
    n = env_int("KHABAR_CHAOS_CHURN_ARTICLES", 6_000)
    rounds = env_int("KHABAR_CHAOS_CHURN_ROUNDS", 5)
    sc = scenario("churn", partitions=6)
    articles = list(generate(n, sc.prefix))
    steady = [sc.worker() for _ in range(2)]
    for w in steady:
        w.start()
    feeder = sc.feed(messages_of(articles), rate=n / 60)
    deadline = time.monotonic() + 300
    while sc.count() < n // 10:
        assert time.monotonic() < deadline, f"fewer than {n // 10} indexed in time\n{sc.logs()}"
        time.sleep(0.5)
    for i in range(rounds):
        guest = sc.worker()
        guest.start()
        time.sleep(6)
        guest.stop(signal.SIGKILL if i % 2 else signal.SIGTERM, timeout=30)
        time.sleep(3)
        assert all(w.alive() for w in steady), sc.logs()
    feeder.wait(600)
    sc.wait_indexed(n, 240, alive=lambda: all(w.alive() for w in steady))
    behind = sc.wait_committed(60)
    figures = sc.verdict(articles, steady_workers=2, rounds=rounds, behind=behind)
    assert all(w.alive() for w in steady), sc.logs()
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()
    assert not behind, figures.line()
