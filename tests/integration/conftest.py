"""The real local stack (Kafka + OpenSearch), started once per test run, and a worker on it.

A stack that is already running is reused and left running; one started here is stopped at the
end. Each test run uses its own topic prefix and index alias, so runs never see each other's data.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer, KafkaProducer
from opensearchpy import OpenSearch

from streams.config import Settings, load_settings
from streams.stack import Stack, default_config

PROJECT = Path(__file__).resolve().parents[2]


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:8]


def settings_env(prefix: str, alias: str, port: int, **extra: str) -> dict[str, str]:
    cfg = default_config()
    return {
        "KHABAR_KAFKA_BOOTSTRAP": f"127.0.0.1:{cfg.kafka_port}",
        "KHABAR_SEARCH_URL": f"http://127.0.0.1:{cfg.search_port}",
        "KHABAR_TOPIC_PREFIX": prefix,
        "KHABAR_APP_ID": f"khabar-{prefix}",
        "KHABAR_INDEX_ALIAS": alias,
        "KHABAR_WEB_PORT": str(port),
        "KHABAR_BULK_WITHIN_S": "0.2",
        **extra,
    }


class Worker:
    """A `khabar worker` process with its own settings (a real faust worker)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def settings(self) -> Settings:
        return load_settings(self.env)

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        fh = self.log.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "streams", "worker"], stdout=fh,
                                     stderr=subprocess.STDOUT, env={**os.environ, **self.env},
                                     start_new_session=True, cwd=PROJECT)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        os.killpg(self.proc.pid, sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


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
    client = OpenSearch([f"http://127.0.0.1:{default_config().search_port}"], timeout=30)
    yield client
    client.close()


@pytest.fixture(scope="session")
def kafka_producer(stack: Stack) -> Iterator[KafkaProducer]:
    p = KafkaProducer(bootstrap_servers=[f"127.0.0.1:{default_config().kafka_port}"], acks="all")
    yield p
    p.close()


def produce(producer: KafkaProducer, topic: str, values: list[bytes | dict[str, Any]], key: bytes | None = None) -> None:
    for v in values:
        producer.send(topic, key=key, value=v if isinstance(v, bytes) else orjson.dumps(v))
    producer.flush()


def consume_all(topic: str, timeout: float = 10.0) -> list[Any]:
    consumer = KafkaConsumer(topic, bootstrap_servers=[f"127.0.0.1:{default_config().kafka_port}"],
                             auto_offset_reset="earliest", enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=int(timeout * 1000))
    try:
        return list(consumer)
    finally:
        consumer.close()


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, worker: Worker | None = None) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        if worker is not None and not worker.alive():
            raise AssertionError(f"worker died while waiting for {what}; log:\n{worker.log.read_text()[-3000:]}")
        time.sleep(0.5)
    log = worker.log.read_text()[-3000:] if worker is not None and worker.log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})\n{log}")
