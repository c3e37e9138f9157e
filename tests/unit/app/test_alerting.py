"""The alert wiring without Kafka: match → mentions keyed by figure → one alert per story; Kafka health."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from prometheus_client import CollectorRegistry

from streams.alerts.watchlist import Figure, custom_figure
from streams.app.alerting import _TICK, Alerting
from streams.app.delivery import Delivery, SourceMessage
from streams.app.kafka_health import KafkaHealth
from streams.app.metrics import Metrics
from streams.config import load_settings
from streams.sink.dlq import parse_dead_letter
from streams.sink.produce import Outgoing

BODY = ("سرگئی لاوروف وزیر امور خارجه روسیه روز چهارشنبه در مسکو گفت که روسیه از هر گامی که به ثبات در قفقاز "
        "جنوبی و بازگشایی مسیرهای ترانزیتی منطقه کمک کند حمایت می‌کند و آماده است نقش سازنده‌ای ایفا کند.")
LAVROV = Figure("person/sergey-lavrov", "سرگئی لاوروف", "person", ("لاوروف",))
SPEAKER = {"id": "person/sergey-lavrov", "name": "سرگئی لاوروف", "type": "person"}


class FakeTopic:
    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[bytes, bytes]] = []

    def get_topic_name(self) -> str:
        return self.name

    async def send(self, *, key: bytes, value: bytes, headers: Any = None) -> asyncio.Future[None]:
        self.sent.append((key, value))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _doc(n: int, agency: str) -> bytes:
    return orjson.dumps({
        "id": f"doc-{n}", "agency": agency, "title": f"لاوروف در مسکو {n}", "url": None, "published_at": None,
        "lead": "", "body": BODY if n < 3 else "متن دیگری درباره بازار نفت و قیمت برنت در هفته گذشته.",
        "entities": [{"type": "person", "id": "person/sergey-lavrov", "name": "سرگئی لاوروف", "mentions": ["لاوروف"]}],
        "quotes": [{"text": "ثبات مهم است", "speaker": SPEAKER, "verb": "گفت", "kind": "direct"}],
    })


class DeadLetters:
    """The dead-letter topic: what the alert path's delivery produced there."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    async def send(self, topic: str, record: Outgoing) -> asyncio.Future[None]:
        assert topic == "t.dlq", topic
        self.records.append(parse_dead_letter(record.value))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def _msg(value: bytes, key: bytes | None = None, offset: int = 0, topic: str = "t.enriched") -> SourceMessage:
    return SourceMessage(value=value, topic=topic, partition=0, offset=offset, timestamp=None, key=key)


def _mention(key: bytes, value: bytes, offset: int = 0) -> SourceMessage:
    return _msg(value, key, offset, topic="t.mentions")


@pytest.fixture()
def alerting() -> Alerting:
    settings = load_settings({}, alert_group_wait_s=5, topic_prefix="t", retry_max_s=0.01, alert_produce_attempts=3)
    metrics = Metrics(CollectorRegistry())
    dlq = DeadLetters()
    delivery = Delivery(settings, None, metrics, dlq.send)  # type: ignore[arg-type]
    a = Alerting(app=None, settings=settings, metrics=metrics, delivery=delivery, clock=Clock(),  # type: ignore[arg-type]
                 topics={"mentions": FakeTopic("t.mentions"), "alerts": FakeTopic("t.alerts")})
    a.dead_letters = dlq  # type: ignore[attr-defined]
    a.watchlist = {LAVROV.id.encode(): LAVROV.to_bytes(), b"name/x": None}
    a.ledgers = {}
    return a


def _value(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def test_three_copies_make_one_alert_after_the_wait(alerting: Alerting) -> None:
    """Match three agencies' copies, feed the mentions to the owner: one alert, three agencies, once."""
    clock: Clock = alerting.clock  # type: ignore[assignment]

    async def run() -> None:
        await alerting.match_batch([_msg(_doc(0, "ایرنا")), _msg(_doc(1, "مهر")), _msg(b"not json"),
                                    _msg(_doc(2, "ایسنا"))])
        mentions = alerting.topics["mentions"].sent
        assert [k for k, _ in mentions] == [LAVROV.id.encode()] * 3
        for key, value in mentions:
            await alerting.on_mention(_mention(key, value))
            clock.now += 1
        assert alerting.topics["alerts"].sent == []  # still gathering copies
        clock.now += 5
        await alerting.on_mention(_mention(LAVROV.id.encode(), _TICK))
        await alerting.on_mention(_mention(LAVROV.id.encode(), _TICK))  # a second tick changes nothing

    asyncio.run(run())
    ((key, value),) = alerting.topics["alerts"].sent
    alert = orjson.loads(value)
    assert key == LAVROV.id.encode() and alert["agencies"] == ["ایرنا", "مهر", "ایسنا"]
    assert alert["kind"] == "quote" and alert["quote"] == "ثبات مهم است"
    m = alerting.metrics
    assert _value(m, "khabar_tracked_mentions_total", figure=LAVROV.id) == 3
    assert _value(m, "khabar_alerts_total", outcome="sent") == 1
    assert _value(m, "khabar_alerts_total", outcome="merged") == 2
    assert _value(m, "khabar_watchlist_figures") == 1


def test_another_story_and_a_late_copy(alerting: Alerting) -> None:
    """A different story about the figure alerts on its own; a copy after the alert is suppressed."""
    clock: Clock = alerting.clock  # type: ignore[assignment]

    async def run() -> None:
        await alerting.match_batch([_msg(_doc(0, "ایرنا")), _msg(_doc(5, "فارس"))])
        for key, value in alerting.topics["mentions"].sent:
            await alerting.on_mention(_mention(key, value))
        clock.now += 6
        await alerting.on_mention(_mention(LAVROV.id.encode(), _TICK))
        alerting.topics["mentions"].sent.clear()
        await alerting.match_batch([_msg(_doc(1, "مهر"))])
        ((key, value),) = alerting.topics["mentions"].sent
        await alerting.on_mention(_mention(key, value))

    asyncio.run(run())
    assert len(alerting.topics["alerts"].sent) == 2
    assert _value(alerting.metrics, "khabar_alerts_total", outcome="suppressed") == 1


def test_the_watchlist_is_reread_when_it_changes(alerting: Alerting) -> None:
    """A figure added to (or removed from) the table is matched from the next batch on."""
    assert len(alerting.matcher()) == 1
    other = custom_figure("فرهاد نیک‌فرجام")
    alerting.watchlist = {other.id.encode(): other.to_bytes()}
    assert [f.id for f in alerting.matcher().figures] == [other.id]
    assert alerting.mentions_of(_doc(0, "ایرنا"), alerting.matcher(), 1.0) == []


def _big_doc(n: int, title: str, url: str | None = None) -> bytes:
    doc = orjson.loads(_doc(n, "ایرنا"))
    return orjson.dumps({**doc, "title": title, "url": url,
                         "quotes": [{**doc["quotes"][0], "text": "ثبات " * 300_000}]})


def test_a_huge_article_gives_small_mentions_and_alerts(alerting: Alerting) -> None:
    """A 1.1 MB title and a 1.5 MB quote: the mention and the alert carry a trimmed title and quote,
    never a body, and stay a few kilobytes; a javascript: URL is not handed on."""
    clock: Clock = alerting.clock  # type: ignore[assignment]

    async def run() -> None:
        await alerting.match_batch([_msg(_big_doc(0, "لاوروف " * 160_000, url="javascript:alert(1)"))])
        ((key, value),) = alerting.topics["mentions"].sent
        assert len(value) < 8 * 1024
        await alerting.on_mention(_mention(key, value))
        clock.now += 6
        await alerting.on_mention(_mention(key, _TICK))

    asyncio.run(run())
    ((_, value),) = alerting.topics["alerts"].sent
    alert = orjson.loads(value)
    assert len(value) < 8 * 1024 and len(alert["title"]) <= 300 and len(alert["quote"]) <= 600
    assert alert["url"] is None and all(a["url"] is None for a in alert["articles"])
    assert "body" not in alert and "lead" not in alert


class RefusingTopic(FakeTopic):
    """A topic whose broker refuses records: for good (too large) or for now (unavailable)."""

    def __init__(self, name: str, error: Exception, watch: set[str] | None = None) -> None:
        super().__init__(name)
        self.error = error
        self.attempts = 0
        self.watch = watch
        self.ready_while_retrying: list[bool] = []

    async def send(self, *, key: bytes, value: bytes, headers: Any = None) -> asyncio.Future[None]:
        self.attempts += 1
        if self.watch is not None:
            self.ready_while_retrying.append("alerts" not in self.watch)
        raise self.error


def test_an_alert_kafka_refuses_is_dead_lettered_and_later_alerts_flow(alerting: Alerting) -> None:
    """An alert the broker refuses for good (too large) is tried once, dead-lettered with its reason
    and counted; the next story about the figure alerts normally."""
    from aiokafka.errors import MessageSizeTooLargeError  # type: ignore[import-untyped]

    clock: Clock = alerting.clock  # type: ignore[assignment]
    good = alerting.topics["alerts"]
    refusing = RefusingTopic("t.alerts", MessageSizeTooLargeError())
    alerting.topics["alerts"] = refusing

    async def run() -> None:
        await alerting.match_batch([_msg(_doc(0, "ایرنا"))])
        key, value = alerting.topics["mentions"].sent[-1]
        await alerting.on_mention(_mention(key, value, offset=7))
        clock.now += 6
        await alerting.on_mention(_mention(key, _TICK, offset=8))
        alerting.topics["alerts"] = good
        await alerting.match_batch([_msg(_doc(5, "فارس"))])
        key, value = alerting.topics["mentions"].sent[-1]
        await alerting.on_mention(_mention(key, value, offset=9))
        clock.now += 6
        await alerting.on_mention(_mention(key, _TICK, offset=10))

    asyncio.run(run())
    assert refusing.attempts == 1
    (letter,) = alerting.dead_letters.records  # type: ignore[attr-defined]
    assert (letter["stage"], letter["error_class"], letter["topic"], letter["offset"]) == (
        "alert", "InvalidArticle", "t.mentions", 8)
    assert "refused by Kafka" in letter["reason"] and letter["article_id"] == "doc-0"
    assert orjson.loads(letter["original"])["article"]["id"] == "doc-0"  # replayable as a mention
    assert len(good.sent) == 1 and orjson.loads(good.sent[0][1])["article_id"] == "doc-5"
    assert _value(alerting.metrics, "khabar_alerts_total", outcome="dead_lettered") == 1
    assert _value(alerting.metrics, "khabar_dlq_total", stage="alert", error_class="InvalidArticle") == 1


def test_mentions_not_taken_after_bounded_tries_are_dead_lettered_and_readiness_shows_it(alerting: Alerting
                                                                                        ) -> None:
    """A mention the broker keeps failing is tried alert_produce_attempts times (readiness false
    meanwhile), then its source document is dead-lettered once; readiness comes back."""
    refusing = RefusingTopic("t.mentions", ConnectionError("broker away"), watch=alerting.delivery.waiting)
    alerting.topics["mentions"] = refusing
    alerting.delivery.writer = object()  # type: ignore[assignment]
    asyncio.run(alerting.match_batch([_msg(_doc(0, "ایرنا"), offset=3)]))
    assert refusing.attempts == 3
    assert refusing.ready_while_retrying == [True, False, False]
    (letter,) = alerting.dead_letters.records  # type: ignore[attr-defined]
    assert (letter["stage"], letter["error_class"], letter["offset"]) == ("alert-match", "Undelivered", 3)
    assert "after 3 attempts" in letter["reason"]
    assert alerting.delivery.ready


def test_an_unreadable_mention_is_dead_lettered(alerting: Alerting) -> None:
    """A record on the mentions topic that is not a mention goes to the dead-letter topic, not nowhere."""
    asyncio.run(alerting.on_mention(_mention(LAVROV.id.encode(), b'{"figure": 1}', offset=4)))
    (letter,) = alerting.dead_letters.records  # type: ignore[attr-defined]
    assert (letter["stage"], letter["offset"]) == ("alert", 4) and "unreadable mention" in letter["reason"]


class FakeClient:
    def __init__(self) -> None:
        self.fail = False

    async def fetch_all_metadata(self) -> None:
        if self.fail:
            raise ConnectionError("down")


class FakeConsumer:
    def __init__(self, tps: list[Any]) -> None:
        self.tps = tps
        self._committed_offset = {tps[0]: 40}

    def assignment(self) -> set[Any]:
        return set(self.tps)

    async def highwaters(self, *tps: Any) -> dict[Any, int]:
        return {tp: 100 for tp in tps}

    async def position(self, tp: Any) -> int:
        return 90


def test_kafka_health_probe_and_lag() -> None:
    """Readiness follows the broker probe; lag = end offset − committed (position before any commit)."""
    from faust.types import TP

    client = FakeClient()
    producer = type("P", (), {"_ensure_producer": lambda self: type("A", (), {"client": client})()})()
    tps = [TP("t.raw", 0), TP("t.raw", 1), TP("khabar-x-changelog", 0)]
    app = type("App", (), {"producer": producer, "consumer": FakeConsumer(tps)})()
    metrics = Metrics(CollectorRegistry())
    health = KafkaHealth(app, metrics, {"t.raw"})

    asyncio.run(health.check())
    assert health.connected and _value(metrics, "khabar_kafka_up") == 1
    assert _value(metrics, "khabar_consumer_lag", topic="t.raw", partition="0") == 60
    assert _value(metrics, "khabar_consumer_lag", topic="t.raw", partition="1") == 10
    assert metrics.registry.get_sample_value("khabar_consumer_lag", {"topic": "khabar-x-changelog",
                                                                     "partition": "0"}) is None
    app.consumer.tps = [TP("t.raw", 1)]  # partition 0 moved to another worker
    client.fail = True
    asyncio.run(health.refresh(max_age_s=0))
    assert not health.connected and _value(metrics, "khabar_kafka_up") == 0
    client.fail = False
    asyncio.run(health.check())
    assert metrics.registry.get_sample_value("khabar_consumer_lag", {"topic": "t.raw", "partition": "0"}) is None
