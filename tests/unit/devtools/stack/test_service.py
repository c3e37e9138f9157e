"""streams.devtools.stack.service: the files, markers and jar stamp every server of the stack shares."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from streams.devtools.stack import StackConfig
from streams.devtools.stack.kafka import KafkaService
from streams.devtools.stack.opensearch import OpenSearchService
from streams.devtools.stack.service import Service

MakeConfig = Callable[..., StackConfig]


@pytest.mark.parametrize("kind", [KafkaService, OpenSearchService])
def test_files_live_in_the_state_directory(make_config: MakeConfig, kind: type[Service]) -> None:
    """Jars, log and pid file of a server sit under the stack's root, named after the server."""
    config = make_config()
    service = kind(config)
    assert service.lib == config.root / service.name / "lib"
    assert service.log_file == config.root / "logs" / f"{service.name}.log"
    assert service.pid_file == config.root / "run" / f"{service.name}.pid"
    assert service.pom == config.deploy_dir / service.name / "pom.xml"


@pytest.mark.parametrize("kind", [KafkaService, OpenSearchService])
def test_command_carries_the_markers(make_config: MakeConfig, kind: type[Service]) -> None:
    """The JVM's command line names the server and the stack root, so `down` can tell it is ours."""
    config = make_config()
    service = kind(config)
    command = service.command("/opt/jdk/bin/java")
    assert command[0] == "/opt/jdk/bin/java"
    assert f"-Dkhabar.stack={service.name}" in command
    assert f"-Dkhabar.stack.root={config.root}" in command


@pytest.mark.parametrize("kind", [KafkaService, OpenSearchService])
def test_jars_stamp_names_version_and_pom(make_config: MakeConfig, kind: type[Service]) -> None:
    """The stamp is the version and 16 hex digits of the pom's digest; without it nothing is fetched."""
    service = kind(make_config())
    version, digest = service.jars_stamp().split(" ")
    assert version == service.version
    assert len(digest) == 16 and int(digest, 16) >= 0
    assert not service.fetched()
