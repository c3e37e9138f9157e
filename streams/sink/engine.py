"""Which search engine serves ``KHABAR_SEARCH_URL``: Elasticsearch (8.x, 9.x) or OpenSearch, and its version.

``GET /`` is not enough: a minimal Elasticsearch build has no root endpoint (HTTP 405), a proxy may
block it. Every Elasticsearch response names its product in ``X-Elastic-Product``, and
``/_nodes/_local`` gives the version; OpenSearch says so in the root's ``version.distribution``.
``KHABAR_SEARCH_ENGINE`` (``auto``, ``elasticsearch``, ``opensearch``) skips the guess.

These requests follow no redirect: a redirect is reported, never followed, so the credentials they
carry never reach another address. The Elasticsearch client's compatibility mode is chosen from the
server's major version (:func:`compat_major`).
"""

from __future__ import annotations

import base64
import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NoReturn
from urllib.parse import urljoin, urlsplit

from streams.config import Settings
from streams.errors import ConfigError, SearchUnavailable

__all__ = [
    "ELASTICSEARCH_MAJORS",
    "Backend",
    "Engine",
    "auth_headers",
    "compat_major",
    "detect_engine",
    "engine_from_root",
    "version_from_nodes",
]

Backend = Literal["elasticsearch", "opensearch"]
ELASTICSEARCH_MAJORS = (8, 9)
_MAX_BODY = 1 << 20  # a root or nodes answer is a few KB; never read an unbounded reply
_PRODUCT_HEADER = "x-elastic-product"


@dataclass(frozen=True)
class Engine:
    """The server behind the search URL: its product and version (``None`` when it would not say)."""

    backend: Backend
    version: str | None = None

    @property
    def major(self) -> int | None:
        head = (self.version or "").split(".", 1)[0]
        return int(head) if head.isdigit() else None

    def describe(self) -> str:
        name = "Elasticsearch" if self.backend == "elasticsearch" else "OpenSearch"
        return f"{name} {self.version}" if self.version else name


def engine_from_root(headers: Mapping[str, str], body: Any) -> Engine | None:
    """The engine a successful ``GET /`` names, if it names one (headers with lower-case names)."""
    version = body.get("version") if isinstance(body, dict) else None
    number = str(version["number"]) if isinstance(version, dict) and version.get("number") else None
    if isinstance(version, dict) and str(version.get("distribution", "")).lower() == "opensearch":
        return Engine("opensearch", number)
    if headers.get(_PRODUCT_HEADER) == "Elasticsearch":
        return Engine("elasticsearch", number)
    return None


def version_from_nodes(body: Any) -> str | None:
    """The version in a ``GET /_nodes/_local`` answer."""
    nodes = body.get("nodes") if isinstance(body, dict) else None
    if isinstance(nodes, dict):
        for node in nodes.values():
            if isinstance(node, dict) and node.get("version"):
                return str(node["version"])
    return None


def compat_major(engine: Engine) -> int:
    """The API version the Elasticsearch client asks for: the server's major version. A server that would
    not tell its version gets 8, which both 8.x and 9.x servers accept."""
    major = engine.major
    if major is None:
        return ELASTICSEARCH_MAJORS[0]
    if major not in ELASTICSEARCH_MAJORS:
        raise ConfigError(f"Elasticsearch {engine.version} is not supported: Khabar serves Elasticsearch "
                          f"{' and '.join(f'{m}.x' for m in ELASTICSEARCH_MAJORS)}, and OpenSearch")
    return major


def auth_headers(settings: Settings) -> dict[str, str]:
    """The Authorization header for the configured credentials (none without)."""
    if settings.search_api_key:
        return {"Authorization": f"ApiKey {settings.search_api_key}"}
    if settings.search_user:
        token = base64.b64encode(f"{settings.search_user}:{settings.search_password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return {}


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: Any


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turns every redirect into its own HTTP error: urllib would re-send the Authorization header to the
    redirect's target, whatever its origin."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if not settings.search_url.startswith("https"):
        return None
    ctx = ssl.create_default_context(cafile=settings.search_ca_certs or None)
    if not settings.search_verify_certs:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


def _redirected(settings: Settings, status: int, location: str | None) -> NoReturn:
    target = _origin(urljoin(settings.search_url, location)) if location else "an unnamed address"
    raise ConfigError(
        f"search engine at {settings.search_url} answered HTTP {status}, a redirect to {target}; Khabar follows "
        "no redirect from the search engine (its credentials would go along): set KHABAR_SEARCH_URL to the "
        "address that serves the engine")


def _get(settings: Settings, path: str, timeout: float) -> _Answer:
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # like the engine clients: no proxy from the environment
        urllib.request.HTTPSHandler(context=_ssl_context(settings)),
        _NoRedirect(),
    )
    request = urllib.request.Request(settings.search_url.rstrip("/") + path,
                                     headers={"Accept": "application/json", **auth_headers(settings)})
    try:
        try:
            with opener.open(request, timeout=timeout) as resp:
                status, headers, raw = resp.status, resp.headers, resp.read(_MAX_BODY)
        except urllib.error.HTTPError as exc:
            with exc:
                status, headers, raw = exc.code, exc.headers, exc.read(_MAX_BODY)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SearchUnavailable(f"search engine at {settings.search_url} unreachable: {type(exc).__name__}") from None
    if 300 <= status < 400:
        _redirected(settings, status, headers.get("Location"))
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        body = None
    return _Answer(status, {k.lower(): v for k, v in headers.items()}, body)


class _Refused(ConfigError):
    """The server refused the credentials (401) or their privileges (403)."""

    def __init__(self, settings: Settings, status: int) -> None:
        super().__init__(f"search engine at {settings.search_url} refused the credentials (HTTP {status}); check "
                         "KHABAR_SEARCH_USER/PASSWORD or KHABAR_SEARCH_API_KEY (detection needs the `monitor` "
                         "cluster privilege, else set KHABAR_SEARCH_ENGINE)")
        self.status = status


def _ask_elasticsearch_version(settings: Settings, timeout: float) -> str | None:
    nodes = _get(settings, "/_nodes/_local?filter_path=nodes.*.version", timeout)
    return version_from_nodes(nodes.body) if 200 <= nodes.status < 300 else None


def _probe(settings: Settings, timeout: float) -> Engine:
    root = _get(settings, "/", timeout)
    if root.status in (401, 403):
        raise _Refused(settings, root.status)
    if 200 <= root.status < 300:
        engine = engine_from_root(root.headers, root.body)
        if engine is None:
            raise ConfigError(f"{settings.search_url} is neither Elasticsearch nor OpenSearch")
        if engine.backend == "elasticsearch" and engine.version is None:
            return Engine("elasticsearch", _ask_elasticsearch_version(settings, timeout))
        return engine
    if root.headers.get(_PRODUCT_HEADER) == "Elasticsearch":  # e.g. a build without the root endpoint
        return Engine("elasticsearch", _ask_elasticsearch_version(settings, timeout))
    if root.status == 429 or root.status >= 500:
        raise SearchUnavailable(f"search engine root answered HTTP {root.status}")
    raise ConfigError(f"search engine at {settings.search_url} answered HTTP {root.status} to GET / and named "
                      "no product; set KHABAR_SEARCH_ENGINE to elasticsearch or opensearch")


def detect_engine(settings: Settings, timeout: float = 10.0) -> Engine:
    """The engine at ``KHABAR_SEARCH_URL``, as ``KHABAR_SEARCH_ENGINE`` says or as the server says."""
    choice = settings.search_engine
    if choice == "opensearch":
        return Engine("opensearch")
    if choice == "elasticsearch":
        try:
            found = _probe(settings, timeout)
        except _Refused as exc:
            if exc.status == 403:  # no `monitor` privilege: the version stays unknown
                return Engine("elasticsearch")
            raise
        if found.backend != "elasticsearch":
            raise ConfigError(f"KHABAR_SEARCH_ENGINE=elasticsearch, but {settings.search_url} is {found.describe()}")
        compat_major(found)
        return found
    found = _probe(settings, timeout)
    if found.backend == "elasticsearch":
        compat_major(found)
    return found
