"""a. Enrichment vs hazm's normalizer: the cost of enriching an article over normalizing its text alone."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.devtools.bench.articles import generate_articles, raw_text
from streams.devtools.bench.progress import Advance

#: when the bench articles count as received (dates without a year take it)
RECEIVED = datetime(2025, 1, 1, tzinfo=timezone.utc)

__all__ = ["EnrichResult", "bench_enrich"]


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

    from streams.enrich.document import encode_document, to_document
    from streams.enrich.pipeline import Pipeline
    from streams.intake.decode import decode_article

    pipeline = Pipeline(timer=time.perf_counter)
    normalizer = Normalizer()
    for doc in generate_articles(warmup, seed, start=10_000_000):
        pipeline.enrich(decode_article(orjson.dumps(doc), max_bytes=1 << 22), received_at=RECEIVED)
        normalizer.normalize(raw_text(doc))
    result = EnrichResult(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    clock = time.perf_counter

    def enrich(article: Any) -> float:
        began = clock()
        enriched, timings = pipeline.enrich(article, received_at=RECEIVED)
        spent = clock() - began
        for stage, seconds in timings.items():
            result.stages[stage] = result.stages.get(stage, 0.0) + seconds
        t = clock()
        encode_document(to_document(enriched, received_at=RECEIVED))
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
