"""Shared fixtures: test data, and the real local stack (Kafka + a search node) started once per run.

Search-side tests (marker ``search``) run once per engine of ``KHABAR_TEST_ENGINES`` (default
``opensearch,elasticsearch``), as one suite parametrised by ``engine``; the other tests run on the
first engine only. The engine is a session-scoped parameter, so pytest runs every test of one engine
before the next one's: each search node starts once per run, and only one runs at a time (the
search port is theirs in turn). Kafka runs for the whole session.

A stack that is already running is reused and left running (another engine of the same state
directory is stopped for this engine's tests and started again afterwards); one started here is
stopped at the end (unless KHABAR_KEEP_STACK is set). Each engine's tests use their own topic prefix
and index alias (``run_id``), so runs and engines never see each other's data. Fixtures are lazy:
unit tests never start the stack.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from streams.devtools.stack import ENGINES, Stack, default_config
from tests.support import Worker, free_port, settings_env

if TYPE_CHECKING:  # clients of the real servers: imported by the fixtures that need them, never by unit tests
    from kafka import KafkaProducer
    from opensearchpy import OpenSearch

DATA = Path(__file__).resolve().parent / "data"
_RUN = uuid.uuid4().hex[:8]


def _test_engines() -> tuple[str, ...]:
    raw = os.environ.get("KHABAR_TEST_ENGINES", ",".join(ENGINES))
    engines = tuple(dict.fromkeys(e.strip().lower() for e in raw.split(",") if e.strip()))
    if not engines or any(e not in ENGINES for e in engines):
        raise pytest.UsageError(f"KHABAR_TEST_ENGINES must name engines among {', '.join(ENGINES)}, got {raw!r}")
    return engines


def _parametrized_by_the_test(metafunc: pytest.Metafunc, name: str) -> bool:
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0]
        if name in ([n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)):
            return True
    return False


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on the real stack gets its engine: each one for search-side tests, the first one else."""
    if "engine" in metafunc.fixturenames and not _parametrized_by_the_test(metafunc, "engine"):
        engines = _test_engines()
        chosen = engines if metafunc.definition.get_closest_marker("search") else engines[:1]
        metafunc.parametrize("engine", chosen, indirect=True, scope="session")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "seed-article.txt").read_text(encoding="utf-8")


def _keep() -> bool:
    return bool(os.environ.get("KHABAR_KEEP_STACK"))


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    """The search engine of this test: "opensearch" or "elasticsearch"."""
    return str(request.param)


@pytest.fixture(scope="session")
def kafka_stack() -> Iterator[Stack]:
    """The broker, for the whole session whatever the engine."""
    s = Stack(default_config())
    started = not s.status().service("kafka").healthy
    if started:
        s.fetch()
        s.start_service("kafka", timeout=300)
    yield s
    if started and not _keep():
        s.stop_service("kafka")


@pytest.fixture(scope="session")
def stack(kafka_stack: Stack, engine: str) -> Iterator[Stack]:
    """Kafka and this engine's search node, on the stack's search port."""
    s = Stack(default_config(engine=engine))
    others = [svc.name for svc in s.status().services if svc.name in ENGINES and svc.name != engine]
    for other in others:  # one engine at a time on the search port: the other gives way, then comes back
        s.stop_service(other)
    started = not s.status().service(engine).healthy
    if started:
        s.fetch()
        s.start_service(engine, timeout=300)
    yield s
    if started and not _keep():
        s.stop_service(engine)
    for other in others:
        Stack(default_config(engine=other)).start_service(other, timeout=300)


@pytest.fixture(scope="session")
def run_id(engine: str) -> str:
    """A prefix of this run and engine for topics, consumer groups and indices."""
    return f"{_RUN}{engine[:2]}"


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
    """The tests' own window on the index, whichever engine: opensearch-py's client speaks plain JSON,
    which Elasticsearch takes too (Khabar itself goes through its writer and the engine's own client)."""
    from opensearchpy import OpenSearch

    client = OpenSearch([stack.config.search_url], timeout=30)
    yield client
    client.close()


@pytest.fixture(scope="session")
def kafka_producer(stack: Stack) -> Iterator[KafkaProducer]:
    from kafka import KafkaProducer

    p = KafkaProducer(bootstrap_servers=[stack.config.kafka_bootstrap], acks="all")
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
