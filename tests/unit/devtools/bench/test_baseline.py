"""streams.devtools.bench.baseline: a raw article as the index takes it, with no enrichment."""

from __future__ import annotations

from typing import Any

import pytest

from streams.devtools.bench.baseline import baseline_document

RECEIVED_MS = 1735689600123  # 2025-01-01T00:00:00.123Z


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"id": "b0-1", "agency": "ایرنا", "title": "T", "kicker": "K", "lead": "L", "body": "B",
             "updated_at": "2025-01-02T00:00:00Z", "published_at": "2025-01-01T00:00:00Z"},
            {"agency": "ایرنا", "title": "T", "kicker": "K", "lead": "L", "body": "B", "language": "fa",
             "published_at": "2025-01-02T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z",
             "version": 1735776000000},
        ),
        (
            {"uri": "u", "headlines": [{"value": "H"}], "body_text": "N", "copyrightholder": "مهر",
             "versioncreated": "2025-01-01T00:00:01Z", "language": "fa"},
            {"agency": "مهر", "title": "H", "kicker": "", "lead": "", "body": "N", "language": "fa",
             "published_at": "2025-01-01T00:00:01Z", "updated_at": "2025-01-01T00:00:01Z",
             "version": 1735689601000},
        ),
        (
            {"id": "b0-2", "agency": "فارس", "body": "B"},
            {"agency": "فارس", "title": "", "kicker": "", "lead": "", "body": "B", "language": "fa",
             "published_at": None, "updated_at": None, "version": RECEIVED_MS},
        ),
    ],
)
def test_baseline_document(raw: dict[str, Any], expected: dict[str, Any]) -> None:
    """Flat JSON and ninjs map to the same fields; with no update time the version is the receipt time."""
    doc = baseline_document(raw, "key-1", RECEIVED_MS)
    assert doc == {"id": "key-1", "received_at": "2025-01-01T00:00:00.123000Z", **expected}
