"""`khabar dashboards install URL`: Khabar's saved objects into Kibana or OpenSearch Dashboards.

``deploy/kibana/`` holds two NDJSON exports of the same dashboard over the article alias:
``khabar.kibana.ndjson`` (Lens, Kibana 8.9+ and 9) and ``khabar.opensearch-dashboards.ndjson``
(aggregation-based visualizations, OpenSearch Dashboards 2). Both are imported through the saved
objects ``_import`` API: a multipart upload with the product's anti-CSRF header (``kbn-xsrf`` or
``osd-xsrf``), into a Kibana space when one is named, overwriting Khabar's own objects (their ids
are fixed) and nothing else. Which product answers is told by its ``kbn-name``/``osd-name`` header.

The data view's title is set to the alias the workers write to (``KHABAR_INDEX_ALIAS``), and the
tracked-figure panel's query to the figures on the watchlist when it can be read.
"""

from __future__ import annotations

import base64
import os
import ssl
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

import orjson
import typer

from streams.commands.terminal import console, err_console, fail, get_settings
from streams.config import Settings
from streams.errors import KhabarError

__all__ = [
    "DashboardsError",
    "Flavor",
    "ImportRequest",
    "SAVED_OBJECTS",
    "build_import_request",
    "dashboards_app",
    "detect_flavor",
    "load_objects",
    "prepare_objects",
    "saved_objects_dir",
    "send_import",
    "tracked_include",
    "tracked_query",
]

Flavor = Literal["kibana", "opensearch"]
SAVED_OBJECTS: dict[str, str] = {
    "kibana": "khabar.kibana.ndjson",
    "opensearch": "khabar.opensearch-dashboards.ndjson",
}
DATA_VIEW_ID = "khabar-articles"
TRACKED_PANEL_ID = "khabar-tracked-figure-mentions"
DEFAULT_TRACKED_QUERY = "entity_ids:person/* or entity_ids:organization/*"
DEFAULT_TRACKED_INCLUDE = "(person|organization)/.*"

dashboards_app = typer.Typer(help="Kibana / OpenSearch Dashboards saved objects.", no_args_is_help=True)


class DashboardsError(KhabarError):
    """The dashboards server refused or could not be reached; the message says what it answered."""


@dataclass(frozen=True)
class ImportRequest:
    url: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"


def _auth_headers(user: str | None, password: str | None, api_key: str | None) -> dict[str, str]:
    if api_key:
        return {"Authorization": f"ApiKey {api_key}"}
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}
    return {}


def build_import_request(base_url: str, flavor: Flavor, ndjson: bytes, *, space: str | None = None,
                         overwrite: bool = True, user: str | None = None, password: str | None = None,
                         api_key: str | None = None, boundary: str | None = None) -> ImportRequest:
    """The ``POST .../api/saved_objects/_import`` request for one NDJSON file."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DashboardsError(f"not an http(s) URL: {base_url!r}")
    root = base_url.rstrip("/")
    if space and space != "default":
        if flavor != "kibana":
            raise DashboardsError("spaces are a Kibana feature; OpenSearch Dashboards uses tenants")
        root += f"/s/{quote(space, safe='')}"
    url = f"{root}/api/saved_objects/_import" + ("?overwrite=true" if overwrite else "")
    boundary = boundary or f"khabar-{uuid.uuid4().hex}"
    body = b"".join([
        f"--{boundary}\r\n".encode(),
        b'Content-Disposition: form-data; name="file"; filename="khabar.ndjson"\r\n',
        b"Content-Type: application/ndjson\r\n\r\n",
        ndjson if ndjson.endswith(b"\n") else ndjson + b"\n",
        f"\r\n--{boundary}--\r\n".encode(),
    ])
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        ("kbn-xsrf" if flavor == "kibana" else "osd-xsrf"): "true",
        "Accept": "application/json",
        **_auth_headers(user, password, api_key),
    }
    return ImportRequest(url, headers, body)


def _open(request: urllib.request.Request, timeout: float, context: ssl.SSLContext | None) -> Any:
    return urllib.request.urlopen(request, timeout=timeout, context=context)


def detect_flavor(base_url: str, *, headers: Mapping[str, str] | None = None, timeout: float = 15.0,
                  context: ssl.SSLContext | None = None) -> Flavor:
    """Kibana or OpenSearch Dashboards, from ``GET /api/status``."""
    request = urllib.request.Request(base_url.rstrip("/") + "/api/status", headers=dict(headers or {}))
    try:
        with _open(request, timeout, context) as response:
            names = {k.lower() for k in response.headers}
            body = response.read()
    except urllib.error.HTTPError as exc:
        names, body = {k.lower() for k in exc.headers}, b""
    except (urllib.error.URLError, OSError) as exc:
        raise DashboardsError(f"{base_url} unreachable: {getattr(exc, 'reason', exc)}") from None
    if "osd-name" in names:
        return "opensearch"
    if "kbn-name" in names:
        return "kibana"
    try:
        version = orjson.loads(body).get("version", {})
    except (orjson.JSONDecodeError, AttributeError):
        version = {}
    if isinstance(version, dict) and str(version.get("distribution", "")).lower().startswith("opensearch"):
        return "opensearch"
    return "kibana"


def send_import(request: ImportRequest, *, timeout: float = 60.0,
                context: ssl.SSLContext | None = None) -> dict[str, Any]:
    """Send the import; the server's JSON answer when every object was imported."""
    req = urllib.request.Request(request.url, data=request.body, headers=request.headers, method=request.method)
    try:
        with _open(req, timeout, context) as response:
            answer = orjson.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode("utf-8", "replace")
        raise DashboardsError(f"import refused: HTTP {exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DashboardsError(f"{request.url} unreachable: {getattr(exc, 'reason', exc)}") from None
    except orjson.JSONDecodeError:
        raise DashboardsError("the server's answer to the import is not JSON") from None
    if not answer.get("success", False):
        errors = [f"{e.get('type')}/{e.get('id')}: {(e.get('error') or {}).get('type')}"
                  for e in answer.get("errors") or ()]
        raise DashboardsError("import incomplete: " + ("; ".join(errors) or orjson.dumps(answer).decode()))
    return dict(answer)


def saved_objects_dir() -> Path:
    """``deploy/kibana`` of the project, or ``KHABAR_DASHBOARDS_DIR`` (an installed package has no deploy/)."""
    return Path(os.environ.get("KHABAR_DASHBOARDS_DIR") or Path(__file__).resolve().parents[2] / "deploy" / "kibana")


def load_objects(flavor: Flavor) -> list[dict[str, Any]]:
    """The saved objects shipped for ``flavor``, one dict per NDJSON line."""
    path = saved_objects_dir() / SAVED_OBJECTS[flavor]
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise DashboardsError(f"{path}: {exc.strerror}; "
                              "set KHABAR_DASHBOARDS_DIR to the project's deploy/kibana") from None
    return [orjson.loads(line) for line in lines if line.strip()]


def tracked_query(figures: Iterable[Mapping[str, Any]]) -> str:
    """A KQL query matching articles about the given figures (gazetteer ids, else their names)."""
    clauses = []
    for f in figures:
        if str(f.get("id", "")).startswith(("person/", "organization/")):
            clauses.append(f'entity_ids:"{f["id"]}"')
        else:
            name = str(f.get("name", "")).replace("\\", "\\\\").replace('"', '\\"')
            clauses.append(f'"{name}"')
    return " or ".join(clauses) if clauses else DEFAULT_TRACKED_QUERY


_REGEX_SPECIAL = frozenset('.?+*|{}[]()"\\#@&<>~')


def tracked_include(figures: Iterable[Mapping[str, Any]]) -> str:
    """A terms ``include`` regex (Lucene syntax) of the figures' gazetteer ids."""
    ids = [str(f.get("id")) for f in figures if str(f.get("id", "")).startswith(("person/", "organization/"))]
    if not ids:
        return DEFAULT_TRACKED_INCLUDE
    return "|".join("".join("\\" + c if c in _REGEX_SPECIAL else c for c in i) for i in ids)


def _set_tracked(obj: dict[str, Any], query: str, include: str) -> None:
    attrs = obj["attributes"]
    if obj["type"] == "lens":
        attrs["state"]["query"] = {"language": "kuery", "query": query}
        for layer in attrs["state"]["datasourceStates"]["formBased"]["layers"].values():
            for column in layer["columns"].values():
                if column.get("operationType") == "terms" and column.get("sourceField") == "entity_ids":
                    column["params"].update(include=[include], includeIsRegex=True)
        return
    meta = attrs["kibanaSavedObjectMeta"]
    source = orjson.loads(meta.get("searchSourceJSON") or "{}")
    source["query"] = {"language": "kuery", "query": query}
    meta["searchSourceJSON"] = orjson.dumps(source).decode()
    state = orjson.loads(attrs["visState"])
    for agg in state.get("aggs", ()):
        if agg.get("type") == "terms" and agg.get("params", {}).get("field") == "entity_ids":
            agg["params"]["include"] = include
    attrs["visState"] = orjson.dumps(state).decode()


def prepare_objects(objects: list[dict[str, Any]], *, alias: str,
                    tracked: Sequence[Mapping[str, Any]] | None = None) -> bytes:
    """The NDJSON to import: the data view titled ``alias``; with ``tracked`` figures, the
    tracked-figure panel filtered to their articles and broken down by their ids."""
    out = []
    for obj in objects:
        obj = orjson.loads(orjson.dumps(obj))  # a copy: the shipped objects stay as they are
        if obj.get("type") == "index-pattern" and obj.get("id") == DATA_VIEW_ID:
            obj["attributes"]["title"] = alias
        if tracked and obj.get("id") == TRACKED_PANEL_ID:
            _set_tracked(obj, tracked_query(tracked), tracked_include(tracked))
        out.append(orjson.dumps(obj))
    return b"\n".join(out) + b"\n"


def _watchlist(settings: Settings) -> list[dict[str, Any]] | None:
    from streams.alerts.store import read_watchlist

    try:
        figures = read_watchlist(settings, timeout_s=10.0)
    except KhabarError as exc:
        err_console.print(f"[yellow]watchlist not read ({exc}); the tracked-figure panel shows all persons "
                          "and organizations[/]")
        return None
    return [f.to_dict() for f in figures.values()]


@dashboards_app.command("install")
def install(
    url: Annotated[str, typer.Argument(help="Kibana or OpenSearch Dashboards base URL, e.g. http://127.0.0.1:5601")],
    flavor: Annotated[str, typer.Option(help="auto, kibana or opensearch")] = "auto",
    space: Annotated[str | None, typer.Option(help="Kibana space to import into.")] = None,
    user: Annotated[str | None, typer.Option(envvar="KHABAR_DASHBOARDS_USER", help="Basic-auth user.")] = None,
    password: Annotated[str | None, typer.Option(envvar="KHABAR_DASHBOARDS_PASSWORD", help="Basic-auth password.",
                                                 show_default=False)] = None,
    api_key: Annotated[str | None, typer.Option(envvar="KHABAR_DASHBOARDS_API_KEY", help="Kibana API key.",
                                                show_default=False)] = None,
    ca_certs: Annotated[Path | None, typer.Option(help="CA bundle for an https URL.")] = None,
    watchlist: Annotated[bool, typer.Option(help="Point the tracked-figure panel at the watchlist.")] = True,
) -> None:
    """Import the Khabar data view, visualizations and dashboard (existing Khabar objects are replaced)."""
    settings = get_settings()
    if flavor not in ("auto", "kibana", "opensearch"):
        fail("--flavor must be auto, kibana or opensearch")
    context = ssl.create_default_context(cafile=str(ca_certs)) if ca_certs else None
    try:
        chosen: Flavor = (detect_flavor(url, headers=_auth_headers(user, password, api_key), context=context)
                          if flavor == "auto" else flavor)  # type: ignore[assignment]
        tracked = _watchlist(settings) if watchlist else None
        ndjson = prepare_objects(load_objects(chosen), alias=settings.index_alias, tracked=tracked)
        request = build_import_request(url, chosen, ndjson, space=space, user=user, password=password,
                                       api_key=api_key)
        answer = send_import(request, context=context)
    except KhabarError as exc:
        fail(str(exc), 1)
    product = "Kibana" if chosen == "kibana" else "OpenSearch Dashboards"
    console.print(f"imported {answer.get('successCount', '?')} saved object(s) into {product} at {url}")
    sys.stdout.flush()
