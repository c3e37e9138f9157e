"""Local Kafka (KRaft) and OpenSearch for development and integration tests, without Docker.

Both servers run from Maven Central jars resolved by ``mvn`` into a project-local state directory
(``<project>/.khabar`` by default): jars, data, logs and pid files all live there. They are started
detached, so they outlive the process that started them, and ``down`` stops only processes whose
pid file and command line show they belong to this stack.

Layout of the state directory::

    kafka/lib, kafka/config/server.properties, kafka/data      the broker
    opensearch/lib, opensearch/classes, opensearch/node_1/...  the search node (runner base path)
    logs/<service>.log, run/<service>.pid, stack.lock

Process checks read ``/proc``: the stack runs on Linux.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Template

from rich.table import Table

__all__ = [
    "KAFKA_VERSION",
    "SEARCH_RUNNER_VERSION",
    "KafkaMetadata",
    "ServiceStatus",
    "Stack",
    "StackConfig",
    "StackError",
    "StackStatus",
    "default_config",
    "kafka_metadata",
    "port_is_free",
    "render_search_settings",
    "render_server_properties",
    "status_table",
]

log = logging.getLogger(__name__)

KAFKA_VERSION = "4.4.0"
SEARCH_RUNNER_VERSION = "2.19.1.0"
SEARCH_CLUSTER_NAME = "khabar-local"

_PROJECT_DIR = Path(__file__).resolve().parents[2]
_KAFKA_MAIN = "kafka.Kafka"
_STORAGE_TOOL = "kafka.tools.StorageTool"
_SEARCH_MAIN = "LocalSearchNode"
_VERSION_MARKER = ".khabar-version"
_STOP_GRACE_SECONDS = 30.0
_POLL_SECONDS = 0.5


class StackError(Exception):
    """The local stack cannot do what was asked; the message is one line, meant for a person."""


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


def _default_deploy_dir() -> Path:
    return _PROJECT_DIR / "deploy" / "local"


@dataclass(frozen=True)
class StackConfig:
    """Where the stack keeps its state and which ports and versions it uses."""

    root: Path
    kafka_port: int = 9092
    controller_port: int = 9093
    search_port: int = 9200
    sasl_port: int | None = None  # an extra SASL_PLAINTEXT (SCRAM-SHA-512) listener when set
    kafka_version: str = KAFKA_VERSION
    search_runner_version: str = SEARCH_RUNNER_VERSION
    kafka_heap: str = "768m"
    search_heap: str = "1g"
    java_home: Path | None = None  # else `java` on PATH
    deploy_dir: Path = field(default_factory=_default_deploy_dir)

    def __post_init__(self) -> None:
        ports: tuple[int, ...] = (self.kafka_port, self.controller_port, self.search_port)
        if self.sasl_port is not None:
            ports += (self.sasl_port,)
        for port in ports:
            if not 1 <= port <= 65535:
                raise StackError(f"port {port} is out of range (1-65535)")
        if len(set(ports)) != len(ports):
            raise StackError(f"the stack's ports must differ, got {ports}")

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def kafka_bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def search_url(self) -> str:
        return f"http://127.0.0.1:{self.search_port}"

    @property
    def kafka_sasl_bootstrap(self) -> str | None:
        return None if self.sasl_port is None else f"127.0.0.1:{self.sasl_port}"


def _env_port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise StackError(f"{name} must be a port number (1-65535), got {raw!r}")
    return int(raw)


def default_config(env: Mapping[str, str] | None = None) -> StackConfig:
    """Config from KHABAR_STACK_DIR, KHABAR_STACK_KAFKA_PORT, KHABAR_STACK_SEARCH_PORT (and friends).

    The controller port defaults to the Kafka port + 1, so a second stack on other ports needs one
    variable less. KHABAR_STACK_CONTROLLER_PORT and KHABAR_STACK_JAVA_HOME are also read, and
    KHABAR_STACK_SASL_PORT: the SCRAM listener, on the Kafka port + 2 unless set (``off`` disables it).
    """
    env = os.environ if env is None else env
    root = Path(env.get("KHABAR_STACK_DIR") or _PROJECT_DIR / ".khabar").expanduser().resolve()
    kafka_port = _env_port(env, "KHABAR_STACK_KAFKA_PORT", 9092)
    java_home = env.get("KHABAR_STACK_JAVA_HOME")
    sasl_off = env.get("KHABAR_STACK_SASL_PORT", "").strip().lower() in ("off", "0", "none")
    return StackConfig(
        root=root,
        kafka_port=kafka_port,
        controller_port=_env_port(env, "KHABAR_STACK_CONTROLLER_PORT", kafka_port + 1),
        search_port=_env_port(env, "KHABAR_STACK_SEARCH_PORT", 9200),
        sasl_port=None if sasl_off else _env_port(env, "KHABAR_STACK_SASL_PORT", kafka_port + 2),
        java_home=Path(java_home) if java_home else None,
    )


def _render(template: Path, **values: object) -> str:
    try:
        return Template(template.read_text(encoding="utf-8")).substitute(values)
    except OSError as exc:
        raise StackError(f"cannot read {template}: {exc.strerror}") from exc
    except (KeyError, ValueError) as exc:
        raise StackError(f"bad placeholder in {template}: {exc}") from exc


def render_server_properties(config: StackConfig, data_dir: Path) -> str:
    """The broker's server.properties, from the template in the deploy directory."""
    return _render(
        config.deploy_dir / "kafka" / "server.properties.template",
        kafka_port=config.kafka_port,
        controller_port=config.controller_port,
        sasl_listener="" if config.sasl_port is None else f",SASL_PLAINTEXT://127.0.0.1:{config.sasl_port}",
        data_dir=data_dir,
    )


def render_search_settings(config: StackConfig) -> str:
    """The node's opensearch.yml, from the template in the deploy directory."""
    return _render(config.deploy_dir / "opensearch" / "opensearch.yml.template", search_port=config.search_port)


def new_cluster_id() -> str:
    """A Kafka cluster id: a random UUID, base64url without padding, never starting with '-'."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode("ascii")
        if not cluster_id.startswith("-"):
            return cluster_id


# --------------------------------------------------------------------------------------------
# Status
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceStatus:
    """One server of the stack as seen right now."""

    name: str
    version: str
    port: int
    pid: int | None
    healthy: bool
    detail: str


@dataclass(frozen=True)
class StackStatus:
    """Every server of the stack."""

    root: Path
    services: tuple[ServiceStatus, ...]

    @property
    def healthy(self) -> bool:
        return all(service.healthy for service in self.services)

    def service(self, name: str) -> ServiceStatus:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)


def status_table(status: StackStatus) -> Table:
    """A rich table of the stack's status for the command line."""
    table = Table(title=f"khabar stack ({status.root})")
    for column in ("service", "version", "port", "pid", "health", "detail"):
        table.add_column(column)
    for service in status.services:
        health = "[green]healthy[/green]" if service.healthy else "[red]down[/red]"
        pid = "-" if service.pid is None else str(service.pid)
        table.add_row(service.name, service.version, str(service.port), pid, health, service.detail)
    return table


# --------------------------------------------------------------------------------------------
# Kafka wire protocol: just enough for ApiVersions and Metadata, to check a broker for real
# --------------------------------------------------------------------------------------------

_API_METADATA = 3
_API_VERSIONS = 18
_CLIENT_ID = b"khabar-stack"


@dataclass(frozen=True)
class KafkaMetadata:
    """What a broker says about its cluster."""

    cluster_id: str | None
    controller_id: int
    brokers: tuple[tuple[int, str, int], ...]  # (node id, host, port)


class _Reader:
    """Reads big-endian Kafka primitives from a response body."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self._data, self._pos)
        self._pos += struct.calcsize(fmt)
        return int(value)

    def int16(self) -> int:
        return self._take(">h")

    def int32(self) -> int:
        return self._take(">i")

    def string(self) -> str | None:
        size = self.int16()
        if size < 0:
            return None
        raw = self._data[self._pos : self._pos + size]
        if len(raw) != size:
            raise ValueError("truncated Kafka response")
        self._pos += size
        return raw.decode("utf-8")


def encode_request(api_key: int, api_version: int, correlation_id: int, body: bytes) -> bytes:
    """A size-prefixed request with a v1 (non-flexible) header."""
    header = struct.pack(">hhih", api_key, api_version, correlation_id, len(_CLIENT_ID)) + _CLIENT_ID
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def decode_api_versions(body: bytes) -> dict[int, tuple[int, int]]:
    """ApiVersions v0 response body (after the correlation id) -> {api key: (min, max)}."""
    reader = _Reader(body)
    error_code = reader.int16()
    if error_code not in (0, 35):  # 35: UNSUPPORTED_VERSION still lists the versions
        raise ValueError(f"ApiVersions failed with error code {error_code}")
    return {reader.int16(): (reader.int16(), reader.int16()) for _ in range(reader.int32())}


def metadata_version(versions: Mapping[int, tuple[int, int]]) -> int | None:
    """The highest non-flexible Metadata version (4..8) both sides speak, if any."""
    low, high = versions.get(_API_METADATA, (0, -1))
    best = min(high, 8)
    return best if best >= max(low, 4) else None


def encode_metadata_body(version: int) -> bytes:
    """Metadata v4-v8 request body asking for no topics' details and creating nothing."""
    body = struct.pack(">ib", 0, 0)  # empty topic list, allow_auto_topic_creation=false
    if version >= 8:
        body += struct.pack(">bb", 0, 0)  # no authorized-operations lists
    return body


def decode_metadata(body: bytes) -> KafkaMetadata:
    """Metadata v4-v8 response body (after the correlation id), up to the controller id."""
    reader = _Reader(body)
    reader.int32()  # throttle_time_ms
    brokers = []
    for _ in range(reader.int32()):
        node_id, host, port = reader.int32(), reader.string() or "", reader.int32()
        reader.string()  # rack
        brokers.append((node_id, host, port))
    cluster_id = reader.string()
    return KafkaMetadata(cluster_id=cluster_id, controller_id=reader.int32(), brokers=tuple(brokers))


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        chunks += chunk
    return bytes(chunks)


def _round_trip(sock: socket.socket, api_key: int, version: int, correlation_id: int, body: bytes) -> bytes:
    sock.sendall(encode_request(api_key, version, correlation_id, body))
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    response = _recv_exact(sock, size)
    if struct.unpack_from(">i", response)[0] != correlation_id:
        raise ValueError("Kafka response for another request")
    return response[4:]


def kafka_metadata(port: int, timeout: float = 2.0) -> KafkaMetadata:
    """Ask the broker on 127.0.0.1:port for its cluster metadata (raises OSError/ValueError)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        versions = decode_api_versions(_round_trip(sock, _API_VERSIONS, 0, 1, b""))
        version = metadata_version(versions)
        if version is None:
            raise ValueError("broker speaks no Metadata version between 4 and 8")
        return decode_metadata(_round_trip(sock, _API_METADATA, version, 2, encode_metadata_body(version)))


# --------------------------------------------------------------------------------------------
# Processes, ports, files
# --------------------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    """True while pid runs; reaps it first if it is our own exited child."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def _signal(pid: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # it may have exited since it was checked
        os.kill(pid, signum)


def _settled_cmdline(pid: int) -> list[str]:
    """The command line of pid, waiting briefly if it is empty because the process is in exec()."""
    for _ in range(10):
        cmdline = _cmdline(pid)
        if cmdline or not _alive(pid):
            return cmdline
        time.sleep(0.02)
    return _cmdline(pid)


def port_is_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:port (or on every address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _spawn(argv: Sequence[str], log_file: Path, env: Mapping[str, str]) -> int:
    """Start argv in its own session, output appended to log_file; returns the pid."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    return os.posix_spawn(argv[0], list(argv), dict(env), file_actions=actions, setsid=True)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def _first_error(output: str) -> str:
    for line in output.splitlines():
        if "ERROR" in line or "error:" in line:
            return re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
    lines = output.strip().splitlines()
    return lines[-1].strip() if lines else "no output"


def _run_tool(argv: Sequence[str], what: str) -> str:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StackError(f"{what} could not run: {exc}") from exc
    if done.returncode != 0:
        raise StackError(f"{what} failed: {_first_error(done.stdout + done.stderr)}")
    return done.stdout


@cache
def _java_major(java: str) -> int:
    """The major version of a java executable (8 for "1.8.0_x", 17 for "17.0.15")."""
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StackError(f"{java} could not run: {exc}") from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if match is None:
        raise StackError(f"cannot tell the version of {java}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Probe:
    healthy: bool
    detail: str
    version: str | None = None


class _Service(ABC):
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
    def probe(self) -> _Probe:
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

    def _jars_stamp(self) -> str:
        """Names what lib/ must hold: the version and the pom it was resolved from."""
        digest = hashlib.sha256(self.pom.read_bytes()).hexdigest()[:16]
        return f"{self.version} {digest}"

    def fetched(self) -> bool:
        """True when lib/ holds the jars for this version and pom."""
        marker = self.lib / _VERSION_MARKER
        return marker.is_file() and marker.read_text(encoding="utf-8").strip() == self._jars_stamp()

    def copy_jars(self, mvn: str) -> None:
        """Let Maven copy the runtime dependencies of our pom into lib/."""
        if self.fetched():
            return
        log.info("fetching %s %s jars with Maven", self.name, self.version)
        shutil.rmtree(self.lib, ignore_errors=True)
        pom = self.pom
        _run_tool(
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
        (self.lib / _VERSION_MARKER).write_text(self._jars_stamp() + "\n", encoding="utf-8")

    def jvm_common(self) -> list[str]:
        return ["-XX:+UseG1GC", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", *self.markers()]


class _Kafka(_Service):
    """Single-node Kafka broker + controller (KRaft)."""

    name = "kafka"
    pom_property = "kafka.version"

    @property
    def port(self) -> int:
        return self.config.kafka_port

    @property
    def ports(self) -> tuple[int, ...]:
        sasl = () if self.config.sasl_port is None else (self.config.sasl_port,)
        return (self.config.kafka_port, self.config.controller_port, *sasl)

    @property
    def version(self) -> str:
        return self.config.kafka_version

    @property
    def min_java(self) -> int:
        return 17

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def properties_file(self) -> Path:
        return self.home / "config" / "server.properties"

    def fetch(self, mvn: str, javac: str) -> None:
        self.copy_jars(mvn)

    def cluster_id(self) -> str | None:
        meta = self.data_dir / "meta.properties"
        if not meta.is_file():
            return None
        match = re.search(r"^cluster\.id=(\S+)", meta.read_text(encoding="utf-8"), re.MULTILINE)
        return match.group(1) if match else None

    def _java_base(self, java: str) -> list[str]:
        log4j = self.config.deploy_dir / "kafka" / "log4j2.properties"
        return [java, f"-Dlog4j2.configurationFile={log4j}", "-cp", str(self.lib / "*")]

    def prepare(self, java: str) -> None:
        """Write server.properties; format the storage on the first start only."""
        _write_atomic(self.properties_file, render_server_properties(self.config, self.data_dir))
        if self.cluster_id() is not None:
            return
        log.info("formatting Kafka storage in %s", self.data_dir)
        _run_tool(
            [
                *self._java_base(java),
                "-Xmx256m",
                _STORAGE_TOOL,
                "format",
                "-t",
                new_cluster_id(),
                "-c",
                str(self.properties_file),
            ],
            "formatting Kafka storage",
        )

    def command(self, java: str) -> list[str]:
        heap = ["-Xms256m", f"-Xmx{self.config.kafka_heap}", "-XX:MaxGCPauseMillis=20"]
        java_base = self._java_base(java)
        return [
            java_base[0],
            *heap,
            *self.jvm_common(),
            *java_base[1:],
            _KAFKA_MAIN,
            str(self.properties_file),
        ]

    def probe(self) -> _Probe:
        try:
            meta = kafka_metadata(self.port)
        except (OSError, ValueError, struct.error) as exc:
            return _Probe(False, f"no answer on {self.config.kafka_bootstrap}: {exc}")
        if meta.cluster_id != self.cluster_id():
            return _Probe(False, f"{self.config.kafka_bootstrap} answers for another cluster ({meta.cluster_id})")
        if meta.controller_id < 0 or not meta.brokers:
            return _Probe(False, "broker is up, cluster has no controller yet")
        return _Probe(True, f"{len(meta.brokers)} broker(s), controller {meta.controller_id}", self.version)


class _Search(_Service):
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
        return fresh and super().fetched()

    def fetch(self, mvn: str, javac: str) -> None:
        self.copy_jars(mvn)
        if self.fetched():
            return
        shutil.rmtree(self.classes, ignore_errors=True)
        _run_tool(
            [javac, "-nowarn", "-d", str(self.classes), "-cp", str(self.lib / "*"), str(self._launcher_source)],
            "compiling the search node launcher",
        )

    def prepare(self, java: str) -> None:
        """Write opensearch.yml and log4j2.properties before the runner copies its own defaults."""
        _write_atomic(self.node_config / "opensearch.yml", render_search_settings(self.config))
        log4j = (self.config.deploy_dir / "opensearch" / "log4j2.properties").read_text(encoding="utf-8")
        _write_atomic(self.node_config / "log4j2.properties", log4j)
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

    def probe(self) -> _Probe:
        try:
            root = self._get("/")
            health = self._get("/_cluster/health")
        except (OSError, ValueError, urllib.error.URLError) as exc:
            return _Probe(False, f"no answer on {self.config.search_url}: {exc}")
        version = root.get("version")
        number = str(version.get("number")) if isinstance(version, dict) else None
        if root.get("cluster_name") != SEARCH_CLUSTER_NAME:
            return _Probe(False, f"{self.config.search_url} serves another cluster ({root.get('cluster_name')})")
        status = str(health.get("status"))
        return _Probe(status in ("yellow", "green"), f"cluster {SEARCH_CLUSTER_NAME} is {status}", number)


# --------------------------------------------------------------------------------------------
# The stack
# --------------------------------------------------------------------------------------------


class Stack:
    """Fetch, start, stop and inspect the local Kafka broker and search node."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self._services: tuple[_Service, ...] = (_Kafka(config), _Search(config))

    # ---- public API -------------------------------------------------------------------------

    def fetch(self) -> None:
        """Resolve the jars with Maven into the state directory; a no-op when they are there."""
        self._init_root()
        with self._lock():
            self._fetch()

    def up(self, timeout: float = 180) -> StackStatus:
        """Start what is not running, then wait until both servers are healthy."""
        self._init_root()
        with self._lock():
            java = self._java()
            running = {service: self._own_pid(service) for service in self._services}
            missing = [service for service, pid in running.items() if pid is None]
            for service in missing:
                self._preflight(service, java)
            if missing:
                self._fetch()
            started: dict[_Service, int] = {}
            try:
                for service in missing:
                    started[service] = self._start(service, java)
                pids = {service: pid for service, pid in running.items() if pid is not None}
                self._wait_healthy({**pids, **started}, time.monotonic() + timeout)
            except BaseException:
                for service, pid in started.items():
                    self._terminate(service, pid)
                raise
        return self.status()

    def down(self) -> None:
        """Stop the servers this stack started (and nothing else)."""
        self._init_root()
        with self._lock():
            pids = {service: self._own_pid(service) for service in self._services}
            for service, pid in pids.items():
                if pid is not None:
                    log.info("stopping %s (pid %d)", service.name, pid)
                    _signal(pid, signal.SIGTERM)
            for service, pid in pids.items():
                if pid is not None:
                    self._await_exit(service, pid)
                service.pid_file.unlink(missing_ok=True)

    def status(self) -> StackStatus:
        """Versions, ports, pids and health of each server."""
        return StackStatus(self.config.root, tuple(self._service_status(s) for s in self._services))

    def stop_service(self, name: str) -> None:
        """Stop one server of the stack ("kafka" or "opensearch"), leaving the other running."""
        self._init_root()
        service = self._named(name)
        with self._lock():
            pid = self._own_pid(service)
            if pid is not None:
                log.info("stopping %s (pid %d)", service.name, pid)
                self._terminate(service, pid)
            service.pid_file.unlink(missing_ok=True)

    def start_service(self, name: str, timeout: float = 180) -> ServiceStatus:
        """Start one stopped server of the stack and wait until it is healthy; a no-op if it runs."""
        self._init_root()
        service = self._named(name)
        with self._lock():
            pid = self._own_pid(service)
            if pid is None:
                java = self._java()
                self._preflight(service, java)
                self._fetch()
                pid = self._start(service, java)
                try:
                    self._wait_healthy({service: pid}, time.monotonic() + timeout)
                except BaseException:
                    self._terminate(service, pid)
                    raise
        return self._service_status(service)

    def _named(self, name: str) -> _Service:
        for service in self._services:
            if service.name == name:
                return service
        raise StackError(f"no service {name!r} in the stack (one of: {', '.join(s.name for s in self._services)})")

    # ---- fetch and status --------------------------------------------------------------------

    def _fetch(self) -> None:
        if all(service.fetched() for service in self._services):
            return
        mvn = self._tool("mvn", "mvn not found on PATH; install Maven 3")
        javac = self._tool_in_jdk("javac", "javac not found; install a JDK 17+ (not only a JRE)")
        for service in self._services:
            service.fetch(mvn, javac)

    def _service_status(self, service: _Service) -> ServiceStatus:
        pid = self._own_pid(service)
        if pid is None:
            busy = [port for port in service.ports if not port_is_free(port)]
            detail = f"not running; port {busy[0]} is used by another process" if busy else "not running"
            return ServiceStatus(service.name, service.version, service.port, None, False, detail)
        probe = service.probe()
        version = probe.version or service.version
        return ServiceStatus(service.name, version, service.port, pid, probe.healthy, probe.detail)

    # ---- start and stop ---------------------------------------------------------------------

    def _preflight(self, service: _Service, java: str) -> None:
        """Fail early, before any download, if service cannot start here."""
        for port in service.ports:
            if not port_is_free(port):
                raise StackError(f"port {port} is taken by another process (not a khabar stack)")
        self._check_java(service, java)

    def _start(self, service: _Service, java: str) -> int:
        service.pid_file.unlink(missing_ok=True)
        service.prepare(java)
        log.info("starting %s %s on 127.0.0.1:%d", service.name, service.version, service.port)
        pid = _spawn(service.command(java), service.log_file, self._child_env())
        _write_atomic(service.pid_file, f"{pid}\n")
        return pid

    def _wait_healthy(self, pids: Mapping[_Service, int], deadline: float) -> None:
        pending = dict(pids)
        while pending:
            for service, pid in list(pending.items()):
                if not _alive(pid):
                    last = _last_line(service.log_file)
                    raise StackError(f"{service.name} stopped during start ({service.log_file}): {last}")
                if service.probe().healthy:
                    del pending[service]
            if pending and time.monotonic() > deadline:
                names = ", ".join(service.name for service in pending)
                details = "; ".join(service.probe().detail for service in pending)
                raise StackError(f"{names} not healthy in time: {details} (logs in {self.config.logs_dir})")
            if pending:
                time.sleep(_POLL_SECONDS)

    def _terminate(self, service: _Service, pid: int) -> None:
        if _alive(pid):
            _signal(pid, signal.SIGTERM)
            self._await_exit(service, pid)
        service.pid_file.unlink(missing_ok=True)

    def _await_exit(self, service: _Service, pid: int) -> None:
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            log.warning("%s (pid %d) ignored SIGTERM for %.0fs; killing it", service.name, pid, _STOP_GRACE_SECONDS)
            _signal(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)

    def _own_pid(self, service: _Service) -> int | None:
        """The pid in service's pid file if that process runs and is really ours."""
        try:
            pid = int(service.pid_file.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None
        if not _alive(pid):
            return None
        cmdline = _settled_cmdline(pid)
        return pid if all(marker in cmdline for marker in service.markers()) else None

    # ---- environment ------------------------------------------------------------------------

    def _init_root(self) -> None:
        for directory in (self.config.root, self.config.logs_dir, self.config.run_dir):
            directory.mkdir(parents=True, exist_ok=True)
        ignore = self.config.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# local stack state: jars, data, logs\n*\n", encoding="utf-8")

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise up/down between processes sharing this state directory."""
        with open(self.config.root / "stack.lock", "w", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.config.java_home is not None:
            env["JAVA_HOME"] = str(self.config.java_home)
        for name in ("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"):
            env.pop(name, None)  # options meant for other JVMs would change heap and flags here
        return env

    @staticmethod
    def _tool(name: str, missing: str) -> str:
        found = shutil.which(name)
        if found is None:
            raise StackError(missing)
        return found

    def _tool_in_jdk(self, name: str, missing: str) -> str:
        if self.config.java_home is not None:
            candidate = self.config.java_home / "bin" / name
            if not os.access(candidate, os.X_OK):
                raise StackError(f"{candidate} is missing; KHABAR_STACK_JAVA_HOME must be a JDK 17+")
            return str(candidate)
        return self._tool(name, missing)

    def _java(self) -> str:
        return self._tool_in_jdk("java", "java not found on PATH; install a JDK 17+")

    def _check_java(self, service: _Service, java: str) -> None:
        major = _java_major(java)
        if major < service.min_java:
            raise StackError(
                f"{service.name} {service.version} needs Java {service.min_java}+, {java} is Java {major}; "
                "set KHABAR_STACK_JAVA_HOME to a newer JDK"
            )
