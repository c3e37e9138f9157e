"""The stack as a whole: fetch, start, stop and inspect the local Kafka broker and search node.

The search node is OpenSearch or Elasticsearch (``StackConfig.engine``), one of them at a time on
the search port. Every server runs from Maven Central artifacts resolved by ``mvn`` into a
project-local state directory (``<project>/.khabar`` by default): jars, data, logs and pid files all
live there. They are started detached, so they outlive the process that started them, and ``down``
stops only processes whose pid file and command line show they belong to this stack.

Layout of the state directory::

    kafka/lib, kafka/config/server.properties, kafka/data      the broker
    opensearch/lib, opensearch/classes, opensearch/node_1/...  OpenSearch (runner base path)
    elasticsearch/dist, elasticsearch/config, .../data         Elasticsearch (distribution + plugin)
    logs/<service>.log, run/<service>.pid, stack.lock
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager

from streams.devtools.stack.config import StackConfig
from streams.devtools.stack.elasticsearch import ElasticsearchService
from streams.devtools.stack.errors import StackError
from streams.devtools.stack.kafka import KafkaService
from streams.devtools.stack.opensearch import OpenSearchService
from streams.devtools.stack.processes import (
    alive,
    await_exit,
    last_line,
    owned_pid,
    port_is_free,
    send_signal,
    spawn,
    state_lock,
    terminate,
    write_atomic,
)
from streams.devtools.stack.service import Service
from streams.devtools.stack.status import ServiceStatus, StackStatus
from streams.devtools.stack.tools import check_java, child_env, find_tool, jdk_tool

__all__ = ["Stack"]

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.5


class Stack:
    """Fetch, start, stop and inspect the local Kafka broker and search node."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        engines = (OpenSearchService(config), ElasticsearchService(config))
        self._engines: dict[str, Service] = {service.name: service for service in engines}
        # what `up` starts: Kafka and the configured engine
        self._services: tuple[Service, ...] = (KafkaService(config), self._engines[config.engine])

    @property
    def engine(self) -> str:
        """The search engine this stack starts ("opensearch" or "elasticsearch")."""
        return self.config.engine

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
            self._ready_to_start(missing, java)
            pids = {service: pid for service, pid in running.items() if pid is not None}
            self._start_and_wait(missing, java, pids, timeout)
        return self.status()

    def down(self) -> None:
        """Stop the servers this stack started, whichever engine (and nothing else)."""
        self._init_root()
        with self._lock():
            pids = {service: self._own_pid(service) for service in self._all()}
            for service, pid in pids.items():
                if pid is not None:
                    log.info("stopping %s (pid %d)", service.name, pid)
                    send_signal(pid, signal.SIGTERM)
            for service, pid in pids.items():
                if pid is not None:
                    await_exit(service.name, pid)
                service.pid_file.unlink(missing_ok=True)

    def status(self) -> StackStatus:
        """Versions, ports, pids and health of Kafka and of the engine that runs (else the configured one)."""
        kafka, configured = self._services
        running = [s for s in self._engines.values() if self._own_pid(s) is not None]
        shown = (kafka, *(running or [configured]))
        return StackStatus(self.config.root, tuple(self._service_status(s) for s in shown))

    def stop_service(self, name: str) -> None:
        """Stop one server of the stack ("kafka", "opensearch" or "elasticsearch"), leaving the others running."""
        self._init_root()
        service = self._named(name)
        with self._lock():
            pid = self._own_pid(service)
            if pid is not None:
                log.info("stopping %s (pid %d)", service.name, pid)
                terminate(service.name, pid, service.pid_file)
            service.pid_file.unlink(missing_ok=True)

    def start_service(self, name: str, timeout: float = 180) -> ServiceStatus:
        """Start one stopped server of the stack and wait until it is healthy; a no-op if it runs."""
        self._init_root()
        service = self._named(name)
        with self._lock():
            if self._own_pid(service) is None:
                java = self._java()
                self._ready_to_start([service], java)
                self._start_and_wait([service], java, {}, timeout)
        return self._service_status(service)

    def _all(self) -> tuple[Service, ...]:
        return (self._services[0], *self._engines.values())

    def _named(self, name: str) -> Service:
        for service in self._all():
            if service.name == name:
                return service
        raise StackError(f"no service {name!r} in the stack (one of: {', '.join(s.name for s in self._all())})")

    # ---- fetch and status --------------------------------------------------------------------

    def _fetch(self) -> None:
        if all(service.fetched() for service in self._services):
            return
        mvn = find_tool("mvn", "mvn not found on PATH; install Maven 3")
        javac = jdk_tool(self.config.java_home, "javac", "javac not found; install a JDK 17+ (not only a JRE)")
        for service in self._services:
            service.fetch(mvn, javac)

    def _service_status(self, service: Service) -> ServiceStatus:
        pid = self._own_pid(service)
        if pid is None:
            busy = [port for port in service.ports if not port_is_free(port)]
            detail = f"not running; port {busy[0]} is used by another process" if busy else "not running"
            return ServiceStatus(service.name, service.version, service.port, None, False, detail)
        probe = service.probe()
        version = probe.version or service.version
        return ServiceStatus(service.name, version, service.port, pid, probe.healthy, probe.detail)

    # ---- start and stop ---------------------------------------------------------------------

    def _ready_to_start(self, services: Sequence[Service], java: str) -> None:
        """Fail early, before any download, if a service cannot start here; then fetch what they need."""
        for service in services:
            self._one_engine_at_a_time(service)
            service.preflight()
            for port in service.ports:
                if not port_is_free(port):
                    raise StackError(f"port {port} is taken by another process (not a khabar stack)")
            check_java(java, service.min_java, f"{service.name} {service.version}")
        if services:
            self._fetch()

    def _one_engine_at_a_time(self, service: Service) -> None:
        if service.name not in self._engines:
            return
        for other in self._engines.values():
            if other is not service and self._own_pid(other) is not None:
                raise StackError(
                    f"this stack runs {other.name} on port {other.port}; one search engine at a time per state "
                    f"directory: `khabar stack down` first, then start {service.name}")

    def _start_and_wait(
        self, services: Sequence[Service], java: str, running: Mapping[Service, int], timeout: float
    ) -> None:
        """Start services, then wait for them and the running ones; what was started here is stopped on failure."""
        started: dict[Service, int] = {}
        try:
            for service in services:
                started[service] = self._start(service, java)
            self._wait_healthy({**running, **started}, time.monotonic() + timeout)
        except BaseException:
            for service, pid in started.items():
                terminate(service.name, pid, service.pid_file)
            raise

    def _start(self, service: Service, java: str) -> int:
        service.pid_file.unlink(missing_ok=True)
        service.prepare(java)
        log.info("starting %s %s on 127.0.0.1:%d", service.name, service.version, service.port)
        env = service.environment(java, child_env(self.config.java_home))
        pid = spawn(service.command(java), service.log_file, env)
        write_atomic(service.pid_file, f"{pid}\n")
        return pid

    def _wait_healthy(self, pids: Mapping[Service, int], deadline: float) -> None:
        pending = dict(pids)
        while pending:
            for service, pid in list(pending.items()):
                if not alive(pid):
                    last = last_line(service.log_file)
                    raise StackError(f"{service.name} stopped during start ({service.log_file}): {last}")
                if service.probe().healthy:
                    del pending[service]
            if pending and time.monotonic() > deadline:
                names = ", ".join(service.name for service in pending)
                details = "; ".join(service.probe().detail for service in pending)
                raise StackError(f"{names} not healthy in time: {details} (logs in {self.config.logs_dir})")
            if pending:
                time.sleep(_POLL_SECONDS)

    def _own_pid(self, service: Service) -> int | None:
        """The pid in service's pid file if that process runs and is really ours."""
        return owned_pid(service.pid_file, service.markers())

    # ---- environment ------------------------------------------------------------------------

    def _init_root(self) -> None:
        for directory in (self.config.root, self.config.logs_dir, self.config.run_dir):
            directory.mkdir(parents=True, exist_ok=True)
        ignore = self.config.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# local stack state: jars, data, logs\n*\n", encoding="utf-8")

    def _lock(self) -> AbstractContextManager[None]:
        """Serialise up/down between processes sharing this state directory."""
        return state_lock(self.config.root / "stack.lock")

    def _java(self) -> str:
        return jdk_tool(self.config.java_home, "java", "java not found on PATH; install a JDK 17+")
