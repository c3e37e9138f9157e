"""The bench's side of Kafka: its topics, producing the articles, who holds which partition, and cleanup."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from typing import Any

import orjson

from streams.config import Settings
from streams.devtools.bench.articles import article_key
from streams.devtools.bench.progress import Advance

__all__ = ["delete_run", "ensure_topics_for", "group_assignment", "produce_articles"]


def delete_run(settings: Settings, prefixes: Sequence[str]) -> None:
    """Remove a run's topics and consumer groups (best effort: a broker that is gone has nothing left)."""
    from kafka import KafkaAdminClient

    from streams.sink.kafka import client_options

    with suppress(Exception):
        admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15000)
        try:
            names = [t for t in admin.list_topics() if any(t.startswith(p + ".") for p in prefixes)]
            if names:
                admin.delete_topics(names)
            with suppress(Exception):
                admin.delete_groups([f"khabar-{p}" for p in prefixes])
        finally:
            admin.close()


def _topic_pairs(topic: Any, parts: Any) -> Iterator[tuple[str, int]] | None:
    """(topic, partition) pairs when ``topic`` is a name and ``parts`` a list of partitions, else None."""
    if isinstance(topic, str) and isinstance(parts, list):
        return ((topic, int(p)) for p in parts)
    return None


def _partitions_in_mapping(node: Mapping[str, Any]) -> Iterator[tuple[str, int]]:
    pairs = _topic_pairs(node.get("topic"), node.get("partitions"))
    if pairs is not None:
        yield from pairs
        return
    for value in node.values():
        yield from _partitions_in(value)


def _partitions_in_sequence(node: Sequence[Any]) -> Iterator[tuple[str, int]]:
    pairs = _topic_pairs(node[0], node[1]) if len(node) == 2 else None
    if pairs is not None:
        yield from pairs
        return
    for value in node:
        yield from _partitions_in(value)


def _partitions_in(node: Any) -> Iterator[tuple[str, int]]:
    """(topic, partition) pairs anywhere in a decoded member assignment."""
    if isinstance(node, dict):
        yield from _partitions_in_mapping(node)
    elif isinstance(node, (list, tuple)):
        yield from _partitions_in_sequence(node)
    elif hasattr(node, "to_dict"):
        yield from _partitions_in(node.to_dict())
    elif hasattr(node, "assignment"):
        yield from _partitions_in(node.assignment)


def group_assignment(settings: Settings, group: str, topic: str) -> dict[str, set[int]]:
    """Partitions of ``topic`` each member of consumer group ``group`` holds, from the broker."""
    from kafka import KafkaAdminClient

    from streams.sink.kafka import client_options

    admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15000)
    try:
        described = admin.describe_groups([group])
    finally:
        admin.close()
    info = described.get(group) or {}
    out: dict[str, set[int]] = {}
    for member in info.get("members", []):
        parts = {p for t, p in _partitions_in(member.get("member_assignment")) if t == topic}
        out[str(member.get("client_id") or "")+"/"+str(member.get("member_id"))] = parts
    return out


def produce_articles(settings: Settings, targets: Sequence[str], docs: Iterator[dict[str, Any]],
             advance: Advance | None = None) -> list[str]:
    """Send every article to every target topic (acks=all); the document ids, in order."""
    from streams.sink.kafka import producer

    prod = producer(settings)
    ids: list[str] = []
    try:
        for doc in docs:
            key = article_key(doc)
            value = orjson.dumps(doc)
            for topic in targets:
                prod.send(topic, key=key.encode(), value=value)
            ids.append(key)
            if advance:
                advance(1)
        prod.flush(timeout=120)
    finally:
        prod.close()
    return ids


def ensure_topics_for(settings: Settings, prefix: str) -> None:
    """The pipeline's topics under ``prefix``, created if missing."""
    from dataclasses import replace

    from streams.sink.kafka import ensure_topics

    ensure_topics(replace(settings, topic_prefix=prefix))
