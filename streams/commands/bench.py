"""`khabar bench`, `khabar bench enrich`: throughput, latency and memory as ratios from one run."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table

from streams.commands.terminal import console, fail, get_settings
from streams.errors import KhabarError

__all__ = ["bench_app"]

bench_app = typer.Typer(help="Throughput, latency and memory of the pipeline, as ratios (see streams/devtools/bench).",
                        invoke_without_command=True)


def _report_bench(figures: dict[str, Any], line: str, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(line + "\n")
        return
    table = Table("figure", "value", title="khabar bench")
    for key, value in figures.items():
        table.add_row(key, orjson.dumps(value).decode() if isinstance(value, dict) else str(value))
    console.print(table)


@bench_app.callback()
def bench(
    ctx: typer.Context,
    articles: Annotated[int, typer.Option(help="Articles in the long run (throughput and memory); 3,000 take about "
                                               "3 minutes on 2 cores, the issue's 100,000 about 15.")] = 3000,
    enrich_articles: Annotated[int, typer.Option(help="Articles for enrichment vs hazm.")] = 300,
    latency_rate: Annotated[float, typer.Option(help="Offered load for the latency part, articles/s.")] = 50.0,
    latency_seconds: Annotated[float, typer.Option(help="How long the latency part offers that load.")] = 30.0,
    workers: Annotated[int, typer.Option(help="Worker processes in the consumer group.")] = 1,
    seed: Annotated[int, typer.Option(help="Article set (the same seed gives the same articles).")] = 0,
    keep: Annotated[bool, typer.Option(help="Keep the run's topics and indices.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON line of every figure.")] = False,
) -> None:
    """Benchmark: enrichment vs hazm, end-to-end vs a no-enrichment baseline, latency, worker memory."""
    if ctx.invoked_subcommand is not None:
        return
    from streams.devtools.bench import BenchConfig, run_bench

    settings = get_settings()
    config = BenchConfig(articles=articles, enrich_articles=enrich_articles, latency_rate=latency_rate,
                         latency_seconds=latency_seconds, workers=workers, seed=seed, keep=keep)
    try:
        report = run_bench(settings, config)
    except (KhabarError, RuntimeError) as exc:
        fail(str(exc))
    _report_bench(report.figures, report.line(), as_json)


@bench_app.command("enrich")
def bench_enrich_only(
    articles: Annotated[int, typer.Option(help="Articles to enrich and normalize.")] = 300,
    seed: Annotated[int, typer.Option(help="Article set.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON line.")] = False,
) -> None:
    """Only enrichment vs hazm's normalizer, no servers needed."""
    from streams.devtools.bench import BenchConfig, run_bench

    report = run_bench(get_settings(), BenchConfig(enrich_articles=articles, seed=seed), only_enrich=True)
    _report_bench(report.figures, report.line(), as_json)
