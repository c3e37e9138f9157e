"""Tracked-figure alerts on the real stack: two workers, one watchlist, one alert per story, a webhook."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from streams.alerts.store import put_figure
from streams.alerts.watchlist import custom_figure, resolve_figure
from streams.cli import app
from streams.enrich.gazetteer import load_gazetteer
from streams.resources import load_schema
from tests.support import Worker, consume_all, produce, wait_for

pytestmark = pytest.mark.integration
runner = CliRunner()

# A story quoting Lavrov, as three agencies put it on the wire: other ids, source lines, a sign-off.
STORY_LEAD = "وزیر امور خارجه روسیه در نشست خبری مشترک با همتای ترکیه‌ای خود در مسکو درباره قفقاز جنوبی سخن گفت."
STORY_BODY = (
    "سرگئی لاوروف وزیر امور خارجه روسیه روز چهارشنبه در نشست خبری مشترک با همتای ترکیه‌ای خود در مسکو "
    "گفت: «روسیه از هر گامی که به ثبات در قفقاز جنوبی و بازگشایی مسیرهای ترانزیتی منطقه کمک کند "
    "حمایت می‌کند و آماده است نقش سازنده‌ای در این روند ایفا کند.»\n\n"
    "وی افزود: «گفت‌وگوهای سه‌جانبه میان مسکو، باکو و ایروان باید بدون دخالت بازیگران فرامنطقه‌ای ادامه یابد "
    "و ما از تلاش‌ها برای تدوین متن نهایی پیمان صلح پشتیبانی می‌کنیم.»\n\n"
    "وزیر خارجه روسیه همچنین درباره همکاری‌های اقتصادی دو کشور گفت که حجم مبادلات تجاری در سال گذشته "
    "افزایش یافته و طرف‌ها درباره پروژه‌های مشترک انرژی و حمل‌ونقل رایزنی کرده‌اند."
)
COPIES = [("ایرنا", "", ""), ("خبرگزاری مهر", "به گزارش خبرگزاری مهر به نقل از ایرنا، ", ""),
          ("ایسنا", "به گزارش ایسنا، ", "\n\nانتهای پیام")]


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook receiver on 127.0.0.1 that records every POSTed JSON body."""
    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append(orjson.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/alerts", received
    server.shutdown()
    server.server_close()


def _metrics(worker: Worker) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    url = f"http://127.0.0.1:{worker.env['KHABAR_WEB_PORT']}/metrics"
    try:
        text = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return {}
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for fam in text_string_to_metric_families(text) for s in fam.samples}


def _total(workers: list[Worker], name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for w in workers for (n, lab), v in _metrics(w).items() if n == name and want <= set(lab))


def _ready(worker: Worker) -> bool:
    try:
        url = f"http://127.0.0.1:{worker.env['KHABAR_WEB_PORT']}/readyz"
        return bool(urllib.request.urlopen(url, timeout=5).status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def workers(worker_factory: Callable[..., Worker], run_id: str,
            receiver: tuple[str, list[dict[str, Any]]]) -> Iterator[list[Worker]]:
    """Two workers in one group, Lavrov on the watchlist before they start, a 3 s group wait."""
    prefix = f"al{run_id}"
    pair = [worker_factory(prefix=prefix, KHABAR_ALERT_GROUP_WAIT_S="3", KHABAR_ALERT_WEBHOOK_URL=receiver[0])
            for _ in range(2)]
    put_figure(pair[0].settings, resolve_figure(load_gazetteer(), "person/sergey-lavrov"))
    for w in pair:
        w.start()
    for w in pair:
        wait_for(lambda w=w: _ready(w) and _total([w], "khabar_watchlist_figures") == 1, 120,
                 "a ready worker that knows the watchlist", w)
    yield pair
    for w in pair:
        w.stop()


def _alerts(worker: Worker) -> list[dict[str, Any]]:
    return [orjson.loads(m.value) for m in consume_all(worker.settings.alerts_topic, 3)]


def test_one_alert_and_one_webhook_call_for_a_story_from_three_agencies(
        workers: list[Worker], kafka_producer: KafkaProducer, receiver: tuple[str, list[dict[str, Any]]]) -> None:
    """Three agencies' copies of a story quoting a tracked figure give exactly one alert listing the three."""
    s = workers[0].settings
    copies = [{"id": f"lavrov-moscow-{n}", "agency": agency, "url": f"https://news{n}.example/lavrov",
               "title": f"لاوروف: از ثبات در قفقاز جنوبی حمایت می‌کنیم ({agency})", "lead": STORY_LEAD,
               "body": prefix + STORY_BODY + suffix, "published_at": "2024-06-05T09:30:00+03:30", "language": "fa"}
              for n, (agency, prefix, suffix) in enumerate(COPIES)]
    other = {"id": "oil-1", "agency": "ایسنا", "title": "افزایش قیمت نفت", "lead": "قیمت نفت خام برنت افزایش یافت.",
             "body": "بهای هر بشکه نفت برنت امروز به ۸۵ دلار رسید.", "language": "fa"}
    for doc in [*copies, other]:  # keyed by article: the copies spread over partitions and workers
        produce(kafka_producer, s.raw_topic, [doc], key=f"{doc['agency']}-{doc['id']}".encode())

    # every copy reached the figure's owner: one sent, two gathered into it
    wait_for(lambda: _total(workers, "khabar_alerts_total", outcome="sent") == 1
             and _total(workers, "khabar_alerts_total", outcome="merged") == 2, 90,
             "one alert sent and two copies merged into it", workers[0])
    alerts = wait_for(lambda: _alerts(workers[0]), 30, "the alert on news.alerts", workers[0])
    wait_for(lambda: receiver[1], 30, "the webhook call", workers[0])
    time.sleep(4)  # longer than the group wait: nothing else may follow

    alerts = _alerts(workers[0])
    assert len(alerts) == 1, alerts
    (alert,) = alerts
    assert not list(Draft202012Validator(load_schema("alert.schema.json"), format_checker=FormatChecker())
                    .iter_errors(alert))
    assert alert["figure_id"] == "person/sergey-lavrov" and alert["figure_name"] == "سرگئی لاوروف"
    assert alert["kind"] == "quote" and "قفقاز جنوبی" in alert["quote"]
    assert sorted(alert["agencies"]) == sorted(a for a, _, _ in COPIES)
    assert len({a["id"] for a in alert["articles"]}) == 3
    assert [r["id"] for r in receiver[1]] == [alert["id"]]
    tail = runner.invoke(app, ["alerts", "tail", "--from-beginning", "--json", "--count", "1", "--timeout", "20"],
                         env=workers[0].env)
    assert tail.exit_code == 0 and orjson.loads(tail.stdout.splitlines()[0])["id"] == alert["id"]
    assert _total(workers, "khabar_tracked_mentions_total", figure="person/sergey-lavrov") == 3
    assert _total(workers, "khabar_alert_webhook_total", outcome="delivered") == 1


def test_watchlist_changes_apply_live_to_every_worker(
        workers: list[Worker], kafka_producer: KafkaProducer, receiver: tuple[str, list[dict[str, Any]]]) -> None:
    """Removing a figure and adding a free-form one take effect on both running workers, no restart."""
    s = workers[0].settings
    env = workers[0].env
    removed = runner.invoke(app, ["watch", "remove", "لاوروف"], env=env)  # by name: resolved on the watchlist
    assert removed.exit_code == 0, removed.output
    for w in workers:
        wait_for(lambda w=w: _total([w], "khabar_watchlist_figures") == 0, 30, "the removal on each worker", w)
    added = runner.invoke(app, ["watch", "add", "--name", "فرهاد نیک‌فرجام", "--alias", "نیک‌فرجام"], env=env)
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["watch", "list", "--json"], env=env)
    (listed_figure,) = orjson.loads(listed.stdout)
    figure = custom_figure("فرهاد نیک‌فرجام")
    assert listed_figure["id"] == figure.id and listed_figure["aliases"] == ["نیک‌فرجام"]
    for w in workers:
        wait_for(lambda w=w: _total([w], "khabar_watchlist_figures") == 1, 30, "the new figure on each worker", w)
    before = len(_alerts(workers[0]))

    lavrov = {"id": "lavrov-2", "agency": "ایرنا", "title": "لاوروف در آنکارا",
              "body": "سرگئی لاوروف وزیر امور خارجه روسیه امروز وارد آنکارا شد و با مقام‌های ترکیه دیدار کرد.",
              "language": "fa"}
    custom = [{"id": f"nikfarjam-{n}", "agency": agency, "title": "افتتاح کارخانه تازه در تبریز",
               "body": "فرهاد نیک‌فرجام مدیرعامل شرکت فولاد آذربایجان امروز در مراسم افتتاح کارخانه تازه این شرکت "
                       "در تبریز از اشتغال پانصد نفر در این واحد صنعتی خبر داد و افزود که تولید آزمایشی "
                       "از ماه آینده آغاز می‌شود.", "language": "fa"}
              for n, agency in enumerate(["ایرنا", "ایلنا"])]
    for doc in [lavrov, *custom]:
        produce(kafka_producer, s.raw_topic, [doc], key=f"{doc['agency']}-{doc['id']}".encode())

    new = wait_for(lambda: [a for a in _alerts(workers[0])[before:] if a["figure_id"] == figure.id], 90,
                   "the alert about the free-form figure", workers[0])
    time.sleep(4)
    later = _alerts(workers[0])[before:]
    assert [a["figure_id"] for a in later] == [figure.id], "a removed figure raised an alert"
    assert new[0]["kind"] in ("mention", "quote") and sorted(new[0]["agencies"]) == ["ایرنا", "ایلنا"]
    assert "نیک" in new[0]["surface"]
    wait_for(lambda: len(receiver[1]) == 2, 30, "the second webhook call", workers[0])
