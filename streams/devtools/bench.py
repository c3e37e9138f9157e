"""`khabar bench`: throughput, latency and memory of the pipeline, as ratios that survive a busy machine.

One run measures, on articles generated here (deterministic for a seed):

a. ``enrich_vs_hazm``: enrichment cost per article (:meth:`Pipeline.enrich`) over hazm's
   ``Normalizer().normalize`` alone on the same text, interleaved article by article so that other
   load on the machine hits both sides alike;
b. ``e2e_vs_baseline``: articles/s through real Kafka → a real ``khabar worker`` process → the real
   search engine, over a baseline consumer that bulk-indexes the same raw articles with no enrichment;
c. received → searchable latency (p50/p99) at a fixed offered load (50 articles/s), by polling the
   engine for newly visible documents;
d. the worker's resident memory (``/proc``) over the long run: at start, after warm-up, peak, end.

Each part runs on its own topic prefix, consumer group and index alias, removed at the end.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import yaml

from streams.config import Settings
from streams.enrich.persian import ZWNJ
from streams.resources import data_path

__all__ = [
    "BenchConfig",
    "BenchReport",
    "Corpus",
    "EnrichResult",
    "article_key",
    "bench_enrich",
    "generate_article",
    "generate_articles",
    "load_corpus",
    "run_bench",
]

# ---------------------------------------------------------------------------------------------
# Articles: realistic agency copy, messy the way agency copy is
# ---------------------------------------------------------------------------------------------

AGENCIES = ("ایرنا", "ایسنا", "تسنیم", "فارس", "مهر", "ایلنا", "خبرآنلاین", "همشهری", "شرق", "باشگاه خبرنگاران")
VERBS = ("گفت", "افزود", "تأکید کرد", "اظهار داشت", "اعلام کرد", "خاطرنشان کرد", "نوشت", "تصریح کرد")
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه")
JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                 "بهمن", "اسفند")
GREGORIAN_MONTHS = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
                    "نوامبر", "دسامبر")
MIN_BYTES = 1024
MAX_BYTES = 20 * 1024
_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})
_LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_BASE_TIME = datetime(2025, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Corpus:
    """What generated articles are made of: gazetteer names and sentences of real agency copy."""

    persons: tuple[tuple[str, str], ...]  # (name, role)
    organizations: tuple[str, ...]
    locations: tuple[str, ...]
    sentences: tuple[str, ...]
    clauses: tuple[str, ...]
    nouns: tuple[str, ...]


def _sample_texts() -> Iterator[str]:
    samples = data_path("samples")
    for path in sorted(samples.rglob("*")):
        if path.suffix == ".txt":
            yield path.read_text(encoding="utf-8")
        elif path.suffix == ".jsonl":
            for line in path.read_bytes().splitlines():
                if line.strip():
                    doc = orjson.loads(line)
                    yield from (str(doc.get(k) or "") for k in ("lead", "body"))
        elif path.suffix == ".json":
            doc = orjson.loads(path.read_bytes())
            yield str(doc.get("body_text") or "")


def _sentences(texts: Sequence[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        flat = " ".join(text.split())
        for part in flat.replace("؟", "؟.").split(". "):
            part = part.strip().strip(".").strip()
            # whole sentences only: no quote marks left open, long enough to read as copy
            if 40 <= len(part) <= 400 and part.count("«") == part.count("»") and ":" not in part:
                out.append(part + ("" if part.endswith("؟") else "."))
    return sorted(set(out))


@cache
def load_corpus() -> Corpus:
    """Names from ``streams/data/gazetteer.yaml`` and sentences from the shipped sample articles."""
    entries = yaml.safe_load(data_path("gazetteer.yaml").read_text(encoding="utf-8")) or []
    persons = tuple(sorted((str(e["name"]), str(e.get("role") or "")) for e in entries if e.get("type") == "person"))
    orgs = tuple(sorted(str(e["name"]) for e in entries if e.get("type") == "organization"))
    locations = tuple(sorted(str(e["name"]) for e in entries if e.get("type") == "location"))
    sentences = tuple(_sentences(list(_sample_texts())))
    clauses = tuple(sorted({c.strip(" .") for s in sentences for c in s.split("، ") if len(c) > 25}))
    if not (persons and orgs and locations and sentences):
        raise RuntimeError("the gazetteer or the sample articles are empty: cannot generate articles")
    return Corpus(persons, orgs, locations, sentences, clauses, _common_nouns())


def _common_nouns(limit: int = 6000) -> tuple[str, ...]:
    """hazm's most frequent nouns: a newsroom-sized vocabulary, so word caches see realistic misses."""
    import importlib.util

    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        return ()
    words = Path(next(iter(spec.submodule_search_locations))) / "data" / "words.dat"
    ranked: list[tuple[int, str]] = []
    for line in words.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].split(",")[0] == "N" and len(parts[0]) >= 3 and " " not in parts[0]:
            ranked.append((-int(parts[1]), parts[0]))
    return tuple(w for _, w in sorted(ranked)[:limit])


def _sentence(rng: random.Random, c: Corpus) -> str:
    """A sentence of agency copy: a real one, or real clauses around common nouns and names."""
    if rng.random() < 0.4 or not c.clauses:
        return rng.choice(c.sentences)
    parts = [rng.choice(c.clauses)]
    if c.nouns:
        a, b, d = (rng.choice(c.nouns) for _ in range(3))
        parts.append(rng.choice((f"{a}‌های {b} در {rng.choice(c.locations)}", f"{a} و {b} {d}",
                                 f"می‌گویند {a} {b} را {rng.choice(c.organizations)} بررسی می‌کند")))
    parts.append(rng.choice(c.clauses))
    return "، ".join(parts) + "."


def _digits(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _date_phrase(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"روز {rng.choice(WEEKDAYS)} {_digits(rng.randint(1, 29))} {rng.choice(JALALI_MONTHS)}"
    return f"{_digits(rng.randint(1, 28))} {rng.choice(GREGORIAN_MONTHS)} {_digits(rng.randint(2019, 2025))}"


def _paragraph(rng: random.Random, c: Corpus, agency: str, speaker: tuple[str, str]) -> str:
    """One paragraph: a quote, an attribution, a dated event or plain copy, in agency style."""
    name, role = speaker
    s = _sentence(rng, c)
    kind = rng.random()
    if kind < 0.18:
        lead_in = f"{name}، {role}، " if role else f"{name} "
        text = f"{lead_in}{_date_phrase(rng)} در {rng.choice(c.locations)} {rng.choice(VERBS)}: «{s}»"
    elif kind < 0.30:
        text = f"وی {rng.choice(('افزود', 'ادامه داد', 'تأکید کرد'))}: «{s}»"
    elif kind < 0.40:
        text = f"{name} در گفت‌وگو با {rng.choice(c.organizations)} گفت که {s}"
    elif kind < 0.52:
        text = f"به گزارش {agency} از {rng.choice(c.locations)}، {s}"
    elif kind < 0.62:
        org = rng.choice(c.organizations)
        text = f"{org} {_date_phrase(rng)} در بیانیه‌ای اعلام کرد: «{s}»"
    else:
        text = s
    extra = rng.randint(0, 3)
    return " ".join([text, *(_sentence(rng, c) for _ in range(extra))])


def _strip_zwnj(text: str, mode: str) -> str:
    if mode == "keep":
        return text
    return text.replace(ZWNJ, " " if mode == "space" else "")


def _hard_wrap(text: str, width: int) -> str:
    """Break each paragraph into lines of at most ``width`` characters, the way agency wires do."""
    out: list[str] = []
    for para in text.split("\n\n"):
        line: list[str] = []
        size = 0
        lines: list[str] = []
        for word in para.split(" "):
            if line and size + 1 + len(word) > width:
                lines.append(" ".join(line))
                line, size = [], 0
            line.append(word)
            size += len(word) + (1 if size else 0)
        if line:
            lines.append(" ".join(line))
        out.append("\n".join(lines))
    return "\n\n".join(out)


def generate_article(i: int, seed: int = 0, corpus: Corpus | None = None) -> dict[str, Any]:
    """Article number ``i`` of the set ``seed``: the same dict every time, on every machine.

    1–20 KB (log-uniform: most articles are short), quotes with gazetteer speakers, places,
    organizations and dates; messy like real copy: ZWNJs lost (dropped or spaced), hard wraps,
    Arabic ي/ك, Latin digits, some HTML; flat agency JSON, IPTC ninjs or body-only text.
    """
    c = corpus or load_corpus()
    rng = random.Random(f"khabar-bench:{seed}:{i}")
    agency = rng.choice(AGENCIES)
    target = int(math.exp(rng.uniform(math.log(MIN_BYTES), math.log(MAX_BYTES))))
    speaker = rng.choice(c.persons)
    place = rng.choice(c.locations)
    title = f"{speaker[0]}: {rng.choice(c.sentences)[:90].rstrip('.')}"
    kicker = f"{rng.choice(c.organizations)} در {place}"
    lead = f"{speaker[1] or speaker[0]} {_date_phrase(rng)} در {place} {rng.choice(VERBS)} {_sentence(rng, c)}"
    paragraphs: list[str] = []
    size = len((title + kicker + lead).encode("utf-8"))
    while size < target:
        if rng.random() < 0.2:
            speaker = rng.choice(c.persons)
        para = _paragraph(rng, c, agency, speaker)
        paragraphs.append(para)
        size += len(para.encode("utf-8")) + 2
    body = "\n\n".join(paragraphs)

    zwnj_mode = rng.choices(("drop", "space", "keep"), (0.6, 0.25, 0.15))[0]
    title, kicker, lead, body = (_strip_zwnj(t, zwnj_mode) for t in (title, kicker, lead, body))
    if rng.random() < 0.5:
        body = _hard_wrap(body, rng.randint(55, 85))
    if rng.random() < 0.2:
        title, lead, body = (t.translate(_ARABIC_LETTERS) for t in (title, lead, body))
    if rng.random() < 0.3:
        lead, body = (t.translate(_LATIN_DIGITS) for t in (lead, body))
    if rng.random() < 0.05:
        body = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))

    updated = _BASE_TIME + timedelta(seconds=37 * i + seed)
    stamp = updated.isoformat().replace("+00:00", "Z")
    form = rng.random()
    if form < 0.1:
        return {"uri": f"https://bench.example/{seed}/{i}", "versioncreated": stamp, "language": "fa",
                "headlines": [{"value": title}], "body_text": f"{lead}\n\n{body}", "copyrightholder": agency}
    if form < 0.2:
        return {"id": f"b{seed}-{i}", "agency": agency, "language": "fa",
                "body": f"{kicker}\n\n{title}\n\n{lead}\n\n{body}"}
    return {"id": f"b{seed}-{i}", "agency": agency, "url": f"https://bench.example/{seed}/{i}", "title": title,
            "kicker": kicker, "lead": lead, "body": body, "published_at": stamp, "updated_at": stamp,
            "language": "fa"}


def generate_articles(n: int, seed: int = 0, start: int = 0) -> Iterator[dict[str, Any]]:
    """Articles ``start`` … ``start + n - 1`` of the set ``seed``, lazily (a long run never holds them all)."""
    corpus = load_corpus()
    for i in range(start, start + n):
        yield generate_article(i, seed, corpus)


def article_key(doc: dict[str, Any]) -> str:
    """The stable document id of a raw article (the Kafka key, the index ``_id``)."""
    from streams.intake.decode import stable_id

    return stable_id(doc.get("agency") or doc.get("copyrightholder"),
                     str(doc.get("id") or doc.get("uri") or "") or None, doc.get("url"),
                     str(doc.get("title", "")) + "\n" + str(doc.get("body", "")))


def raw_text(doc: dict[str, Any]) -> str:
    """The article's text as hazm would be given it: every part, one after the other."""
    if "uri" in doc:
        return "\n\n".join([doc["headlines"][0]["value"], doc["body_text"]])
    return "\n\n".join(str(doc.get(k) or "") for k in ("kicker", "title", "lead", "body") if doc.get(k))


# ---------------------------------------------------------------------------------------------
# a. Enrichment vs hazm's normalizer
# ---------------------------------------------------------------------------------------------

Advance = Callable[[int], None]


@dataclass
class EnrichResult:
    articles: int
    kib: float
    enrich_s: float
    hazm_s: float
    decode_s: float
    document_s: float
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.enrich_s / self.hazm_s if self.hazm_s else float("nan")

    def as_dict(self) -> dict[str, Any]:
        per = 1000.0 / max(1, self.articles)
        return {
            "enrich_vs_hazm": round(self.ratio, 3),
            "enrich_articles_per_s": round(self.articles / self.enrich_s, 1) if self.enrich_s else None,
            "hazm_articles_per_s": round(self.articles / self.hazm_s, 1) if self.hazm_s else None,
            "enrich_ms_per_article": round(self.enrich_s * per, 2),
            "hazm_ms_per_article": round(self.hazm_s * per, 2),
            "decode_ms_per_article": round(self.decode_s * per, 2),
            "document_ms_per_article": round(self.document_s * per, 2),
            "enrich_kib_per_article": round(self.kib / max(1, self.articles), 1),
            "stage_share": {k: round(v / self.enrich_s, 3) for k, v in sorted(self.stages.items())}
            if self.enrich_s else {},
        }


def bench_enrich(n: int, seed: int = 0, *, warmup: int = 20, advance: Advance | None = None) -> EnrichResult:
    """Enrich ``n`` generated articles and normalize the same text with hazm, interleaved.

    Both sides are built and warmed first (on other articles of the set), so neither start-up nor
    first-call caches count; within each article the order alternates, so a burst of load from
    elsewhere on the machine falls on both sides equally often.
    """
    from hazm import Normalizer

    from streams.enrich.pipeline import Pipeline, to_document
    from streams.intake.decode import decode_article

    pipeline = Pipeline()
    normalizer = Normalizer()
    for doc in generate_articles(warmup, seed, start=10_000_000):
        pipeline.enrich(decode_article(orjson.dumps(doc), max_bytes=1 << 22))
        normalizer.normalize(raw_text(doc))
    result = EnrichResult(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    clock = time.perf_counter

    def enrich(article: Any) -> float:
        began = clock()
        enriched, timings = pipeline.enrich(article)
        spent = clock() - began
        for stage, seconds in timings.items():
            result.stages[stage] = result.stages.get(stage, 0.0) + seconds
        t = clock()
        orjson.dumps(to_document(enriched))
        result.document_s += clock() - t
        return spent

    def hazm(text: str) -> float:
        began = clock()
        normalizer.normalize(text)
        return clock() - began

    for k, doc in enumerate(generate_articles(n, seed)):
        payload = orjson.dumps(doc)
        text = raw_text(doc)
        t0 = clock()
        article = decode_article(payload, max_bytes=1 << 22)
        result.decode_s += clock() - t0
        if k % 2:
            result.hazm_s += hazm(text)
            result.enrich_s += enrich(article)
        else:
            result.enrich_s += enrich(article)
            result.hazm_s += hazm(text)
        result.articles += 1
        result.kib += len(payload) / 1024
        if advance:
            advance(1)
    return result


# ---------------------------------------------------------------------------------------------
# Processes: a real `khabar worker`, the baseline consumer, resident memory from /proc
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    out: list[int] = []
    with suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with suppress(OSError):
                out.extend(int(c) for c in (task / "children").read_text().split())
    return out


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants (an enrichment pool counts), from /proc."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        with suppress(OSError, ValueError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
            todo.extend(_children(p))
    return total


def bench_env(settings: Settings, prefix: str, alias: str, **extra: str) -> dict[str, str]:
    """Environment of a worker on its own topics, group, alias, port and state directory."""
    data_dir = Path(tempfile.gettempdir()) / f"khabar-{prefix}"
    return {
        "KHABAR_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "KHABAR_SEARCH_URL": settings.search_url,
        "KHABAR_TOPIC_PREFIX": prefix,
        "KHABAR_APP_ID": f"khabar-{prefix}",
        "KHABAR_INDEX_ALIAS": alias,
        "KHABAR_DATA_DIR": str(data_dir),
        **extra,
    }


class WorkerProcess:
    """A `khabar worker` subprocess (the real thing: faust, Kafka, the search engine)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "KHABAR_WEB_PORT": str(self.port)}
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as fh:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams", "worker"], stdout=fh,
                                         stderr=subprocess.STDOUT, env=self.env, start_new_session=True)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss(self) -> int:
        return rss_bytes(self.pid) if self.alive() else 0

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError:
            return 0, b""

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"worker exited with code {self.proc and self.proc.returncode}; log: {self.log}")
            if self.get("/readyz")[0] == 200:
                return
            time.sleep(0.3)
        raise RuntimeError(f"worker not ready after {timeout:.0f}s; log: {self.log}")

    def metric(self, name: str) -> float:
        """Sum of a counter's samples on this worker's /metrics (0 when absent)."""
        status, body = self.get("/metrics")
        total = 0.0
        if status == 200:
            for line in body.decode().splitlines():
                if line.startswith(name) and not line.startswith("#"):
                    head, _, value = line.rpartition(" ")
                    if head.split("{", 1)[0] == name:
                        total += float(value)
        return total

    def stop(self, timeout: float = 60.0) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def baseline_document(raw: dict[str, Any], key: str, received_ms: int | None) -> dict[str, Any]:
    """A raw article as the index takes it, with no enrichment at all: the baseline's whole work."""
    if "uri" in raw:
        title = raw.get("headlines", [{}])[0].get("value", "")
        body, agency, stamp = raw.get("body_text", ""), raw.get("copyrightholder"), raw.get("versioncreated")
    else:
        title, body, agency = raw.get("title", ""), raw.get("body", ""), raw.get("agency")
        stamp = raw.get("updated_at") or raw.get("published_at")
    received = datetime.fromtimestamp((received_ms or 0) / 1000, timezone.utc)
    version = datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else received
    return {"id": key, "agency": agency, "title": title, "kicker": raw.get("kicker", ""),
            "lead": raw.get("lead", ""), "body": body, "language": raw.get("language", "fa"),
            "published_at": stamp, "updated_at": stamp,
            "received_at": received.isoformat().replace("+00:00", "Z"),
            "version": int(version.timestamp() * 1000)}


async def _baseline_loop(settings: Settings, topic: str, group: str) -> None:
    from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]

    from streams.sink.search import open_writer

    writer = await asyncio.to_thread(open_writer, settings)
    await writer.ensure_index()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=settings.kafka_bootstrap, group_id=group,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_partition_fetch_bytes=8 * 1024 * 1024, fetch_max_bytes=64 * 1024 * 1024)
    await consumer.start()
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=int(settings.bulk_within_s * 1000),
                                             max_records=settings.bulk_size)
            docs = {}
            for records in batches.values():
                for r in records:
                    doc = baseline_document(orjson.loads(r.value), (r.key or b"").decode(), r.timestamp)
                    docs[doc["id"]] = doc
            if docs:
                pending = list(docs.values())
                while pending:  # the same contract as the worker: offsets move only once indexed
                    pending = (await writer.bulk(pending)).retry
                await consumer.commit()
    finally:
        await consumer.stop()
        await writer.close()


def _baseline_main(settings: Settings, topic: str, group: str) -> None:
    asyncio.run(_baseline_loop(settings, topic, group))


# ---------------------------------------------------------------------------------------------
# Measuring against the search engine
# ---------------------------------------------------------------------------------------------


class Engine:
    """Synchronous calls to the search engine for the bench (an event loop of its own)."""

    def __init__(self, settings: Settings, alias: str) -> None:
        from dataclasses import replace

        from streams.sink.search import open_writer

        self.loop = asyncio.new_event_loop()
        self.settings = replace(settings, index_alias=alias)
        self.writer = open_writer(self.settings)
        self.alias = alias

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def count(self) -> int:
        from streams.errors import KhabarError

        try:
            return self.run(self.writer.count())
        except KhabarError:
            return 0  # the index may not exist yet

    def search(self, body: dict[str, Any], size: int) -> dict[str, Any]:
        return self.run(self.writer.search(body, size=size))

    def drain_rate(self, started: float) -> tuple[float, int, float, str]:
        """(articles/s, documents, seconds, method) from the documents' own ``indexed_at`` stamps.

        Counted from the first bulk request to the last one, so consumer start-up and group joins do
        not count: the steady rate at which a backlog drains. A backlog that fits in one bulk request
        is timed from ``started`` (epoch seconds: when the consumer was up) instead, start-up included:
        method ``"from-start"`` rather than ``"steady"``, too coarse to compare.
        """
        body = {"aggs": {"first": {"min": {"field": "indexed_at"}}, "last": {"max": {"field": "indexed_at"}}},
                "track_total_hits": True}
        aggs = self.search(body, size=0)["aggregations"]
        first, last = aggs["first"]["value"] / 1000, aggs["last"]["value"] / 1000
        first_iso = datetime.fromtimestamp(first, timezone.utc).isoformat()
        in_first = self.search({"query": {"range": {"indexed_at": {"lte": first_iso}}},
                                "track_total_hits": True}, size=0)["hits"]["total"]["value"]
        total = self.count()
        if last - first > 0.05:
            return (total - in_first) / (last - first), total, last - first, "steady"
        seconds = max(last - started, 1e-3)
        return total / seconds, total, seconds, "from-start"

    def delete(self) -> None:
        client = self.writer.client  # type: ignore[attr-defined]
        with suppress(Exception):  # cleaning up what the bench created; absent is fine
            self.run(client.indices.delete(index=f"{self.alias}-*"))
        with suppress(Exception):
            self.run(client.indices.delete_index_template(name=f"{self.alias}-template"))

    def close(self) -> None:
        with suppress(Exception):
            self.run(self.writer.close())
        self.loop.close()


def delete_run(settings: Settings, prefixes: Sequence[str]) -> None:
    """Remove a run's topics and consumer groups (best effort: a broker that is gone has nothing left)."""
    from kafka import KafkaAdminClient

    from streams.sink.kafka import client_options

    with suppress(Exception):
        admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15000)
        try:
            names = [t for t in admin.list_topics() if any(t.startswith(p + ".") for p in prefixes)]
            if names:
                admin.delete_topics(names)
            with suppress(Exception):
                admin.delete_groups([f"khabar-{p}" for p in prefixes])
        finally:
            admin.close()


def _partitions_in(node: Any) -> Iterator[tuple[str, int]]:
    """(topic, partition) pairs anywhere in a decoded member assignment."""
    if isinstance(node, dict):
        topic = node.get("topic")
        parts = node.get("partitions")
        if isinstance(topic, str) and isinstance(parts, list):
            yield from ((topic, int(p)) for p in parts)
            return
        for value in node.values():
            yield from _partitions_in(value)
    elif isinstance(node, (list, tuple)):
        if len(node) == 2 and isinstance(node[0], str) and isinstance(node[1], list):
            yield from ((node[0], int(p)) for p in node[1])
            return
        for value in node:
            yield from _partitions_in(value)
    elif hasattr(node, "to_dict"):
        yield from _partitions_in(node.to_dict())
    elif hasattr(node, "assignment"):
        yield from _partitions_in(node.assignment)


def group_assignment(settings: Settings, group: str, topic: str) -> dict[str, set[int]]:
    """Partitions of ``topic`` each member of consumer group ``group`` holds, from the broker."""
    from kafka import KafkaAdminClient

    from streams.sink.kafka import client_options

    admin = KafkaAdminClient(**client_options(settings), request_timeout_ms=15000)
    try:
        described = admin.describe_groups([group])
    finally:
        admin.close()
    info = described.get(group) or {}
    out: dict[str, set[int]] = {}
    for member in info.get("members", []):
        parts = {p for t, p in _partitions_in(member.get("member_assignment")) if t == topic}
        out[str(member.get("client_id") or "")+"/"+str(member.get("member_id"))] = parts
    return out


def produce_articles(settings: Settings, targets: Sequence[str], docs: Iterator[dict[str, Any]],
             advance: Advance | None = None) -> list[str]:
    """Send every article to every target topic (acks=all); the document ids, in order."""
    from streams.sink.kafka import producer

    prod = producer(settings)
    ids: list[str] = []
    try:
        for doc in docs:
            key = article_key(doc)
            value = orjson.dumps(doc)
            for topic in targets:
                prod.send(topic, key=key.encode(), value=value)
            ids.append(key)
            if advance:
                advance(1)
        prod.flush(timeout=120)
    finally:
        prod.close()
    return ids


def ensure_topics_for(settings: Settings, prefix: str) -> None:
    from dataclasses import replace

    from streams.sink.kafka import ensure_topics

    ensure_topics(replace(settings, topic_prefix=prefix))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchConfig:
    """What one run measures, and on how much."""

    articles: int = 3000  # the long run: throughput and memory (the figure is 100,000)
    enrich_articles: int = 300
    latency_rate: float = 50.0
    latency_seconds: float = 30.0
    warmup_articles: int = 300
    seed: int = 0
    workers: int = 1
    keep: bool = False
    timeout_s: float = 3600.0


@dataclass
class BenchReport:
    figures: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        keys = ("enrich_vs_hazm", "e2e_vs_baseline", "p50_latency_s", "p99_latency_s", "rss_growth_pct")
        head = {k: self.figures.get(k) for k in keys}
        return orjson.dumps({**head, **{k: v for k, v in self.figures.items() if k not in head}}).decode()


class _Bars:
    """rich progress bars on stderr, one per phase."""

    def __init__(self, quiet: bool = False) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn("[bold]{task.description:<26}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                                 console=Console(stderr=True), disable=quiet)

    def __enter__(self) -> _Bars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def task(self, description: str, total: float | None) -> tuple[Callable[[int], None], Callable[..., None]]:
        tid = self.progress.add_task(description, total=total, note="")

        def advance(n: int = 1) -> None:
            self.progress.advance(tid, n)

        def update(**kw: Any) -> None:
            self.progress.update(tid, **kw)

        return advance, update


def _wait_count(engine: Engine, target: int, timeout: float, update: Callable[..., None],
                while_alive: Sequence[Callable[[], bool]] = (), tick: Callable[[int], None] | None = None) -> int:
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = engine.count()
        update(completed=count)
        if tick:
            tick(count)
        if count >= target:
            return count
        if not all(alive() for alive in while_alive):
            raise RuntimeError("a consumer process exited during the run")
        time.sleep(0.5)
    raise RuntimeError(f"only {count} of {target} documents searchable after {timeout:.0f}s")


def measure_latency(settings: Settings, topic: str, engine: Engine, rate: float, seconds: float, seed: int,
                    start: int, advance: Advance | None = None) -> dict[str, Any]:
    """Offer ``rate`` articles/s for ``seconds``; poll the engine for each to become searchable.

    Received is the Kafka timestamp the producer stamps (the worker copies it into ``received_at``);
    searchable is when a search first returns the document. ``indexed_at − received_at`` is
    reported too: the difference is the engine's refresh.
    """
    from streams.sink.kafka import producer

    total = max(1, int(rate * seconds))
    docs = [(orjson.dumps(d), article_key(d)) for d in generate_articles(total, seed, start=start)]
    ids = {k for _, k in docs}
    seen: dict[str, float] = {}
    indexed: dict[str, float] = {}
    sent: dict[str, float] = {}
    produced = threading.Event()

    def offer() -> None:
        prod = producer(settings)
        try:
            began = time.monotonic()
            for n, (value, key) in enumerate(docs):
                delay = began + n / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                sent[key] = time.time()
                prod.send(topic, key=key.encode(), value=value)
            prod.flush(timeout=60)
        finally:
            prod.close()
            produced.set()

    thread = threading.Thread(target=offer, name="bench-offer", daemon=True)
    began = time.time()
    thread.start()
    deadline = time.monotonic() + seconds + 120
    while len(seen) < total and time.monotonic() < deadline:
        # ask only for what was sent since the oldest article not yet seen: a light query, so the
        # measuring does not load the engine it measures
        pending = [sent[k] for k in list(sent) if k not in seen]
        oldest = min(pending) if pending else (max(sent.values()) if sent else began)
        since = datetime.fromtimestamp(oldest - 1.0, timezone.utc).isoformat()
        body = {"query": {"range": {"received_at": {"gte": since}}}, "_source": ["received_at", "indexed_at"],
                "sort": [{"received_at": "asc"}]}
        hits = engine.search(body, size=5000)["hits"]["hits"]
        now = time.time()
        fresh = 0
        for hit in hits:
            if hit["_id"] in ids and hit["_id"] not in seen:
                src = hit["_source"]
                received = datetime.fromisoformat(src["received_at"].replace("Z", "+00:00")).timestamp()
                seen[hit["_id"]] = now - received
                if src.get("indexed_at"):
                    indexed[hit["_id"]] = datetime.fromisoformat(
                        src["indexed_at"].replace("Z", "+00:00")).timestamp() - received
                fresh += 1
        if advance and fresh:
            advance(fresh)
        time.sleep(0.1)
    thread.join(timeout=5)
    lat = list(seen.values())
    idx = list(indexed.values())
    return {"latency_articles": total, "latency_seen": len(seen), "latency_rate": rate,
            "p50_latency_s": round(percentile(lat, 50), 3), "p99_latency_s": round(percentile(lat, 99), 3),
            "max_latency_s": round(max(lat), 3) if lat else None,
            "p50_indexed_s": round(percentile(idx, 50), 3), "p99_indexed_s": round(percentile(idx, 99), 3)}


def run_bench(settings: Settings, config: BenchConfig, *, quiet: bool = False,
              log_dir: Path | None = None, only_enrich: bool = False) -> BenchReport:
    """Run every part of the benchmark and return its figures (see the module docstring)."""
    report = BenchReport()
    f = report.figures
    f["config"] = {"articles": config.articles, "enrich_articles": config.enrich_articles, "seed": config.seed,
                   "workers": config.workers, "latency_rate": config.latency_rate,
                   "latency_seconds": config.latency_seconds, "bulk_size": settings.bulk_size,
                   "bulk_within_s": settings.bulk_within_s, "cpus": os.cpu_count()}
    with _Bars(quiet) as bars:
        advance, _ = bars.task("a. enrich vs hazm", config.enrich_articles)
        enrich = bench_enrich(config.enrich_articles, config.seed, advance=advance)
        f.update(enrich.as_dict())
        if only_enrich:
            return report
        _end_to_end(settings, config, bars, f, log_dir)
    return report


def _end_to_end(settings: Settings, config: BenchConfig, bars: _Bars, f: dict[str, Any],
                log_dir: Path | None) -> None:
    from dataclasses import replace

    run = uuid.uuid4().hex[:6]
    prefix, base_prefix = f"bench{run}", f"bench{run}-base"
    alias, base_alias = f"bench{run}-articles", f"bench{run}-baseline"
    logs = log_dir or Path(tempfile.mkdtemp(prefix="khabar-bench-"))
    engine = Engine(settings, alias)
    base_engine = Engine(settings, base_alias)
    workers: list[WorkerProcess] = []
    baseline: multiprocessing.process.BaseProcess | None = None
    n = config.articles
    try:
        for p in (prefix, base_prefix):
            ensure_topics_for(settings, p)
        wsettings = replace(settings, topic_prefix=prefix)
        advance, _ = bars.task("generate + produce", n)
        produce_articles(settings, [wsettings.raw_topic, f"{base_prefix}.raw"], generate_articles(n, config.seed),
                 advance)

        # b. the baseline: the same backlog, bulk-indexed raw
        _, update = bars.task("b. baseline (no enrich)", n)
        ctx = multiprocessing.get_context("spawn")
        baseline = ctx.Process(target=_baseline_main, daemon=True,
                               args=(replace(settings, index_alias=base_alias), f"{base_prefix}.raw",
                                     f"khabar-{base_prefix}"))
        baseline.start()
        base_started = time.time()
        _wait_count(base_engine, n, config.timeout_s, update, [baseline.is_alive])
        base_rate, _, base_seconds, base_method = base_engine.drain_rate(base_started)
        baseline.terminate()
        baseline.join(10)

        # b + d. the worker drains the same backlog; memory sampled all along
        env = bench_env(settings, prefix, alias)
        workers = [WorkerProcess(env, logs / f"worker{k}.log") for k in range(config.workers)]
        samples: list[int] = []
        curve: list[tuple[int, int]] = []  # (documents indexed, resident bytes) through the long run

        def sample(count: int = -1) -> None:
            samples.append(sum(w.rss() for w in workers))
            if count >= 0:
                curve.append((count, samples[-1]))

        for w in workers:
            w.start()
        time.sleep(1.0)
        rss_start = sum(w.rss() for w in workers)
        for w in workers:
            w.wait_ready()
        started = time.time()
        warm = min(config.warmup_articles, max(1, n // 10))
        _, update = bars.task("b+d. worker (enrich)", n)
        alive = [w.alive for w in workers]
        _wait_count(engine, warm, config.timeout_s, update, alive, sample)
        rss_warm = sum(w.rss() for w in workers)
        _wait_count(engine, n, config.timeout_s, update, alive, sample)
        rate, _, seconds, method = engine.drain_rate(started)
        rss_long = sum(w.rss() for w in workers)

        # c. latency at a fixed offered load
        advance, _ = bars.task(f"c. latency @ {config.latency_rate:g}/s", int(config.latency_rate *
                                                                            config.latency_seconds))
        sampler_stop = threading.Event()

        def sampler() -> None:
            while not sampler_stop.wait(1.0):
                sample()

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        latency = measure_latency(settings, wsettings.raw_topic, engine, config.latency_rate,
                                  config.latency_seconds, config.seed, start=n, advance=advance)
        sampler_stop.set()
        thread.join(5)
        rss_end = sum(w.rss() for w in workers)
        samples.append(rss_end)
        mib = 1024 * 1024
        f.update({
            "e2e_vs_baseline": round(rate / base_rate, 3) if base_rate else None,
            "e2e_articles_per_s": round(rate, 1), "baseline_articles_per_s": round(base_rate, 1),
            "e2e_seconds": round(seconds, 1), "baseline_seconds": round(base_seconds, 1),
            "rate_method": method if method == base_method else f"{method}/{base_method}",
            **latency,
            "rss_growth_pct": round(100 * (rss_end - rss_warm) / rss_warm, 1) if rss_warm else None,
            "rss_start_mib": round(rss_start / mib, 1), "rss_warmup_mib": round(rss_warm / mib, 1),
            "rss_peak_mib": round(max(samples, default=rss_end) / mib, 1),
            "rss_after_long_run_mib": round(rss_long / mib, 1), "rss_end_mib": round(rss_end / mib, 1),
            "memory_articles": n + int(config.latency_rate * config.latency_seconds),
            "rss_curve_mib": [[c, round(b / mib, 1)] for c, b in curve[:: max(1, len(curve) // 12)]],
        })
    finally:
        for w in workers:
            w.stop()
        if baseline is not None and baseline.is_alive():
            baseline.kill()
        if not config.keep:
            engine.delete()
            base_engine.delete()
            delete_run(settings, [prefix, base_prefix])
            shutil.rmtree(Path(bench_env(settings, prefix, alias)["KHABAR_DATA_DIR"]), ignore_errors=True)
            if log_dir is None and "e2e_articles_per_s" in f:  # a failed run keeps its worker logs
                shutil.rmtree(logs, ignore_errors=True)
        engine.close()
        base_engine.close()
