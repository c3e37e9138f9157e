"""Small bulk writes made searchable at once; orjson in the clients' serializers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson

from streams.errors import SearchUnavailable
from streams.sink.refresh import RefreshingWriter, with_refresh
from streams.sink.search import BulkOutcome
from streams.sink.serializer import OpenSearchOrjson, elasticsearch_serializers


class FakeWriter:
    backend = "opensearch"
    alias = "a"

    def __init__(self, refresh_fails: bool = False) -> None:
        self.refreshes = 0
        self.calls: list[tuple[int, bool]] = []
        self.refresh_fails = refresh_fails

    async def bulk(self, docs: Sequence[dict[str, Any]], *, replace_same_version: bool = False) -> BulkOutcome:
        self.calls.append((len(docs), replace_same_version))
        return BulkOutcome(written=[d["id"] for d in docs])

    async def refresh(self) -> None:
        self.refreshes += 1
        if self.refresh_fails:
            raise SearchUnavailable("down")


def _docs(n: int) -> list[dict[str, Any]]:
    return [{"id": str(i), "version": 1} for i in range(n)]


def test_small_bulks_are_refreshed_large_ones_are_not() -> None:
    """A bulk at or under the threshold is followed by a refresh; a full one is left to the index."""
    inner = FakeWriter()
    writer = RefreshingWriter(inner, max_docs=10)  # type: ignore[arg-type]
    asyncio.run(writer.bulk(_docs(3)))
    asyncio.run(writer.bulk(_docs(10)))
    asyncio.run(writer.bulk(_docs(11), replace_same_version=True))
    assert inner.refreshes == 2
    assert inner.calls[-1] == (11, True)


def test_a_failed_refresh_does_not_fail_the_write() -> None:
    """The documents are durable once indexed; a refresh that fails only delays their visibility."""
    writer = RefreshingWriter(FakeWriter(refresh_fails=True), max_docs=10)  # type: ignore[arg-type]
    assert asyncio.run(writer.bulk(_docs(2))).written == ["0", "1"]


def test_zero_turns_refreshing_off() -> None:
    """KHABAR_REFRESH_MAX_DOCS=0 leaves the writer as it is."""
    inner = FakeWriter()
    assert with_refresh(inner, 0) is inner  # type: ignore[arg-type]
    assert with_refresh(inner, 5).alias == "a"  # type: ignore[arg-type]


def test_serializers_write_the_same_json_as_the_standard_library() -> None:
    """orjson bodies parse back to the same documents, Persian text kept as UTF-8."""
    doc = {"title": "قره‌باغ", "n": 3, "nested": {"a": [1, 2]}}
    text = OpenSearchOrjson().dumps(doc)
    assert isinstance(text, str) and orjson.loads(text) == doc and "قره" in text
    assert OpenSearchOrjson().dumps("already") == "already"
    ndjson = elasticsearch_serializers()["application/x-ndjson"].dumps([{"index": {"_id": "1"}}, doc])
    assert [orjson.loads(line) for line in ndjson.splitlines()] == [{"index": {"_id": "1"}}, doc]
