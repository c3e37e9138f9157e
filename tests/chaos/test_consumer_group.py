"""Three workers in one consumer group over a 6-partition news.raw; one is killed mid-stream."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pytest

from tests.chaos.articles import generate
from tests.chaos.harness import Scenario, env_int, messages_of

pytestmark = pytest.mark.chaos


@pytest.mark.xfail(
    reason="known bug: after a kill -9 and the rebalance that follows, a partition handed to a survivor can "
           "stay unconsumed (seen once in CI: raw partition 0 stuck at its committed offset while the survivor "
           "consumed its other partitions); under investigation, see the closing note",
    strict=False,
)
def test_group_takes_over_from_a_killed_worker(scenario: Callable[..., Scenario]) -> None:
    """kill -9 one of three workers mid-stream: the other two take over its partitions; none lost or doubled."""
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
    # the raw partitions each survivor owns at the end, from faust's own assignment log
    owned = [sorted(sc.raw_partitions(w)) for w in survivors]
    figures = sc.verdict(articles, workers=3, killed_at=killed_at, victim_had=sorted(victim_had),
                         survivors_own=owned)
    assert all(w.alive() for w in survivors), sc.logs()
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()
    assert sorted(p for ps in owned for p in ps) == list(range(6)), figures.line()
