"""Webhook delivery against a receiver on 127.0.0.1: retries, backoff, give-up, a bounded queue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import orjson
from aiohttp import web

from streams.alerts.webhook import WebhookSender

ALERT = {"id": "a1b2", "figure_id": "person/sergey-lavrov", "title": "لاوروف: ثبات برقرار شد"}


async def _with_receiver(statuses: list[int], body: Callable[[str, list[dict[str, Any]]], Awaitable[None]]) -> None:
    """Run ``body(url, received)`` with a receiver answering ``statuses`` in turn (then 200)."""
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append({"json": orjson.loads(await request.read()), "headers": dict(request.headers)})
        status = statuses.pop(0) if statuses else 200
        return web.Response(status=status, text="ok")

    server = web.Application()
    server.router.add_post("/hook", hook)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        await body(f"http://127.0.0.1:{port}/hook", received)
    finally:
        await runner.cleanup()


def _sender(url: str, outcomes: list[str], **kwargs: Any) -> WebhookSender:
    return WebhookSender(url, on_outcome=outcomes.append, backoff_base_s=0.01, backoff_cap_s=0.05, timeout_s=2,
                         **kwargs)


def test_delivers_json_with_an_idempotency_key() -> None:
    """A 2xx answer: one POST with the alert as JSON and its id as Idempotency-Key."""
    outcomes: list[str] = []

    async def body(url: str, received: list[dict[str, Any]]) -> None:
        async with aiohttp.ClientSession() as session:
            assert await _sender(url, outcomes).deliver(session, ALERT)
        assert [r["json"] for r in received] == [ALERT]
        assert received[0]["headers"]["Idempotency-Key"] == "a1b2"
        assert received[0]["headers"]["Content-Type"] == "application/json"

    asyncio.run(_with_receiver([], body))
    assert outcomes == ["delivered"]


def test_retries_5xx_and_429_then_delivers() -> None:
    """503 and 429 are retried with backoff; the third attempt succeeds."""
    outcomes: list[str] = []

    async def body(url: str, received: list[dict[str, Any]]) -> None:
        async with aiohttp.ClientSession() as session:
            assert await _sender(url, outcomes).deliver(session, ALERT)
        assert len(received) == 3

    asyncio.run(_with_receiver([503, 429], body))
    assert outcomes == ["retried", "retried", "delivered"]


def test_a_refusal_is_not_retried() -> None:
    """A 400 means the receiver will never take it: failed at once."""
    outcomes: list[str] = []

    async def body(url: str, received: list[dict[str, Any]]) -> None:
        async with aiohttp.ClientSession() as session:
            assert not await _sender(url, outcomes).deliver(session, ALERT)
        assert len(received) == 1

    asyncio.run(_with_receiver([400], body))
    assert outcomes == ["failed"]


def test_gives_up_after_max_attempts_when_nobody_listens() -> None:
    """Connection refused on every attempt: max_attempts tries, then failed."""
    outcomes: list[str] = []

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            # port 9 (discard) on loopback: nothing listens there in the test environment
            assert not await _sender("http://127.0.0.1:9/hook", outcomes, max_attempts=3).deliver(session, ALERT)

    asyncio.run(run())
    assert outcomes == ["retried", "retried", "failed"]


def test_the_queue_never_blocks_and_drops_when_full() -> None:
    """submit() returns at once; beyond the queue size an alert is dropped and counted."""
    outcomes: list[str] = []

    async def body(url: str, received: list[dict[str, Any]]) -> None:
        sender = _sender(url, outcomes, queue_size=2)
        assert sender.submit({**ALERT, "id": "1"}) and sender.submit({**ALERT, "id": "2"})
        assert not sender.submit({**ALERT, "id": "3"})
        task = asyncio.create_task(sender.run())
        await asyncio.wait_for(sender.queue.join(), 5)
        task.cancel()
        assert [r["json"]["id"] for r in received] == ["1", "2"]

    asyncio.run(_with_receiver([], body))
    assert outcomes == ["dropped", "delivered", "delivered"]


def test_redirects_are_not_followed() -> None:
    """A 307 pointing elsewhere fails the delivery at once: the alert is never re-posted to the new address."""
    outcomes: list[str] = []
    elsewhere: list[bytes] = []

    async def run() -> None:
        async def other(request: web.Request) -> web.Response:
            elsewhere.append(await request.read())
            return web.Response(status=200)

        async def hook(request: web.Request) -> web.Response:
            raise web.HTTPTemporaryRedirect(location=f"http://127.0.0.1:{port}/other")

        server = web.Application()
        server.router.add_post("/hook", hook)
        server.router.add_post("/other", other)
        runner = web.AppRunner(server)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with aiohttp.ClientSession() as session:
                assert not await _sender(f"http://127.0.0.1:{port}/hook", outcomes).deliver(session, ALERT)
        finally:
            await runner.cleanup()

    asyncio.run(run())
    assert elsewhere == [] and outcomes == ["failed"]


def test_a_huge_reply_is_never_read() -> None:
    """A receiver answering 200 with an endless body: delivered, without reading the body into memory."""
    import resource

    outcomes: list[str] = []
    written: list[int] = []

    async def run() -> None:
        async def hook(request: web.Request) -> web.StreamResponse:
            await request.read()
            response = web.StreamResponse(status=200)
            await response.prepare(request)
            chunk = b"x" * (1 << 20)
            try:
                for _ in range(400):  # 400 MiB, unless the client hangs up first
                    await response.write(chunk)
                    written.append(len(chunk))
            except (ConnectionError, RuntimeError):
                pass
            return response

        server = web.Application()
        server.router.add_post("/hook", hook)
        runner = web.AppRunner(server)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with aiohttp.ClientSession() as session:
                assert await _sender(f"http://127.0.0.1:{port}/hook", outcomes).deliver(session, ALERT)
            await asyncio.sleep(0.2)
        finally:
            await runner.cleanup()

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    asyncio.run(run())
    grew_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert outcomes == ["delivered"]
    assert sum(written) < 100 * (1 << 20) and grew_mib < 64, (sum(written), grew_mib)
