"""The alert wiring without Kafka: match → mentions keyed by figure → one alert per story; Kafka health."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from prometheus_client import CollectorRegistry

from streams.alerts.watchlist import Figure, custom_figure
from streams.app.alerting import _TICK, Alerting
from streams.app.kafka_health import KafkaHealth
from streams.app.metrics import Metrics
from streams.config import load_settings

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

    async def send(self, *, key: bytes, value: bytes) -> asyncio.Future[None]:
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


@pytest.fixture()
def alerting() -> Alerting:
    settings = load_settings({}, alert_group_wait_s=5, topic_prefix="t")
    metrics = Metrics(CollectorRegistry())
    a = Alerting(app=None, settings=settings, metrics=metrics, clock=Clock(),  # type: ignore[arg-type]
                 topics={"mentions": FakeTopic("t.mentions"), "alerts": FakeTopic("t.alerts")})
    a.watchlist = {LAVROV.id.encode(): LAVROV.to_bytes(), b"name/x": None}
    a.ledgers = {}
    return a


def _value(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


def test_three_copies_make_one_alert_after_the_wait(alerting: Alerting) -> None:
    """Match three agencies' copies, feed the mentions to the owner: one alert, three agencies, once."""
    clock: Clock = alerting.clock  # type: ignore[assignment]

    async def run() -> None:
        await alerting.match_batch([_doc(0, "ایرنا"), _doc(1, "مهر"), b"not json", _doc(2, "ایسنا")])
        mentions = alerting.topics["mentions"].sent
        assert [k for k, _ in mentions] == [LAVROV.id.encode()] * 3
        for key, value in mentions:
            await alerting.on_mention(key, value, partition=0)
            clock.now += 1
        assert alerting.topics["alerts"].sent == []  # still gathering copies
        clock.now += 5
        await alerting.on_mention(LAVROV.id.encode(), _TICK, partition=0)
        await alerting.on_mention(LAVROV.id.encode(), _TICK, partition=0)  # a second tick changes nothing

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
        await alerting.match_batch([_doc(0, "ایرنا"), _doc(5, "فارس")])
        for key, value in alerting.topics["mentions"].sent:
            await alerting.on_mention(key, value, partition=0)
        clock.now += 6
        await alerting.on_mention(LAVROV.id.encode(), _TICK, partition=0)
        alerting.topics["mentions"].sent.clear()
        await alerting.match_batch([_doc(1, "مهر")])
        ((key, value),) = alerting.topics["mentions"].sent
        await alerting.on_mention(key, value, partition=0)

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
