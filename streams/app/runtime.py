"""What the agents do with a batch: enrich raw articles, index enriched ones, dead-letter the rest.

Rules that keep delivery honest (see DESIGN.md, faust's sharp edges):
- nothing escapes a batch handler: per-message problems are dead-lettered, dependency trouble is
  retried in place with capped exponential backoff and jitter, holding the partition;
- a handler returns only when every message of its batch is durably handled (produced with
  acks=all, indexed, superseded by a newer version, or dead-lettered), so the acks faust sends
  when the body returns never cover unhandled work.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.app.metrics import Metrics
from streams.articles import decode_article
from streams.config import Settings
from streams.enrich.pipeline import Pipeline, to_document
from streams.errors import InvalidArticle, PermanentError, RejectedDocument, SearchUnavailable
from streams.sink.dlq import DeadLetter, dead_letter
from streams.sink.search import SearchWriter

__all__ = ["Runtime", "Backoff", "Outgoing"]

log = logging.getLogger("khabar.worker")


@dataclass
class Backoff:
    """Capped exponential backoff with full jitter."""

    base: float = 0.2
    cap: float = 30.0
    attempt: int = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.base * (2 ** self.attempt))
        self.attempt += 1
        return random.uniform(delay / 2, delay)

    def reset(self) -> None:
        self.attempt = 0


@dataclass(frozen=True, slots=True)
class Outgoing:
    key: bytes
    value: bytes
    headers: dict[str, bytes] | None = None


@dataclass
class SourceMessage:
    """What a handler needs of a consumed message (decoupled from faust's event type)."""

    value: bytes
    topic: str
    partition: int
    offset: int
    timestamp: float | None


Send = Callable[[str, Outgoing], Awaitable[Any]]


@dataclass
class Runtime:
    settings: Settings
    pipeline: Pipeline
    metrics: Metrics
    send: Send
    writer: SearchWriter | None = None
    waiting: set[str] = field(default_factory=set)

    @property
    def ready(self) -> bool:
        return self.writer is not None and not self.waiting

    async def _wait(self, target: str, backoff: Backoff, why: str) -> None:
        delay = backoff.next_delay()
        self.waiting.add(target)
        self.metrics.retries.labels(target).inc()
        self.metrics.backoff.labels(target).set(1)
        log.warning("%s unavailable (%s); retrying in %.1fs", target, why, delay)
        await asyncio.sleep(delay)

    def _recovered(self, target: str, backoff: Backoff) -> None:
        if target in self.waiting:
            log.info("%s available again", target)
        self.waiting.discard(target)
        self.metrics.backoff.labels(target).set(0)
        backoff.reset()

    async def deliver(self, topic: str, records: Sequence[Outgoing]) -> None:
        """Produce records and wait until the broker acknowledged all of them; retry until it does."""
        if not records:
            return
        backoff = Backoff(cap=self.settings.retry_max_s)
        while True:
            try:
                futures = []
                for record in records:
                    result = await self.send(topic, record)
                    if inspect.isawaitable(result):
                        futures.append(result)
                await asyncio.gather(*futures)
                self._recovered("kafka", backoff)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker trouble: hold the batch and retry
                await self._wait("kafka", backoff, type(exc).__name__)

    async def dead_letter(self, letters: Sequence[DeadLetter]) -> None:
        for letter in letters:
            self.metrics.dlq.labels(letter.stage, letter.error_class).inc()
            log.warning("dead-letter %s/%s/%s stage=%s error=%s article=%s", letter.topic, letter.partition,
                        letter.offset, letter.stage, letter.error_class, letter.article_id)
        await self.deliver(self.settings.dlq_topic, [
            Outgoing(f"{d.topic}/{d.partition}/{d.offset}".encode(), d.to_bytes(), d.headers()) for d in letters
        ])

    # -- enrich: news.raw → news.enriched ---------------------------------------------------------

    def enrich_one(self, msg: SourceMessage) -> Outgoing | DeadLetter:
        agency = "unknown"
        try:
            article = decode_article(msg.value, max_bytes=self.settings.max_article_bytes,
                                     require_persian=self.settings.language_policy == "reject")
            agency = article.agency or "unknown"
            self.metrics.articles_in.labels(agency).inc()
            enriched, timings = self.pipeline.enrich(article)
            for stage, seconds in timings.items():
                self.metrics.stage_seconds.labels(stage).observe(seconds)
            received = datetime.fromtimestamp(msg.timestamp, timezone.utc) if msg.timestamp else None
            doc = to_document(enriched, received_at=received)
            self.metrics.articles_out.labels(agency, "enriched").inc()
            return Outgoing(doc["id"].encode(), orjson.dumps(doc))
        except Exception as exc:  # every per-message failure becomes a dead letter, never a crash
            if agency == "unknown":
                self.metrics.articles_in.labels(agency).inc()
            self.metrics.articles_out.labels(agency, "dead_lettered").inc()
            stage = None if isinstance(exc, PermanentError) else "enrich"
            return dead_letter(msg.value, exc, topic=msg.topic, partition=msg.partition, offset=msg.offset,
                               stage=stage)

    async def enrich_batch(self, batch: Sequence[SourceMessage]) -> None:
        produced: list[Outgoing] = []
        letters: list[DeadLetter] = []
        for msg in batch:
            result = self.enrich_one(msg)
            (letters if isinstance(result, DeadLetter) else produced).append(result)  # type: ignore[arg-type]
        await self.deliver(self.settings.enriched_topic, produced)
        await self.dead_letter(letters)

    # -- index: news.enriched → search engine ------------------------------------------------------

    async def index_batch(self, batch: Sequence[SourceMessage]) -> None:
        docs: dict[str, tuple[dict[str, Any], SourceMessage]] = {}
        letters: list[DeadLetter] = []
        for msg in batch:
            try:
                doc = orjson.loads(msg.value)
                if not isinstance(doc, dict) or "id" not in doc or "version" not in doc:
                    raise InvalidArticle("enriched document lacks id or version", stage="index")
            except (orjson.JSONDecodeError, InvalidArticle) as exc:
                err = exc if isinstance(exc, InvalidArticle) else InvalidArticle(f"not JSON: {exc}", stage="index")
                letters.append(dead_letter(msg.value, err, topic=msg.topic, partition=msg.partition,
                                           offset=msg.offset))
                continue
            seen = docs.get(doc["id"])
            if seen is None or int(doc["version"]) >= int(seen[0]["version"]):
                docs[doc["id"]] = (doc, msg)
        if docs:
            letters.extend(await self._index(docs))
        await self.dead_letter(letters)

    async def _writer(self) -> SearchWriter:
        backoff = Backoff(cap=self.settings.retry_max_s)
        while self.writer is None:
            await self._wait("search", backoff, "not connected")
        return self.writer

    async def _index(self, docs: dict[str, tuple[dict[str, Any], SourceMessage]]) -> list[DeadLetter]:
        writer = await self._writer()
        backoff = Backoff(cap=self.settings.retry_max_s)
        pending = [d for d, _ in docs.values()]
        letters: list[DeadLetter] = []
        while pending:
            began = asyncio.get_running_loop().time()
            try:
                outcome = await writer.bulk(pending)
            except SearchUnavailable as exc:
                self.metrics.search_errors.labels("unavailable").inc()
                await self._wait("search", backoff, str(exc))
                continue
            except RejectedDocument as exc:
                # the request as a whole was refused: isolate the culprit by writing one at a time
                self.metrics.search_errors.labels("request_rejected").inc()
                if len(pending) == 1:
                    doc_id = pending[0]["id"]
                    letters.append(self._rejected_letter(docs[doc_id][1], exc, doc_id))
                    pending = []
                    continue
                rest = []
                for doc in pending:
                    rest.extend(await self._index({doc["id"]: docs[doc["id"]]}) or [])
                letters.extend(rest)
                pending = []
                continue
            self.metrics.bulk_seconds.observe(asyncio.get_running_loop().time() - began)
            self._recovered("search", backoff)
            now = datetime.now(timezone.utc)
            for doc_id in outcome.written:
                self.metrics.bulk_docs.labels("written").inc()
                self._observe_latency(docs[doc_id][0], now)
            for _ in outcome.superseded:
                self.metrics.bulk_docs.labels("superseded").inc()
            for rejected in outcome.rejected:
                self.metrics.bulk_docs.labels("rejected").inc()
                self.metrics.search_errors.labels("rejected").inc()
                letters.append(self._rejected_letter(docs[rejected.doc_id][1], rejected, rejected.doc_id))
            pending = outcome.retry
            if pending:
                self.metrics.search_errors.labels("item_retry").inc(len(pending))
                await self._wait("search", backoff, f"{len(pending)} items to retry")
        return letters

    def _rejected_letter(self, msg: SourceMessage, exc: RejectedDocument, doc_id: str) -> DeadLetter:
        return dead_letter(msg.value, exc, topic=msg.topic, partition=msg.partition, offset=msg.offset,
                           stage="index", article_id=doc_id)

    def _observe_latency(self, doc: dict[str, Any], now: datetime) -> None:
        received = doc.get("received_at")
        if not received:
            return
        try:
            began = datetime.fromisoformat(str(received).replace("Z", "+00:00"))
        except ValueError:
            return
        self.metrics.e2e_seconds.observe(max(0.0, (now - began).total_seconds()))
