"""`khabar produce`: publish article files to ``news.raw``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from streams.commands.terminal import console, err_console, fail, get_settings, shown
from streams.errors import KhabarError

__all__ = ["produce"]


def produce(
    files: Annotated[list[Path], typer.Argument(help="JSONL, ninjs .json or .txt files, or folders of them.")],
    topic: Annotated[str | None, typer.Option(help="Topic (default: <prefix>.raw).")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency for .txt articles.")] = None,
) -> None:
    """Publish articles to news.raw (acks from all replicas), with a progress bar."""
    from streams.intake.decode import stable_id
    from streams.intake.files import InputProblem, count_inputs, expand_paths, iter_inputs
    from streams.sink.kafka import ensure_topics, producer

    settings = get_settings()
    paths = expand_paths(files)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    try:
        ensure_topics(settings)
        prod = producer(settings)
    except KhabarError as exc:
        fail(str(exc))
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
                    err_console.print(f"[yellow]skipped[/] {shown(item.where)}: {shown(item.reason)}")
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
