"""What the agents do with a batch: enrich raw articles, index enriched ones, dead-letter the rest.

Rules that keep delivery honest (see DESIGN.md, faust's sharp edges):
- nothing escapes a batch handler: per-message problems are dead-lettered, dependency trouble is
  retried in place with capped exponential backoff and jitter, holding the partition;
- a handler returns only when every message of its batch is durably handled (produced with
  acks=all, indexed, superseded by a newer version, or dead-lettered), so the acks faust sends
  when the body returns never cover unhandled work;
- should a handler hit an error no rule above covers (a bug), it logs it and retries the whole
  batch with backoff rather than let faust ack it: the partition holds, nothing is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.app.enrich_pool import Enricher, Failed, Job, Outcome
from streams.app.metrics import Metrics
from streams.backoff import Backoff
from streams.config import Settings
from streams.enrich.document import Rejection
from streams.errors import InvalidArticle, RejectedDocument, SearchUnavailable
from streams.sink.dlq import MAX_ORIGINAL_BYTES, DeadLetter, dead_letter
from streams.sink.produce import Outgoing, Refused, Send, produce_all
from streams.sink.search import SearchWriter

__all__ = ["Delivery", "Handler", "SourceMessage"]

log = logging.getLogger("khabar.worker")


@dataclass
class SourceMessage:
    """What a handler needs of a consumed message (decoupled from faust's event type)."""

    value: bytes
    topic: str
    partition: int
    offset: int
    timestamp: float | None
    key: bytes | None = None


Handler = Callable[[Sequence[SourceMessage]], Awaitable[None]]

# Dead letters whose record the broker refuses keep less and less of the original.
_DLQ_ORIGINAL_LIMITS = (MAX_ORIGINAL_BYTES, 256 * 1024, 0)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Delivery:
    """The two agents' batch handlers (enrich, index), with the dead-letter and retry rules above."""

    settings: Settings
    enricher: Enricher
    metrics: Metrics
    send: Send
    writer: SearchWriter | None = None
    waiting: set[str] = field(default_factory=set)
    now: Callable[[], datetime] = _utcnow

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

    async def deliver(self, topic: str, records: Sequence[Outgoing]) -> list[Refused]:
        """Produce records until the broker acknowledged all of them; return those it refused for good."""
        if not records:
            return []
        backoff = Backoff(cap=self.settings.retry_max_s)
        refused = await produce_all(self.send, topic, records, lambda why: self._wait("kafka", backoff, why))
        self._recovered("kafka", backoff)
        return refused

    async def dead_letter(self, letters: Sequence[DeadLetter]) -> None:
        for letter in letters:
            self.metrics.dlq.labels(letter.stage, letter.error_class).inc()
            log.warning("dead-letter %s/%s/%s stage=%s error=%s article=%s", letter.topic, letter.partition,
                        letter.offset, letter.stage, letter.error_class, letter.article_id)
        pending = list(letters)
        for limit in _DLQ_ORIGINAL_LIMITS:
            if not pending:
                return
            outgoing = [Outgoing(f"{d.topic}/{d.partition}/{d.offset}".encode(), d.to_bytes(limit), d.headers())
                        for d in pending]
            refused = await self.deliver(self.settings.dlq_topic, outgoing)
            refused_ids = {id(rec) for rec, _ in refused}
            pending = [d for d, rec in zip(pending, outgoing, strict=True) if id(rec) in refused_ids]
        for d in pending:  # refused even without its original: nothing more can be kept
            log.error("dead letter for %s/%s/%s refused by Kafka; dropped", d.topic, d.partition, d.offset)

    # -- enrich: news.raw → news.enriched ---------------------------------------------------------

    def job(self, msg: SourceMessage) -> Job:
        received = datetime.fromtimestamp(msg.timestamp, timezone.utc) if msg.timestamp else self.now()
        return Job(msg.value, received)

    def settle_one(self, msg: SourceMessage, outcome: Outcome) -> Outgoing | DeadLetter:
        """One raw message's enrichment outcome → its enriched record, or its dead letter."""
        if isinstance(outcome, Rejection):
            return self._rejected(msg, outcome)
        if isinstance(outcome, Failed):
            self._count_rejected(None)
            letter = dead_letter(msg.value, InvalidArticle(outcome.reason, stage="enrich"), topic=msg.topic,
                                 partition=msg.partition, offset=msg.offset, key=msg.key)
            return replace(letter, error_class=outcome.error_class)
        agency = self.metrics.agency_label(outcome.agency)
        self.metrics.articles_in.labels(agency).inc()
        for stage, seconds in outcome.timings.items():
            self.metrics.stage_seconds.labels(stage).observe(seconds)
        self.metrics.articles_out.labels(agency, "enriched").inc()
        return Outgoing(outcome.doc_id.encode(), outcome.value)

    def _count_rejected(self, agency: str | None) -> None:
        label = self.metrics.agency_label(agency)
        self.metrics.articles_in.labels(label).inc()
        self.metrics.articles_out.labels(label, "dead_lettered").inc()

    def _rejected(self, msg: SourceMessage, rejection: Rejection) -> DeadLetter:
        self._count_rejected(rejection.agency)
        return dead_letter(msg.value, rejection.error, topic=msg.topic, partition=msg.partition, offset=msg.offset,
                           key=msg.key)

    async def _hold(self, name: str, handler: Handler, batch: Sequence[SourceMessage]) -> None:
        """Run a handler until it completes; an unforeseen error retries the batch, never skips it."""
        backoff = Backoff(cap=self.settings.retry_max_s)
        target = f"{name}-handler"
        while True:
            try:
                await handler(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 -- a bug: hold the partition (readyz shows it), retry
                first = batch[0] if batch else None
                where = f"{first.topic}/{first.partition}/{first.offset}" if first else "-"
                # where it failed, not the message: an exception's text may quote the article
                frames = "".join(traceback.format_tb(exc.__traceback__)[-3:]).rstrip()
                log.error("%s batch from %s (%d messages) failed with %s; retrying it\n%s", name, where, len(batch),
                          type(exc).__name__, frames)
                await self._wait(target, backoff, type(exc).__name__)
                continue
            if target in self.waiting:
                self._recovered(target, backoff)
            return

    async def enrich_batch(self, batch: Sequence[SourceMessage]) -> None:
        await self._hold("enrich", self._enrich_batch, batch)

    async def _enrich_batch(self, batch: Sequence[SourceMessage]) -> None:
        produced: list[tuple[Outgoing, SourceMessage]] = []
        letters: list[DeadLetter] = []
        outcomes = await self.enricher.enrich([self.job(msg) for msg in batch])
        for msg, outcome in zip(batch, outcomes, strict=True):
            result = self.settle_one(msg, outcome)
            if isinstance(result, DeadLetter):
                letters.append(result)
            else:
                produced.append((result, msg))
        refused = await self.deliver(self.settings.enriched_topic, [out for out, _ in produced])
        if refused:  # e.g. an enriched document over the broker's size limit
            source = {id(out): msg for out, msg in produced}
            for out, exc in refused:
                msg = source[id(out)]
                letters.append(dead_letter(msg.value, exc, topic=msg.topic, partition=msg.partition,
                                           offset=msg.offset, stage="produce", key=msg.key,
                                           article_id=out.key.decode("utf-8", "replace")))
        await self.dead_letter(letters)

    # -- index: news.enriched → search engine ------------------------------------------------------

    async def index_batch(self, batch: Sequence[SourceMessage]) -> None:
        await self._hold("index", self._index_batch, batch)

    @staticmethod
    def _enriched(msg: SourceMessage) -> dict[str, Any]:
        """The enriched document of a message, or :class:`InvalidArticle` saying why it is not one."""
        try:
            doc = orjson.loads(msg.value)
        except orjson.JSONDecodeError as exc:
            raise InvalidArticle(f"not JSON: {exc}"[:200], stage="index") from None
        if not isinstance(doc, dict) or "id" not in doc or "version" not in doc:
            raise InvalidArticle("enriched document lacks id or version", stage="index")
        if not isinstance(doc["id"], str) or not 0 < len(doc["id"]) <= 512:
            raise InvalidArticle("enriched document id must be a non-empty string of at most 512 characters",
                                 stage="index")
        version = doc["version"]
        if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < 2**63:
            raise InvalidArticle("enriched document version must be a non-negative 64-bit integer", stage="index")
        return doc

    async def _index_batch(self, batch: Sequence[SourceMessage]) -> None:
        docs: dict[str, tuple[dict[str, Any], SourceMessage]] = {}
        letters: list[DeadLetter] = []
        for msg in batch:
            try:
                doc = self._enriched(msg)
            except InvalidArticle as exc:
                letters.append(dead_letter(msg.value, exc, topic=msg.topic, partition=msg.partition,
                                           offset=msg.offset, key=msg.key))
                continue
            seen = docs.get(doc["id"])
            if seen is None or doc["version"] >= seen[0]["version"]:
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
                           stage="index", article_id=doc_id, key=msg.key)

    def _observe_latency(self, doc: dict[str, Any], now: datetime) -> None:
        received = doc.get("received_at")
        if not received:
            return
        try:
            began = datetime.fromisoformat(str(received).replace("Z", "+00:00"))
        except ValueError:
            return
        self.metrics.e2e_seconds.observe(max(0.0, (now - began).total_seconds()))
