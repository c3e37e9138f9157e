"""Bulk writer for Elasticsearch and OpenSearch: one interface, two adapters.

The backend is detected from the server's root response (OpenSearch says so in
``version.distribution``). Every third-party exception is translated here: connection trouble,
timeouts, 429 and 5xx become :class:`SearchUnavailable` (retry, hold the offset); a document the
engine refuses (mapping error, 400) becomes a :class:`RejectedDocument` (dead-letter). Bulk items
are classified from their structured ``error.type`` and ``status``, never from message text.
"""

from __future__ import annotations

import base64
import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from streams.config import Settings
from streams.errors import ConfigError, RejectedDocument, SearchUnavailable
from streams.resources import load_schema

__all__ = [
    "Backend",
    "BulkOutcome",
    "SearchWriter",
    "detect_backend",
    "open_writer",
    "classify_item",
]

Backend = Literal["elasticsearch", "opensearch"]
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


def _ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if not settings.search_url.startswith("https"):
        return None
    ctx = ssl.create_default_context(cafile=settings.search_ca_certs or None)
    if not settings.search_verify_certs:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _auth_headers(settings: Settings) -> dict[str, str]:
    if settings.search_api_key:
        return {"Authorization": f"ApiKey {settings.search_api_key}"}
    if settings.search_user:
        token = base64.b64encode(f"{settings.search_user}:{settings.search_password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return {}


def detect_backend(settings: Settings, timeout: float = 10.0) -> tuple[Backend, str]:
    """(backend, version) from the root response of ``KHABAR_SEARCH_URL``."""
    request = urllib.request.Request(settings.search_url.rstrip("/") + "/", headers=_auth_headers(settings))
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=_ssl_context(settings)) as resp:
            body = json.loads(resp.read().decode("utf-8"))
            product = resp.headers.get("X-Elastic-Product", "")
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise ConfigError(
                f"search engine at {settings.search_url} refused the credentials (HTTP {exc.code})"
            ) from None
        raise SearchUnavailable(f"search engine root answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SearchUnavailable(f"search engine at {settings.search_url} unreachable: {type(exc).__name__}") from None
    version = body.get("version", {}) if isinstance(body, dict) else {}
    number = str(version.get("number", "?"))
    if version.get("distribution") == "opensearch":
        return "opensearch", number
    if product == "Elasticsearch" or body.get("tagline") == "You Know, for Search":
        return "elasticsearch", number
    raise ConfigError(f"{settings.search_url} is neither Elasticsearch nor OpenSearch")


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
        try:
            return bool(await self.client.ping())
        except Exception:  # noqa: BLE001 - a failed ping is an answer, not an error
            return False

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


def open_writer(settings: Settings, backend: Backend | None = None) -> SearchWriter:
    """Detect the backend (unless given) and build its async client."""
    if backend is None:
        backend, _ = detect_backend(settings)
    auth = (settings.search_user, settings.search_password) if settings.search_user else None
    common: dict[str, Any] = {"request_timeout": 30}
    if backend == "opensearch":
        from opensearchpy import AsyncOpenSearch

        from streams.sink.serializer import OpenSearchOrjson

        kwargs: dict[str, Any] = {"hosts": [settings.search_url], "timeout": 30, "serializer": OpenSearchOrjson()}
        if auth:
            kwargs["http_auth"] = auth
        if settings.search_api_key:
            kwargs["headers"] = {"Authorization": f"ApiKey {settings.search_api_key}"}
        if settings.search_url.startswith("https"):
            kwargs.update(use_ssl=True, verify_certs=settings.search_verify_certs,
                          ca_certs=settings.search_ca_certs or None, ssl_show_warn=False)
        return OpenSearchWriter(AsyncOpenSearch(**kwargs), settings.index_alias)
    from elasticsearch import AsyncElasticsearch

    from streams.sink.serializer import elasticsearch_serializers

    es_kwargs: dict[str, Any] = {"hosts": [settings.search_url], **common, "serializers": elasticsearch_serializers()}
    if auth:
        es_kwargs["basic_auth"] = auth
    if settings.search_api_key:
        es_kwargs["api_key"] = settings.search_api_key
    if settings.search_url.startswith("https"):
        es_kwargs.update(verify_certs=settings.search_verify_certs, ca_certs=settings.search_ca_certs or None)
    return ElasticsearchWriter(AsyncElasticsearch(**es_kwargs), settings.index_alias)
