"""What every server of the stack has: jars resolved by Maven, files in the state directory, a command line
and a health check. ``kafka.py`` and ``search.py`` fill in the rest."""

from __future__ import annotations

import hashlib
import logging
import shutil
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from streams.devtools.stack.config import StackConfig
from streams.devtools.stack.tools import run_tool

__all__ = ["VERSION_MARKER", "Probe", "Service"]

log = logging.getLogger(__name__)

VERSION_MARKER = ".khabar-version"


@dataclass(frozen=True)
class Probe:
    """A server's answer on its port: healthy or not, why, and the version it reports."""

    healthy: bool
    detail: str
    version: str | None = None


class Service(ABC):
    """One server of the stack: its jars, files, command line and health check."""

    name = ""
    pom_property = ""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.home = config.root / self.name
        self.lib = self.home / "lib"

    @property
    @abstractmethod
    def port(self) -> int:
        """The port clients use."""

    @property
    @abstractmethod
    def ports(self) -> tuple[int, ...]:
        """Every port the server binds."""

    @property
    @abstractmethod
    def version(self) -> str:
        """The version the stack fetches."""

    @property
    @abstractmethod
    def min_java(self) -> int:
        """The oldest Java major version that runs it."""

    @abstractmethod
    def fetch(self, mvn: str, javac: str) -> None:
        """Put the jars (and anything built from them) in place."""

    @abstractmethod
    def prepare(self, java: str) -> None:
        """Write config files and initialise data before a start."""

    @abstractmethod
    def command(self, java: str) -> list[str]:
        """The command line that runs the server in the foreground."""

    @abstractmethod
    def probe(self) -> Probe:
        """Ask the server on its port whether it is ours and ready."""

    @property
    def log_file(self) -> Path:
        return self.config.logs_dir / f"{self.name}.log"

    @property
    def pid_file(self) -> Path:
        return self.config.run_dir / f"{self.name}.pid"

    def markers(self) -> list[str]:
        """Command-line options that mark a JVM as this service of this stack."""
        return [f"-Dkhabar.stack={self.name}", f"-Dkhabar.stack.root={self.config.root}"]

    @property
    def pom(self) -> Path:
        return self.config.deploy_dir / self.name / "pom.xml"

    def jars_stamp(self) -> str:
        """Names what lib/ must hold: the version and the pom it was resolved from."""
        digest = hashlib.sha256(self.pom.read_bytes()).hexdigest()[:16]
        return f"{self.version} {digest}"

    def jars_fetched(self) -> bool:
        """True when lib/ holds the jars for this version and pom."""
        marker = self.lib / VERSION_MARKER
        return marker.is_file() and marker.read_text(encoding="utf-8").strip() == self.jars_stamp()

    def fetched(self) -> bool:
        """True when everything the server needs to start is in place (its jars, unless it needs more)."""
        return self.jars_fetched()

    def preflight(self) -> None:  # noqa: B027 - a hook: most servers have nothing to check
        """Refuse, before any download, a start that cannot succeed on this machine."""

    def environment(self, java: str, base: Mapping[str, str]) -> dict[str, str]:
        """The environment the server starts with (``base`` unless it needs more)."""
        return dict(base)

    def copy_jars(self, mvn: str) -> None:
        """Let Maven copy the runtime dependencies of our pom into lib/."""
        if self.jars_fetched():
            return
        log.info("fetching %s %s jars with Maven", self.name, self.version)
        shutil.rmtree(self.lib, ignore_errors=True)
        pom = self.pom
        run_tool(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={self.lib}",
                f"-D{self.pom_property}={self.version}",
            ],
            f"mvn (fetching {self.name} {self.version})",
        )
        (self.lib / VERSION_MARKER).write_text(self.jars_stamp() + "\n", encoding="utf-8")

    def jvm_common(self) -> list[str]:
        return ["-XX:+UseG1GC", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", *self.markers()]
