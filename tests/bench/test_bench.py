"""`khabar bench` in a small configuration: it completes and prints its ratios (no timing assertions)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import orjson
import pytest

from streams.devtools.bench import MAX_BYTES, MIN_BYTES, generate_article, generate_articles, raw_text
from streams.devtools.stack import Stack, default_config

pytestmark = pytest.mark.bench
ZWNJ = "\u200c"
HEADLINE = ("enrich_vs_hazm", "e2e_vs_baseline", "p50_latency_s", "p99_latency_s", "rss_growth_pct")


def _bench(*args: str, timeout: float = 600) -> dict[str, Any]:
    cfg = default_config()
    env = {**os.environ, "KHABAR_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap, "KHABAR_SEARCH_URL": cfg.search_url}
    proc = subprocess.run([sys.executable, "-m", "streams", "bench", *args, "--json"], env=env,
                          capture_output=True, timeout=timeout, check=False)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    line = proc.stdout.decode().strip().splitlines()[-1]
    figures = orjson.loads(line)
    print(f"\nkhabar bench {' '.join(args)}: " + line)
    return figures


def test_articles_are_deterministic_for_a_seed() -> None:
    """The same seed and number give the same article; another seed gives another."""
    assert generate_article(7, seed=3) == generate_article(7, seed=3)
    assert generate_article(7, seed=3) != generate_article(7, seed=4)


def test_articles_are_realistic_and_messy() -> None:
    """1–20 KB, quoted speech, and agency mess: lost ZWNJs and hard-wrapped lines, in every form."""
    docs = list(generate_articles(60, seed=1))
    sizes = [len(orjson.dumps(d)) for d in docs]
    assert min(sizes) >= MIN_BYTES * 0.9 and max(sizes) <= MAX_BYTES * 1.3
    texts = [raw_text(d) for d in docs]
    assert sum("«" in t for t in texts) > 40
    assert sum(ZWNJ not in t for t in texts) > 30
    assert sum(any(0 < len(line) < 90 for line in t.split("\n")[2:-1]) for t in texts) > 15
    assert {"uri" in d for d in docs} == {True, False}
    assert any("title" not in d and "uri" not in d for d in docs)


def test_bench_enrich_prints_its_ratio() -> None:
    """`khabar bench enrich` needs no server and ends with the enrich_vs_hazm ratio."""
    figures = _bench("enrich", "--articles", "30")
    assert figures["enrich_vs_hazm"] > 0
    assert set(figures["stage_share"]) >= {"normalize_text", "extract_entities"}


def test_bench_small_run_prints_every_figure(stack: Stack) -> None:
    """A small full run on the real stack ends with one JSON line holding every headline figure."""
    figures = _bench("--articles", "1200", "--enrich-articles", "20", "--latency-seconds", "6")
    for key in HEADLINE:
        assert isinstance(figures[key], (int, float)), key
    assert figures["latency_seen"] == figures["latency_articles"]
    assert figures["e2e_articles_per_s"] > 0 and figures["baseline_articles_per_s"] > 0
    assert figures["rss_peak_mib"] >= figures["rss_warmup_mib"] > 0
    assert figures["rate_method"] in ("steady", "from-start", "steady/from-start", "from-start/steady")
