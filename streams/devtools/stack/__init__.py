"""Local Kafka (KRaft) and OpenSearch or Elasticsearch for development and integration tests, without Docker.

``control`` runs the stack as a whole (:class:`Stack`); ``config`` holds its ports, versions and
rendered server files; ``kafka``, ``opensearch`` and ``elasticsearch`` are its servers on the
``service`` base (one search engine at a time);
``wire`` asks a broker for its metadata over the Kafka protocol; ``processes`` spawns, signals and
finds the servers; ``tools`` finds and runs Maven, javac and java; ``status`` is what it reports.
"""

from __future__ import annotations

from streams.devtools.stack.config import (
    ELASTICSEARCH_VERSION,
    ENGINES,
    KAFKA_VERSION,
    SEARCH_RUNNER_VERSION,
    StackConfig,
    default_config,
    render_search_settings,
    render_server_properties,
)
from streams.devtools.stack.control import Stack
from streams.devtools.stack.errors import StackError
from streams.devtools.stack.processes import port_is_free
from streams.devtools.stack.status import ServiceStatus, StackStatus, status_table
from streams.devtools.stack.wire import KafkaMetadata, kafka_metadata

__all__ = [
    "ELASTICSEARCH_VERSION",
    "ENGINES",
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
