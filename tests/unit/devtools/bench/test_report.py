"""streams.devtools.bench.report: the JSON line a run ends with, headline figures first."""

from __future__ import annotations

import orjson

from streams.devtools.bench.report import HEADLINE, BenchConfig, BenchReport


def test_line_puts_headline_figures_first() -> None:
    """The headline figures lead, in order, present or not; every other figure follows as it came."""
    report = BenchReport({"config": {"seed": 0}, "p99_latency_s": 2.0, "enrich_vs_hazm": 1.6, "extra": 1})
    assert list(orjson.loads(report.line())) == [*HEADLINE, "config", "extra"]
    assert orjson.loads(report.line())["e2e_vs_baseline"] is None


def test_default_config() -> None:
    """A default run: 3000 articles, 300 for part a, 50 articles/s for 30 s, one worker."""
    config = BenchConfig()
    assert (config.articles, config.enrich_articles, config.latency_rate, config.latency_seconds, config.workers) == (
        3000, 300, 50.0, 30.0, 1)
