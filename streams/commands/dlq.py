"""`khabar dlq`: look into the dead-letter topic and replay what was fixed.

- ``list``: counts by error class and stage, then the most recent entries;
- ``show N``: one record (N is its offset on the dead-letter topic), the original decoded when it
  is UTF-8, else a hex preview;
- ``replay``: re-inject originals into their source topic, optionally filtered by error class,
  stage and time, each source message once (the latest dead letter for it wins).

A dead letter is a record anybody with write access to the topic could have forged, so its
source topic is not trusted: replay only sends to the topics Khabar consumes (news.raw,
news.enriched, the mentions topic) unless ``--to`` names the target. ``--dry-run`` lists the
targets and counts per target; more than a hundred messages need a confirmation (``--yes``).

Reading is plain Kafka consumption from the beginning to the current end, without a consumer
group, so looking never moves anything. Replayed messages carry their original key and a
``khabar-replay-of`` header naming the dead letter they came from.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from streams.commands.dead_letters import (
    CONFIRM_ABOVE,
    DeadLetterEntry,
    ReplayPlan,
    iter_entries,
    parse_since,
    plan_replay,
    preview,
    replay,
    select,
    summarize,
)
from streams.commands.terminal import console, err_console, fail, get_settings, shown
from streams.config import Settings
from streams.errors import KhabarError, TransientError

__all__ = ["dlq_app"]

dlq_app = typer.Typer(help="Inspect the dead-letter topic and replay its messages.", no_args_is_help=True)
_console = console
_err = err_console


def _read(settings: Settings, *, keep_original: bool) -> list[DeadLetterEntry]:
    try:
        return list(iter_entries(settings, keep_original=keep_original))
    except (TransientError, KhabarError) as exc:
        _err.print(f"[bold red]error:[/] {shown(exc)}")
        raise typer.Exit(1) from None


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_since(text)
    except ValueError as exc:
        _err.print(f"[bold red]error:[/] {shown(exc)}")
        raise typer.Exit(2) from None


@dlq_app.command("list")
def list_(
    recent: Annotated[int, typer.Option(help="How many of the latest entries to show.")] = 20,
    error_class: Annotated[str | None, typer.Option("--error-class", help="Only this error class.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    since: Annotated[str | None, typer.Option(help="Only since: ISO date-time or an age (30m, 2h, 1d).")] = None,
) -> None:
    """Counts by error class and stage, then the most recent dead letters."""
    settings = get_settings()
    entries = select(_read(settings, keep_original=False), error_class=error_class, stage=stage,
                     since=_since(since))
    counts = Table("error class", "stage", "count", title=f"{settings.dlq_topic}: {len(entries)} dead letter(s)")
    for (cls, stg), n in sorted(summarize(entries).items(), key=lambda kv: (-kv[1], kv[0])):
        counts.add_row(shown(cls), shown(stg), str(n))
    _console.print(counts)
    if not entries or recent <= 0:
        return
    latest = Table("offset", "time", "source", "error class", "stage", "article", "reason",
                   title=f"latest {min(recent, len(entries))}")
    for e in entries[-recent:]:
        topic, partition, offset = e.source
        # every field of a dead letter may be forged or quote an article
        latest.add_row(str(e.offset), shown(e.record.get("time") or ""), shown(f"{topic}/{partition}/{offset}"),
                       shown(e.error_class), shown(e.stage), shown(e.record.get("article_id") or ""),
                       shown(e.reason[:120]))
    _console.print(latest)


@dlq_app.command("show")
def show(
    offset: Annotated[int, typer.Argument(help="Offset of the record on the dead-letter topic (see `list`).")],
    partition: Annotated[int, typer.Option(help="Partition of the dead-letter topic.")] = 0,
    limit: Annotated[int, typer.Option(help="Characters of the original to print.")] = 4000,
) -> None:
    """One dead letter: where it came from, why, and its original (decoded if UTF-8, else hex)."""
    settings = get_settings()
    found = next((e for e in _read(settings, keep_original=True) if e.offset == offset and e.partition == partition),
                 None)
    if found is None:
        _err.print(f"[bold red]error:[/] no record at {settings.dlq_topic}/{partition}/{offset}")
        raise typer.Exit(1)
    topic, src_partition, src_offset = found.source
    table = Table("field", "value", title=f"{settings.dlq_topic}/{partition}/{offset}", show_header=False)
    key = found.record.get("key")
    for name, value in (
        ("time", found.record.get("time")),
        ("error class", found.error_class),
        ("stage", found.stage),
        ("reason", found.reason),
        ("source", f"{topic}/{src_partition}/{src_offset}"),
        ("article", found.record.get("article_id")),
        ("key", key.decode("utf-8", "replace") if isinstance(key, bytes) else None),
        ("original size", found.record.get("original_size", len(found.original))),
        ("original sha256", found.record.get("original_sha256")),
        ("original truncated", found.truncated),
    ):
        table.add_row(name, shown(value))
    _console.print(table)
    kind, text = preview(found.original, limit)
    _console.rule(f"original ({kind})")
    _console.print(shown(text, keep_newlines=True), highlight=False)


def _describe(plan: ReplayPlan, verb: str) -> str:
    targets = ", ".join(f"{shown(t)}: {n}" for t, n in sorted(plan.by_target.items())) or "-"
    lines = [f"{verb} {len(plan.sends)} message(s) ({plan.matched} dead letter(s) matched) to {targets}"]
    if plan.refused:
        named = ", ".join(f"{shown(t)}: {n}" for t, n in sorted(plan.refused.items()))
        lines.append(f"not replayed: {sum(plan.refused.values())} naming a topic Khabar does not consume ({named}); "
                     "name the target with --to to send them anyway")
    if plan.truncated or plan.duplicates:
        lines.append(f"skipped: {plan.truncated} truncated original(s), {plan.duplicates} duplicate(s)")
    return "\n".join(lines)


@dlq_app.command("replay")
def replay_cmd(
    error_class: Annotated[str | None, typer.Option("--error-class", help="Only this error class.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    since: Annotated[str | None, typer.Option(help="Only since: ISO date-time or an age (30m, 2h, 1d).")] = None,
    to: Annotated[str | None, typer.Option("--to", "--topic",
                                           help="Send every selected original to this topic instead of its source "
                                                "topic (the only way to reach a topic Khabar does not consume).")
                  ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show targets and counts; send nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=f"Replay more than {CONFIRM_ABOVE} messages without "
                                                           "asking.")] = False,
) -> None:
    """Re-inject the originals into their source topic (each source message once)."""
    settings = get_settings()
    entries = select(_read(settings, keep_original=True), error_class=error_class, stage=stage, since=_since(since))
    plan = plan_replay(settings, entries, to=to)
    if dry_run:
        _console.print(_describe(plan, "would replay"))
        return
    if not plan.sends:
        _console.print(_describe(plan, "nothing to replay:"))
        raise typer.Exit(1 if plan.refused else 0)
    if len(plan.sends) > CONFIRM_ABOVE and not yes:
        _err.print(_describe(plan, "about to replay"))
        if not sys.stdin.isatty():
            fail(f"{len(plan.sends)} messages to replay: confirm with --yes (or narrow the selection)")
        typer.confirm("replay them?", abort=True)
    with Progress(TextColumn("[bold]replay"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=_err) as bar:
        task = bar.add_task("replay", total=len(plan.sends))
        try:
            result = replay(settings, entries, topic=to, progress=lambda: bar.advance(task))
        except KhabarError as exc:
            _err.print(f"[bold red]error:[/] {shown(exc)}")
            raise typer.Exit(1) from None
    targets = ", ".join(f"{shown(t)}: {n}" for t, n in sorted(result.by_topic.items())) or "-"
    refused = sum(result.refused.values())
    _console.print(f"matched {result.matched}, replayed {result.replayed} ({targets}), "
                   f"duplicates skipped {result.duplicates}, truncated originals skipped {result.truncated}, "
                   f"not Khabar's topics skipped {refused}, failed {result.failed}")
    if result.failed:
        raise typer.Exit(1)
