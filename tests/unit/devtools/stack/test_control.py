"""streams.devtools.stack.control: what `up`, `down`, `status` and `fetch` do before any server runs."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.devtools.stack import Stack, StackConfig, StackError
from streams.devtools.stack.kafka import KafkaService
from streams.devtools.stack.opensearch import OpenSearchService

MakeConfig = Callable[..., StackConfig]


def _fake_java(tmp_path: Path, version_line: str) -> str:
    script = tmp_path / "java"
    script.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    script.chmod(0o755)
    return str(script)


def test_up_refuses_old_java(tmp_path: Path, make_config: MakeConfig) -> None:
    """A Java older than 17 is refused before anything is downloaded."""
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    _fake_java(home / "bin", 'openjdk version "11.0.2" 2019-01-15')
    with pytest.raises(StackError, match="needs Java 17"):
        Stack(make_config(java_home=home)).up(timeout=1)


def test_up_without_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_config: MakeConfig) -> None:
    """No java on PATH is a one-line StackError."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="java not found on PATH; install a JDK 17"):
        Stack(make_config()).up(timeout=1)


def test_up_with_foreign_process_on_port(tmp_path: Path, make_config: MakeConfig) -> None:
    """A port held by something else stops `up` before any download or start."""
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    _fake_java(home / "bin", 'openjdk version "17.0.15" 2025-04-15')
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        config = make_config(kafka_port=port, java_home=home)
        with pytest.raises(StackError, match=f"port {port} is taken by another process"):
            Stack(config).up(timeout=1)
        assert Stack(config).status().service("kafka").detail == (
            f"not running; port {port} is used by another process"
        )
    assert not (config.root / "kafka" / "lib").exists()


def test_status_when_nothing_runs(make_config: MakeConfig) -> None:
    """A fresh state directory reports both services down, without pids."""
    status = Stack(make_config()).status()
    assert [service.name for service in status.services] == ["kafka", "opensearch"]
    assert not status.healthy
    assert all(service.pid is None and service.detail == "not running" for service in status.services)


def test_down_never_kills_a_process_that_is_not_ours(make_config: MakeConfig) -> None:
    """A pid file naming another process (here: the test itself) is dropped, the process spared."""
    config = make_config()
    (config.root / "run").mkdir(parents=True)
    pid_file = config.root / "run" / "kafka.pid"
    pid_file.write_text(f"{os.getpid()}\n")
    stack_ = Stack(config)
    assert stack_.status().service("kafka").pid is None
    stack_.down()
    assert not pid_file.exists()


def test_down_prepares_the_state_directory(make_config: MakeConfig) -> None:
    """`down` on a fresh directory creates logs/, run/ and a .gitignore that ignores everything."""
    config = make_config()
    Stack(config).down()
    assert config.logs_dir.is_dir() and config.run_dir.is_dir()
    assert (config.root / ".gitignore").read_text().splitlines()[-1] == "*"


@pytest.mark.parametrize("method", ["stop_service", "start_service"])
def test_unknown_service_is_a_stack_error(make_config: MakeConfig, method: str) -> None:
    """Only "kafka", "opensearch" and "elasticsearch" can be stopped or started alone."""
    known = r"\(one of: kafka, opensearch, elasticsearch\)"
    with pytest.raises(StackError, match=rf"no service 'zookeeper' in the stack {known}"):
        getattr(Stack(make_config()), method)("zookeeper")


def _deploy_copy(tmp_path: Path) -> Path:
    deploy = tmp_path / "deploy"
    shutil.copytree(StackConfig(root=tmp_path).deploy_dir, deploy)
    return deploy


def _pretend_fetched(config: StackConfig) -> None:
    for service in (KafkaService(config), OpenSearchService(config)):
        service.lib.mkdir(parents=True)
        (service.lib / ".khabar-version").write_text(service.jars_stamp() + "\n")
    classes = config.root / "opensearch" / "classes"
    classes.mkdir(parents=True)
    (classes / "LocalSearchNode.class").write_bytes(b"")


def test_fetch_is_a_no_op_when_jars_are_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_config: MakeConfig
) -> None:
    """With jars stamped for this version and pom, fetch needs neither Maven nor javac."""
    config = make_config(deploy_dir=_deploy_copy(tmp_path))
    _pretend_fetched(config)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    Stack(config).fetch()


def test_changed_pom_means_fetch_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_config: MakeConfig
) -> None:
    """Editing a pom invalidates the jars resolved from it."""
    deploy = _deploy_copy(tmp_path)
    config = make_config(deploy_dir=deploy)
    _pretend_fetched(config)
    pom = deploy / "kafka" / "pom.xml"
    pom.write_text(pom.read_text().replace("<version>1</version>", "<version>2</version>", 1))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(StackError, match="mvn not found on PATH"):
        Stack(config).fetch()
