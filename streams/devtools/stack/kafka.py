"""The stack's Kafka: a single-node broker + controller (KRaft), checked over the wire protocol."""

from __future__ import annotations

import logging
import re
import struct
from pathlib import Path

from streams.devtools.stack.config import new_cluster_id, render_server_properties
from streams.devtools.stack.processes import write_atomic
from streams.devtools.stack.service import Probe, Service
from streams.devtools.stack.tools import run_tool
from streams.devtools.stack.wire import kafka_metadata

__all__ = ["KafkaService"]

log = logging.getLogger(__name__)

_KAFKA_MAIN = "kafka.Kafka"
_STORAGE_TOOL = "kafka.tools.StorageTool"


class KafkaService(Service):
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
        write_atomic(self.properties_file, render_server_properties(self.config, self.data_dir))
        if self.cluster_id() is not None:
            return
        log.info("formatting Kafka storage in %s", self.data_dir)
        run_tool(
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

    def probe(self) -> Probe:
        try:
            meta = kafka_metadata(self.port)
        except (OSError, ValueError, struct.error) as exc:
            return Probe(False, f"no answer on {self.config.kafka_bootstrap}: {exc}")
        if meta.cluster_id != self.cluster_id():
            return Probe(False, f"{self.config.kafka_bootstrap} answers for another cluster ({meta.cluster_id})")
        if meta.controller_id < 0 or not meta.brokers:
            return Probe(False, "broker is up, cluster has no controller yet")
        return Probe(True, f"{len(meta.brokers)} broker(s), controller {meta.controller_id}", self.version)
