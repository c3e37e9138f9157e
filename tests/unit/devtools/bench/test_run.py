"""streams.devtools.bench.run: part a alone, or every part, with the run's configuration in the figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from streams.config import load_settings
from streams.devtools.bench import run as run_module
from streams.devtools.bench.enrich import EnrichResult
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

    monkeypatch.setattr(run_module, "bench_enrich", bench_enrich)
    monkeypatch.setattr(run_module, "end_to_end", end_to_end)
    return seen


@pytest.mark.parametrize(("only_enrich", "parts"), [(True, ["enrich 7 2"]), (False, ["enrich 7 2", "end-to-end 40"])])
def test_run_bench_parts(calls: list[str], only_enrich: bool, parts: list[str]) -> None:
    """`bench enrich` runs part a only; a full run goes on to the end-to-end parts."""
    settings = load_settings({})
    config = BenchConfig(articles=40, enrich_articles=7, seed=2)
    report = run_module.run_bench(settings, config, quiet=True, only_enrich=only_enrich)
    assert calls == parts
    assert report.figures["enrich_vs_hazm"] == 2.0
    assert report.figures["config"]["articles"] == 40 and report.figures["config"]["seed"] == 2
    assert ("e2e_vs_baseline" in report.figures) is not only_enrich
