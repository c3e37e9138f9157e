"""Helpers for tests that run on the real stack: a worker process, produce/consume, waiting."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from streams.config import Settings, load_settings
from streams.devtools.stack import default_config

if TYPE_CHECKING:  # the clients are only needed by tests that run on the real stack
    from kafka import KafkaProducer
    from opensearchpy import OpenSearch

PROJECT = Path(__file__).resolve().parents[1]

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def produce(producer: KafkaProducer, topic: str, values: list[bytes | dict[str, Any]],
            key: bytes | None = None) -> None:
    for v in values:
        producer.send(topic, key=key, value=v if isinstance(v, bytes) else orjson.dumps(v))
    producer.flush()


def consume_all(topic: str, timeout: float = 10.0) -> list[Any]:
    from kafka import KafkaConsumer

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


def drop_index(client: OpenSearch, alias: str) -> None:
    """Delete the indices behind an alias (``<alias>-*``) and its template. By name: Elasticsearch refuses
    to delete indices by wildcard (``action.destructive_requires_name``)."""
    names = list(client.indices.get(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True))
    if names:
        client.indices.delete(index=",".join(names))
    client.indices.delete_index_template(name=f"{alias}-template", ignore=[404])
