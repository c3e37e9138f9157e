"""streams.devtools.bench.run: part a alone, or every part, with the run's configuration in the figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from streams.config import load_settings
from streams.devtools.bench import run as run_module
from streams.devtools.bench.enrich import EnrichResult
from streams.devtools.bench.growth import GrowthResult
from streams.devtools.bench.report import BenchConfig


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def bench_enrich(n: int, seed: int = 0, **_: Any) -> EnrichResult:
        seen.append(f"enrich {n} {seed}")
        return EnrichResult(n, 1.0, 2.0, 1.0, 0.0, 0.0)

    def end_to_end(settings: Any, config: BenchConfig, bars: Any, f: dict[str, Any], log_dir: Path | None) -> None:
        seen.append(f"end-to-end {config.articles}")
        f["e2e_vs_baseline"] = 0.5

    def bench_growth(**_: Any) -> GrowthResult:
        seen.append("growth")
        return GrowthResult((1, 2), {"prose": [1.0, 2.0]}, {"prose": [1, 2]})

    monkeypatch.setattr(run_module, "bench_enrich", bench_enrich)
    monkeypatch.setattr(run_module, "bench_growth", bench_growth)
    monkeypatch.setattr(run_module, "end_to_end", end_to_end)
    return seen


@pytest.mark.parametrize(("only_enrich", "growth", "parts"), [
    (True, False, ["enrich 7 2"]),
    (True, True, ["enrich 7 2", "growth"]),
    (False, True, ["enrich 7 2", "growth", "end-to-end 40"]),
])
def test_run_bench_parts(calls: list[str], only_enrich: bool, growth: bool, parts: list[str]) -> None:
    """`bench enrich` runs part a (and g) only; a full run goes on to the end-to-end parts."""
    settings = load_settings({})
    config = BenchConfig(articles=40, enrich_articles=7, seed=2, growth=growth)
    report = run_module.run_bench(settings, config, quiet=True, only_enrich=only_enrich)
    assert calls == parts
    assert report.figures["enrich_vs_hazm"] == 2.0
    assert report.figures["config"]["articles"] == 40 and report.figures["config"]["seed"] == 2
    assert ("e2e_vs_baseline" in report.figures) is not only_enrich
    assert report.figures.get("growth_worst_ratio") == (1.0 if growth else None)
