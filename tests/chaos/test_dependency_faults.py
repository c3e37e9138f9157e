"""Dependencies going away mid-stream: the search node for a minute, the Kafka broker for a restart.

The worker is never restarted: it holds its partitions, backs off, reports not ready on /readyz,
and carries on by itself when the dependency returns. Nothing is lost.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from tests.chaos.articles import generate
from tests.chaos.harness import Scenario, env_int, messages_of
from tests.support import Worker

pytestmark = pytest.mark.chaos


def _readyz(worker: Worker) -> tuple[int, dict[str, Any]]:
    url = f"http://127.0.0.1:{worker.env['KHABAR_WEB_PORT']}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except (OSError, ValueError):
        return 0, {}


def _wait_count(sc: Scenario, target: int, timeout: float, worker: Worker) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = sc.count()
        if count >= target:
            return count
        assert worker.alive(), f"worker died\n{sc.logs()}"
        time.sleep(0.5)
    raise AssertionError(f"[{sc.name}] fewer than {target} indexed after {timeout}s\n{sc.logs()}")


@pytest.mark.search
def test_search_node_down_for_a_minute(scenario: Callable[..., Scenario]) -> None:
    """Stop the search node for 60 s mid-stream, then start it: no loss, recovery without a worker restart."""
    n = env_int("KHABAR_CHAOS_SEARCH_ARTICLES", 6_000)
    outage = env_int("KHABAR_CHAOS_SEARCH_OUTAGE_S", 60)
    sc = scenario("searchdown")
    articles = list(generate(n, sc.prefix))
    worker = sc.worker()
    worker.start()
    pid = worker.proc.pid if worker.proc else None
    feeder = sc.feed(messages_of(articles), rate=n / 60)  # the stream goes on during the outage
    at = _wait_count(sc, n // 5, 300, worker)
    began = time.monotonic()
    sc.stack.stop_service(sc.stack.engine)
    not_ready: list[dict[str, Any]] = []
    try:
        while time.monotonic() - began < outage:
            status, body = _readyz(worker)
            if status == 503:
                not_ready.append(body)
            assert worker.alive(), f"worker died while the search node was down\n{sc.logs()}"
            time.sleep(2)
    finally:
        sc.stack.start_service(sc.stack.engine, timeout=300)
    down_s = time.monotonic() - began
    feeder.wait(600)
    sc.wait_indexed(n, 600, alive=worker.alive)
    deadline = time.monotonic() + 60
    while _readyz(worker)[0] != 200 and time.monotonic() < deadline:
        time.sleep(1)
    ready_after = _readyz(worker)[0]
    figures = sc.verdict(articles, stopped_at=at, down_s=round(down_s, 1), readyz_503_polls=len(not_ready),
                         readyz_after=ready_after)
    assert worker.alive() and worker.proc is not None and worker.proc.pid == pid, "the worker was restarted"
    assert not_ready and any("search" in b.get("waiting_for", []) for b in not_ready), not_ready[:3]
    assert ready_after == 200, _readyz(worker)
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()


def test_kafka_broker_restart(scenario: Callable[..., Scenario]) -> None:
    """Restart the Kafka broker mid-stream: no loss, and the worker carries on by itself."""
    n = env_int("KHABAR_CHAOS_BROKER_ARTICLES", 6_000)
    down = env_int("KHABAR_CHAOS_BROKER_DOWN_S", 10)
    sc = scenario("brokerrestart")
    articles = list(generate(n, sc.prefix))
    worker = sc.worker()
    worker.start()
    pid = worker.proc.pid if worker.proc else None
    feeder = sc.feed(messages_of(articles), rate=n / 40)
    at = _wait_count(sc, n // 4, 300, worker)
    began = time.monotonic()
    sc.stack.stop_service("kafka")
    try:
        time.sleep(down)
    finally:
        sc.stack.start_service("kafka", timeout=180)
    restart_s = time.monotonic() - began
    feeder.wait(600)
    sc.wait_indexed(n, 600, alive=worker.alive)
    figures = sc.verdict(articles, restarted_at=at, broker_away_s=round(restart_s, 1),
                         feeder_resent=feeder.resent)
    assert worker.alive() and worker.proc is not None and worker.proc.pid == pid, "the worker was restarted"
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, figures.line()
