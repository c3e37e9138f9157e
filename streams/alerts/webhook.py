"""Alert delivery to a webhook: JSON POST, retried with capped backoff, never in the ingestion path.

Alerts are queued (bounded) and sent by one background task. A full queue drops the alert
(counted) instead of slowing the agents down; the alert itself is already on ``news.alerts``.
Connection errors, timeouts, 429 and 5xx are retried with exponential backoff and full jitter up
to ``max_attempts``; any other non-2xx answer fails at once (the receiver refuses the request).
Each request carries ``Idempotency-Key: <alert id>`` so a receiver can ignore a retried delivery.

The receiver is not trusted: redirects are never followed (a 3xx fails the delivery, so an alert
and any credentials in the configured headers only ever go to the configured URL), and its reply
body is never read (only the status counts; the connection is dropped), so no reply can grow the
worker's memory; the whole exchange is bounded by ``timeout_s``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

from streams.backoff import Backoff

__all__ = ["WebhookSender", "Outcome"]

log = logging.getLogger("khabar.webhook")

#: delivered | retried (one failed attempt that will be retried) | failed | dropped (queue full)
Outcome = str
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class WebhookSender:
    url: str
    on_outcome: Callable[[Outcome], None] = lambda _outcome: None
    max_attempts: int = 5
    timeout_s: float = 10.0
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    queue_size: int = 1000
    headers: Mapping[str, str] = field(default_factory=dict)
    _queue: asyncio.Queue[dict[str, Any]] | None = field(default=None, init=False, repr=False)

    @property
    def queue(self) -> asyncio.Queue[dict[str, Any]]:
        if self._queue is None:
            self._queue = asyncio.Queue(maxsize=self.queue_size)
        return self._queue

    def submit(self, alert: dict[str, Any]) -> bool:
        """Queue an alert for delivery; never waits. False (and counted) when the queue is full."""
        try:
            self.queue.put_nowait(alert)
            return True
        except asyncio.QueueFull:
            self.on_outcome("dropped")
            log.warning("webhook queue full; alert %s not delivered", alert.get("id"))
            return False

    async def run(self) -> None:
        """Deliver queued alerts one after another until cancelled."""
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                alert = await self.queue.get()
                try:
                    await self.deliver(session, alert)
                finally:
                    self.queue.task_done()

    async def deliver(self, session: aiohttp.ClientSession, alert: dict[str, Any]) -> bool:
        """POST one alert, retrying transient failures; True when the receiver answered 2xx."""
        body = orjson.dumps(alert)
        headers = {"Content-Type": "application/json", "User-Agent": "khabar-alerts/1",
                   "Idempotency-Key": str(alert.get("id", "")), **self.headers}
        backoff = Backoff(base=self.backoff_base_s, cap=self.backoff_cap_s)
        for attempt in range(self.max_attempts):
            why: str
            try:
                async with session.post(self.url, data=body, headers=headers, allow_redirects=False) as response:
                    # the body is left unread: leaving the block drops the connection with it
                    if 200 <= response.status < 300:
                        self.on_outcome("delivered")
                        return True
                    why = f"HTTP {response.status}"
                    if 300 <= response.status < 400:
                        why += " (redirects are not followed: set KHABAR_ALERT_WEBHOOK_URL to the final URL)"
                    if response.status not in _RETRY_STATUS:
                        break
            except asyncio.CancelledError:
                raise
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                why = type(exc).__name__
            if attempt + 1 < self.max_attempts:
                self.on_outcome("retried")
                delay = backoff.next_delay()
                log.info("webhook delivery of alert %s failed (%s); retry in %.1fs", alert.get("id"), why, delay)
                await asyncio.sleep(delay)
        self.on_outcome("failed")
        log.warning("webhook delivery of alert %s failed for good (%s)", alert.get("id"), why)
        return False
