"""Delivery rules of the batch handlers: what is retried, what is dead-lettered, what may never escape."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from prometheus_client import CollectorRegistry

from streams.app.delivery import Delivery, SourceMessage
from streams.app.enrich_pool import InlineEnricher
from streams.app.metrics import Metrics
from streams.config import Settings
from streams.enrich.document import sanitize
from streams.enrich.pipeline import Pipeline
from streams.errors import InvalidArticle, RejectedDocument, SearchUnavailable
from streams.sink.dlq import parse_dead_letter
from streams.sink.produce import Outgoing
from streams.sink.search import BulkOutcome

ARTICLE = {"id": "r-1", "agency": "ISNA", "title": "افزایش قیمت نفت در بازارهای جهانی",
           "lead": "قیمت نفت خام برنت امروز افزایش یافت.",
           "body": "<p>بهای هر بشکه نفت برنت به ۸۵ دلار رسید.</p><script>alert(1)</script> &lt;b&gt;پایان&lt;/b&gt;",
           "published_at": "2024-05-01T10:00:00+03:30", "language": "fa"}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


class Broker:
    """A fake producer: records what was acknowledged; fails on demand."""

    def __init__(self) -> None:
        self.acked: list[tuple[str, Outgoing]] = []
        self.fail_sends = 0  # the next n sends raise at once
        self.fail_acks = 0  # the next n acknowledgements fail
        self.refuse: set[bytes] = set()  # keys refused for good (too large)
        self.attempts = 0

    async def send(self, topic: str, record: Outgoing) -> Any:
        self.attempts += 1
        if record.key in self.refuse:
            raise InvalidArticle("record too large for the broker", stage="produce")
        if self.fail_sends:
            self.fail_sends -= 1
            raise ConnectionError("broker away")
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail_acks:
            self.fail_acks -= 1
            fut.set_exception(TimeoutError("no ack"))
        else:
            self.acked.append((topic, record))
            fut.set_result(None)
        return fut

    def on(self, topic: str) -> list[Outgoing]:
        return [r for t, r in self.acked if t == topic]


class Writer:
    """A fake search writer."""

    backend = "opensearch"
    alias = "test"

    def __init__(self, outcomes: Sequence[BulkOutcome | Exception] = ()) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[list[str]] = []

    async def bulk(self, docs: Sequence[dict[str, Any]]) -> BulkOutcome:
        self.calls.append([d["id"] for d in docs])
        if self.outcomes:
            nxt = self.outcomes.pop(0)
            if isinstance(nxt, Exception):
                raise nxt
            return nxt
        return BulkOutcome(written=[d["id"] for d in docs])

    async def ping(self) -> bool:
        return True


def _runtime(pipeline: Pipeline, broker: Broker, writer: Any = None) -> Delivery:
    settings = Settings(retry_max_s=0.01, topic_prefix="t")
    return Delivery(settings, InlineEnricher.from_settings(settings, pipeline), Metrics(CollectorRegistry()),
                    broker.send, writer)


def _msg(value: bytes, offset: int = 0, topic: str = "t.raw") -> SourceMessage:
    return SourceMessage(value=value, topic=topic, partition=0, offset=offset, timestamp=None, key=b"k%d" % offset)


def test_deliver_resends_only_what_failed(pipeline: Pipeline) -> None:
    """A failed send or acknowledgement is retried; acknowledged records are not sent twice."""
    broker = Broker()
    broker.fail_sends, broker.fail_acks = 1, 1
    records = [Outgoing(b"a", b"1"), Outgoing(b"b", b"2"), Outgoing(b"c", b"3")]
    refused = asyncio.run(_runtime(pipeline, broker).deliver("x", records))
    assert refused == []
    assert sorted(r.key for r in broker.on("x")) == [b"a", b"b", b"c"]
    assert broker.attempts == 5


def test_record_refused_for_good_is_dead_lettered(pipeline: Pipeline) -> None:
    """An enriched document the broker can never take goes to the DLQ instead of blocking the partition."""
    broker = Broker()
    broker.refuse.add(b"isna-r-1")
    rt = _runtime(pipeline, broker)
    asyncio.run(rt.enrich_batch([_msg(orjson.dumps(ARTICLE), 7)]))
    assert broker.on("t.enriched") == []
    (letter,) = [parse_dead_letter(r.value) for r in broker.on("t.dlq")]
    assert letter["stage"] == "produce" and letter["offset"] == 7 and letter["key"] == b"k7"
    assert letter["article_id"] == "isna-r-1"


def test_every_bad_message_is_dead_lettered_with_its_reason(pipeline: Pipeline) -> None:
    """Bad JSON, invalid UTF-8 and wrong schema become dead letters with original bytes; good ones go on."""
    broker = Broker()
    bad = [b"{not json", b"\xff\xfe", orjson.dumps({"body": 5}), orjson.dumps([1])]
    batch = [_msg(v, i) for i, v in enumerate([*bad, orjson.dumps(ARTICLE)])]
    asyncio.run(_runtime(pipeline, broker).enrich_batch(batch))
    letters = [parse_dead_letter(r.value) for r in broker.on("t.dlq")]
    assert [d["original"] for d in letters] == bad
    assert all(d["reason"] and d["error_class"] == "InvalidArticle" for d in letters)
    assert len(broker.on("t.enriched")) == 1


def test_stored_text_has_no_markup(pipeline: Pipeline) -> None:
    """HTML is stripped, not rejected: from the text fields and from `original`, escaped tags included."""
    broker = Broker()
    asyncio.run(_runtime(pipeline, broker).enrich_batch([_msg(orjson.dumps(ARTICLE))]))
    doc = orjson.loads(broker.on("t.enriched")[0].value)
    for text in (doc["body"], *doc["original"].values()):
        assert "<" not in text and "alert" not in text, text
    assert "۸۵ دلار" in doc["original"]["body"] or "85 دلار" in doc["original"]["body"]


def test_sanitizing_keeps_plain_text() -> None:
    """Text without markup is left as it is."""
    assert sanitize("متن ساده AT&T ۱۲") == "متن ساده AT&T ۱۲"


@pytest.mark.parametrize("value", [b"[]", b'{"id": 1, "version": 1}', b'{"id": "a", "version": "x"}',
                                   b'{"id": "a", "version": true}', b'{"id": ["a"], "version": 1}', b"\xff"])
def test_index_stage_dead_letters_what_is_not_a_document(pipeline: Pipeline, value: bytes) -> None:
    """Anything on the enriched topic that is not a document is dead-lettered at the index stage."""
    broker, writer = Broker(), Writer()
    asyncio.run(_runtime(pipeline, broker, writer).index_batch([_msg(value, topic="t.enriched")]))
    (letter,) = [parse_dead_letter(r.value) for r in broker.on("t.dlq")]
    assert letter["stage"] == "index" and letter["original"] == value
    assert writer.calls == []


def test_index_retries_transient_and_dead_letters_rejected(pipeline: Pipeline) -> None:
    """Search down → retried; an item the engine rejects → dead letter; the rest written."""
    docs = [{"id": f"d{i}", "version": 1} for i in range(3)]
    writer = Writer([SearchUnavailable("down"),
                     BulkOutcome(written=["d0"], rejected=[RejectedDocument("d1", "mapper_parsing_exception", "x")],
                                 retry=[docs[2]])])
    broker = Broker()
    rt = _runtime(pipeline, broker, writer)
    asyncio.run(rt.index_batch([_msg(orjson.dumps(d), i, "t.enriched") for i, d in enumerate(docs)]))
    assert writer.calls == [["d0", "d1", "d2"], ["d0", "d1", "d2"], ["d2"]]
    (letter,) = [parse_dead_letter(r.value) for r in broker.on("t.dlq")]
    assert letter["error_class"] == "RejectedDocument" and letter["article_id"] == "d1"
    assert rt.ready is True and not rt.waiting


def test_unforeseen_error_retries_the_batch_instead_of_skipping_it(pipeline: Pipeline) -> None:
    """A bug in a handler never lets the batch through unhandled: it is retried until it succeeds."""
    writer = Writer([ValueError("a bug")])  # not an error the writer contract allows
    broker = Broker()
    rt = _runtime(pipeline, broker, writer)
    asyncio.run(rt.index_batch([_msg(orjson.dumps({"id": "d0", "version": 1}), 0, "t.enriched")]))
    assert writer.calls == [["d0"], ["d0"]]
    assert not rt.waiting


def test_search_never_connected_holds_the_batch_and_reports_not_ready(pipeline: Pipeline) -> None:
    """Without a writer the index handler waits (not ready) and writes once the writer appears."""
    broker = Broker()
    rt = _runtime(pipeline, broker, None)

    async def scenario() -> tuple[bool, list[str]]:
        task = asyncio.create_task(rt.index_batch([_msg(orjson.dumps({"id": "d0", "version": 1}), 0,
                                                        "t.enriched")]))
        await asyncio.sleep(0.1)
        ready_while_waiting = rt.ready
        assert not task.done() and "search" in rt.waiting
        writer = Writer()
        rt.writer = writer  # type: ignore[assignment]
        await asyncio.wait_for(task, 5)
        return ready_while_waiting, writer.calls[0]

    ready, written = asyncio.run(scenario())
    assert ready is False and written == ["d0"]
