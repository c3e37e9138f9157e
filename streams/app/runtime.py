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
import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.app.metrics import Metrics
from streams.backoff import Backoff
from streams.config import Settings
from streams.enrich.persian import strip_html
from streams.enrich.pipeline import Pipeline, to_document
from streams.errors import InvalidArticle, PermanentError, RejectedDocument, SearchUnavailable
from streams.intake.decode import decode_article
from streams.sink.dlq import MAX_ORIGINAL_BYTES, DeadLetter, dead_letter
from streams.sink.search import SearchWriter

__all__ = ["Runtime", "Backoff", "Outgoing"]

log = logging.getLogger("khabar.worker")


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
    key: bytes | None = None


Send = Callable[[str, Outgoing], Awaitable[Any]]
Handler = Callable[[Sequence[SourceMessage]], Awaitable[None]]

# Dead letters whose record the broker refuses keep less and less of the original.
_DLQ_ORIGINAL_LIMITS = (MAX_ORIGINAL_BYTES, 256 * 1024, 0)


_STORED_TEXT = ("kicker", "title", "lead", "body")


def _sanitized(text: Any) -> Any:
    """Text with HTML removed, repeatedly, so markup escaped as entities cannot come back as tags."""
    if not isinstance(text, str) or ("<" not in text and "&" not in text):
        return text
    for _ in range(3):
        stripped = strip_html(text)
        if stripped == text:
            break
        text = stripped
    return text


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

    async def deliver(self, topic: str, records: Sequence[Outgoing]) -> list[tuple[Outgoing, PermanentError]]:
        """Produce records and wait until the broker acknowledged all of them; retry until it does.

        Only the records that failed are sent again. A record the producer refuses for good (the
        send adapter raises a :class:`PermanentError`, e.g. too large) is returned, not retried.
        """
        if not records:
            return []
        pending = list(records)
        refused: list[tuple[Outgoing, PermanentError]] = []
        backoff = Backoff(cap=self.settings.retry_max_s)
        while pending:
            failed: list[Outgoing] = []
            why = ""
            sent: list[tuple[Outgoing, Awaitable[Any]]] = []
            for record in pending:
                try:
                    result = await self.send(topic, record)
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
            pending = failed
            if pending:
                await self._wait("kafka", backoff, f"{len(pending)} record(s) not acknowledged: {why}")
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
            # stored text carries no markup: the original fields too, and what unescaping revealed
            doc["original"] = {name: _sanitized(text) for name, text in doc["original"].items()}
            doc.update({name: _sanitized(doc[name]) for name in _STORED_TEXT if name in doc})
            self.metrics.articles_out.labels(agency, "enriched").inc()
            return Outgoing(doc["id"].encode(), orjson.dumps(doc))
        except Exception as exc:  # noqa: BLE001 - every per-message failure becomes a dead letter, never a crash
            if agency == "unknown":
                self.metrics.articles_in.labels(agency).inc()
            self.metrics.articles_out.labels(agency, "dead_lettered").inc()
            where = None if isinstance(exc, PermanentError) else "enrich"
            return dead_letter(msg.value, exc, topic=msg.topic, partition=msg.partition, offset=msg.offset,
                               stage=where, key=msg.key)

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
        for msg in batch:
            result = self.enrich_one(msg)
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
