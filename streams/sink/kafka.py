"""Kafka adapters outside the faust worker: topic creation, a plain producer and consumer for the CLI."""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.config import Settings
from streams.errors import TransientError

__all__ = ["MAX_MESSAGE_BYTES", "KafkaSecurity", "client_options", "ensure_topics", "producer", "consumer"]

#: Largest message Khabar's topics and producers accept. Well above the article limit
#: (KHABAR_MAX_ARTICLE_BYTES), so an oversize article reaches the worker and is dead-lettered
#: instead of being refused by the broker, and a dead letter carrying it still fits.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class KafkaSecurity:
    """How every Kafka client of Khabar connects: the one reading of the security settings,
    adapted to faust (the worker) and kafka-python (the CLI and admin)."""

    protocol: str
    mechanism: str | None
    username: str | None
    password: str | None
    cafile: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> KafkaSecurity:
        return cls(settings.kafka_security_protocol, settings.kafka_sasl_mechanism or None,
                   settings.kafka_sasl_username or None, settings.kafka_sasl_password or None,
                   settings.kafka_ssl_cafile or None)

    @property
    def uses_tls(self) -> bool:
        return self.protocol.endswith("SSL")

    def ssl_context(self) -> ssl.SSLContext | None:
        return ssl.create_default_context(cafile=self.cafile) if self.uses_tls else None

    def kafka_python_options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {"security_protocol": self.protocol}
        if self.mechanism:
            opts.update(sasl_mechanism=self.mechanism, sasl_plain_username=self.username,
                        sasl_plain_password=self.password)
        if self.cafile:
            opts["ssl_cafile"] = self.cafile
        return opts


def client_options(settings: Settings) -> dict[str, Any]:
    """Connection options shared by kafka-python clients (security included)."""
    return {"bootstrap_servers": [h.strip() for h in settings.kafka_bootstrap.split(",")],
            **KafkaSecurity.from_settings(settings).kafka_python_options()}


def ensure_topics(settings: Settings, extra: Iterable[tuple[str, int, dict[str, str]]] = ()) -> list[str]:
    """Create Khabar's topics if missing; return the ones created."""
    size = {"max.message.bytes": str(MAX_MESSAGE_BYTES + 64 * 1024)}  # + record batch overhead
    wanted = [
        (settings.raw_topic, settings.partitions, size),
        (settings.enriched_topic, settings.partitions, size),
        (settings.dlq_topic, 1, {**size, "retention.ms": str(30 * 24 * 3600 * 1000)}),
        (settings.alerts_topic, 1, {}),
        *extra,
    ]
    try:
        admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15000)
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.kafka_bootstrap} unreachable: {type(exc).__name__}") from None
    try:
        existing = set(admin.list_topics())
        created: list[str] = []
        for name, partitions, config in wanted:
            if name in existing:
                continue
            try:
                admin.create_topics([NewTopic(name, partitions, 1, topic_configs=config)])
                created.append(name)
            except TopicAlreadyExistsError:
                pass
        return created
    finally:
        admin.close()


def producer(settings: Settings) -> KafkaProducer:
    """A durable producer: acks from all in-sync replicas, idempotent, retried."""
    try:
        return KafkaProducer(
            **client_options(settings),
            acks="all",
            enable_idempotence=True,
            linger_ms=20,
            max_request_size=MAX_MESSAGE_BYTES,
            retries=5,
        )
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.kafka_bootstrap} unreachable: {type(exc).__name__}") from None


def consumer(settings: Settings, *topics: str, group: str | None = None, **kwargs: Any) -> KafkaConsumer:
    try:
        return KafkaConsumer(*topics, **client_options(settings), group_id=group, **kwargs)
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.kafka_bootstrap} unreachable: {type(exc).__name__}") from None


def read_topic(settings: Settings, topic: str, *, timeout: float = 15.0) -> Iterator[Any]:
    """Every record now on ``topic``, read from the beginning to the end it had when reading began
    (kafka-python ``ConsumerRecord``s, partition after partition as they arrive). Stops early only
    when nothing arrives within ``timeout`` seconds; what was read is what the caller gets."""
    from kafka import TopicPartition

    reader = consumer(settings, group=None, enable_auto_commit=False, consumer_timeout_ms=int(timeout * 1000),
                      max_partition_fetch_bytes=MAX_MESSAGE_BYTES + 64 * 1024,
                      fetch_max_bytes=MAX_MESSAGE_BYTES + 64 * 1024)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or ())]
        if not tps:
            return
        reader.assign(tps)
        reader.seek_to_beginning(*tps)
        ends = reader.end_offsets(tps)
        remaining = {tp for tp in tps if ends[tp] > reader.position(tp)}
        while remaining:
            batch = reader.poll(timeout_ms=int(timeout * 1000))
            if not batch:
                break
            for tp, records in batch.items():
                for rec in records:
                    if rec.offset < ends[tp]:
                        yield rec
            remaining = {tp for tp in remaining if reader.position(tp) < ends[tp]}
    finally:
        reader.close()

