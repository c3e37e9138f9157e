"""Search credentials never reach another origin, whatever a redirect says.

Two HTTP servers on the loopback: the configured one answers every request with a redirect to the
other, which only records what reaches it. Engine detection follows no redirect and says so; the
engine clients may follow one, but never with the Authorization header.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from streams.config import Settings, load_settings
from streams.errors import ConfigError, KhabarError
from streams.sink.engine import Engine, detect_engine
from streams.sink.search import open_writer

pytestmark = pytest.mark.integration

PASSWORD = "redirect-secret-4711"
API_KEY = "apikey-secret-4711"


class _Server:
    """A loopback HTTP server: each request is recorded, then answered by ``reply``."""

    def __init__(self, reply: tuple[int, dict[str, str], bytes]) -> None:
        self.seen: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                server.seen.append({k.lower(): v for k, v in self.headers.items()})
                status, headers, body = reply
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    """(front, elsewhere): front redirects every request (307, path kept) to elsewhere, another origin."""
    body = b'{"version": {"number": "8.19.21"}, "cluster_name": "elsewhere"}'
    elsewhere = _Server((200, {"Content-Type": "application/json", "X-Elastic-Product": "Elasticsearch"}, body))
    front = _Server((307, {"Location": f"{elsewhere.url}/"}, b""))
    try:
        yield front, elsewhere
    finally:
        front.close()
        elsewhere.close()


def _settings(url: str, **credentials: str) -> Settings:
    return load_settings({"KHABAR_SEARCH_URL": url, **credentials})


def _leaked(elsewhere: _Server) -> list[str]:
    return [h["authorization"] for h in elsewhere.seen if "authorization" in h]


@pytest.mark.parametrize("credentials", [
    {"KHABAR_SEARCH_USER": "khabar", "KHABAR_SEARCH_PASSWORD": PASSWORD},
    {"KHABAR_SEARCH_API_KEY": API_KEY},
])
def test_detection_follows_no_redirect(servers: tuple[_Server, _Server], credentials: dict[str, str]) -> None:
    """A redirect is reported with its target's origin and never followed: the other origin hears nothing."""
    front, elsewhere = servers
    with pytest.raises(ConfigError, match=rf"answered HTTP 307, a redirect to {elsewhere.url}; Khabar follows no "
                                          "redirect") as caught:
        detect_engine(_settings(front.url, **credentials))
    assert front.seen and "authorization" in front.seen[0]
    assert elsewhere.seen == []
    assert PASSWORD not in str(caught.value) and API_KEY not in str(caught.value)


@pytest.mark.parametrize("server", [Engine("elasticsearch", "8.19.21"), Engine("opensearch", "2.19.1")],
                         ids=["elasticsearch", "opensearch"])
@pytest.mark.parametrize("credentials", [
    {"KHABAR_SEARCH_USER": "khabar", "KHABAR_SEARCH_PASSWORD": PASSWORD},
    {"KHABAR_SEARCH_API_KEY": API_KEY},
], ids=["basic", "api-key"])
def test_writer_never_carries_credentials_to_another_origin(servers: tuple[_Server, _Server], server: Engine,
                                                             credentials: dict[str, str]) -> None:
    """The engine clients' requests, redirected elsewhere, arrive there without the Authorization header."""
    front, elsewhere = servers

    async def calls() -> None:
        writer = open_writer(_settings(front.url, **credentials), server)
        try:
            for call in (writer.ping, writer.count, writer.refresh):
                try:
                    await call()
                except (KhabarError, KeyError):
                    pass  # the other origin's answers do not matter here, only what it was sent
        finally:
            await writer.close()

    asyncio.run(calls())
    assert front.seen and all("authorization" in h for h in front.seen)
    assert elsewhere.seen, "the clients follow the redirect: what reaches the other origin is checked"
    assert _leaked(elsewhere) == []
    secret = base64.b64encode(f"khabar:{PASSWORD}".encode()).decode()
    assert not any(secret in v or API_KEY in v for h in elsewhere.seen for v in h.values())
