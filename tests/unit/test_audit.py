"""CI's dependency audit (.ci/audit, .ci/advisories.py) against a fake package index on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: what the fake index knows: the per-release endpoint answers 404, as where CI runs
PROJECTS = {
    "flawed": {"info": {"version": "1.0"}, "vulnerabilities": [
        {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2026-0001"], "details": "bad\nthing", "fixed_in": ["1.1"],
         "withdrawn": None},
        {"id": "GHSA-gone-gone-gone", "aliases": [], "details": "", "fixed_in": [], "withdrawn": "2026-01-01"}]},
    "clean": {"info": {"version": "2.0"}, "vulnerabilities": []},
}


class _Index(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")  # pypi/<name>/json or pypi/<name>/<version>/json
        project = PROJECTS.get(parts[1]) if len(parts) == 3 else None
        body = json.dumps(project).encode() if project else b"{}"
        self.send_response(200 if project else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def bridge(tmp_path: Path) -> Iterator[str]:
    index = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    threading.Thread(target=index.serve_forever, daemon=True).start()
    env = {**os.environ, "KHABAR_AUDIT_PYPI": f"http://127.0.0.1:{index.server_address[1]}/pypi"}
    proc = subprocess.Popen(["python3", str(ROOT / ".ci" / "advisories.py"), str(tmp_path)], env=env)
    try:
        for _ in range(100):
            if (tmp_path / "url").exists():
                break
            time.sleep(0.1)
        yield (tmp_path / "url").read_text()
    finally:
        proc.terminate()
        proc.wait(10)
        index.shutdown()


def _query(url: str, name: str, version: str) -> dict[str, object]:
    body = json.dumps({"package": {"name": name, "ecosystem": "PyPI"}, "version": version}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=10) as resp:
        return dict(json.load(resp))


def test_advisories_come_back_as_osv_records_and_unknown_pins_are_named(bridge: str, tmp_path: Path) -> None:
    """The latest release's advisories reach pip-audit as OSV records (id, aliases, fixed versions;
    withdrawn ones left out); a pin the index cannot describe gets none and is written down as unaudited."""
    (record,) = _query(bridge, "flawed", "1.0")["vulns"]  # type: ignore[misc]
    assert record["id"] == "GHSA-aaaa-bbbb-cccc" and record["aliases"] == ["CVE-2026-0001"]
    assert record["affected"][0]["package"] == {"name": "flawed", "ecosystem": "PyPI"}
    assert {"fixed": "1.1"} in record["affected"][0]["ranges"][0]["events"]
    assert _query(bridge, "clean", "2.0") == {"vulns": []}
    assert _query(bridge, "clean", "1.0") == {"vulns": []}
    assert (tmp_path / "unaudited").read_text().split(" ", 3)[:3] == ["unaudited", "clean", "1.0"]


def test_an_exception_without_a_reason_is_refused(tmp_path: Path) -> None:
    """.ci/audit refuses an exceptions file entry that does not say why it is accepted."""
    exceptions = tmp_path / "exceptions"
    exceptions.write_text("# comment\nGHSA-aaaa-bbbb-cccc flawed  \n")
    done = subprocess.run(["bash", str(ROOT / ".ci" / "audit")], env={**os.environ,
                          "KHABAR_AUDIT_EXCEPTIONS": str(exceptions)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "GHSA-aaaa-bbbb-cccc (flawed) has no reason" in done.stderr


def test_every_recorded_exception_has_a_reason() -> None:
    """The repository's exceptions file: each entry names an advisory, a package and a reason."""
    for line in (ROOT / ".ci" / "audit-exceptions").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert len(line.split(None, 2)) == 3, line
