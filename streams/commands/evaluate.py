"""`khabar eval`: precision, recall and F1 of the extraction on an annotated set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from streams.commands.terminal import PROJECT_DIR, console, err_console, fail, shown
from streams.devtools.evaluation import FIELDS, EvalReport

__all__ = ["eval_"]


_LABELS = {"quotes": "quotes «»", "colon_quotes": "colon quotes", "headline_quotes": "headline quotes",
           "karabakh": "topic karabakh"}


def _table(report: EvalReport) -> Table:
    table = Table("field", "precision", "recall", "F1", "tp", "fp", "fn",
                  title=f"khabar eval ({report.articles} articles)")
    for fld in FIELDS:
        s = report.scores[fld]
        if fld in ("sources", "headline_quotes", "colon_quotes") and not (s.tp or s.fp or s.fn):
            continue  # the set annotates none and none were found
        table.add_row(_LABELS.get(fld, fld), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp),
                      str(s.fp), str(s.fn))
    return table


def _explain(report: EvalReport, top: int) -> None:
    """The most frequent kinds of error, each with a few examples: what to fix first."""
    table = Table("n", "kind of error", "examples", title=f"the {top} most frequent kinds of error")
    for kind, misses in report.kinds()[:top]:
        examples = "; ".join(shown(f"{m.article}: {m.detail}") for m in misses[:3])
        table.add_row(str(len(misses)), shown(kind), examples)
    console.print(table)


def _zwnj_lines(report: EvalReport) -> None:
    z, c = report.zwnj, report.clean
    console.print(f"ZWNJ restored: {z.restored}/{z.restored + z.lost} = {z.ratio:.3f}, "
                  f"wrongly inserted: {z.wrong} (against the hand-written clean copy)")
    console.print(f"clean copy normalized as it is: {c.lost} ZWNJ removed, {c.wrong} inserted")
    if report.hazm_zwnj:
        h = report.hazm_zwnj
        console.print(f"hazm Normalizer alone: {h.restored}/{h.restored + h.lost} = {h.ratio:.3f}, "
                      f"wrongly inserted: {h.wrong}")
    r, links = report.roles, report.links
    if r.tp or r.fp:
        console.print(f"source roles right: {r.tp}/{r.tp + r.fp}")
    if links.tp or links.fn:
        console.print(f"headline quotes linked to the body quote they condense: {links.tp}/{links.tp + links.fn}")


def eval_(
    paths: Annotated[list[Path] | None, typer.Argument(help="Annotated set (default: tests/data/eval).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object with every figure.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List each article's misses.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="The most frequent kinds of error, with examples.")
                       ] = False,
    top: Annotated[int, typer.Option(help="How many kinds of error --explain lists.")] = 20,
    hazm_baseline: Annotated[bool, typer.Option(help="Also measure hazm's Normalizer alone on ZWNJs.")] = False,
) -> None:
    """Precision/recall/F1 per field on the annotated set, and ZWNJ restoration."""
    from streams.devtools.evaluation import evaluate, load_cases

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
            console.print(f"[bold]{shown(article)}[/]")
            for miss in misses:
                console.print(f"  {shown(miss)}")
    if explain:
        _explain(report, top)
    console.print(_table(report))
    _zwnj_lines(report)
