"""`khabar bench`: throughput, latency and memory of the pipeline, as ratios that survive a busy machine.

One run measures, on articles generated here (deterministic for a seed):

a. ``enrich_vs_hazm``: enrichment cost per article (:meth:`Pipeline.enrich`) over hazm's
   ``Normalizer().normalize`` alone on the same text, interleaved article by article so that other
   load on the machine hits both sides alike;
b. ``e2e_vs_baseline``: articles/s through real Kafka → a real ``khabar worker`` process → the real
   search engine, over a baseline consumer that bulk-indexes the same raw articles with no enrichment;
c. received → searchable latency (p50/p99) at a fixed offered load (50 articles/s), by polling the
   engine for newly visible documents;
d. the worker's resident memory (``/proc``) over the long run: at start, after warm-up, peak, end;
g. ``growth``: enrichment time per byte of one hostile article (long prose, open marks, thousands of
   quotes, names, places, colons or credits) at about 1 MB and 2 MB over that at 128 KB: about 1
   where work is linear in the article's length (``growth_worst_ratio``: the worst shape).

Each part runs on its own topic prefix, consumer group and index alias, removed at the end.

Modules: ``corpus`` and ``articles`` (the generated articles), ``enrich`` (a), ``growth`` (g), ``baseline``,
``processes``, ``engine``, ``broker`` and ``endtoend`` (b, d), ``latency`` (c), ``report`` and
``run`` (the run and its figures), ``progress`` (the bars).
"""

from __future__ import annotations

from streams.devtools.bench.articles import (
    MAX_BYTES,
    MIN_BYTES,
    article_key,
    generate_article,
    generate_articles,
    raw_text,
)
from streams.devtools.bench.baseline import baseline_document
from streams.devtools.bench.broker import delete_run, ensure_topics_for, group_assignment, produce_articles
from streams.devtools.bench.corpus import Corpus, load_corpus
from streams.devtools.bench.engine import Engine
from streams.devtools.bench.enrich import EnrichResult, bench_enrich
from streams.devtools.bench.growth import GrowthResult, bench_growth, shape_text
from streams.devtools.bench.latency import measure_latency, percentile
from streams.devtools.bench.processes import WorkerProcess, bench_env, free_port, rss_bytes
from streams.devtools.bench.report import BenchConfig, BenchReport
from streams.devtools.bench.run import run_bench

__all__ = [
    "MAX_BYTES",
    "MIN_BYTES",
    "BenchConfig",
    "BenchReport",
    "Corpus",
    "Engine",
    "EnrichResult",
    "GrowthResult",
    "WorkerProcess",
    "article_key",
    "baseline_document",
    "bench_enrich",
    "bench_env",
    "bench_growth",
    "delete_run",
    "ensure_topics_for",
    "free_port",
    "generate_article",
    "generate_articles",
    "group_assignment",
    "load_corpus",
    "measure_latency",
    "percentile",
    "produce_articles",
    "raw_text",
    "rss_bytes",
    "run_bench",
    "shape_text",
]
