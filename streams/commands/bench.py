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
        if key != "growth":
            table.add_row(key, orjson.dumps(value).decode() if isinstance(value, dict) else str(value))
    console.print(table)
    if figures.get("growth"):
        console.print(_growth_table(figures["growth"], figures.get("growth_sizes_kib") or []))


def _growth_table(growth: dict[str, Any], sizes_kib: list[int]) -> Table:
    """ms per KiB of each hostile shape at each size, and the ratio to the smallest (≈1: linear)."""
    table = Table("shape", *(f"ms/KiB @ {k} KiB" for k in sizes_kib), *(f"ratio @ {k} KiB" for k in sizes_kib[1:]),
                  title="growth: time per byte, large over small")
    for shape, row in growth.items():
        table.add_row(shape, *("—" if v is None else str(v) for v in [*row["ms_per_kib"], *row["ratio"]]))
    return table


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
    growth: Annotated[bool, typer.Option(help="Time enrichment per byte of hostile articles at 128 KB, 1 MB "
                                              "and 2 MB (about 2 minutes).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON line of every figure.")] = False,
) -> None:
    """Benchmark: enrichment vs hazm, end-to-end vs a no-enrichment baseline, latency, worker memory."""
    if ctx.invoked_subcommand is not None:
        return
    from streams.devtools.bench import BenchConfig, run_bench

    settings = get_settings()
    config = BenchConfig(articles=articles, enrich_articles=enrich_articles, latency_rate=latency_rate,
                         latency_seconds=latency_seconds, workers=workers, seed=seed, keep=keep,
                         growth=growth)
    try:
        report = run_bench(settings, config)
    except (KhabarError, RuntimeError) as exc:
        fail(str(exc))
    _report_bench(report.figures, report.line(), as_json)


@bench_app.command("enrich")
def bench_enrich_only(
    articles: Annotated[int, typer.Option(help="Articles to enrich and normalize.")] = 300,
    seed: Annotated[int, typer.Option(help="Article set.")] = 0,
    growth: Annotated[bool, typer.Option(help="Also time enrichment per byte of hostile articles at 128 KB, "
                                              "1 MB and 2 MB.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON line.")] = False,
) -> None:
    """Only enrichment: vs hazm's normalizer, and its growth per byte; no servers needed."""
    from streams.devtools.bench import BenchConfig, run_bench

    report = run_bench(get_settings(), BenchConfig(enrich_articles=articles, seed=seed, growth=growth),
                       only_enrich=True)
    _report_bench(report.figures, report.line(), as_json)
