"""`khabar dlq`: selecting, summarizing, previewing and replaying dead letters (no Kafka needed)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from streams.commands import dead_letters as dlqtool
from streams.commands.dead_letters import DeadLetterEntry, parse_since, preview, replay, select, summarize
from streams.config import Settings

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def _entry(offset: int, error_class: str = "InvalidArticle", stage: str = "decode", *, source_offset: int | None = None,
           time: datetime = NOW, original: bytes = b"{", truncated: bool = False) -> DeadLetterEntry:
    return DeadLetterEntry(0, offset, {
        "error_class": error_class, "stage": stage, "reason": "why", "topic": "news.raw", "partition": 1,
        "offset": offset if source_offset is None else source_offset, "time": time.isoformat().replace("+00:00", "Z"),
        "original": original, "original_truncated": truncated, "key": b"k%d" % offset,
    })


@pytest.mark.parametrize("text,expected", [
    ("30m", NOW - timedelta(minutes=30)),
    ("2h", NOW - timedelta(hours=2)),
    ("1d", NOW - timedelta(days=1)),
    ("2024-05-01", datetime(2024, 5, 1, tzinfo=timezone.utc)),
    ("2024-05-01T10:00:00+03:30", datetime(2024, 5, 1, 6, 30, tzinfo=timezone.utc)),
])
def test_since_takes_an_age_or_a_date(text: str, expected: datetime) -> None:
    """--since is an age (30m, 2h, 1d) or an ISO 8601 date-time, UTC unless it says otherwise."""
    assert parse_since(text, NOW) == expected


def test_since_rejects_nonsense() -> None:
    """A --since that is neither says what it expects."""
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_since("yesterday", NOW)


def test_select_and_summarize() -> None:
    """Filters combine; counts are per (error class, stage)."""
    entries = [_entry(0), _entry(1, "RejectedDocument", "index"), _entry(2, time=NOW - timedelta(days=3))]
    assert [e.offset for e in select(entries, error_class="rejecteddocument")] == [1]
    assert [e.offset for e in select(entries, stage="decode", since=NOW - timedelta(days=1))] == [0]
    assert summarize(entries) == {("InvalidArticle", "decode"): 2, ("RejectedDocument", "index"): 1}


def test_preview_decodes_utf8_else_shows_hex() -> None:
    """UTF-8 originals are shown as text (cut at the limit); others as a hex dump."""
    assert preview("سلام".encode()) == ("utf-8", "سلام")
    kind, text = preview(b"\xff\xfe\x00abc", limit=64)
    assert kind == "hex" and text.startswith("00000000  ff fe 00 61 62 63")
    kind, text = preview(b"a" * 50, limit=10)
    assert kind == "utf-8" and text.startswith("a" * 10) and "40 more characters" in text


class _Future:
    def __init__(self, ok: bool) -> None:
        self.ok = ok

    def get(self, timeout: float) -> None:
        if not self.ok:
            raise RuntimeError("refused")


class _Producer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes | None, bytes, Any]] = []

    def send(self, topic: str, key: bytes | None, value: bytes, headers: Any) -> _Future:
        self.sent.append((topic, key, value, headers))
        return _Future(value != b"refuse-me")

    def flush(self) -> None: ...

    def close(self) -> None: ...


def test_replay_sends_each_source_message_once_with_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Duplicates of one source message replay once; truncated originals are skipped; failures counted."""
    fake = _Producer()
    monkeypatch.setattr("streams.sink.kafka.producer", lambda settings: fake)
    entries = [_entry(0, original=b"a"), _entry(1, source_offset=0, original=b"a"),
               _entry(2, original=b"big", truncated=True), _entry(3, original=b"refuse-me"), _entry(4, original=b"b")]
    result = replay(Settings(), entries, progress=lambda: None)
    assert (result.matched, result.duplicates, result.truncated, result.failed, result.replayed) == (5, 1, 1, 1, 2)
    assert [(t, k, v) for t, k, v, _ in fake.sent] == [("news.raw", b"k1", b"a"), ("news.raw", b"k3", b"refuse-me"),
                                                       ("news.raw", b"k4", b"b")]
    assert fake.sent[0][3] == [("khabar-replay-of", b"news.dlq/0/1")]
    assert dlqtool.ReplayResult().by_topic == {}
