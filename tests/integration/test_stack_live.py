"""The local stack for real: Kafka and each search engine (the session `stack` fixture), used by real clients."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer  # type: ignore[import-untyped]
from kafka.admin import KafkaAdminClient  # type: ignore[import-untyped]
from opensearchpy import OpenSearch

from streams.devtools.stack import ENGINES, Stack, StackConfig, StackError, StackStatus, default_config

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def status(stack: Stack) -> StackStatus:
    return stack.status()


@pytest.mark.search
def test_status_is_healthy(status: StackStatus, engine: str) -> None:
    """Both servers run, are ours (pids) and answer on their ports."""
    assert status.healthy, status
    assert [s.name for s in status.services] == ["kafka", engine]
    kafka, search = status.service("kafka"), status.service(engine)
    assert kafka.pid is not None and search.pid is not None
    assert kafka.version.startswith("4.")
    assert search.version.count(".") == 2  # the node's own version, e.g. 2.19.1


@pytest.mark.search
def test_up_again_reuses_the_running_stack(stack: Stack, status: StackStatus) -> None:
    """A second `up` starts nothing: same pids, and it returns at once."""
    started = time.monotonic()
    again = stack.up()
    assert time.monotonic() - started < 5
    assert [s.pid for s in again.services] == [s.pid for s in status.services]


@pytest.mark.search
def test_second_stack_on_the_same_ports_is_refused(stack: Stack, tmp_path: Path) -> None:
    """Another state directory cannot start on ports held by this stack, and says so in one line."""
    other = StackConfig(
        root=tmp_path / "other",
        kafka_port=stack.config.kafka_port,
        controller_port=stack.config.controller_port,
        search_port=stack.config.search_port,
        engine=stack.engine,
    )
    with pytest.raises(StackError, match=f"port {other.kafka_port} is taken by another process"):
        Stack(other).up(timeout=5)
    assert Stack(other).status().service(stack.engine).pid is None


@pytest.mark.search
def test_one_search_engine_at_a_time(stack: Stack) -> None:
    """The other engine of the same state directory is refused while this one runs, naming the fix."""
    other = next(e for e in ENGINES if e != stack.engine)
    with pytest.raises(StackError, match=f"this stack runs {stack.engine} on port {stack.config.search_port}; "
                                         "one search engine at a time"):
        Stack(default_config(engine=other)).up(timeout=5)
    assert stack.status().service(stack.engine).healthy


def test_kafka_round_trip(stack: Stack) -> None:
    """Keyed Persian messages go through an auto-created 3-partition topic and a consumer group."""
    bootstrap = stack.config.kafka_bootstrap
    topic = f"stack-probe-{uuid.uuid4().hex[:10]}"
    sent = {f"article-{i}": f"خبر شماره {i}" for i in range(6)}
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        for key, value in sent.items():
            producer.send(topic, key=key.encode(), value=value.encode()).get(timeout=30)
    finally:
        producer.close()

    received = _consume(bootstrap, topic, expected=len(sent))
    assert received == sent

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        (described,) = admin.describe_topics([topic])
        assert len(described["partitions"]) == 3
        admin.delete_topics([topic])
    finally:
        admin.close()


def _consume(bootstrap: str, topic: str, expected: int, timeout: float = 30) -> dict[str, str]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{topic}-group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    received: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    try:
        while len(received) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                received.update({r.key.decode(): r.value.decode() for r in records})
        consumer.commit()
    finally:
        consumer.close()
    return received


@pytest.mark.search
def test_search_node_index_and_get(stack: Stack) -> None:
    """A document written to a fresh index is read back and found by a search on a Persian word."""
    client = OpenSearch(hosts=[stack.config.search_url], timeout=30)
    index = f"stack-probe-{uuid.uuid4().hex[:10]}"
    body = {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {"properties": {"title": {"type": "text", "analyzer": "standard"}}},
    }
    client.indices.create(index=index, body=body)
    try:
        doc = {"title": "کتاب‌ها در نمایشگاه تهران"}
        client.index(index=index, id="irna-1", body=doc, refresh=True)
        assert client.get(index=index, id="irna-1")["_source"] == doc
        hits = client.search(index=index, body={"query": {"match": {"title": "تهران"}}})["hits"]
        assert hits["total"]["value"] == 1
    finally:
        client.indices.delete(index=index)
