"""Per-item classification of bulk results and the bulk body."""

import pytest

from streams.sink.search import _bulk_body, _outcome, classify_item


@pytest.mark.parametrize("status,error,fate", [
    (201, None, "ok"),
    (200, None, "ok"),
    (409, {"type": "version_conflict_engine_exception"}, "superseded"),
    (429, {"type": "es_rejected_execution_exception"}, "retry"),
    (503, {"type": "unavailable_shards_exception"}, "retry"),
    (400, {"type": "mapper_parsing_exception"}, "reject"),
    (400, {"type": "document_parsing_exception"}, "reject"),
    (400, {"type": "illegal_argument_exception"}, "reject"),
])
def test_item_fate_from_structured_error(status: int, error: dict | None, fate: str) -> None:
    """Status and error type decide the fate, never the message text."""
    assert classify_item(status, error) == fate


def test_bulk_body_uses_external_versions() -> None:
    """Each action carries the stable id and the external version."""
    body = _bulk_body("alias", [{"id": "a-1", "version": 5}], "2024-01-01T00:00:00Z")
    assert body[0] == {"index": {"_index": "alias", "_id": "a-1", "version": 5, "version_type": "external"}}
    assert body[1]["indexed_at"] == "2024-01-01T00:00:00Z"


def test_outcome_sorts_items() -> None:
    """A mixed bulk response is split into written, superseded, rejected and retry."""
    docs = [{"id": str(i), "version": 1} for i in range(4)]
    response = {"items": [
        {"index": {"status": 201}},
        {"index": {"status": 409, "error": {"type": "version_conflict_engine_exception"}}},
        {"index": {"status": 400, "error": {"type": "mapper_parsing_exception", "reason": "bad"}}},
        {"index": {"status": 429, "error": {"type": "es_rejected_execution_exception"}}},
    ]}
    out = _outcome(response, docs)
    assert out.written == ["0"] and out.superseded == ["1"]
    assert [r.doc_id for r in out.rejected] == ["2"] and out.rejected[0].error_type == "mapper_parsing_exception"
    assert [d["id"] for d in out.retry] == ["3"]


def test_outcome_retries_documents_without_an_item() -> None:
    """A response with fewer items than documents never drops the rest: they are retried."""
    docs = [{"id": str(i), "version": 1} for i in range(3)]
    out = _outcome({"items": [{"index": {"status": 201}}, {}]}, docs)
    assert out.written == ["0"]
    assert sorted(d["id"] for d in out.retry) == ["1", "2"]
    assert [d["id"] for d in _outcome({"errors": True}, docs).retry] == ["0", "1", "2"]
