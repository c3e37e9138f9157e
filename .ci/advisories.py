"""PyPI's advisory data behind an OSV-style endpoint on 127.0.0.1, for `pip-audit --osv-url`.

pip-audit asks one of three advisory sources: OSV (api.osv.dev), ecosyste.ms, or PyPI's JSON API
per release (``/pypi/<name>/<version>/json``). Where CI runs, only the PyPI index is reachable,
and of its JSON API only the project endpoint (``/pypi/<name>/json``) answers; the per-release
one answers 404. The project endpoint carries the advisories (``vulnerabilities``: id, aliases,
the versions that fix it) of the project's latest release. So for each pinned dependency this
answers pip-audit's OSV query from:

- the per-release endpoint, where it answers (the full data, as pip-audit's own PyPI source);
- else the project endpoint, when the pin is the latest release (the same data);
- else nothing it could vouch for: pip-audit gets no advisory for it (an error would abort its
  whole run) and the pin is written down as ``unaudited <name> <version> <why>``, for
  ``.ci/audit`` to report; it is never counted as clean.

Usage: ``advisories.py DIR`` writes the endpoint's URL to ``DIR/url`` once it listens, appends
the ``unaudited`` lines to ``DIR/unaudited``, and serves until terminated (or for an hour at most).
Stdlib only; one request to PyPI (two at most) per query, 30 s each.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

INDEX = os.environ.get("KHABAR_AUDIT_PYPI", "https://pypi.org/pypi")  # a test points it at a fake index


OUT = Path(".")


def _get(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return dict(json.load(resp))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def _osv(name: str, entry: dict[str, Any]) -> dict[str, Any]:
    events: list[dict[str, str]] = [{"introduced": "0"}]
    events += [{"fixed": v} for v in entry.get("fixed_in") or []]
    return {"id": entry["id"], "aliases": entry.get("aliases") or [], "details": entry.get("details") or "",
            "withdrawn": entry.get("withdrawn"), "published": None,
            "affected": [{"package": {"name": name, "ecosystem": "PyPI"},
                          "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}


def advisories(name: str, version: str) -> list[dict[str, Any]] | None:
    """The OSV records of ``name==version``; None when the data reachable here cannot say."""
    release = _get(f"{INDEX}/{name}/{version}/json")
    if release is None:
        project = _get(f"{INDEX}/{name}/json")
        if project is None or project["info"]["version"] != version:
            return None
        release = project
    return [_osv(name, v) for v in release.get("vulnerabilities") or [] if not v.get("withdrawn")]


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        query = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        name, version = query["package"]["name"], query["version"]
        try:
            found = advisories(name, version)
        except (OSError, ValueError, KeyError) as exc:
            found, why = None, f"PyPI did not answer ({type(exc).__name__})"
        else:
            why = "no advisory data reachable for this release (the index only describes the latest)"
        if found is None:
            with (OUT / "unaudited").open("a", encoding="utf-8") as fh:
                fh.write(f"unaudited {name} {version} {why}\n")
        body = json.dumps({"vulns": found or []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    global OUT
    OUT = Path(sys.argv[1])
    (OUT / "unaudited").write_text("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (OUT / "url.tmp").write_text(f"http://127.0.0.1:{server.server_address[1]}/v1/query")
    (OUT / "url.tmp").replace(OUT / "url")
    time.sleep(3600)  # the caller terminates it long before


if __name__ == "__main__":
    main()
