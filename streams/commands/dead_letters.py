"""Reading dead letters and replaying them: the logic behind `khabar dlq` (see :mod:`streams.commands.dlq`).

A dead letter is a record anybody with write access to the topic could have forged, so its
source topic is not trusted: replay only sends to the topics Khabar consumes (news.raw,
news.enriched, the mentions topic) unless the caller names the target.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from streams.config import Settings

__all__ = [
    "CONFIRM_ABOVE",
    "DeadLetterEntry",
    "ReplayPlan",
    "ReplayResult",
    "iter_entries",
    "parse_since",
    "plan_replay",
    "preview",
    "replay",
    "replay_targets",
    "select",
    "summarize",
]

#: Replays of more messages than this ask for a confirmation (or --yes).
CONFIRM_ABOVE = 100
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
class ReplayPlan:
    """What a replay would send where, and what it leaves out."""

    sends: list[tuple[DeadLetterEntry, str]] = field(default_factory=list)
    matched: int = 0
    duplicates: int = 0
    truncated: int = 0
    #: source topics named by dead letters but outside the replay targets (not sent), with counts
    refused: Counter[str] = field(default_factory=Counter)

    @property
    def by_target(self) -> Counter[str]:
        return Counter(target for _, target in self.sends)


@dataclass
class ReplayResult:
    """What a replay did."""

    matched: int = 0
    replayed: int = 0
    duplicates: int = 0
    truncated: int = 0
    failed: int = 0
    by_topic: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)


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

def replay_targets(settings: Settings) -> frozenset[str]:
    """The topics a replay may send to without ``--to``: those Khabar's agents consume."""
    from streams.alerts.store import mentions_topic

    return frozenset({settings.raw_topic, settings.enriched_topic, mentions_topic(settings)})


def plan_replay(settings: Settings, entries: Sequence[DeadLetterEntry], *, to: str | None = None) -> ReplayPlan:
    """Where each selected original would go: its source topic when Khabar consumes it, else
    nowhere (refused); everything to ``to`` when given. Each source message once, the latest wins."""
    plan = ReplayPlan(matched=len(entries))
    latest: dict[tuple[str, int, int], DeadLetterEntry] = {}
    for entry in entries:
        if entry.source in latest:
            plan.duplicates += 1
        latest[entry.source] = entry
    allowed = replay_targets(settings)
    for entry in latest.values():
        if entry.truncated:
            plan.truncated += 1
            continue
        target = to or entry.source[0]
        if to is None and target not in allowed:
            plan.refused[target] += 1
            continue
        plan.sends.append((entry, target))
    return plan


def replay(settings: Settings, entries: Sequence[DeadLetterEntry], *, topic: str | None = None,
           progress: Callable[[], None] | None = None) -> ReplayResult:
    """Send each selected original back to its source topic (or ``topic``) as :func:`plan_replay` says."""
    from streams.sink.kafka import producer

    plan = plan_replay(settings, entries, to=topic)
    result = ReplayResult(matched=plan.matched, duplicates=plan.duplicates, truncated=plan.truncated,
                          refused=plan.refused)
    prod = producer(settings)
    futures = []
    try:
        for entry, target in plan.sends:
            if progress:
                progress()
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
