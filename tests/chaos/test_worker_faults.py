"""Workers dying: kill -9 at random moments, and SIGTERM under load. Nothing lost, nothing doubled."""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Callable

import pytest

from tests.chaos.articles import generate
from tests.chaos.harness import Scenario, env_int, messages_of

pytestmark = pytest.mark.chaos


def _wait_progress(sc: Scenario, target: int, timeout: float, alive: Callable[[], bool]) -> int:
    """Wait until at least ``target`` documents are indexed; the count then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = sc.count()
        if count >= target:
            return count
        if not alive():
            raise AssertionError(f"worker died before {target} were indexed\n{sc.logs()}")
        time.sleep(0.3)
    raise AssertionError(f"[{sc.name}] fewer than {target} indexed after {timeout}s\n{sc.logs()}")


@pytest.mark.search
def test_kill_9_at_random_moments(scenario: Callable[..., Scenario]) -> None:
    """kill -9 the worker 5 times mid-stream, restarting it each time: every article indexed exactly once."""
    n = env_int("KHABAR_CHAOS_KILL_ARTICLES", 20_000)
    kills = env_int("KHABAR_CHAOS_KILLS", 5)
    sc = scenario("kill9")
    articles = list(generate(n, sc.prefix))
    worker = sc.worker()
    worker.start()
    feeder = sc.feed(messages_of(articles))
    rng = random.Random(f"kill9-{sc.prefix}")
    # random moments spread over the stream: after a random share of the articles is indexed
    targets = sorted(rng.uniform(0.05, 0.9) * n for _ in range(kills))
    killed_at: list[int] = []
    for target in targets:
        # and only once the restarted worker has made progress of its own
        _wait_progress(sc, max(int(target), (killed_at[-1] if killed_at else 0) + 250), 600, worker.alive)
        time.sleep(rng.uniform(0.0, 1.5))
        killed_at.append(sc.count())
        sc.kill(worker)
        worker = sc.worker()
        worker.start()
    feeder.wait(600)
    sc.wait_indexed(n, 900, alive=worker.alive)
    figures = sc.verdict(articles, kills=kills, killed_at=killed_at)
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()
    assert figures.indexed == n, figures.line()


def test_sigterm_under_load_exits_cleanly(scenario: Callable[..., Scenario]) -> None:
    """SIGTERM mid-stream: the worker exits cleanly (code 0, in time); the restarted one loses nothing."""
    n = env_int("KHABAR_CHAOS_SIGTERM_ARTICLES", 4_000)
    sc = scenario("sigterm")
    articles = list(generate(n, sc.prefix))
    worker = sc.worker()
    worker.start()
    feeder = sc.feed(messages_of(articles))
    at = _wait_progress(sc, n // 3, 600, worker.alive)
    began = time.monotonic()
    code = worker.stop(signal.SIGTERM, timeout=60)
    stop_seconds = time.monotonic() - began
    log = worker.log.read_text(errors="replace")
    assert code == 0, f"worker exited with {code} on SIGTERM\n{log[-3000:]}"
    assert "Traceback" not in log, log[-3000:]
    after_stop = sc.count()
    worker = sc.worker()
    worker.start()
    feeder.wait(600)
    sc.wait_indexed(n, 600, alive=worker.alive)
    figures = sc.verdict(articles, sigterm_at=at, stopped_in_s=round(stop_seconds, 1), exit_code=code,
                         indexed_when_stopped=after_stop)
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()


def test_sigterm_while_a_batch_waits_for_search(scenario: Callable[..., Scenario]) -> None:
    """SIGTERM while the index agent holds a batch (search down): the batch is not committed unhandled.

    faust acks a `take_events` batch even when the agent is cancelled mid-batch; the worker must
    keep those acks from counting, or the batch would be committed on shutdown and never indexed.
    """
    n = env_int("KHABAR_CHAOS_HELD_ARTICLES", 300)
    sc = scenario("heldbatch")
    articles = list(generate(n, sc.prefix))
    worker = sc.worker()
    worker.start()
    deadline = time.monotonic() + 120
    while not sc.search.indices.exists_alias(name=sc.alias):
        assert time.monotonic() < deadline and worker.alive(), sc.logs()
        time.sleep(0.5)
    sc.stack.stop_service(sc.stack.engine)
    try:
        sc.feed(messages_of(articles)).wait(120)
        deadline = time.monotonic() + 120
        while sum(sc.enriched_per_id().values()) < n:  # enriched and produced; the index agent holds
            assert time.monotonic() < deadline and worker.alive(), sc.logs()
            time.sleep(1)
        time.sleep(3)
        code = worker.stop(signal.SIGTERM, timeout=60)
    finally:
        sc.stack.start_service(sc.stack.engine, timeout=300)
    assert code == 0, worker.log.read_text(errors="replace")[-3000:]
    worker = sc.worker()
    worker.start()
    sc.wait_indexed(n, 300, alive=worker.alive)
    figures = sc.verdict(articles, exit_code=code)
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()
