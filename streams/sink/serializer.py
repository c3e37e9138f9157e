"""orjson for the search clients' request and response bodies.

Both clients serialize with the standard library's ``json`` by default; a bulk request of a few
hundred enriched articles is megabytes of JSON each way, and orjson does that several times
faster. The adapters in :mod:`streams.sink.search` pass these to the clients they build.
"""

from __future__ import annotations

from typing import Any

import orjson
from elastic_transport import NdjsonSerializer
from elasticsearch.serializer import JsonSerializer as EsJsonSerializer
from opensearchpy.serializer import JSONSerializer as OsJsonSerializer

__all__ = ["OpenSearchOrjson", "elasticsearch_serializers"]


class OpenSearchOrjson(OsJsonSerializer):
    """opensearch-py's JSON serializer on orjson (``str`` out: the client joins bulk lines as text)."""

    def loads(self, s: Any) -> Any:
        return orjson.loads(s)

    def dumps(self, data: Any) -> Any:
        if isinstance(data, (str, bytes)):
            return data
        return orjson.dumps(data, default=self.default).decode("utf-8")


class _EsJson(EsJsonSerializer):
    def json_dumps(self, data: Any) -> bytes:
        return orjson.dumps(data, default=self.default)

    def json_loads(self, data: bytes) -> Any:
        return orjson.loads(data)


class _EsNdjson(NdjsonSerializer):
    def json_dumps(self, data: Any) -> bytes:
        return orjson.dumps(data, default=self.default)

    def json_loads(self, data: bytes) -> Any:
        return orjson.loads(data)


def elasticsearch_serializers() -> dict[str, Any]:
    """Serializers for ``AsyncElasticsearch(serializers=...)``: JSON and NDJSON (bulk) on orjson."""
    return {"application/json": _EsJson(), "application/x-ndjson": _EsNdjson()}
