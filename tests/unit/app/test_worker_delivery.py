"""The faust shell's delivery guarantees: an idempotent acks=all producer, and no ack of unhandled work."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types.tuples import Message

from streams.app.delivery import SourceMessage
from streams.app.worker import DurableProducer, _settle, build_app
from streams.config import Settings


def _event(offset: int) -> Any:
    message = Message("news.raw", 0, offset, 0.0, 0, None, b"k", b"v", None)
    message.incref()  # the stream holds one reference, as faust's does
    return SimpleNamespace(message=message, value=b"v")


def test_app_producer_is_idempotent_with_acks_from_all_replicas() -> None:
    """The worker's producer is built with enable_idempotence=True and acks=all."""
    app, _ = build_app(Settings())
    producer_service = app.producer
    assert isinstance(producer_service, DurableProducer)

    async def built() -> Any:
        return producer_service._new_producer()

    producer = asyncio.run(built())
    assert producer._txn_manager is not None  # aiokafka's idempotence state
    assert producer._sender._acks == -1


def test_settled_batch_is_acked_when_the_stream_acks_it() -> None:
    """After the handler returned, the stream's ack is the final one: the offset may be committed."""
    events = [_event(0), _event(1)]
    seen: list[Sequence[SourceMessage]] = []

    async def handler(batch: Sequence[SourceMessage]) -> None:
        seen.append(batch)

    asyncio.run(_settle(events, handler))
    assert [m.offset for m in seen[0]] == [0, 1] and seen[0][0].key == b"k"
    consumer = object()
    assert all(e.message.ack(consumer) for e in events)


def test_cancelled_batch_is_never_acked() -> None:
    """An agent cancelled mid-batch (shutdown) leaves the batch unacked, although take_events acks it."""
    events = [_event(0)]

    async def handler(batch: Sequence[SourceMessage]) -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(_settle(events, handler))
    assert events[0].message.ack(object()) is False  # what take_events' finally does
    assert events[0].message.acked is False


def test_a_record_kafka_refuses_for_good_becomes_a_permanent_error() -> None:
    """MessageSizeTooLarge from the broker is translated so delivery dead-letters instead of retrying."""
    from aiokafka.errors import MessageSizeTooLargeError  # type: ignore[import-untyped]

    from streams.app.sending import _acknowledged
    from streams.errors import InvalidArticle
    from streams.sink.produce import Outgoing

    async def refused() -> None:
        raise MessageSizeTooLargeError()

    async def ok() -> str:
        return "meta"

    record = Outgoing(b"k", b"x" * 10)
    assert asyncio.run(_acknowledged(record, ok())) == "meta"
    with pytest.raises(InvalidArticle, match="10 bytes refused by Kafka") as caught:
        asyncio.run(_acknowledged(record, refused()))
    assert caught.value.stage == "produce"


def test_faust_debug_pages_are_not_served() -> None:
    """Only Khabar's pages are mounted: faust's /router/ (which forwards requests to other workers),
    /table/ (which shows table contents), /graph/ and the stats page are off."""
    app, _ = build_app(Settings())
    served = [prefix for prefix, _ in app.web.blueprints._enabled]
    assert not {"/router", "/table", "/graph"} & set(served)
    assert not any(bp for _, bp in app.web.blueprints._enabled if "stats" in str(bp) or "router" in str(bp)
                   or "tables" in str(bp))
