"""The dead-letter envelope: everything needed to understand and replay a message we could not use.

The original bytes travel base64-encoded so invalid UTF-8 survives; the reason never carries
secrets or article text beyond what the error message names.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.errors import KhabarError, PermanentError

__all__ = ["DeadLetter", "dead_letter", "parse_dead_letter"]


@dataclass(frozen=True, slots=True)
class DeadLetter:
    original: bytes
    error_class: str
    reason: str
    stage: str
    topic: str
    partition: int
    offset: int
    time: str
    article_id: str | None = None

    def to_bytes(self) -> bytes:
        return orjson.dumps({
            "original_b64": base64.b64encode(self.original).decode("ascii"),
            "error_class": self.error_class,
            "reason": self.reason,
            "stage": self.stage,
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "time": self.time,
            "article_id": self.article_id,
        })

    def headers(self) -> dict[str, bytes]:
        return {
            "khabar-error-class": self.error_class.encode(),
            "khabar-stage": self.stage.encode(),
            "khabar-source": f"{self.topic}/{self.partition}/{self.offset}".encode(),
        }


def dead_letter(original: bytes, error: BaseException, *, topic: str, partition: int, offset: int,
                stage: str | None = None, article_id: str | None = None) -> DeadLetter:
    """Wrap a failed message and its error into a dead-letter record."""
    if isinstance(error, PermanentError):
        reason, where = error.reason, stage or error.stage
    elif isinstance(error, KhabarError):
        reason, where = str(error), stage or "unknown"
    else:
        reason, where = f"unexpected {type(error).__name__}: {error}"[:300], stage or "unknown"
    return DeadLetter(
        original=original,
        error_class=type(error).__name__,
        reason=reason,
        stage=where,
        topic=topic,
        partition=partition,
        offset=offset,
        time=datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        article_id=article_id or getattr(error, "article_id", None),
    )


def parse_dead_letter(value: bytes) -> dict[str, Any]:
    """A dead-letter record as a dict, with ``original`` decoded back to bytes."""
    doc: dict[str, Any] = orjson.loads(value)
    doc["original"] = base64.b64decode(doc.pop("original_b64", ""))
    return doc
