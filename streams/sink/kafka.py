"""Kafka adapters outside the faust worker: topic creation, a plain producer and consumer for the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams.config import Settings
from streams.errors import TransientError

__all__ = ["MAX_MESSAGE_BYTES", "client_options", "ensure_topics", "producer", "consumer"]

#: Largest message Khabar's topics and producers accept. Well above the article limit
#: (KHABAR_MAX_ARTICLE_BYTES), so an oversize article reaches the worker and is dead-lettered
#: instead of being refused by the broker, and a dead letter carrying it still fits.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


def client_options(settings: Settings) -> dict[str, Any]:
    """Connection options shared by kafka-python clients (security included)."""
    opts: dict[str, Any] = {
        "bootstrap_servers": [h.strip() for h in settings.kafka_bootstrap.split(",")],
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_sasl_mechanism:
        opts.update(
            sasl_mechanism=settings.kafka_sasl_mechanism,
            sasl_plain_username=settings.kafka_sasl_username,
            sasl_plain_password=settings.kafka_sasl_password,
        )
    if settings.kafka_ssl_cafile:
        opts["ssl_cafile"] = settings.kafka_ssl_cafile
    return opts


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
