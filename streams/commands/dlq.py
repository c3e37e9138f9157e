"""`khabar dlq`: look into the dead-letter topic and replay what was fixed.

- ``list``: counts by error class and stage, then the most recent entries;
- ``show N``: one record (N is its offset on the dead-letter topic), the original decoded when it
  is UTF-8, else a hex preview;
- ``replay``: re-inject originals into their source topic, optionally filtered by error class,
  stage and time, each source message once (the latest dead letter for it wins).

Reading is plain Kafka consumption from the beginning to the current end, without a consumer
group, so looking never moves anything. Replayed messages carry their original key and a
``khabar-replay-of`` header naming the dead letter they came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from streams.commands.terminal import console, err_console, get_settings
from streams.config import Settings
from streams.errors import KhabarError, TransientError

__all__ = [
    "DeadLetterEntry",
    "ReplayResult",
    "dlq_app",
    "iter_entries",
    "parse_since",
    "preview",
    "replay",
    "select",
    "summarize",
]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True)
class DeadLetterEntry:
    """One record of the dead-letter topic, where it sits, and what it says."""

    partition: int
    offset: int
    record: dict[str, Any]

    @property
    def error_class(self) -> str:
        return str(self.record.get("error_class") or "?")

    @property
    def stage(self) -> str:
        return str(self.record.get("stage") or "?")

    @property
    def reason(self) -> str:
        return str(self.record.get("reason") or "")

    @property
    def source(self) -> tuple[str, int, int]:
        return (str(self.record.get("topic") or ""), int(self.record.get("partition") or 0),
                int(self.record.get("offset") or 0))

    @property
    def time(self) -> datetime | None:
        raw = self.record.get("time")
        if not isinstance(raw, str):
            return None
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

    @property
    def original(self) -> bytes:
        value = self.record.get("original")
        return value if isinstance(value, bytes) else b""

    @property
    def truncated(self) -> bool:
        return bool(self.record.get("original_truncated"))


@dataclass
class ReplayResult:
    """What a replay did."""

    matched: int = 0
    replayed: int = 0
    duplicates: int = 0
    truncated: int = 0
    failed: int = 0
    by_topic: Counter[str] = field(default_factory=Counter)


# -- reading ----------------------------------------------------------------------------------------

def iter_entries(settings: Settings, *, keep_original: bool = True, timeout: float = 15.0
                 ) -> Iterator[DeadLetterEntry]:
    """Every record now on the dead-letter topic, oldest first (records that do not parse are skipped)."""
    from streams.sink.dlq import parse_dead_letter
    from streams.sink.kafka import read_topic

    for rec in read_topic(settings, settings.dlq_topic, timeout=timeout):
        try:
            doc = parse_dead_letter(rec.value)
        except (ValueError, TypeError):
            continue
        if not keep_original:
            doc["original"] = b""
        yield DeadLetterEntry(rec.partition, rec.offset, doc)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since``: an ISO 8601 date or date-time (UTC unless it says otherwise), or an age: 30m, 2h, 1d."""
    now = now or datetime.now(timezone.utc)
    match = _DURATION.match(text)
    if match:
        return now - timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since must be an ISO 8601 date-time or an age such as 30m, 2h, 1d; got {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def select(entries: Iterable[DeadLetterEntry], *, error_class: str | None = None, stage: str | None = None,
           since: datetime | None = None) -> list[DeadLetterEntry]:
    """The entries matching every filter given (error class and stage compare case-insensitively)."""
    out = []
    for entry in entries:
        if error_class and entry.error_class.lower() != error_class.lower():
            continue
        if stage and entry.stage.lower() != stage.lower():
            continue
        if since is not None:
            when = entry.time
            if when is None or when < since:
                continue
        out.append(entry)
    return out


def summarize(entries: Iterable[DeadLetterEntry]) -> Counter[tuple[str, str]]:
    """How many dead letters per (error class, stage)."""
    return Counter((e.error_class, e.stage) for e in entries)


def preview(original: bytes, limit: int = 2000) -> tuple[str, str]:
    """(kind, text): the original decoded when it is UTF-8 (cut at ``limit`` characters), else hex."""
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError:
        head = original[: max(16, limit // 4)]
        lines = [f"{i:08x}  {head[i:i + 16].hex(' ')}" for i in range(0, len(head), 16)]
        more = f"\n… {len(original) - len(head)} more bytes" if len(original) > len(head) else ""
        return "hex", "\n".join(lines) + more
    if len(text) > limit:
        return "utf-8", text[:limit] + f"\n… {len(text) - limit} more characters"
    return "utf-8", text


# -- replay -----------------------------------------------------------------------------------------

def replay(settings: Settings, entries: Sequence[DeadLetterEntry], *, topic: str | None = None,
           progress: Callable[[], None] | None = None) -> ReplayResult:
    """Send each selected original back to its source topic (or ``topic``), once per source message."""
    from streams.sink.kafka import producer

    result = ReplayResult(matched=len(entries))
    latest: dict[tuple[str, int, int], DeadLetterEntry] = {}
    for entry in entries:
        if entry.source in latest:
            result.duplicates += 1
        latest[entry.source] = entry
    prod = producer(settings)
    futures = []
    try:
        for entry in latest.values():
            if progress:
                progress()
            if entry.truncated:
                result.truncated += 1
                continue
            target = topic or entry.source[0]
            key = entry.record.get("key")
            headers = [("khabar-replay-of", f"{settings.dlq_topic}/{entry.partition}/{entry.offset}".encode())]
            futures.append((target, prod.send(target, key=key if isinstance(key, bytes) else None,
                                              value=entry.original, headers=headers)))
        prod.flush()
        for target, fut in futures:
            try:
                fut.get(timeout=60)
            except Exception:  # noqa: BLE001 -- counted and reported; the broker said no
                result.failed += 1
            else:
                result.replayed += 1
                result.by_topic[target] += 1
    finally:
        prod.close()
    return result


# -- the `khabar dlq` commands ------------------------------------------------------------------------

dlq_app = typer.Typer(help="Inspect the dead-letter topic and replay its messages.", no_args_is_help=True)
_console = console
_err = err_console


def _read(settings: Settings, *, keep_original: bool) -> list[DeadLetterEntry]:
    try:
        return list(iter_entries(settings, keep_original=keep_original))
    except (TransientError, KhabarError) as exc:
        _err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from None


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_since(text)
    except ValueError as exc:
        _err.print(f"[bold red]error:[/] {exc}")
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
        counts.add_row(cls, stg, str(n))
    _console.print(counts)
    if not entries or recent <= 0:
        return
    latest = Table("offset", "time", "source", "error class", "stage", "article", "reason",
                   title=f"latest {min(recent, len(entries))}")
    for e in entries[-recent:]:
        topic, partition, offset = e.source
        latest.add_row(str(e.offset), str(e.record.get("time") or ""), f"{topic}/{partition}/{offset}",
                       e.error_class, e.stage, str(e.record.get("article_id") or ""), e.reason[:120])
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
        table.add_row(name, "" if value is None else str(value))
    _console.print(table)
    kind, text = preview(found.original, limit)
    _console.rule(f"original ({kind})")
    _console.print(text, markup=False, highlight=False)


@dlq_app.command("replay")
def replay_cmd(
    error_class: Annotated[str | None, typer.Option("--error-class", help="Only this error class.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    since: Annotated[str | None, typer.Option(help="Only since: ISO date-time or an age (30m, 2h, 1d).")] = None,
    topic: Annotated[str | None, typer.Option(help="Send to this topic instead of each source topic.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be replayed; send nothing.")] = False,
) -> None:
    """Re-inject the originals into their source topic (each source message once)."""
    settings = get_settings()
    entries = select(_read(settings, keep_original=True), error_class=error_class, stage=stage, since=_since(since))
    if dry_run:
        sources = {e.source for e in entries}
        _console.print(f"would replay {len(sources)} message(s) ({len(entries)} dead letter(s) matched)")
        return
    with Progress(TextColumn("[bold]replay"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=_err) as bar:
        task = bar.add_task("replay", total=len({e.source for e in entries}))
        try:
            result = replay(settings, entries, topic=topic, progress=lambda: bar.advance(task))
        except KhabarError as exc:
            _err.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(1) from None
    targets = ", ".join(f"{t}: {n}" for t, n in sorted(result.by_topic.items())) or "-"
    _console.print(f"matched {result.matched}, replayed {result.replayed} ({targets}), "
                   f"duplicates skipped {result.duplicates}, truncated originals skipped {result.truncated}, "
                   f"failed {result.failed}")
    if result.failed:
        raise typer.Exit(1)
