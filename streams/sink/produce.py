"""Produce with retry, once for every agent: send records, wait for every acknowledgement, and
send again only those the broker did not acknowledge, until it has them all.

A record the broker refuses for good (the ``send`` adapter raises a
:class:`~streams.errors.PermanentError`, e.g. too large) is handed back, not retried: the caller
dead-letters its source. Anything else is broker trouble: ``wait`` is awaited (the caller's backoff,
metrics and readiness) and the failed records go again, until acknowledged or, when the caller
bounds the tries (``attempts``), handed back as :class:`~streams.errors.Undelivered`. Works over any
async ``send`` (faust topics in the worker), so the retry rule is written once.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from streams.errors import PermanentError, Undelivered

__all__ = ["Outgoing", "Refused", "Send", "produce_all"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A record to produce."""

    key: bytes
    value: bytes
    headers: dict[str, bytes] | None = None


Refused = tuple[Outgoing, PermanentError]
#: ``send(topic, record)``: raises at once, or returns an awaitable of the broker's acknowledgement
Send = Callable[[str, Outgoing], Awaitable[Any]]


async def _send_all(send: Send, topic: str, records: Sequence[Outgoing], refused: list[Refused]
                    ) -> tuple[list[Outgoing], str]:
    """One round: the records to send again and why (empty when all were acknowledged or refused)."""
    failed: list[Outgoing] = []
    why = ""
    sent: list[tuple[Outgoing, Awaitable[Any]]] = []
    for record in records:
        try:
            result = await send(topic, record)
        except asyncio.CancelledError:
            raise
        except PermanentError as exc:
            refused.append((record, exc))
            continue
        except Exception as exc:  # noqa: BLE001 -- broker trouble: this record is sent again
            failed.append(record)
            why = type(exc).__name__
            continue
        if inspect.isawaitable(result):
            sent.append((record, result))
    outcomes = await asyncio.gather(*(fut for _, fut in sent), return_exceptions=True)
    for (record, _), outcome in zip(sent, outcomes, strict=True):
        if isinstance(outcome, asyncio.CancelledError):
            raise outcome
        if isinstance(outcome, PermanentError):
            refused.append((record, outcome))
        elif isinstance(outcome, BaseException):
            failed.append(record)
            why = type(outcome).__name__
    return failed, why


async def produce_all(send: Send, topic: str, records: Sequence[Outgoing],
                      wait: Callable[[str], Awaitable[None]], *, attempts: int | None = None) -> list[Refused]:
    """Produce ``records`` to ``topic`` until the broker acknowledged each; return those it refused.

    ``wait(why)`` is awaited between rounds while some records are still unacknowledged. With
    ``attempts``, records still unacknowledged after that many rounds are returned as refused
    (:class:`~streams.errors.Undelivered`) instead of being tried again.
    """
    refused: list[Refused] = []
    pending = list(records)
    rounds = 0
    while pending:
        pending, why = await _send_all(send, topic, pending, refused)
        rounds += 1
        if pending and attempts is not None and rounds >= attempts:
            error = Undelivered(f"not acknowledged by Kafka after {rounds} attempts ({why})")
            refused.extend((record, error) for record in pending)
            break
        if pending:
            await wait(f"{len(pending)} record(s) not acknowledged: {why}")
    return refused
