"""Enrichment in child processes: the same outcomes as in-process, a time budget per article that
kills and replaces an overrunning child, and an event loop that stays free meanwhile."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import orjson
import pytest

from streams.app.enrich_pool import EnrichPool, Failed, InlineEnricher, Job, PoolClosed, Produced
from streams.enrich.document import Rejection
from streams.enrich.pipeline import STAGES, Pipeline
from streams.errors import EnrichTimeout

SEED = (Path(__file__).resolve().parents[2] / "data" / "seed-article.txt").read_text(encoding="utf-8")
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def _article(n: int, repeat: int = 1) -> bytes:
    return orjson.dumps({"id": f"pool-{n}", "agency": "IRNA", "title": "نشست خبری در تهران برگزار شد",
                         "body": (SEED + "\n") * repeat, "published_at": "2024-05-01T10:00:00Z",
                         "language": "fa"})


#: enriching this one takes several seconds (1.9 MB of copy), far over the tests' budget of 1 s
SLOW = _article(99, repeat=460)


@pytest.fixture(scope="module")
def pool() -> Iterator[EnrichPool]:
    restarts: list[float] = []
    p = EnrichPool(processes=1, budget_s=1.0, max_bytes=4 * 1024 * 1024, require_persian=True,
                   on_restart=lambda: restarts.append(time.monotonic()))
    p.restarts = restarts  # type: ignore[attr-defined]
    asyncio.run(p.start())
    yield p
    p.close()


def test_outcomes_match_enrichment_in_process(pool: EnrichPool) -> None:
    """A child gives, for each job in order, the outcome in-process enrichment gives."""
    jobs = [Job(_article(1), NOW), Job(b"{not json", NOW), Job(_article(2), NOW)]
    inline = InlineEnricher(Pipeline(), 4 * 1024 * 1024, True)
    there, here = asyncio.run(pool.enrich(jobs)), asyncio.run(inline.enrich(jobs))
    assert [type(o) for o in there] == [Produced, Rejection, Produced]
    for a, b in zip(there, here, strict=True):
        if isinstance(a, Produced):
            assert isinstance(b, Produced)
            assert (a.doc_id, a.agency, a.value) == (b.doc_id, b.agency, b.value)
            assert set(a.timings) == set(STAGES)
        else:
            assert isinstance(a, Rejection) and isinstance(b, Rejection)
            assert (type(a.error), a.reason, a.stage) == (type(b.error), b.reason, b.stage)


def test_article_over_budget_times_out_and_the_rest_of_the_batch_goes_on(pool: EnrichPool) -> None:
    """The slow article becomes an enrich_timeout rejection after the budget, its child is replaced,
    the articles after it are enriched, and the event loop keeps running meanwhile."""
    before_pids, before_restarts = pool.pids, len(pool.restarts)  # type: ignore[attr-defined]
    ticks: list[float] = []

    async def run() -> list[object]:
        async def tick() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.05)

        ticker = asyncio.create_task(tick())
        began = time.monotonic()
        try:
            return [*await pool.enrich([Job(_article(3), NOW), Job(SLOW, NOW), Job(_article(4), NOW)]),
                    time.monotonic() - began]
        finally:
            ticker.cancel()

    *outcomes, took = asyncio.run(run())
    first, slow, last = outcomes
    assert isinstance(first, Produced) and isinstance(last, Produced), outcomes
    assert isinstance(slow, Rejection) and isinstance(slow.error, EnrichTimeout)
    assert slow.reason.startswith("enrich_timeout") and slow.stage == "enrich"
    assert len(pool.restarts) == before_restarts + 1  # type: ignore[attr-defined]
    assert pool.pids != before_pids
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.5, f"the loop stalled for {max(gaps):.2f}s"
    assert took < 60


def test_a_child_that_dies_fails_only_its_article(pool: EnrichPool) -> None:
    """A child killed mid-article (as the OOM killer would) fails that article alone, with its reason."""
    victim = pool.pids[0]
    timer = threading.Timer(0.3, os.kill, (victim, signal.SIGKILL))
    timer.start()
    try:
        outcomes = asyncio.run(pool.enrich([Job(SLOW, NOW), Job(_article(5), NOW)]))
    finally:
        timer.cancel()
    died, after = outcomes
    assert isinstance(died, Failed) and died.error_class == "EnrichProcessDied", died
    assert "exit code -9" in died.reason
    assert isinstance(after, Produced)


def test_children_ignore_the_process_groups_stop_signals(pool: EnrichPool) -> None:
    """SIGTERM and SIGINT sent to the worker's process group leave the child's article alone:
    the worker stops its children itself, after its agents."""
    child = pool.pids[0]
    os.kill(child, signal.SIGTERM)
    os.kill(child, signal.SIGINT)
    outcomes = asyncio.run(pool.enrich([Job(_article(6), NOW)]))
    assert isinstance(outcomes[0], Produced) and pool.pids == [child]


def test_a_child_that_died_while_idle_fails_no_article(pool: EnrichPool) -> None:
    """A child gone between batches (killed from outside) is replaced before the next batch: its
    first article is enriched, not failed for a death it had no part in."""
    victim = pool.pids[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pool.children[0].proc.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    outcomes = asyncio.run(pool.enrich([Job(_article(7), NOW)]))
    assert isinstance(outcomes[0], Produced), outcomes
    assert pool.pids != [victim]


def test_closing_mid_batch_fails_the_batch_not_its_articles(pool: EnrichPool) -> None:
    """Closing the pool (the worker stopping) while an article is in progress ends the batch with
    PoolClosed, so it stays uncommitted; its article is not dead-lettered. (Runs last: it closes the pool.)"""
    timer = threading.Timer(0.3, pool.close)
    timer.start()
    with pytest.raises(PoolClosed):
        asyncio.run(pool.enrich([Job(SLOW, NOW)]))
    timer.join()
    assert pool.pids == []
