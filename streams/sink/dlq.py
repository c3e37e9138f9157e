"""The dead-letter envelope: everything needed to understand and replay a message we could not use.

The original bytes travel base64-encoded so invalid UTF-8 survives; the reason never carries
secrets or article text beyond what the error message names. An original too large to fit a Kafka
message once encoded is cut to :data:`MAX_ORIGINAL_BYTES` and marked ``original_truncated`` (its
size and SHA-256 stay in the record), so dead-lettering can never fail for size.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.errors import KhabarError, PermanentError

__all__ = ["DeadLetter", "MAX_ORIGINAL_BYTES", "dead_letter", "parse_dead_letter"]

#: Originals up to this size travel whole (base64 adds a third: still under the producers' 16 MiB).
MAX_ORIGINAL_BYTES = 10 * 1024 * 1024


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
    key: bytes | None = None

    def to_bytes(self, max_original: int = MAX_ORIGINAL_BYTES) -> bytes:
        kept = self.original[:max_original]
        return orjson.dumps({
            "original_b64": base64.b64encode(kept).decode("ascii"),
            "original_size": len(self.original),
            "original_sha256": hashlib.sha256(self.original).hexdigest(),
            "original_truncated": len(kept) < len(self.original),
            "key_b64": None if self.key is None else base64.b64encode(self.key).decode("ascii"),
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
                stage: str | None = None, article_id: str | None = None, key: bytes | None = None) -> DeadLetter:
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
        key=key,
    )


def parse_dead_letter(value: bytes) -> dict[str, Any]:
    """A dead-letter record as a dict, with ``original`` (and ``key``) decoded back to bytes."""
    doc: dict[str, Any] = orjson.loads(value)
    doc["original"] = base64.b64decode(doc.pop("original_b64", ""))
    key = doc.pop("key_b64", None)
    doc["key"] = base64.b64decode(key) if key else None
    doc.setdefault("original_truncated", False)
    return doc
