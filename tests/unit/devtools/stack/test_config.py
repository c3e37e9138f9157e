"""streams.devtools.stack.config: the config from the environment, rendered server files, cluster ids."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from streams.devtools.stack import StackConfig, StackError
from streams.devtools.stack.config import (
    default_config,
    new_cluster_id,
    render_search_settings,
    render_server_properties,
)

PROJECT = Path(__file__).resolve().parents[4]


def test_default_config_without_env() -> None:
    """Defaults: <project>/.khabar and the usual Kafka/OpenSearch ports."""
    config = default_config({})
    assert config.root == PROJECT / ".khabar"
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
    config = default_config(env)
    assert config.root == tmp_path.resolve()
    assert (config.kafka_port, config.controller_port, config.search_port) == (19092, 19093, 19200)


def test_default_config_explicit_controller_port_and_java_home(tmp_path: Path) -> None:
    """KHABAR_STACK_CONTROLLER_PORT and KHABAR_STACK_JAVA_HOME are honoured."""
    env = {"KHABAR_STACK_CONTROLLER_PORT": "29093", "KHABAR_STACK_JAVA_HOME": str(tmp_path)}
    config = default_config(env)
    assert config.controller_port == 29093
    assert config.java_home == tmp_path


@pytest.mark.parametrize(
    ("env", "sasl_port"),
    [
        ({}, 9094),
        ({"KHABAR_STACK_KAFKA_PORT": "29092"}, 29094),
        ({"KHABAR_STACK_SASL_PORT": "29999"}, 29999),
        ({"KHABAR_STACK_SASL_PORT": "off"}, None),
        ({"KHABAR_STACK_SASL_PORT": " None "}, None),
        ({"KHABAR_STACK_SASL_PORT": "0"}, None),
    ],
)
def test_default_config_sasl_port(env: dict[str, str], sasl_port: int | None) -> None:
    """The SCRAM listener sits on the Kafka port + 2 unless set; off/0/none disable it."""
    assert default_config(env).sasl_port == sasl_port


@pytest.mark.parametrize("raw", ["abc", "0", "70000", "-1", "92.5"])
def test_default_config_rejects_bad_port(raw: str) -> None:
    """A port variable that is not 1-65535 is a one-line StackError naming the variable."""
    with pytest.raises(StackError, match="KHABAR_STACK_KAFKA_PORT must be a port number"):
        default_config({"KHABAR_STACK_KAFKA_PORT": raw})


def test_config_rejects_shared_ports(tmp_path: Path) -> None:
    """Two services on one port is refused at construction."""
    with pytest.raises(StackError, match="ports must differ"):
        StackConfig(root=tmp_path, kafka_port=9092, controller_port=9092)


@pytest.mark.parametrize(("sasl_port", "bootstrap"), [(None, None), (9094, "127.0.0.1:9094")])
def test_sasl_bootstrap(tmp_path: Path, sasl_port: int | None, bootstrap: str | None) -> None:
    """The SASL bootstrap address exists only with a SASL port."""
    assert StackConfig(root=tmp_path, sasl_port=sasl_port).kafka_sasl_bootstrap == bootstrap


# ---- rendering -------------------------------------------------------------------------------


def _properties(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_server_properties_rendering(tmp_path: Path) -> None:
    """server.properties binds loopback on the configured ports with dev-friendly topic defaults."""
    config = StackConfig(root=tmp_path, kafka_port=19092, controller_port=19093)
    props = _properties(render_server_properties(config, tmp_path / "data"))
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
    assert "$" not in render_server_properties(StackConfig(root=tmp_path), tmp_path)


def test_search_settings_rendering(tmp_path: Path) -> None:
    """opensearch.yml: loopback, single node, no disk watermarks."""
    text = render_search_settings(StackConfig(root=tmp_path))
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
        render_server_properties(config, tmp_path)


def test_missing_template_is_a_stack_error(tmp_path: Path) -> None:
    """A deploy directory without the template fails with a StackError naming the file."""
    config = StackConfig(root=tmp_path, deploy_dir=tmp_path)
    with pytest.raises(StackError, match=r"cannot read .*opensearch\.yml\.template"):
        render_search_settings(config)


def test_new_cluster_id_is_a_kafka_uuid() -> None:
    """Cluster ids are 16 random bytes in unpadded base64url that never start with '-'."""
    ids = {new_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for cluster_id in ids:
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


@pytest.mark.parametrize(("env", "engine"),
                         [({}, "opensearch"), ({"KHABAR_STACK_ENGINE": "Elasticsearch"}, "elasticsearch")])
def test_default_config_engine(env: dict[str, str], engine: str) -> None:
    """OpenSearch unless KHABAR_STACK_ENGINE (or the caller) says otherwise."""
    assert default_config(env).engine == engine
    assert default_config(env, engine="elasticsearch").engine == "elasticsearch"


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    """An engine the stack cannot run is a one-line StackError naming the choices."""
    with pytest.raises(StackError, match="unknown search engine 'solr' \\(one of: opensearch, elasticsearch\\)"):
        StackConfig(root=tmp_path, engine="solr")


def test_transport_ports_follow_the_search_port() -> None:
    """The Elasticsearch transport ports are a range of 100 from the search port + 100 (below it at the top)."""
    assert default_config({"KHABAR_STACK_SEARCH_PORT": "19200"}).transport_ports == "19300-19399"
    assert default_config({"KHABAR_STACK_SEARCH_PORT": "65500"}).transport_ports == "65301-65400"
