"""The `khabar` command."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any, NoReturn

import orjson
import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from streams.commands.dashboards import dashboards_app
from streams.commands.dlq import dlq_app
from streams.commands.watch import alerts_app, watch_app
from streams.config import Settings, load_settings
from streams.errors import ConfigError, KhabarError

__all__ = ["main", "app"]

app = typer.Typer(help="Khabar: Persian news-agency copy in, enriched searchable documents out.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
stack_app = typer.Typer(help="Run a local Kafka + OpenSearch stack from Maven Central jars (no Docker).",
                        no_args_is_help=True)
app.add_typer(stack_app, name="stack")
app.add_typer(dlq_app, name="dlq")  # list | show | replay, in streams/dlqtool.py
app.add_typer(watch_app, name="watch")  # add | remove | list, in streams/watchtool.py
app.add_typer(alerts_app, name="alerts")  # tail, in streams/watchtool.py
app.add_typer(dashboards_app, name="dashboards")  # install, in streams/dashboards.py
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # error lines stay whole
PROJECT_DIR = Path(__file__).resolve().parent.parent


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


# -- stack ------------------------------------------------------------------------------------------

@stack_app.command("up")
def stack_up(timeout: float = typer.Option(240.0, help="Seconds to wait for health.")) -> None:
    """Start Kafka (KRaft) on 127.0.0.1:9092 and OpenSearch on 127.0.0.1:9200; idempotent."""
    from streams.devtools.stack import Stack, StackError, default_config, status_table

    stack = Stack(default_config())
    began = time.monotonic()
    try:
        stack.fetch()
        status = stack.up(timeout=timeout)
    except StackError as exc:
        _fail(str(exc))
    console.print(status_table(status))
    console.print(f"stack ready in {time.monotonic() - began:.1f}s")


@stack_app.command("fetch")
def stack_fetch() -> None:
    """Resolve the Kafka and OpenSearch jars with Maven (done by `up` too)."""
    from streams.devtools.stack import Stack, StackError, default_config

    try:
        Stack(default_config()).fetch()
    except StackError as exc:
        _fail(str(exc))
    console.print("jars in place")


@stack_app.command("down")
def stack_down() -> None:
    """Stop what `khabar stack up` started (and nothing else)."""
    from streams.devtools.stack import Stack, StackError, default_config

    try:
        Stack(default_config()).down()
    except StackError as exc:
        _fail(str(exc))
    console.print("stack stopped")


@stack_app.command("status")
def stack_status() -> None:
    """Versions, ports, pids and health of the local stack."""
    from streams.devtools.stack import Stack, default_config, status_table

    status = Stack(default_config()).status()
    console.print(status_table(status))
    raise typer.Exit(0 if status.healthy else 1)


# -- worker -----------------------------------------------------------------------------------------

@app.command()
def worker(
    web_port: Annotated[int | None, typer.Option(help="Port of /metrics, /healthz, /readyz.")] = None,
    loglevel: Annotated[str, typer.Option(help="debug, info, warning, error")] = "info",
) -> None:
    """Run the faust worker: enrich news.raw → news.enriched → search engine, dead letters to news.dlq."""
    import faust

    from streams.app.logs import quiet_repeats
    from streams.app.worker import build_app
    from streams.sink.kafka import ensure_topics

    settings = _settings(web_port=web_port, log_level=loglevel)
    quiet_repeats()  # a broker outage makes the Kafka client repeat itself thousands of times a second
    try:
        created = ensure_topics(settings)
    except KhabarError as exc:
        _fail(str(exc))
    if created:
        console.print(f"created topics: {', '.join(created)}")
    faust_app, _ = build_app(settings)
    worker_ = faust.Worker(faust_app, loglevel=settings.log_level.upper(), quiet=True)
    worker_.execute_from_commandline()


# -- produce ----------------------------------------------------------------------------------------

@app.command()
def produce(
    files: Annotated[list[Path], typer.Argument(help="JSONL, ninjs .json or .txt files, or folders of them.")],
    topic: Annotated[str | None, typer.Option(help="Topic (default: <prefix>.raw).")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency for .txt articles.")] = None,
) -> None:
    """Publish articles to news.raw (acks from all replicas), with a progress bar."""
    from streams.intake.decode import stable_id
    from streams.intake.files import InputProblem, count_inputs, expand_paths, iter_inputs
    from streams.sink.kafka import ensure_topics, producer

    settings = _settings()
    paths = expand_paths(files)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    try:
        ensure_topics(settings)
        prod = producer(settings)
    except KhabarError as exc:
        _fail(str(exc))
    target = topic or settings.raw_topic
    sent, problems = 0, 0
    futures = []
    with Progress(TextColumn("[bold]produce"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err_console, transient=False) as progress:
        task = progress.add_task("produce", total=count_inputs(paths))
        for path in paths:
            for item in iter_inputs(path):
                progress.advance(task)
                if isinstance(item, InputProblem):
                    problems += 1
                    err_console.print(f"[yellow]skipped[/] {item.where}: {item.reason}")
                    continue
                doc = item.doc
                if agency and "agency" not in doc and "uri" not in doc:
                    doc = {**doc, "agency": agency}
                key = stable_id(doc.get("agency") or doc.get("copyrightholder"),
                                str(doc.get("id") or doc.get("uri") or "") or None,
                                doc.get("url"), str(doc.get("title", "")) + "\n" + str(doc.get("body", "")))
                futures.append(prod.send(target, key=key.encode(), value=orjson.dumps(doc)))
                sent += 1
        prod.flush()
    failed = 0
    for fut in futures:
        try:
            fut.get(timeout=30)
        except Exception:  # noqa: BLE001 - reported as a count; the broker said no
            failed += 1
    prod.close()
    console.print(f"produced {sent - failed} article(s) to {target}"
                  + (f", {failed} failed" if failed else "") + (f", {problems} skipped" if problems else ""))
    if failed or problems:
        raise typer.Exit(1)


# -- search -----------------------------------------------------------------------------------------

def _hit_json(hit: dict[str, Any]) -> dict[str, Any]:
    src = hit.get("_source", {})
    return {
        "id": hit.get("_id"),
        "score": hit.get("_score"),
        **{k: src.get(k) for k in ("title", "kicker", "lead", "body", "agency", "url", "published_at",
                                   "topics", "entities", "quotes", "dateline", "source")},
    }


def _print_hit(n: int, hit: dict[str, Any]) -> None:
    title = hit.get("title") or "(untitled)"
    kicker = hit.get("kicker")
    lines = []
    if kicker:
        lines.append(f"[dim]{kicker}[/]")
    meta = " · ".join(str(x) for x in (hit.get("agency"), hit.get("published_at")) if x)
    if meta:
        lines.append(f"[dim]{meta}[/]")
    if hit.get("topics"):
        lines.append("topics: " + "، ".join(hit["topics"]))
    entities = hit.get("entities") or []
    for etype, label in (("person", "persons"), ("organization", "organizations"), ("location", "places"),
                         ("date", "dates")):
        names = [e["name"] for e in sorted(entities, key=lambda e: -e.get("count", 1)) if e["type"] == etype][:6]
        if names:
            lines.append(f"{label}: " + "، ".join(names))
    for q in (hit.get("quotes") or [])[:4]:
        speaker = (q.get("speaker") or {}).get("name") or "?"
        text = q["text"] if len(q["text"]) <= 160 else q["text"][:157] + "…"
        lines.append(f"[cyan]{speaker}[/] ({q.get('verb')}, {q.get('kind')}): «{text}»")
    console.print(Panel("\n".join(lines), title=f"{n}. {title}", title_align="right", expand=True))


async def _search(settings: Settings, body: dict[str, Any], size: int) -> dict[str, Any]:
    from streams.sink.search import open_writer

    writer = await asyncio.to_thread(open_writer, settings)
    try:
        return await writer.search(body, size=size)
    finally:
        await writer.close()


@app.command()
def search(
    text: Annotated[str | None, typer.Argument(help="Words to find (any spelling of a name works).")] = None,
    topic: Annotated[str | None, typer.Option(help="Topic slug, e.g. karabakh.")] = None,
    person: Annotated[str | None, typer.Option(help="A person mentioned in the article.")] = None,
    speaker: Annotated[str | None, typer.Option(help="A person quoted in the article.")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency.")] = None,
    size: Annotated[int, typer.Option(help="How many hits.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of hits.")] = False,
) -> None:
    """Search the indexed articles."""
    from streams.commands.query import build_query
    from streams.enrich.gazetteer import load_gazetteer

    settings = _settings()
    body = build_query(text, topic=topic, person=person, speaker=speaker, agency=agency,
                       gazetteer=load_gazetteer())
    try:
        response = asyncio.run(_search(settings, body, size))
    except KhabarError as exc:
        _fail(str(exc))
    hits = [_hit_json(h) for h in response.get("hits", {}).get("hits", [])]
    if as_json:
        sys.stdout.write(orjson.dumps(hits, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    total = response.get("hits", {}).get("total", {})
    count = total.get("value", len(hits)) if isinstance(total, dict) else total
    console.print(f"{count} hit(s)")
    for n, hit in enumerate(hits, 1):
        _print_hit(n, hit)


# -- enrich (offline) -------------------------------------------------------------------------------

@app.command()
def enrich(
    paths: Annotated[list[Path], typer.Argument(help=".txt, JSONL or ninjs files, or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """Enrich article files offline (no Kafka) and print the enriched documents."""
    from streams.enrich.pipeline import Pipeline, to_document
    from streams.intake.decode import parse_article
    from streams.intake.files import InputProblem, expand_paths, iter_inputs

    files = expand_paths(paths)
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    pipeline = Pipeline()
    problems = 0
    for path in files:
        for item in iter_inputs(path):
            if isinstance(item, InputProblem):
                problems += 1
                err_console.print(f"[yellow]skipped[/] {item.where}: {item.reason}")
                continue
            try:
                enriched, _ = pipeline.enrich(parse_article(item.doc, require_persian=False))
            except KhabarError as exc:
                problems += 1
                err_console.print(f"[yellow]skipped[/] {item.where}: {exc}")
                continue
            doc = to_document(enriched)
            if as_json:
                sys.stdout.write(orjson.dumps(doc).decode() + "\n")
            else:
                _print_hit(1, doc)
    if problems:
        raise typer.Exit(1)


# -- demo -------------------------------------------------------------------------------------------

def _samples_dir() -> Path:
    return Path(__file__).resolve().parent / "data" / "samples"


def _start_worker_process(log_file: Path) -> subprocess.Popen[bytes]:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    fh = log_file.open("ab")
    return subprocess.Popen([sys.executable, "-m", "streams", "worker"], stdout=fh, stderr=subprocess.STDOUT,
                            start_new_session=True, env={**os.environ})


async def _searchable(settings: Settings, ids: list[str]) -> int:
    """How many of these document ids are searchable now (-1 while the engine is unreachable)."""
    from streams.sink.search import open_writer

    try:
        writer = await asyncio.to_thread(open_writer, settings)
    except KhabarError:
        return -1
    try:
        return await writer.count({"query": {"ids": {"values": ids}}})
    except KhabarError:
        return -1
    finally:
        await writer.close()


def _sample_ids(paths: list[Path]) -> list[str]:
    from streams.intake.decode import parse_article
    from streams.intake.files import RawInput, iter_inputs

    return [parse_article(x.doc).doc_id for p in paths for x in iter_inputs(p) if isinstance(x, RawInput)]


@app.command()
def demo(
    keep_worker: Annotated[bool, typer.Option(help="Leave the worker running afterwards.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the articles to be searchable.")] = 180.0,
) -> None:
    """Stack up, worker in the background, produce the sample articles, wait, search topic karabakh."""
    from streams.intake.files import expand_paths

    stack_up(timeout=240.0)
    settings = _settings()
    samples = expand_paths([_samples_dir()])
    ids = _sample_ids(samples)
    log_file = Path(settings.data_dir).parent / "logs" / "worker.log"
    proc = _start_worker_process(log_file)
    console.print(f"worker started (pid {proc.pid}, log {log_file})")
    try:
        try:
            produce(samples, topic=None, agency=None)
        except typer.Exit as exc:
            if exc.exit_code:
                raise
        deadline = time.monotonic() + timeout
        found = 0
        with Progress(TextColumn("[bold]searchable"), BarColumn(), MofNCompleteColumn(),
                      console=err_console) as prog:
            task = prog.add_task("wait", total=len(ids))
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    _fail(f"the worker exited with code {proc.returncode}; see {log_file}")
                found = asyncio.run(_searchable(settings, ids))
                prog.update(task, completed=max(0, found))
                if found >= len(ids):
                    break
                time.sleep(1.0)
        if found < len(ids):
            _fail(f"only {max(found, 0)} of {len(ids)} sample articles searchable after {timeout:.0f}s; "
                  f"see {log_file}")
        console.rule("khabar search --topic karabakh")
        search(None, topic="karabakh", person=None, speaker=None, agency=None, size=10, as_json=False)
    finally:
        if not keep_worker:
            _stop(proc)
            console.print("worker stopped; the stack keeps running (`khabar stack down` stops it)")
        else:
            console.print(f"worker keeps running (pid {proc.pid})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# -- eval -----------------------------------------------------------------------------------------

@app.command("eval")
def eval_(
    paths: Annotated[list[Path] | None, typer.Argument(help="Annotated set (default: tests/data/eval).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object with every figure.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List each article's misses.")] = False,
    hazm_baseline: Annotated[bool, typer.Option(help="Also measure hazm's Normalizer alone on ZWNJs.")] = False,
) -> None:
    """Precision/recall/F1 per field on the annotated set, and ZWNJ restoration."""
    from streams.devtools.evaluation import FIELDS, evaluate, load_cases

    cases = load_cases(paths or [PROJECT_DIR / "tests" / "data" / "eval"])
    if not cases:
        _fail("no annotated articles found")
    with Progress(TextColumn("[bold]eval"), BarColumn(), MofNCompleteColumn(), console=err_console,
                  transient=True) as prog:
        task = prog.add_task("eval", total=len(cases))
        report = evaluate(cases, progress=lambda: prog.advance(task), hazm_baseline=hazm_baseline)
    if as_json:
        sys.stdout.write(orjson.dumps(report.as_dict()).decode() + "\n")
        return
    if verbose:
        for article, misses in report.errors.items():
            console.print(f"[bold]{article}[/]")
            for miss in misses:
                console.print(f"  {miss}")
    table = Table("field", "precision", "recall", "F1", "tp", "fp", "fn",
                  title=f"khabar eval ({report.articles} articles)")
    for fld in FIELDS:
        s = report.scores[fld]
        table.add_row(fld, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
    console.print(table)
    console.print(f"ZWNJ restored: {report.zwnj_restored}/{report.zwnj_restored + report.zwnj_lost} "
                  f"= {report.zwnj_ratio:.3f}, "
                  f"wrongly inserted: {report.zwnj_wrong}")
    if report.hazm_zwnj:
        r, lost, wrong = report.hazm_zwnj
        console.print(f"hazm Normalizer alone: {r}/{r + lost} = {r / max(1, r + lost):.3f}, wrongly inserted: {wrong}")


# -- config -----------------------------------------------------------------------------------------

@app.command("config")
def show_config() -> None:
    """Show the effective settings (secrets masked)."""
    settings = _settings()
    table = Table("setting", "value")
    for key, value in settings.describe().items():
        table.add_row(f"KHABAR_{key.upper()}", str(value))
    console.print(table)


# -- bench ------------------------------------------------------------------------------------------

bench_app = typer.Typer(help="Throughput, latency and memory of the pipeline, as ratios (see streams/bench.py).",
                        invoke_without_command=True)
app.add_typer(bench_app, name="bench")


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

    settings = _settings()
    config = BenchConfig(articles=articles, enrich_articles=enrich_articles, latency_rate=latency_rate,
                         latency_seconds=latency_seconds, workers=workers, seed=seed, keep=keep)
    try:
        report = run_bench(settings, config)
    except (KhabarError, RuntimeError) as exc:
        _fail(str(exc))
    _report_bench(report.figures, report.line(), as_json)


@bench_app.command("enrich")
def bench_enrich_only(
    articles: Annotated[int, typer.Option(help="Articles to enrich and normalize.")] = 300,
    seed: Annotated[int, typer.Option(help="Article set.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON line.")] = False,
) -> None:
    """Only enrichment vs hazm's normalizer, no servers needed."""
    from streams.devtools.bench import BenchConfig, run_bench

    report = run_bench(_settings(), BenchConfig(enrich_articles=articles, seed=seed), only_enrich=True)
    _report_bench(report.figures, report.line(), as_json)


# -- backfill ---------------------------------------------------------------------------------------

@app.command()
def backfill(
    paths: Annotated[list[Path] | None, typer.Argument(help="Archive: JSONL, ninjs .json, .txt files or folders.")
                     ] = None,
    direct: Annotated[bool, typer.Option(help="Enrich here and index directly (re-enrichment), no Kafka.")] = False,
    reindex_from_index: Annotated[bool, typer.Option(help="Re-enrich what the index already holds.")] = False,
    processes: Annotated[int, typer.Option(help="Enrichment processes for --direct / --reindex-from-index.")] = 1,
    checkpoint: Annotated[Path | None, typer.Option(help="Checkpoint file (default: one per archive and mode).")
                          ] = None,
    restart: Annotated[bool, typer.Option(help="Ignore an existing checkpoint and start over.")] = False,
    agency: Annotated[str | None, typer.Option(help="Agency for .txt articles.")] = None,
    chunk: Annotated[int, typer.Option(help="Articles per durable step (checkpoint granularity).")] = 500,
) -> None:
    """Reprocess an archive with a progress bar, rate and ETA; resumable, re-sending is idempotent."""
    from rich.progress import SpinnerColumn

    from streams.backfill import run as backfills

    settings = _settings()
    if reindex_from_index == bool(paths):
        _fail("give archive PATHs, or --reindex-from-index without paths")
    mode = "index" if reindex_from_index else ("direct" if direct else "produce")
    files = list(paths or [])
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    ckpt_path = checkpoint or backfills.checkpoint_path(settings, mode, files)
    if restart:
        ckpt_path.unlink(missing_ok=True)
    try:
        ckpt = backfills.Checkpoint.load(ckpt_path, mode)
    except KhabarError as exc:
        _fail(str(exc))
    columns = (SpinnerColumn(), TextColumn(f"[bold]backfill ({mode})"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=err_console) as prog:
        task = prog.add_task("backfill", total=backfills.count_files(files) if files else None, rate="")
        began = time.monotonic()
        start_done = 0

        def advance(n: int) -> None:
            nonlocal start_done
            prog.advance(task, n)
            done = prog.tasks[0].completed - start_done
            elapsed = time.monotonic() - began
            if elapsed > 1 and done > 0:
                prog.update(task, rate=f"{done / elapsed:,.0f} articles/s")

        def resumed(n: int) -> None:  # items done before this run count for the bar, not the rate
            nonlocal start_done
            start_done += n
            prog.advance(task, n)

        try:
            if reindex_from_index:
                result = asyncio.run(backfills.reindex_from_index(
                    settings, ckpt, processes=processes, chunk=chunk, progress=advance, resumed=resumed,
                    total=lambda n: prog.update(task, total=n)))
            else:
                result = asyncio.run(backfills.backfill_files(settings, files, ckpt, direct=direct, processes=processes,
                                                    chunk=chunk, progress=advance, resumed=resumed, agency=agency))
        except KhabarError as exc:
            _fail(str(exc))
    for problem in result.problems[:50]:
        err_console.print(f"[yellow]skipped[/] {problem}")
    if len(result.problems) > 50:
        err_console.print(f"[yellow]… and {len(result.problems) - 50} more[/]")
    target = settings.raw_topic if mode == "produce" else settings.index_alias
    console.print(f"backfill ({mode}): {result.handled} article(s) to {target} in {result.seconds:.1f}s "
                  f"({result.rate:,.1f}/s)" + (f", {result.resumed_from} done before" if result.resumed_from else "")
                  + (f", {result.skipped} skipped" if result.skipped else "") + f"; checkpoint {ckpt_path}")
    if result.skipped:
        raise typer.Exit(1)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # the clients log every non-2xx answer; the CLI reports what matters itself
    for noisy in ("opensearch", "elastic_transport", "kafka"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    app()


if __name__ == "__main__":
    main()
