"""The stack's search engine: a single OpenSearch node through the codelibs runner and our launcher class."""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from streams.devtools.stack.config import SEARCH_CLUSTER_NAME, render_search_settings
from streams.devtools.stack.processes import write_atomic
from streams.devtools.stack.service import Probe, Service
from streams.devtools.stack.tools import run_tool

__all__ = ["OpenSearchService"]

_SEARCH_MAIN = "LocalSearchNode"


class OpenSearchService(Service):
    """Single OpenSearch node through the codelibs runner and our launcher class."""

    name = "opensearch"
    pom_property = "opensearch.runner.version"

    @property
    def port(self) -> int:
        return self.config.search_port

    @property
    def ports(self) -> tuple[int, ...]:
        return (self.config.search_port,)

    @property
    def version(self) -> str:
        return self.config.search_runner_version

    @property
    def min_java(self) -> int:
        return 17 if self.version.startswith(("1.", "2.")) else 21

    @property
    def classes(self) -> Path:
        return self.home / "classes"

    @property
    def node_config(self) -> Path:
        return self.home / "node_1" / "config"

    @property
    def _launcher_source(self) -> Path:
        return self.config.deploy_dir / "opensearch" / "src" / f"{_SEARCH_MAIN}.java"

    def fetched(self) -> bool:
        """Jars in place and the launcher compiled from its current source."""
        compiled = self.classes / f"{_SEARCH_MAIN}.class"
        fresh = compiled.is_file() and compiled.stat().st_mtime >= self._launcher_source.stat().st_mtime
        return fresh and self.jars_fetched()

    def fetch(self, mvn: str, javac: str) -> None:
        self.copy_jars(mvn)
        if self.fetched():
            return
        shutil.rmtree(self.classes, ignore_errors=True)
        run_tool(
            [javac, "-nowarn", "-d", str(self.classes), "-cp", str(self.lib / "*"), str(self._launcher_source)],
            "compiling the search node launcher",
        )

    def prepare(self, java: str) -> None:
        """Write opensearch.yml and log4j2.properties before the runner copies its own defaults."""
        write_atomic(self.node_config / "opensearch.yml", render_search_settings(self.config))
        log4j = (self.config.deploy_dir / "opensearch" / "log4j2.properties").read_text(encoding="utf-8")
        write_atomic(self.node_config / "log4j2.properties", log4j)
        (self.home / "tmp").mkdir(parents=True, exist_ok=True)

    def command(self, java: str) -> list[str]:
        heap = self.config.search_heap
        return [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *self.jvm_common(),
            f"-Djava.io.tmpdir={self.home / 'tmp'}",
            "-Dlog4j2.formatMsgNoLookups=true",
            "-cp",
            f"{self.classes}{os.pathsep}{self.lib / '*'}",
            _SEARCH_MAIN,
            str(self.home),
            SEARCH_CLUSTER_NAME,
            str(self.port),
        ]

    def _get(self, path: str) -> dict[str, object]:
        with urllib.request.urlopen(f"{self.config.search_url}{path}", timeout=2.0) as response:
            payload: dict[str, object] = json.load(response)
        return payload

    def probe(self) -> Probe:
        try:
            root = self._get("/")
            health = self._get("/_cluster/health")
        except (OSError, ValueError, urllib.error.URLError) as exc:
            return Probe(False, f"no answer on {self.config.search_url}: {exc}")
        version = root.get("version")
        number = str(version.get("number")) if isinstance(version, dict) else None
        if root.get("cluster_name") != SEARCH_CLUSTER_NAME:
            return Probe(False, f"{self.config.search_url} serves another cluster ({root.get('cluster_name')})")
        status = str(health.get("status"))
        return Probe(status in ("yellow", "green"), f"cluster {SEARCH_CLUSTER_NAME} is {status}", number)
