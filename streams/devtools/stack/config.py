"""Where the stack keeps its state, its ports and versions, and the server config files rendered from them."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from streams.devtools.stack.errors import StackError

__all__ = [
    "ELASTICSEARCH_VERSION",
    "ENGINES",
    "KAFKA_VERSION",
    "PROJECT_DIR",
    "SEARCH_CLUSTER_NAME",
    "SEARCH_RUNNER_VERSION",
    "StackConfig",
    "default_config",
    "new_cluster_id",
    "render_elasticsearch_settings",
    "render_search_settings",
    "render_server_properties",
]

KAFKA_VERSION = "4.4.0"
SEARCH_RUNNER_VERSION = "2.19.1.0"
# the newest Elasticsearch whose distribution Maven Central serves (its integ-test-zip)
ELASTICSEARCH_VERSION = "8.19.21"
SEARCH_CLUSTER_NAME = "khabar-local"
ENGINES = ("opensearch", "elasticsearch")
# Elasticsearch refuses to run as root: a root stack runs it as this unprivileged user
SEARCH_USER = "khabar-search"

PROJECT_DIR = Path(__file__).resolve().parents[3]


def _default_deploy_dir() -> Path:
    return PROJECT_DIR / "deploy" / "local"


@dataclass(frozen=True)
class StackConfig:
    """Where the stack keeps its state and which ports and versions it uses."""

    root: Path
    kafka_port: int = 9092
    controller_port: int = 9093
    search_port: int = 9200
    sasl_port: int | None = None  # an extra SASL_PLAINTEXT (SCRAM-SHA-512) listener when set
    engine: str = "opensearch"  # the search engine `up` starts: one of ENGINES
    kafka_version: str = KAFKA_VERSION
    search_runner_version: str = SEARCH_RUNNER_VERSION
    elasticsearch_version: str = ELASTICSEARCH_VERSION
    kafka_heap: str = "768m"
    search_heap: str = "1g"
    elasticsearch_heap: str = "512m"
    search_user: str = SEARCH_USER
    java_home: Path | None = None  # else `java` on PATH
    deploy_dir: Path = field(default_factory=_default_deploy_dir)

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise StackError(f"unknown search engine {self.engine!r} (one of: {', '.join(ENGINES)})")
        ports: tuple[int, ...] = (self.kafka_port, self.controller_port, self.search_port)
        if self.sasl_port is not None:
            ports += (self.sasl_port,)
        for port in ports:
            if not 1 <= port <= 65535:
                raise StackError(f"port {port} is out of range (1-65535)")
        if len(set(ports)) != len(ports):
            raise StackError(f"the stack's ports must differ, got {ports}")

    @property
    def transport_ports(self) -> str:
        """The Elasticsearch node's transport port range: it binds the first free one (a single node needs
        it only to exist, and a fixed port may be held for a moment by some client's outgoing connection)."""
        low = self.search_port + 100 if self.search_port + 199 <= 65535 else self.search_port - 199
        return f"{low}-{low + 99}"

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


def default_config(env: Mapping[str, str] | None = None, engine: str | None = None) -> StackConfig:
    """Config from KHABAR_STACK_DIR, KHABAR_STACK_KAFKA_PORT, KHABAR_STACK_SEARCH_PORT (and friends).

    The controller port defaults to the Kafka port + 1, so a second stack on other ports needs one
    variable less. KHABAR_STACK_CONTROLLER_PORT and KHABAR_STACK_JAVA_HOME are also read, and
    KHABAR_STACK_SASL_PORT: the SCRAM listener, on the Kafka port + 2 unless set (``off`` disables it).
    The search engine is ``engine`` if given, else KHABAR_STACK_ENGINE, else OpenSearch;
    KHABAR_STACK_SEARCH_USER names the user a root stack runs Elasticsearch as.
    """
    env = os.environ if env is None else env
    engine = engine or env.get("KHABAR_STACK_ENGINE", "").strip().lower() or "opensearch"
    root = Path(env.get("KHABAR_STACK_DIR") or PROJECT_DIR / ".khabar").expanduser().resolve()
    kafka_port = _env_port(env, "KHABAR_STACK_KAFKA_PORT", 9092)
    java_home = env.get("KHABAR_STACK_JAVA_HOME")
    sasl_off = env.get("KHABAR_STACK_SASL_PORT", "").strip().lower() in ("off", "0", "none")
    return StackConfig(
        root=root,
        kafka_port=kafka_port,
        controller_port=_env_port(env, "KHABAR_STACK_CONTROLLER_PORT", kafka_port + 1),
        search_port=_env_port(env, "KHABAR_STACK_SEARCH_PORT", 9200),
        sasl_port=None if sasl_off else _env_port(env, "KHABAR_STACK_SASL_PORT", kafka_port + 2),
        engine=engine,
        search_user=env.get("KHABAR_STACK_SEARCH_USER", "").strip() or SEARCH_USER,
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


def render_elasticsearch_settings(config: StackConfig, data_dir: Path, logs_dir: Path) -> str:
    """The Elasticsearch node's elasticsearch.yml, from the template in the deploy directory."""
    return _render(
        config.deploy_dir / "elasticsearch" / "elasticsearch.yml.template",
        cluster_name=SEARCH_CLUSTER_NAME,
        search_port=config.search_port,
        transport_ports=config.transport_ports,
        data_dir=data_dir,
        logs_dir=logs_dir,
    )


def new_cluster_id() -> str:
    """A Kafka cluster id: a random UUID, base64url without padding, never starting with '-'."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode("ascii")
        if not cluster_id.startswith("-"):
            return cluster_id
