"""`khabar enrich`: enrich files offline (no Kafka), printing exactly what the worker would index."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated

import typer

from streams.commands.search import print_hit
from streams.commands.terminal import err_console, fail, shown
from streams.errors import KhabarError

__all__ = ["enrich"]


def enrich(
    paths: Annotated[list[Path], typer.Argument(help=".txt, JSONL or ninjs files, or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """Enrich article files offline (no Kafka) and print the enriched documents."""
    from streams.enrich.document import Rejection, encode_document, enrich_article
    from streams.enrich.pipeline import Pipeline
    from streams.intake.decode import parse_article
    from streams.intake.files import InputProblem, expand_paths, iter_inputs

    files = expand_paths(paths)
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    pipeline = Pipeline()
    problems = 0
    for path in files:
        for item in iter_inputs(path):
            if isinstance(item, InputProblem):
                problems += 1
                err_console.print(f"[yellow]skipped[/] {shown(item.where)}: {shown(item.reason)}")
                continue
            try:
                article = parse_article(item.doc, require_persian=False)
                doc = enrich_article(article, pipeline, received_at=datetime.now(timezone.utc))
                if isinstance(doc, Rejection):
                    raise doc.error
                value = encode_document(doc)
            except KhabarError as exc:
                problems += 1
                err_console.print(f"[yellow]skipped[/] {shown(item.where)}: {shown(exc)}")
                continue
            if as_json:
                sys.stdout.buffer.write(value + b"\n")
            else:
                print_hit(1, dict(doc))
    if problems:
        raise typer.Exit(1)
