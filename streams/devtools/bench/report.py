"""What one bench run is asked to measure, and the figures it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

__all__ = ["HEADLINE", "BenchConfig", "BenchReport"]

# the figures a reader looks for first: they lead the JSON line
HEADLINE = ("enrich_vs_hazm", "growth_worst_ratio", "e2e_vs_baseline", "p50_latency_s", "p99_latency_s",
            "rss_growth_pct")


@dataclass(frozen=True)
class BenchConfig:
    """What one run measures, and on how much."""

    articles: int = 3000  # the long run: throughput and memory (a full-scale run uses 100,000)
    enrich_articles: int = 300
    latency_rate: float = 50.0
    latency_seconds: float = 30.0
    warmup_articles: int = 300
    seed: int = 0
    growth: bool = True  # enrichment time per byte of hostile articles at 128 KB, 1 MB and 2 MB
    workers: int = 1
    keep: bool = False
    timeout_s: float = 3600.0


@dataclass
class BenchReport:
    figures: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        head = {k: self.figures.get(k) for k in HEADLINE}
        return orjson.dumps({**head, **{k: v for k, v in self.figures.items() if k not in head}}).decode()
