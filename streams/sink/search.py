"""Bulk writer for Elasticsearch and OpenSearch: one interface, two adapters.

The engine and its version come from :mod:`streams.sink.engine`. The Elasticsearch client speaks the
server's major version through its compatibility mode (:class:`_CompatTransport`), so the one
client serves Elasticsearch 8.x and 9.x. Every third-party exception is translated here: connection trouble,
timeouts, 429 and 5xx become :class:`SearchUnavailable` (retry, hold the offset); a document the
engine refuses (mapping error, 400) becomes a :class:`RejectedDocument` (dead-letter). Bulk items
are classified from their structured ``error.type`` and ``status``, never from message text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from typing import Any, Literal, Protocol

from streams.config import Settings
from streams.errors import RejectedDocument, SearchUnavailable
from streams.resources import load_schema
from streams.sink.engine import Backend, Engine, compat_major, detect_engine

__all__ = [
    "Backend",
    "BulkOutcome",
    "SearchWriter",
    "compat_headers",
    "elasticsearch_options",
    "open_writer",
    "classify_item",
]

_TRANSIENT_TYPES = frozenset({
    "es_rejected_execution_exception", "opensearch_rejected_execution_exception",
    "rejected_execution_exception", "circuit_breaking_exception", "unavailable_shards_exception",
    "cluster_block_exception", "no_shard_available_action_exception", "timeout_exception",
    "process_cluster_event_timeout_exception", "node_not_connected_exception",
    "primary_missing_action_exception",
})
_ALREADY_NEWER = frozenset({"version_conflict_engine_exception"})


@dataclass
class BulkOutcome:
    """What became of a bulk request: written ids, ids the engine already had in a newer
    version, documents it refused (dead-letter), and documents to retry."""

    written: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    rejected: list[RejectedDocument] = field(default_factory=list)
    retry: list[dict[str, Any]] = field(default_factory=list)


def classify_item(status: int, error: dict[str, Any] | None) -> Literal["ok", "superseded", "retry", "reject"]:
    """One bulk item's fate from its status and structured error type."""
    if error is None and 200 <= status < 300:
        return "ok"
    etype = (error or {}).get("type", "")
    if status == 409 or etype in _ALREADY_NEWER:
        return "superseded"
    if status == 429 or status >= 500 or etype in _TRANSIENT_TYPES:
        return "retry"
    return "reject"


class SearchWriter(Protocol):
    backend: Backend
    alias: str

    async def ensure_index(self) -> None: ...
    async def bulk(self, docs: Sequence[dict[str, Any]], *, replace_same_version: bool = False) -> BulkOutcome: ...
    async def search(self, body: dict[str, Any], size: int = 10) -> dict[str, Any]: ...
    async def count(self, body: dict[str, Any] | None = None) -> int: ...
    async def refresh(self) -> None: ...
    async def ping(self) -> bool: ...
    async def close(self) -> None: ...


def _bulk_body(alias: str, docs: Sequence[dict[str, Any]], now: str,
               version_type: str = "external") -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for doc in docs:
        lines.append({"index": {"_index": alias, "_id": doc["id"], "version": int(doc["version"]),
                                "version_type": version_type}})
        lines.append({**doc, "indexed_at": now})
    return lines


def _outcome(response: dict[str, Any], docs: Sequence[dict[str, Any]]) -> BulkOutcome:
    out = BulkOutcome()
    items = response.get("items")
    items = items if isinstance(items, list) else []
    # a document without its item in the response was not acknowledged: it is retried, never dropped
    out.retry.extend(docs[len(items):])
    for doc, item in zip(docs, items[:len(docs)], strict=False):
        result = next(iter(item.values()), None) if isinstance(item, dict) else None
        if not isinstance(result, dict):
            out.retry.append(doc)
            continue
        fate = classify_item(int(result.get("status", 500)), result.get("error"))
        if fate == "ok":
            out.written.append(doc["id"])
        elif fate == "superseded":
            out.superseded.append(doc["id"])
        elif fate == "retry":
            out.retry.append(doc)
        else:
            err = result.get("error") or {}
            out.rejected.append(RejectedDocument(doc["id"], str(err.get("type", "unknown")),
                                                 str(err.get("reason", ""))[:300]))
    return out


class _Writer:
    """Shared logic; subclasses supply the client and the exception translation."""

    backend: Backend

    def __init__(self, client: Any, alias: str) -> None:
        self.client = client
        self.alias = alias

    def _translate(self, exc: Exception) -> Exception:
        raise NotImplementedError

    async def _call(self, coro: Any) -> Any:
        try:
            return await coro
        except Exception as exc:  # translated: adapters own third-party exceptions
            raise self._translate(exc) from exc

    async def ensure_index(self) -> None:
        template = load_schema("index_template.json")
        name = f"{self.alias}-template"
        body = {**template, "index_patterns": [f"{self.alias}-*"]}
        await self._call(self.client.indices.put_index_template(name=name, body=body))
        exists = await self._call(self.client.indices.exists_alias(name=self.alias))
        if not exists:
            index = f"{self.alias}-v1"
            try:
                await self._call(self.client.indices.create(
                    index=index, body={"aliases": {self.alias: {"is_write_index": True}}}))
            except RejectedDocument as exc:
                if "already_exists" not in exc.error_type:
                    raise

    async def bulk(self, docs: Sequence[dict[str, Any]], *, replace_same_version: bool = False) -> BulkOutcome:
        """Index with external versions: a newer version wins, an older never overwrites. With
        ``replace_same_version`` (re-enrichment of what is indexed) an equal version replaces too."""
        if not docs:
            return BulkOutcome()
        now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
        version_type = "external_gte" if replace_same_version else "external"
        response = await self._call(self.client.bulk(body=_bulk_body(self.alias, docs, now, version_type)))
        return _outcome(dict(response), docs)

    async def search(self, body: dict[str, Any], size: int = 10) -> dict[str, Any]:
        response = await self._call(self.client.search(index=self.alias, body={**body, "size": size}))
        return dict(response)

    async def count(self, body: dict[str, Any] | None = None) -> int:
        response = await self._call(self.client.count(index=self.alias, body=body or {"query": {"match_all": {}}}))
        return int(response["count"])

    async def refresh(self) -> None:
        await self._call(self.client.indices.refresh(index=self.alias))

    async def ping(self) -> bool:
        # cluster health rather than the root endpoint, which a minimal Elasticsearch build lacks
        try:
            await self.client.cluster.health()
        except Exception:  # noqa: BLE001 - a failed ping is an answer, not an error
            return False
        return True

    async def close(self) -> None:
        await self.client.close()


def _status_of(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status
    meta = getattr(exc, "meta", None)
    status = getattr(meta, "status", None)
    return status if isinstance(status, int) else None


def _error_type(exc: Exception) -> str:
    info = getattr(exc, "info", None) or getattr(exc, "body", None)
    if isinstance(info, dict):
        err = info.get("error")
        if isinstance(err, dict):
            return str(err.get("type", "unknown"))
        if isinstance(err, str):
            return err
    return type(exc).__name__


def _translate_http(exc: Exception) -> Exception:
    status = _status_of(exc)
    if status is None or status == 429 or status >= 500:
        return SearchUnavailable(f"search engine unavailable: {type(exc).__name__} {status or ''}".strip())
    if status in (401, 403):
        return SearchUnavailable(f"search engine refused the credentials (HTTP {status})")
    return RejectedDocument("-", _error_type(exc), f"HTTP {status}")


class OpenSearchWriter(_Writer):
    backend: Backend = "opensearch"

    def _translate(self, exc: Exception) -> Exception:
        return _translate_http(exc)


class ElasticsearchWriter(_Writer):
    backend: Backend = "elasticsearch"

    def _translate(self, exc: Exception) -> Exception:
        return _translate_http(exc)


_COMPAT_WITH = re.compile(r"compatible-with=\d+")


def compat_headers(headers: Mapping[str, str], major: int) -> dict[str, str]:
    """The request headers with Accept and Content-Type asking for API version ``major``: the client asks
    for its own major version, which an older server refuses, while a newer one takes the older mode."""
    out = dict(headers)
    for name, value in out.items():
        if name.lower() in ("accept", "content-type"):
            out[name] = _COMPAT_WITH.sub(f"compatible-with={major}", value)
    return out


@cache
def _compat_transport(major: int) -> type:
    """The Elasticsearch client's async transport, speaking API version ``major``."""
    from elastic_transport import AsyncTransport, HttpHeaders, TransportApiResponse
    from elastic_transport.client_utils import DEFAULT, DefaultType

    class CompatTransport(AsyncTransport):
        # async over the sync transport's signature, as AsyncTransport itself does
        async def perform_request(self, method: str, target: str, *,  # type: ignore[override]
                                  headers: Mapping[str, Any] | DefaultType = DEFAULT,
                                  **kwargs: Any) -> TransportApiResponse:
            if isinstance(headers, Mapping):
                headers = HttpHeaders(compat_headers(headers, major))
            return await super().perform_request(method, target, headers=headers, **kwargs)

    CompatTransport.__name__ = f"CompatTransport{major}"
    return CompatTransport


def open_writer(settings: Settings, engine: Engine | None = None) -> SearchWriter:
    """Detect the engine (unless given) and build its async client."""
    if engine is None:
        engine = detect_engine(settings)
    if engine.backend == "opensearch":
        from opensearchpy import AsyncOpenSearch

        from streams.sink.serializer import OpenSearchOrjson

        kwargs: dict[str, Any] = {"hosts": [settings.search_url], "timeout": 30, "serializer": OpenSearchOrjson()}
        if settings.search_user:
            kwargs["http_auth"] = (settings.search_user, settings.search_password)
        if settings.search_api_key:
            kwargs["headers"] = {"Authorization": f"ApiKey {settings.search_api_key}"}
        if settings.search_url.startswith("https"):
            kwargs.update(use_ssl=True, verify_certs=settings.search_verify_certs,
                          ca_certs=settings.search_ca_certs or None, ssl_show_warn=False)
        return OpenSearchWriter(AsyncOpenSearch(**kwargs), settings.index_alias)
    from elasticsearch import AsyncElasticsearch

    return ElasticsearchWriter(AsyncElasticsearch(**elasticsearch_options(settings, engine)), settings.index_alias)


def elasticsearch_options(settings: Settings, engine: Engine) -> dict[str, Any]:
    """The Elasticsearch client's options: address, credentials, TLS, orjson, and the server's API version."""
    from streams.sink.serializer import elasticsearch_serializers

    options: dict[str, Any] = {"hosts": [settings.search_url], "request_timeout": 30,
                               "serializers": elasticsearch_serializers(),
                               "transport_class": _compat_transport(compat_major(engine))}
    if settings.search_user:
        options["basic_auth"] = (settings.search_user, settings.search_password)
    if settings.search_api_key:
        options["api_key"] = settings.search_api_key
    if settings.search_url.startswith("https"):
        options.update(verify_certs=settings.search_verify_certs, ca_certs=settings.search_ca_certs or None)
    return options
