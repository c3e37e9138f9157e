"""The watchlist and alert topics from outside the worker (the `khabar watch` and `khabar alerts` commands).

The watchlist is the compacted topic ``<prefix>.watchlist``: key = figure id, value = the figure's
JSON, a tombstone (null value) removes it. Reading it means replaying it from the beginning to
its end offsets; every worker does the same continuously through its faust table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from streams.alerts.watchlist import Figure, fold_watchlist
from streams.config import Settings
from streams.errors import TransientError
from streams.sink.kafka import client_options, ensure_topics, producer

__all__ = [
    "alert_topics",
    "mentions_topic",
    "watchlist_topic",
    "read_watchlist",
    "put_figure",
    "remove_figure",
    "tail_alerts",
]


def watchlist_topic(settings: Settings) -> str:
    return f"{settings.topic_prefix}.watchlist"


def mentions_topic(settings: Settings) -> str:
    """Mentions of tracked figures keyed by figure id: the repartition step before the alert agent."""
    return f"{settings.topic_prefix}.mentions"


def alert_topics(settings: Settings) -> list[tuple[str, int, dict[str, str]]]:
    """The topics alerting adds to Khabar's own, as (name, partitions, config) for ensure_topics."""
    return [
        (watchlist_topic(settings), 1, {"cleanup.policy": "compact"}),
        (mentions_topic(settings), settings.partitions,
         {"retention.ms": str(int(max(settings.alert_dedup_window_s, 24 * 3600.0) * 1000))}),
    ]


def _consumer(settings: Settings, **kwargs: Any) -> KafkaConsumer:
    try:
        return KafkaConsumer(**client_options(settings), group_id=None, enable_auto_commit=False, **kwargs)
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.kafka_bootstrap} unreachable: {type(exc).__name__}") from None


def read_watchlist(settings: Settings, timeout_s: float = 15.0) -> dict[str, Figure]:
    """The current watchlist: the topic replayed from its beginning to its end."""
    ensure_topics(settings, alert_topics(settings))
    consumer = _consumer(settings)
    try:
        topic = watchlist_topic(settings)
        parts = consumer.partitions_for_topic(topic) or {0}
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        records: list[tuple[bytes | None, bytes | None]] = []
        remaining = {tp for tp in tps if end[tp] > consumer.position(tp)}
        polls = max(1, int(timeout_s / 0.5))
        while remaining and polls:
            polls -= 1
            for tp, batch in consumer.poll(timeout_ms=500).items():
                records.extend((m.key, m.value) for m in batch)
                if batch and batch[-1].offset + 1 >= end[tp]:
                    remaining.discard(tp)
            remaining = {tp for tp in remaining if consumer.position(tp) < end[tp]}
        if remaining:
            raise TransientError(f"could not read {topic} to its end within {timeout_s:.0f}s")
        return fold_watchlist(records)
    finally:
        consumer.close()


def _send(settings: Settings, key: bytes, value: bytes | None) -> None:
    ensure_topics(settings, alert_topics(settings))
    prod = producer(settings)
    try:
        prod.send(watchlist_topic(settings), key=key, value=value).get(timeout=30)
    except KafkaError as exc:
        raise TransientError(f"watchlist update not acknowledged: {type(exc).__name__}") from None
    finally:
        prod.close()


def put_figure(settings: Settings, figure: Figure) -> None:
    """Add or replace a figure on the watchlist (acknowledged by all in-sync replicas)."""
    _send(settings, figure.id.encode("utf-8"), figure.to_bytes())


def remove_figure(settings: Settings, figure_id: str) -> None:
    """Remove a figure: a tombstone, so compaction forgets it."""
    _send(settings, figure_id.encode("utf-8"), None)


def tail_alerts(settings: Settings, *, from_beginning: bool = False, poll_s: float = 0.5) -> Iterator[bytes | None]:
    """Alert values as they arrive on news.alerts; yields None on each idle poll (to let callers stop)."""
    ensure_topics(settings, alert_topics(settings))
    consumer = _consumer(settings)
    try:
        topic = settings.alerts_topic
        parts = consumer.partitions_for_topic(topic) or {0}
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        if from_beginning:
            consumer.seek_to_beginning(*tps)
        else:
            consumer.seek_to_end(*tps)
        while True:
            batches = consumer.poll(timeout_ms=int(poll_s * 1000))
            if not batches:
                yield None
            for batch in batches.values():
                for message in batch:
                    yield message.value
    finally:
        consumer.close()
