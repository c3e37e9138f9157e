"""One `khabar bench` run: part a (and g) on its own, or every part, with progress bars on stderr."""

from __future__ import annotations

import os
from pathlib import Path

from streams.config import Settings
from streams.devtools.bench.endtoend import end_to_end
from streams.devtools.bench.enrich import bench_enrich
from streams.devtools.bench.growth import GROWTH_SIZES, SHAPES, bench_growth
from streams.devtools.bench.progress import Bars
from streams.devtools.bench.report import BenchConfig, BenchReport

__all__ = ["run_bench"]


def run_bench(settings: Settings, config: BenchConfig, *, quiet: bool = False,
              log_dir: Path | None = None, only_enrich: bool = False) -> BenchReport:
    """Run every part of the benchmark and return its figures (see the package docstring)."""
    report = BenchReport()
    f = report.figures
    f["config"] = {"articles": config.articles, "enrich_articles": config.enrich_articles, "seed": config.seed,
                   "workers": config.workers, "latency_rate": config.latency_rate,
                   "latency_seconds": config.latency_seconds, "bulk_size": settings.bulk_size,
                   "bulk_within_s": settings.bulk_within_s, "growth": config.growth, "cpus": os.cpu_count()}
    with Bars(quiet) as bars:
        advance, _ = bars.task("a. enrich vs hazm", config.enrich_articles)
        enrich = bench_enrich(config.enrich_articles, config.seed, advance=advance)
        f.update(enrich.as_dict())
        if config.growth:
            advance, update = bars.task("g. growth per byte", len(SHAPES) * len(GROWTH_SIZES))
            f.update(bench_growth(advance=advance, note=lambda shape: update(note=shape)).as_dict())
        if only_enrich:
            return report
        end_to_end(settings, config, bars, f, log_dir)
    return report
