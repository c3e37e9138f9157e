"""streams.devtools.stack.opensearch: the search node's Java floor, command line, launcher and health check."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from streams.devtools.stack import StackConfig
from streams.devtools.stack.opensearch import OpenSearchService

MakeConfig = Callable[..., StackConfig]


@pytest.mark.parametrize(("version", "min_java"), [("2.19.1.0", 17), ("1.3.0", 17), ("3.0.0.0", 21)])
def test_min_java_follows_the_runner_version(make_config: MakeConfig, version: str, min_java: int) -> None:
    """OpenSearch 1.x and 2.x run on Java 17; 3.x needs 21."""
    assert OpenSearchService(make_config(search_runner_version=version)).min_java == min_java


def test_command_runs_the_launcher(make_config: MakeConfig) -> None:
    """The launcher class runs on the node's home, cluster name and port, with compiled classes first."""
    config = make_config()
    command = OpenSearchService(config).command("java")
    assert command[:3] == ["java", "-Xms1g", "-Xmx1g"]
    assert command[-4:] == ["LocalSearchNode", str(config.root / "opensearch"), "khabar-local", str(config.search_port)]
    assert command[command.index("-cp") + 1].startswith(str(config.root / "opensearch" / "classes") + ":")


def test_not_fetched_without_the_compiled_launcher(make_config: MakeConfig) -> None:
    """Jars alone are not enough: the launcher must be compiled from its current source."""
    service = OpenSearchService(make_config())
    service.lib.mkdir(parents=True)
    (service.lib / ".khabar-version").write_text(service.jars_stamp() + "\n")
    assert not service.fetched()
    service.classes.mkdir(parents=True)
    (service.classes / "LocalSearchNode.class").write_bytes(b"")
    assert service.fetched()


def test_probe_without_a_node(make_config: MakeConfig) -> None:
    """Nothing listening is unhealthy, with the address that did not answer."""
    config = make_config()
    probe = OpenSearchService(config).probe()
    assert not probe.healthy
    assert probe.detail.startswith(f"no answer on {config.search_url}")
