"""The worker's producer against the real broker: idempotence is really on."""

from __future__ import annotations

import asyncio

import pytest

from streams.app.worker import DurableProducer, build_app
from streams.config import load_settings
from streams.devtools.stack import Stack
from tests.support import settings_env

pytestmark = pytest.mark.integration


def test_worker_producer_is_idempotent_on_the_broker(stack: Stack, run_id: str) -> None:
    """The broker hands the worker's producer a producer id (idempotent session); acks come from all replicas."""
    settings = load_settings(settings_env(f"idem{run_id}", f"idem{run_id}-articles", 6066))
    app, _ = build_app(settings)
    service = app.producer
    assert isinstance(service, DurableProducer)

    async def send_one() -> tuple[int, int, int]:
        producer = service._new_producer()
        await producer.start()
        try:
            meta = await producer.send_and_wait(settings.raw_topic, b"{}", key=b"probe")
            return producer._txn_manager.producer_id, producer._sender._acks, meta.offset
        finally:
            await producer.stop()

    producer_id, acks, offset = asyncio.run(send_one())
    assert producer_id >= 0 and acks == -1 and offset >= 0
