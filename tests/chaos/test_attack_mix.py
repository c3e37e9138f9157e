"""The attacks of tests/attacks.py mixed into 10,000 normal articles, on the real stack.

One worker, a tracked figure, Kafka's default 1 MB limit on the alert path's topics, a webhook
receiver that redirects and answers with endless bodies, an enrichment budget between what the
1.9 MB articles and the rest cost here. Normal articles are offered at a steady rate in three
stretches: before (normal only), under attack (the hostile corpus three times over, spread through
the stretch), after (normal only). Each stretch carries a story naming the figure, whose alert must come.

Healthy means: every /healthz and /metrics request throughout answered within 2 s, /metrics stays
small, each stretch's story alerted, every normal article indexed, every hostile one dead-lettered
with its reason. The figures: per stretch, the latency of its normal articles (received →
indexed, p50/p99) and the slowest /healthz; counts of what was indexed, dead-lettered and alerted.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from opensearchpy import helpers

from streams.alerts.store import put_figure
from streams.alerts.watchlist import resolve_figure
from streams.devtools.bench.latency import percentile
from streams.enrich.gazetteer import load_gazetteer
from tests.attacks import (
    FIGURE,
    MARKERS,
    Receiver,
    attack_articles,
    endless_or_redirect,
    enrich_budget,
    flat,
    limit_alert_topics,
)
from tests.chaos.articles import Generated, generate
from tests.chaos.harness import REPORTED, Scenario, env_int

pytestmark = pytest.mark.chaos

STRETCHES = ("before", "attack", "after")


def _get(port: str, path: str) -> tuple[float, int | None, int]:
    """(seconds to answer, status or None, body size)."""
    began = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as resp:
            return time.monotonic() - began, int(resp.status), len(resp.read())
    except urllib.error.HTTPError as exc:
        return time.monotonic() - began, int(exc.code), 0
    except OSError:
        return time.monotonic() - began, None, 0


class Probe(threading.Thread):
    """Polls /healthz every 0.5 s and /metrics every 2 s, noting the stretch each answer fell in."""

    def __init__(self, port: str) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.stretch = "before"
        self.answers: list[tuple[str, str, float, int | None, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.done.is_set():
            for path in ("/healthz", "/metrics") if n % 4 == 0 else ("/healthz",):
                self.answers.append((self.stretch, path, *_get(self.port, path)))
            n += 1
            self.done.wait(0.5)

    def worst(self, stretch: str, path: str) -> tuple[float, int]:
        """(slowest answer in seconds, failed or non-200 answers)."""
        rows = [a for a in self.answers if a[0] == stretch and a[1] == path]
        return max((a[2] for a in rows), default=0.0), sum(1 for a in rows if a[3] != 200)


def _alerted(sc: Scenario) -> set[str]:
    return {orjson.loads(r.value)["article_id"] for r in sc.topic_records(sc.settings.alerts_topic)}


def test_attacks_mixed_into_normal_traffic_leave_the_worker_healthy(scenario: Callable[..., Scenario]) -> None:
    """The alert path, the worker loop and /metrics stay healthy under the attacks mixed into normal
    articles; the latency of normal articles before, under and after the attacks is reported."""
    total = env_int("KHABAR_CHAOS_ATTACK_NORMAL", 10_000)
    rate = float(env_int("KHABAR_CHAOS_ATTACK_RATE", 20))
    elsewhere = Receiver(lambda n, h: (h.send_response(200), h.end_headers()))
    hook = Receiver(endless_or_redirect(elsewhere.url, every=2))
    stories = [flat(f"story-{stretch}", MARKERS[n]) for n, stretch in enumerate(STRETCHES)]
    budget = enrich_budget([*stories, *attack_articles()])  # the 1.9 MB articles overrun it, the rest do not
    sc = scenario("attackmix", KHABAR_ENRICH_TIMEOUT_S=budget, KHABAR_ALERT_GROUP_WAIT_S="1",
                  KHABAR_ALERT_WEBHOOK_URL=hook.url, KHABAR_ALERT_WEBHOOK_MAX_ATTEMPTS="1",
                  KHABAR_ALERT_WEBHOOK_TIMEOUT_S="5")
    settings = sc.settings
    limit_alert_topics(sc.bootstrap, settings)
    put_figure(settings, resolve_figure(load_gazetteer(), FIGURE))

    normal = list(generate(total, sc.prefix))
    hostile_docs = [doc for copy in range(3) for doc in attack_articles(f"-{copy}")]
    # what must be indexed besides the normal articles: the stories and the hostile articles that are
    # valid (markup and escapes in them, many agencies, a huge title); the rest must be dead-lettered
    valid_extras = [_generated(doc) for doc in [*stories, *hostile_docs] if _valid(doc)]
    sizes = {"before": total * 3 // 10, "attack": total * 4 // 10}
    sizes["after"] = total - sizes["before"] - sizes["attack"]
    parts: dict[str, list[tuple[bytes | None, bytes]]] = {}
    owner: dict[str, str] = {}
    start = 0
    for n, stretch in enumerate(STRETCHES):
        chunk = normal[start:start + sizes[stretch]]
        start += sizes[stretch]
        owner.update({g.doc_id: stretch for g in chunk})
        messages: list[tuple[bytes | None, bytes]] = [(g.key, g.value) for g in chunk]
        messages.insert(len(messages) // 2, (None, orjson.dumps(stories[n])))
        if stretch == "attack":
            hostile = [(None, orjson.dumps(doc)) for doc in hostile_docs]
            step = max(1, len(messages) // (len(hostile) + 1))
            for i, item in enumerate(hostile):
                messages.insert(min(len(messages), (i + 1) * step + i), item)
        parts[stretch] = messages

    worker = sc.worker()
    worker.start()
    port = worker.env["KHABAR_WEB_PORT"]
    deadline = time.monotonic() + 240
    while _get(port, "/readyz")[1] != 200:
        assert worker.alive() and time.monotonic() < deadline, f"worker not ready\n{sc.logs()}"
        time.sleep(1)
    probe = Probe(port)
    probe.start()
    try:
        for stretch in STRETCHES:
            probe.stretch = stretch
            sc.feed(parts[stretch], rate=rate).wait(3 * len(parts[stretch]) / rate + 600)
        probe.stretch = "drain"
        wanted = {f"irna-story-{s}" for s in STRETCHES}
        deadline = time.monotonic() + 900
        while (sc.count() < total + len(valid_extras) or not wanted <= _alerted(sc)) and time.monotonic() < deadline:
            assert worker.alive(), sc.logs()
            time.sleep(2)
        behind = sc.wait_committed(300)
    finally:
        probe.done.set()
        probe.join(40)
        hook.close()
        elsewhere.close()

    latency: dict[str, list[float]] = {s: [] for s in STRETCHES}
    for hit in helpers.scan(sc.search, index=sc.alias, query={"query": {"match_all": {}}},
                            _source=["received_at", "indexed_at"], size=2000):
        stretch = owner.get(hit["_id"])
        src = hit["_source"]
        if stretch and src.get("indexed_at") and src.get("received_at"):
            latency[stretch].append(_seconds(src["indexed_at"]) - _seconds(src["received_at"]))
    letters = sc.dead_letters()
    classes = Counter(f"{d['error_class']}/{d['stage']}" for d in letters.values())
    alerts = _alerted(sc)
    metrics_size = max((a[4] for a in probe.answers if a[1] == "/metrics" and a[3] == 200), default=0)
    notes: dict[str, Any] = {}
    for s in STRETCHES:
        notes[f"{s}_p50_s"] = round(percentile(latency[s], 50), 2)
        notes[f"{s}_p99_s"] = round(percentile(latency[s], 99), 2)
        notes[f"{s}_healthz_max_s"] = round(probe.worst(s, "/healthz")[0], 3)
        notes[f"{s}_metrics_max_s"] = round(probe.worst(s, "/metrics")[0], 3)
    notes.update(hostile=len(hostile_docs), hostile_indexed=len(valid_extras) - len(stories), alerts=len(alerts),
                 webhook_calls=len(hook.requests), redirected_to=len(elsewhere.requests),
                 metrics_bytes=metrics_size, healthz_polls=sum(1 for a in probe.answers if a[1] == "/healthz"),
                 by_class=dict(classes.most_common(8)))
    figures = sc.verdict([*normal, *valid_extras], dead_lettered=len(letters), **notes)
    line = figures.line()
    REPORTED.append("[chaos attackmix] worker latency (received → indexed) p50/p99 s: " + ", ".join(
        f"{s} {notes[f'{s}_p50_s']}/{notes[f'{s}_p99_s']}" for s in STRETCHES))

    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, line
    assert not behind, f"{line}\nuncommitted: {behind}"
    for s in STRETCHES:
        for path in ("/healthz", "/metrics"):
            slowest, failed = probe.worst(s, path)
            assert failed == 0 and slowest < 2.0, f"{line}\n{path} in {s}: slowest {slowest:.2f}s, {failed} failed"
    assert {f"irna-story-{s}" for s in STRETCHES} <= alerts, line
    assert elsewhere.requests == [], line
    assert metrics_size < 100_000, line
    assert classes["EnrichTimeout/enrich"] == 6 and classes["InvalidArticle/validate"] >= 6, line
    assert _get(port, "/readyz")[1] == 200, line


def _valid(doc: dict[str, Any]) -> bool:
    """Whether the worker must index this raw document (it decodes, and its id fits the index)."""
    from streams.errors import InvalidArticle
    from streams.intake.decode import decode_article, raw_key

    try:
        decode_article(orjson.dumps(doc), max_bytes=2 * 1024 * 1024)
    except InvalidArticle:
        return False
    return len(raw_key(doc)) <= 512 and len(orjson.dumps(doc)) < 1_500_000  # the 1.9 MB ones time out


def _generated(doc: dict[str, Any]) -> Generated:
    from streams.intake.decode import raw_key

    key = raw_key(doc)
    return Generated(key, key.encode(), orjson.dumps(doc), int(_seconds(str(doc["published_at"])) * 1000))


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
