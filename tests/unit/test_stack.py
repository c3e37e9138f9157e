"""Unit tests for the pure parts of streams.devtools.stack: config, rendering, Kafka wire format, pid safety."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import struct
from pathlib import Path

import pytest

from streams.devtools import stack
from streams.devtools.stack import Stack, StackConfig, StackError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _config(tmp_path: Path, **overrides: object) -> StackConfig:
    ports = {"kafka_port": _free_port(), "controller_port": _free_port(), "search_port": _free_port()}
    return StackConfig(root=tmp_path / "stack", **{**ports, **overrides})  # type: ignore[arg-type]


# ---- configuration ---------------------------------------------------------------------------


def test_default_config_without_env() -> None:
    """Defaults: <project>/.khabar and the usual Kafka/OpenSearch ports."""
    config = stack.default_config({})
    assert config.root == Path(__file__).resolve().parents[2] / ".khabar"
    assert (config.kafka_port, config.controller_port, config.search_port) == (9092, 9093, 9200)
    assert config.kafka_bootstrap == "127.0.0.1:9092"
    assert config.search_url == "http://127.0.0.1:9200"


def test_default_config_from_env(tmp_path: Path) -> None:
    """KHABAR_STACK_* variables set the directory and ports; the controller follows Kafka."""
    env = {
        "KHABAR_STACK_DIR": str(tmp_path),
        "KHABAR_STACK_KAFKA_PORT": "19092",
        "KHABAR_STACK_SEARCH_PORT": "19200",
    }
    config = stack.default_config(env)
    assert config.root == tmp_path.resolve()
    assert (config.kafka_port, config.controller_port, config.search_port) == (19092, 19093, 19200)


def test_default_config_explicit_controller_port_and_java_home(tmp_path: Path) -> None:
    """KHABAR_STACK_CONTROLLER_PORT and KHABAR_STACK_JAVA_HOME are honoured."""
    env = {"KHABAR_STACK_CONTROLLER_PORT": "29093", "KHABAR_STACK_JAVA_HOME": str(tmp_path)}
    config = stack.default_config(env)
    assert config.controller_port == 29093
    assert config.java_home == tmp_path


@pytest.mark.parametrize("raw", ["abc", "0", "70000", "-1", "92.5"])
def test_default_config_rejects_bad_port(raw: str) -> None:
    """A port variable that is not 1-65535 is a one-line StackError naming the variable."""
    with pytest.raises(StackError, match="KHABAR_STACK_KAFKA_PORT must be a port number"):
        stack.default_config({"KHABAR_STACK_KAFKA_PORT": raw})


def test_config_rejects_shared_ports(tmp_path: Path) -> None:
    """Two services on one port is refused at construction."""
    with pytest.raises(StackError, match="ports must differ"):
        StackConfig(root=tmp_path, kafka_port=9092, controller_port=9092)


# ---- rendering -------------------------------------------------------------------------------


def _properties(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_server_properties_rendering(tmp_path: Path) -> None:
    """server.properties binds loopback on the configured ports with dev-friendly topic defaults."""
    config = StackConfig(root=tmp_path, kafka_port=19092, controller_port=19093)
    props = _properties(stack.render_server_properties(config, tmp_path / "data"))
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19092"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["process.roles"] == "broker,controller"
    assert props["log.dirs"] == str(tmp_path / "data")
    assert props["auto.create.topics.enable"] == "true"
    assert props["num.partitions"] == "3"
    assert props["offsets.topic.replication.factor"] == "1"
    assert int(props["log.retention.hours"]) <= 168


def test_server_properties_has_no_placeholder_left(tmp_path: Path) -> None:
    """Every $placeholder of the template is filled in."""
    assert "$" not in stack.render_server_properties(StackConfig(root=tmp_path), tmp_path)


def test_search_settings_rendering(tmp_path: Path) -> None:
    """opensearch.yml: loopback, single node, no disk watermarks."""
    text = stack.render_search_settings(StackConfig(root=tmp_path))
    lines = {line.strip() for line in text.splitlines()}
    assert "network.host: 127.0.0.1" in lines
    assert "discovery.type: single-node" in lines
    assert "cluster.routing.allocation.disk.threshold_enabled: false" in lines


def test_bad_template_is_a_stack_error(tmp_path: Path) -> None:
    """A template with an unknown placeholder fails with a StackError naming the file."""
    (tmp_path / "kafka").mkdir()
    (tmp_path / "kafka" / "server.properties.template").write_text("x=${nope}\n")
    config = StackConfig(root=tmp_path, deploy_dir=tmp_path)
    with pytest.raises(StackError, match=r"server\.properties\.template"):
        stack.render_server_properties(config, tmp_path)


def test_new_cluster_id_is_a_kafka_uuid() -> None:
    """Cluster ids are 16 random bytes in unpadded base64url that never start with '-'."""
    ids = {stack.new_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cluster_id in ids:
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


# ---- Kafka wire format -----------------------------------------------------------------------


def _kafka_string(value: str | None) -> bytes:
    if value is None:
        return struct.pack(">h", -1)
    raw = value.encode()
    return struct.pack(">h", len(raw)) + raw


def test_encode_request_frames_header_and_body() -> None:
    """Requests are size-prefixed with api key, version, correlation id and client id."""
    frame = stack.encode_request(18, 0, 7, b"BODY")
    (size,) = struct.unpack_from(">i", frame)
    assert size == len(frame) - 4
    assert struct.unpack_from(">hhih", frame, 4) == (18, 0, 7, len(b"khabar-stack"))
    assert frame.endswith(b"khabar-stack" + b"BODY")


def test_decode_api_versions() -> None:
    """ApiVersions v0 lists (min, max) per api key."""
    body = struct.pack(">hi", 0, 2) + struct.pack(">hhh", 3, 4, 13) + struct.pack(">hhh", 18, 0, 4)
    assert stack.decode_api_versions(body) == {3: (4, 13), 18: (0, 4)}


def test_decode_api_versions_error() -> None:
    """A broker error other than UNSUPPORTED_VERSION is reported."""
    with pytest.raises(ValueError, match="error code 41"):
        stack.decode_api_versions(struct.pack(">hi", 41, 0))


@pytest.mark.parametrize(
    ("versions", "expected"),
    [({3: (4, 13)}, 8), ({3: (0, 5)}, 5), ({3: (9, 13)}, None), ({}, None), ({3: (0, 3)}, None)],
)
def test_metadata_version_choice(versions: dict[int, tuple[int, int]], expected: int | None) -> None:
    """The highest non-flexible Metadata version (4..8) the broker speaks is used."""
    assert stack.metadata_version(versions) == expected


def test_encode_metadata_body() -> None:
    """Metadata asks for no topics and never creates any; v8 adds two flags."""
    assert stack.encode_metadata_body(4) == struct.pack(">ib", 0, 0)
    assert stack.encode_metadata_body(8) == struct.pack(">ibbb", 0, 0, 0, 0)


def test_decode_metadata() -> None:
    """Brokers, cluster id and controller id are read from a Metadata v4-v8 response."""
    body = (
        struct.pack(">i", 0)  # throttle
        + struct.pack(">i", 1)
        + struct.pack(">i", 1)
        + _kafka_string("127.0.0.1")
        + struct.pack(">i", 9092)
        + _kafka_string(None)
        + _kafka_string("abcdefghijklmnopqrstuv")
        + struct.pack(">i", 1)
        + struct.pack(">i", 0)  # topics
    )
    meta = stack.decode_metadata(body)
    assert meta == stack.KafkaMetadata("abcdefghijklmnopqrstuv", 1, ((1, "127.0.0.1", 9092),))


def test_decode_metadata_truncated() -> None:
    """A cut-off response is an error, not a half-filled result."""
    with pytest.raises((ValueError, struct.error)):
        stack.decode_metadata(struct.pack(">ii", 0, 1) + struct.pack(">i", 1) + struct.pack(">h", 9) + b"127")


# ---- ports, java, processes ------------------------------------------------------------------


def test_port_is_free_sees_a_listener() -> None:
    """A listening socket makes its port not free; closing it frees the port."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not stack.port_is_free(port)
    assert stack.port_is_free(port)


def _fake_java(tmp_path: Path, version_line: str) -> str:
    script = tmp_path / "java"
    script.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("line", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "25" 2025-09-16', 25),
        ('java version "1.8.0_292"', 8),
    ],
)
def test_java_major(tmp_path: Path, line: str, major: int) -> None:
    """The major version is read from `java -version`, old 1.x style included."""
    assert stack._java_major(_fake_java(tmp_path, line)) == major


def test_up_refuses_old_java(tmp_path: Path) -> None:
    """A Java older than 17 is refused before anything is downloaded."""
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    _fake_java(home / "bin", 'openjdk version "11.0.2" 2019-01-15')
    with pytest.raises(StackError, match="needs Java 17"):
        Stack(_config(tmp_path, java_home=home)).up(timeout=1)


def test_up_without_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No java on PATH is a one-line StackError."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="java not found on PATH; install a JDK 17"):
        Stack(_config(tmp_path)).up(timeout=1)


def test_up_with_foreign_process_on_port(tmp_path: Path) -> None:
    """A port held by something else stops `up` before any download or start."""
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    _fake_java(home / "bin", 'openjdk version "17.0.15" 2025-04-15')
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        config = _config(tmp_path, kafka_port=port, java_home=home)
        with pytest.raises(StackError, match=f"port {port} is taken by another process"):
            Stack(config).up(timeout=1)
        assert Stack(config).status().service("kafka").detail == (
            f"not running; port {port} is used by another process"
        )
    assert not (config.root / "kafka" / "lib").exists()


def test_status_when_nothing_runs(tmp_path: Path) -> None:
    """A fresh state directory reports both services down, without pids."""
    status = Stack(_config(tmp_path)).status()
    assert [service.name for service in status.services] == ["kafka", "opensearch"]
    assert not status.healthy
    assert all(service.pid is None and service.detail == "not running" for service in status.services)


def test_down_never_kills_a_process_that_is_not_ours(tmp_path: Path) -> None:
    """A pid file naming another process (here: the test itself) is dropped, the process spared."""
    config = _config(tmp_path)
    (config.root / "run").mkdir(parents=True)
    pid_file = config.root / "run" / "kafka.pid"
    pid_file.write_text(f"{os.getpid()}\n")
    stack_ = Stack(config)
    assert stack_.status().service("kafka").pid is None
    stack_.down()
    assert not pid_file.exists()


def test_status_table_lists_services(tmp_path: Path) -> None:
    """The rich table has one row per service."""
    table = stack.status_table(Stack(_config(tmp_path)).status())
    assert table.row_count == 2


def _deploy_copy(tmp_path: Path) -> Path:
    deploy = tmp_path / "deploy"
    shutil.copytree(StackConfig(root=tmp_path).deploy_dir, deploy)
    return deploy


def _pretend_fetched(config: StackConfig) -> None:
    for service in (stack._Kafka(config), stack._Search(config)):
        service.lib.mkdir(parents=True)
        (service.lib / ".khabar-version").write_text(service._jars_stamp() + "\n")
    classes = config.root / "opensearch" / "classes"
    classes.mkdir(parents=True)
    (classes / "LocalSearchNode.class").write_bytes(b"")


def test_fetch_is_a_no_op_when_jars_are_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With jars stamped for this version and pom, fetch needs neither Maven nor javac."""
    config = _config(tmp_path, deploy_dir=_deploy_copy(tmp_path))
    _pretend_fetched(config)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    Stack(config).fetch()


def test_changed_pom_means_fetch_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing a pom invalidates the jars resolved from it."""
    deploy = _deploy_copy(tmp_path)
    config = _config(tmp_path, deploy_dir=deploy)
    _pretend_fetched(config)
    pom = deploy / "kafka" / "pom.xml"
    pom.write_text(pom.read_text().replace("<version>1</version>", "<version>2</version>", 1))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(StackError, match="mvn not found on PATH"):
        Stack(config).fetch()
