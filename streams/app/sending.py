"""Producing from the worker's agents through faust topics: the one adapter every agent uses.

A record Kafka refuses whatever the retries (too large for the topic or the broker) becomes a
:class:`~streams.errors.InvalidArticle` at stage ``produce``, so
:func:`~streams.sink.produce.produce_all` hands it back to be dead-lettered instead of retrying
it for ever; any other failure is broker trouble, retried.
"""

from __future__ import annotations

from typing import Any

from aiokafka.errors import (  # type: ignore[import-untyped]
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)

from streams.app.delivery import SourceMessage
from streams.errors import InvalidArticle
from streams.sink.produce import Outgoing, Send

__all__ = ["source_message", "topic_sender"]

# Kafka refuses these records whatever the retries: delivery dead-letters their source instead.
_TOO_LARGE = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError)


def _refused(record: Outgoing, exc: Exception) -> InvalidArticle:
    return InvalidArticle(f"record of {len(record.value)} bytes refused by Kafka: {type(exc).__name__}",
                          stage="produce")


async def _acknowledged(record: Outgoing, sent: Any) -> Any:
    """Await the broker's acknowledgement, translating a refusal for good into a permanent error."""
    try:
        return await sent
    except _TOO_LARGE as exc:
        raise _refused(record, exc) from exc


def topic_sender(topics: dict[str, Any]) -> Send:
    """``send(topic, record)`` over faust topics (by name) for :func:`~streams.sink.produce.produce_all`."""

    async def send(topic: str, record: Outgoing) -> Any:
        try:
            sent = await topics[topic].send(key=record.key, value=record.value, headers=record.headers)
        except _TOO_LARGE as exc:
            raise _refused(record, exc) from exc
        return _acknowledged(record, sent)

    return send


def source_message(event: Any) -> SourceMessage:
    """What a handler needs of a faust event."""
    msg = event.message
    value = event.value if isinstance(event.value, bytes) else (msg.value or b"")
    key = msg.key if isinstance(msg.key, bytes) else None
    return SourceMessage(value=value or b"", topic=msg.topic, partition=msg.partition, offset=msg.offset,
                         timestamp=msg.timestamp, key=key)
