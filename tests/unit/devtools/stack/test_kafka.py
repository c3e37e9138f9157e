"""streams.devtools.stack.kafka: the broker's ports, command line, cluster id and health check."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from streams.devtools.stack import StackConfig
from streams.devtools.stack.kafka import KafkaService

MakeConfig = Callable[..., StackConfig]


@pytest.mark.parametrize(("sasl_port", "extra"), [(None, ()), (39094, (39094,))])
def test_ports(make_config: MakeConfig, sasl_port: int | None, extra: tuple[int, ...]) -> None:
    """The broker binds its client and controller ports, and the SASL one when set."""
    config = make_config(sasl_port=sasl_port)
    assert KafkaService(config).ports == (config.kafka_port, config.controller_port, *extra)


def test_command_runs_the_broker_on_its_properties(make_config: MakeConfig) -> None:
    """Heap first, then the common JVM flags, the classpath, kafka.Kafka and server.properties."""
    config = make_config()
    service = KafkaService(config)
    command = service.command("java")
    assert command[:4] == ["java", "-Xms256m", "-Xmx768m", "-XX:MaxGCPauseMillis=20"]
    assert command[-2:] == ["kafka.Kafka", str(config.root / "kafka" / "config" / "server.properties")]
    assert command[command.index("-cp") + 1] == str(config.root / "kafka" / "lib" / "*")


@pytest.mark.parametrize(
    ("meta", "cluster_id"),
    [
        (None, None),
        ("version=1\ncluster.id=AbCdEfGhIjKlMnOpQrStUv\nnode.id=1\n", "AbCdEfGhIjKlMnOpQrStUv"),
        ("version=1\nnode.id=1\n", None),
    ],
)
def test_cluster_id_from_meta_properties(make_config: MakeConfig, meta: str | None, cluster_id: str | None) -> None:
    """The cluster id is read from the formatted storage; unformatted storage has none."""
    service = KafkaService(make_config())
    if meta is not None:
        service.data_dir.mkdir(parents=True)
        (service.data_dir / "meta.properties").write_text(meta)
    assert service.cluster_id() == cluster_id


def test_probe_without_a_broker(make_config: MakeConfig) -> None:
    """Nothing listening is unhealthy, with the address that did not answer."""
    config = make_config()
    probe = KafkaService(config).probe()
    assert not probe.healthy
    assert probe.detail.startswith(f"no answer on {config.kafka_bootstrap}")
