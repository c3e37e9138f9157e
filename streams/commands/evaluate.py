"""`khabar eval`: precision, recall and F1 of the extraction on an annotated set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from streams.commands.terminal import PROJECT_DIR, console, err_console, fail

__all__ = ["eval_"]


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
        fail("no annotated articles found")
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
