"""`khabar backfill`: reprocess an archive or re-enrich the index, with progress, rate and ETA."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

from streams.commands.terminal import console, err_console, fail, get_settings, shown
from streams.errors import KhabarError

__all__ = ["backfill"]


def backfill(
    paths: Annotated[list[Path] | None, typer.Argument(help="Archive: JSONL, ninjs .json, .txt files or folders.")
                     ] = None,
    direct: Annotated[bool, typer.Option(help="Enrich here and index directly (re-enrichment), no Kafka.")] = False,
    reindex_from_index: Annotated[bool, typer.Option(help="Re-enrich what the index already holds.")] = False,
    processes: Annotated[int, typer.Option(help="Enrichment processes for --direct / --reindex-from-index.")] = 1,
    checkpoint: Annotated[Path | None, typer.Option(help="Checkpoint file in the backfill state directory "
                                                         "(default: one per archive and mode).")] = None,
    restart: Annotated[bool, typer.Option(help="Ignore an existing checkpoint and start over.")] = False,
    agency: Annotated[str | None, typer.Option(help="Agency for .txt articles.")] = None,
    chunk: Annotated[int, typer.Option(help="Articles per durable step (checkpoint granularity).")] = 500,
) -> None:
    """Reprocess an archive with a progress bar, rate and ETA; resumable, re-sending is idempotent."""
    from streams import backfill as backfills
    from streams.app.logs import escape_log_fields

    escape_log_fields()  # values in log lines may come from articles: none may forge a line
    settings = get_settings()
    if reindex_from_index == bool(paths):
        fail("give archive PATHs, or --reindex-from-index without paths")
    mode = "index" if reindex_from_index else ("direct" if direct else "produce")
    files = list(paths or [])
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    try:
        ckpt_path = backfills.checkpoint_file(settings, checkpoint, mode, files)
        if restart:
            ckpt_path.unlink(missing_ok=True)
        ckpt = backfills.Checkpoint.load(ckpt_path, mode)
    except KhabarError as exc:
        fail(str(exc))
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
            fail(str(exc))
    for problem in result.problems[:50]:
        err_console.print(f"[yellow]skipped[/] {shown(problem)}")
    if len(result.problems) > 50:
        err_console.print(f"[yellow]… and {len(result.problems) - 50} more[/]")
    target = settings.raw_topic if mode == "produce" else settings.index_alias
    console.print(f"backfill ({mode}): {result.handled} article(s) to {target} in {result.seconds:.1f}s "
                  f"({result.rate:,.1f}/s)" + (f", {result.resumed_from} done before" if result.resumed_from else "")
                  + (f", {result.skipped} skipped" if result.skipped else "") + f"; checkpoint {ckpt_path}")
    if result.skipped:
        raise typer.Exit(1)
