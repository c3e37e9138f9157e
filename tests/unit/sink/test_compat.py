"""The Elasticsearch client speaks the server's API version, checked against recorded exchanges.

``tests/data/search/elasticsearch-8.19.21.json`` is Khabar's exchange with a real 8.19.21 node;
``elasticsearch-9.1.5.json`` is the same calls with a 9.x server (see its ``about``). The writer runs
its calls against a node that replays the server's answers, and each request must carry the Accept
and Content-Type the exchange holds: API version 8 for the 8.x server (which refuses the client's
own 9), 9 for the 9.x server.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from elastic_transport import ApiResponseMeta, BaseAsyncNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import AsyncElasticsearch

from streams.config import load_settings
from streams.sink.engine import Engine, compat_major, engine_from_root, version_from_nodes
from streams.sink.search import ElasticsearchWriter, compat_headers, elasticsearch_options

DATA = Path(__file__).resolve().parents[2] / "data" / "search"
ALIAS = "rec-articles"


def _exchange(name: str) -> dict[str, Any]:
    return dict(json.loads((DATA / name).read_text(encoding="utf-8")))


class ReplayNode(BaseAsyncNode):
    """A node that answers with the recorded responses, in order, and keeps what the client sent."""

    script: ClassVar[list[dict[str, Any]]] = []
    sent: ClassVar[list[tuple[str, str, dict[str, str]]]] = []

    async def perform_request(self, method: str, target: str, body: bytes | None = None,  # type: ignore[override]
                              headers: HttpHeaders | None = None, request_timeout: Any = None) -> NodeApiResponse:
        step = self.script.pop(0)
        kept = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in ("accept", "content-type")}
        self.sent.append((method, target, kept))
        answer = step["response"]
        raw = b"" if answer["body"] is None else json.dumps(answer["body"]).encode()
        meta = ApiResponseMeta(status=answer["status"], http_version="1.1", headers=HttpHeaders(answer["headers"]),
                               duration=0.0, node=self.config)
        return NodeApiResponse(meta, raw)

    async def close(self) -> None:
        return None


def _detect(exchange: list[dict[str, Any]]) -> tuple[Engine, list[dict[str, Any]]]:
    """The engine as detection sees it from the recorded answers to GET / (and /_nodes/_local)."""
    root = exchange[0]["response"]
    if 200 <= root["status"] < 300:
        engine = engine_from_root(root["headers"], root["body"])
        assert engine is not None
        return engine, exchange[1:]
    assert root["headers"]["x-elastic-product"] == "Elasticsearch"
    return Engine("elasticsearch", version_from_nodes(exchange[1]["response"]["body"])), exchange[2:]


async def _writer_calls(writer: ElasticsearchWriter) -> None:
    """The calls of the recording, in its order."""
    await writer.ensure_index()
    await writer.bulk([{"id": "irna-1", "version": 1717580000000, "title": "قره‌باغ", "body": "متن"}])
    await writer.bulk([{"id": "irna-1", "version": 1717500000000, "title": "قدیمی", "body": "متن"}])
    await writer.refresh()
    await writer.search({"query": {"match": {"title": "قره باغ"}}, "highlight": {"fields": {"title": {}}}}, size=5)
    await writer.count()
    assert await writer.ping()
    await writer.close()


@pytest.mark.parametrize(("name", "major"), [("elasticsearch-8.19.21.json", 8), ("elasticsearch-9.1.5.json", 9)])
def test_requests_carry_the_servers_api_version(name: str, major: int) -> None:
    """Every request's Accept and Content-Type are the ones of the exchange, API version and all."""
    recorded = _exchange(name)
    engine, calls = _detect(recorded["exchange"])
    assert engine.describe() == recorded["engine"]
    assert compat_major(engine) == major
    ReplayNode.script, ReplayNode.sent = list(calls), []
    settings = load_settings({"KHABAR_SEARCH_URL": "http://127.0.0.1:9200", "KHABAR_INDEX_ALIAS": ALIAS})
    client = AsyncElasticsearch(**elasticsearch_options(settings, engine), node_class=ReplayNode)
    asyncio.run(_writer_calls(ElasticsearchWriter(client, ALIAS)))
    expected = [(c["request"]["method"], c["request"]["target"], c["request"]["headers"]) for c in calls]
    assert ReplayNode.sent == expected
    assert all(f"compatible-with={major}" in headers["accept"] for _, _, headers in ReplayNode.sent)


def test_the_clients_own_version_is_what_an_8_server_refuses() -> None:
    """The 8.x node refused the client's own API version (9): what the rewrite exists for."""
    refused = _exchange("elasticsearch-8.19.21.json")["refused"]
    assert refused["response"]["status"] == 400
    assert refused["response"]["body"]["error"]["type"] == "media_type_header_exception"
    native = {"Accept": "application/vnd.elasticsearch+json; compatible-with=9",
              "Content-Type": "application/vnd.elasticsearch+x-ndjson; compatible-with=9", "X-Other": "1"}
    assert compat_headers(native, 8) == {"Accept": "application/vnd.elasticsearch+json; compatible-with=8",
                                         "Content-Type": "application/vnd.elasticsearch+x-ndjson; compatible-with=8",
                                         "X-Other": "1"}
