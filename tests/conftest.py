"""Shared fixtures: test data, and the real local stack (Kafka + OpenSearch) started once per run.

A stack that is already running is reused and left running; one started here is stopped at the
end (unless KHABAR_KEEP_STACK is set). Each run uses its own topic prefix and index alias, so runs
never see each other's data. Fixtures are lazy: unit tests never start the stack.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from streams.devtools.stack import Stack, default_config
from tests.support import Worker, free_port, settings_env

if TYPE_CHECKING:  # clients of the real servers: imported by the fixtures that need them, never by unit tests
    from kafka import KafkaProducer
    from opensearchpy import OpenSearch

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "seed-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    s = Stack(default_config())
    already = s.status().healthy
    if not already:
        s.fetch()
        s.up(timeout=300)
    yield s
    if not already and not os.environ.get("KHABAR_KEEP_STACK"):
        s.down()


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def worker_factory(stack: Stack, run_id: str, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []
    logs = tmp_path_factory.mktemp("workers")

    def make(prefix: str | None = None, alias: str | None = None, **extra: str) -> Worker:
        prefix = prefix or f"it{run_id}"
        alias = alias or f"{prefix}-articles"
        w = Worker(settings_env(prefix, alias, free_port(), KHABAR_DATA_DIR=str(logs / f"data{len(workers)}"),
                                **extra), logs / f"worker{len(workers)}.log")
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop()


@pytest.fixture(scope="session")
def worker(worker_factory: Callable[..., Worker]) -> Iterator[Worker]:
    """One worker for the end-to-end tests, running for the whole session."""
    w = worker_factory()
    w.start()
    yield w
    w.stop()


@pytest.fixture(scope="session")
def search_client(stack: Stack) -> Iterator[OpenSearch]:
    from opensearchpy import OpenSearch

    client = OpenSearch([f"http://127.0.0.1:{default_config().search_port}"], timeout=30)
    yield client
    client.close()


@pytest.fixture(scope="session")
def kafka_producer(stack: Stack) -> Iterator[KafkaProducer]:
    from kafka import KafkaProducer

    p = KafkaProducer(bootstrap_servers=[f"127.0.0.1:{default_config().kafka_port}"], acks="all")
    yield p
    p.close()




def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The chaos scenarios' figures (produced, indexed, dead-lettered, duplicates, lost), once more at
    the end of the run, where a quiet run (-q) shows them."""
    import sys

    harness = sys.modules.get("tests.chaos.harness")
    lines = getattr(harness, "REPORTED", [])
    if lines:
        terminalreporter.section("chaos figures")
        for line in lines:
            terminalreporter.write_line(line)
