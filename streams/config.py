"""Settings: one object, read from ``KHABAR_*`` environment variables and an optional TOML file.

The file named by ``KHABAR_CONFIG`` (keys without the prefix, lower case) is read first; the
environment overrides it. Everything is validated at start with a message naming the setting.
Secrets are kept out of ``repr`` and out of :meth:`Settings.describe`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from streams.errors import ConfigError

__all__ = ["Settings", "load_settings"]

# a webhook URL often carries its own access token
_SECRET_FIELDS = frozenset({"search_password", "search_api_key", "kafka_sasl_password", "alert_webhook_url"})
_LANGUAGE_POLICIES = ("reject", "accept")
_LOG_LEVELS = ("debug", "info", "warning", "error")
_SEARCH_ENGINES = ("auto", "elasticsearch", "opensearch")


@dataclass(frozen=True)
class Settings:
    """Every knob of a Khabar process. Field ``x`` comes from ``KHABAR_X``."""

    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str = ""
    kafka_sasl_username: str = ""
    kafka_sasl_password: str = field(default="", repr=False)
    kafka_ssl_cafile: str = ""
    topic_prefix: str = "news"
    partitions: int = 3
    app_id: str = "khabar"
    search_url: str = "http://127.0.0.1:9200"
    search_engine: str = "auto"  # auto (from the server's answers), elasticsearch or opensearch
    search_user: str = ""
    search_password: str = field(default="", repr=False)
    search_api_key: str = field(default="", repr=False)
    search_ca_certs: str = ""
    search_verify_certs: bool = True
    # credentials over plaintext to a host outside 127.0.0.0/8 are refused unless this is set
    allow_plaintext_credentials: bool = False
    index_alias: str = "khabar-articles"
    web_port: int = 6066
    web_host: str = "127.0.0.1"
    max_article_bytes: int = 2 * 1024 * 1024
    # enrichment runs in child processes; an article over the budget is dead-lettered (enrich_timeout)
    enrich_timeout_s: float = 10.0
    enrich_processes: int = 1
    language_policy: str = "reject"
    bulk_size: int = 500
    bulk_within_s: float = 0.1
    refresh_max_docs: int = 100
    memory_trim_s: float = 10.0
    retry_max_s: float = 30.0
    kafka_session_timeout_s: float = 60.0
    # a partition whose committed offset has not moved for this long although it has lag and
    # nothing of it is in flight is read again from its committed offset (0: never)
    stall_after_s: float = 60.0
    data_dir: str = ".khabar/worker"
    log_level: str = "info"
    # agencies that get a metric label of their own besides streams/data/agencies.yaml (comma-separated)
    metric_agencies: str = ""
    # tracked-figure alerts (streams/alerts/, streams/app/alerting.py)
    alert_dedup_window_s: float = 6 * 3600.0
    alert_group_wait_s: float = 10.0
    alert_similarity: float = 0.5
    # tries to produce a mention or an alert before it is dead-lettered (Kafka refusing it for good: at once)
    alert_produce_attempts: int = 10
    alert_webhook_url: str = field(default="", repr=False)
    alert_webhook_max_attempts: int = 5
    alert_webhook_timeout_s: float = 10.0

    @property
    def raw_topic(self) -> str:
        return f"{self.topic_prefix}.raw"

    @property
    def enriched_topic(self) -> str:
        return f"{self.topic_prefix}.enriched"

    @property
    def dlq_topic(self) -> str:
        return f"{self.topic_prefix}.dlq"

    @property
    def alerts_topic(self) -> str:
        return f"{self.topic_prefix}.alerts"

    def warnings(self) -> list[str]:
        """What is allowed but unsafe in these settings (printed by every command, logged by the worker)."""
        out = []
        if self.search_url.lower().startswith("http://") and (self.search_user or self.search_api_key):
            out.append("search credentials travel unencrypted (KHABAR_SEARCH_URL is http://): use https://")
        if self.kafka_security_protocol == "SASL_PLAINTEXT":
            out.append("Kafka SASL runs without TLS (KHABAR_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT): "
                       "use SASL_SSL" + (", the PLAIN mechanism sends the password as it is"
                                         if self.kafka_sasl_mechanism.upper() == "PLAIN" else ""))
        return out

    def describe(self) -> dict[str, Any]:
        """The settings with secrets masked, for `khabar config` and logs."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = ("***" if value else "") if f.name in _SECRET_FIELDS else value
        return out


def _coerce(name: str, raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"KHABAR_{name.upper()} must be true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"KHABAR_{name.upper()} must be an integer, got {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"KHABAR_{name.upper()} must be a number, got {raw!r}") from None
    return str(raw)


def _shown(value: str) -> str:
    """A setting's value for an error message: not at all when it may hold credentials (user:pass@)."""
    return "(not shown: it holds an @, so it may carry credentials)" if "@" in value else repr(value)


def _loopback(host: str | None) -> bool:
    return bool(host) and (host == "localhost" or str(host).startswith("127.") or host == "::1")


def _validate(s: Settings) -> None:
    try:
        url = urlsplit(s.search_url)
        hostname = url.hostname
    except ValueError:  # e.g. an unclosed [ in the host
        url, hostname = urlsplit(""), None
    if url.scheme not in ("http", "https") or not hostname:
        raise ConfigError(f"KHABAR_SEARCH_URL must be an http(s) URL such as https://search.example:9200, "
                          f"got {_shown(s.search_url)}")
    if "@" in url.netloc:
        raise ConfigError("KHABAR_SEARCH_URL must not carry credentials; use KHABAR_SEARCH_USER/PASSWORD")
    if s.search_engine not in _SEARCH_ENGINES:
        raise ConfigError(f"KHABAR_SEARCH_ENGINE must be one of {', '.join(_SEARCH_ENGINES)}, got {s.search_engine!r}")
    for host in s.kafka_bootstrap.split(","):
        if ":" not in host.strip():
            raise ConfigError(f"KHABAR_KAFKA_BOOTSTRAP must be host:port[,host:port], got {_shown(s.kafka_bootstrap)}")
    _validate_transport(s, hostname)
    if s.language_policy not in _LANGUAGE_POLICIES:
        raise ConfigError(f"KHABAR_LANGUAGE_POLICY must be one of {_LANGUAGE_POLICIES}, got {s.language_policy!r}")
    if s.log_level.lower() not in _LOG_LEVELS:
        raise ConfigError(f"KHABAR_LOG_LEVEL must be one of {_LOG_LEVELS}, got {s.log_level!r}")
    if s.max_article_bytes < 1024:
        raise ConfigError("KHABAR_MAX_ARTICLE_BYTES must be at least 1024")
    if not 0.1 <= s.enrich_timeout_s <= 600:
        raise ConfigError("KHABAR_ENRICH_TIMEOUT_S must be between 0.1 and 600 seconds")
    if not 1 <= s.enrich_processes <= 64:
        raise ConfigError("KHABAR_ENRICH_PROCESSES must be between 1 and 64")
    if not 1 <= s.bulk_size <= 10_000:
        raise ConfigError("KHABAR_BULK_SIZE must be between 1 and 10000")
    if not 0 < s.bulk_within_s <= 60:
        raise ConfigError("KHABAR_BULK_WITHIN_S must be more than 0 and at most 60 seconds")
    if s.memory_trim_s < 0:
        raise ConfigError("KHABAR_MEMORY_TRIM_S must be 0 (off) or a number of seconds")
    if s.refresh_max_docs < 0:
        raise ConfigError("KHABAR_REFRESH_MAX_DOCS must be 0 (never refresh) or more")
    if not 6 <= s.kafka_session_timeout_s <= 1800:
        raise ConfigError("KHABAR_KAFKA_SESSION_TIMEOUT_S must be between 6 and 1800 seconds")
    if s.stall_after_s != 0 and not 10 <= s.stall_after_s <= 3600:
        raise ConfigError("KHABAR_STALL_AFTER_S must be 0 (off) or between 10 and 3600 seconds")
    if s.partitions < 1:
        raise ConfigError("KHABAR_PARTITIONS must be at least 1")
    _validate_alerts(s)
    if not 0 < s.web_port < 65536:
        raise ConfigError("KHABAR_WEB_PORT must be a TCP port")
    if s.kafka_security_protocol not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
        raise ConfigError("KHABAR_KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")


def _validate_transport(s: Settings, search_host: str | None) -> None:
    """Security settings that contradict each other are refused; so are credentials sent
    unencrypted off this machine, unless KHABAR_ALLOW_PLAINTEXT_CREDENTIALS says so."""
    protocol = s.kafka_security_protocol
    if s.kafka_sasl_mechanism and not protocol.startswith("SASL_"):
        raise ConfigError(f"KHABAR_KAFKA_SASL_MECHANISM is set but KHABAR_KAFKA_SECURITY_PROTOCOL is {protocol}: "
                          "set it to SASL_SSL (or SASL_PLAINTEXT on a trusted network)")
    if protocol.startswith("SASL_") and not s.kafka_sasl_mechanism:
        raise ConfigError(f"KHABAR_KAFKA_SECURITY_PROTOCOL={protocol} needs KHABAR_KAFKA_SASL_MECHANISM "
                          "(e.g. SCRAM-SHA-512)")
    if s.kafka_ssl_cafile and not protocol.endswith("SSL"):
        raise ConfigError(f"KHABAR_KAFKA_SSL_CAFILE is set but KHABAR_KAFKA_SECURITY_PROTOCOL is {protocol}, "
                          "which does not use TLS: set SSL or SASL_SSL")
    if s.allow_plaintext_credentials:
        return
    if s.search_url.lower().startswith("http://") and (s.search_user or s.search_api_key) \
            and not _loopback(search_host):
        raise ConfigError("KHABAR_SEARCH_URL is http:// but search credentials are set: they would cross the "
                          "network unencrypted; use https:// (or set KHABAR_ALLOW_PLAINTEXT_CREDENTIALS=true)")
    brokers = [h.strip().rsplit(":", 1)[0].strip("[]") for h in s.kafka_bootstrap.split(",")]
    if protocol == "SASL_PLAINTEXT" and s.kafka_sasl_mechanism.upper() == "PLAIN" \
            and not all(_loopback(b) for b in brokers):
        raise ConfigError("KHABAR_KAFKA_SASL_MECHANISM=PLAIN over SASL_PLAINTEXT sends the Kafka password "
                          "unencrypted; use SASL_SSL (or set KHABAR_ALLOW_PLAINTEXT_CREDENTIALS=true)")


def _validate_alerts(s: Settings) -> None:
    if s.alert_dedup_window_s < 0 or s.alert_group_wait_s < 0:
        raise ConfigError("KHABAR_ALERT_DEDUP_WINDOW_S and KHABAR_ALERT_GROUP_WAIT_S must not be negative")
    if s.alert_group_wait_s > s.alert_dedup_window_s:
        raise ConfigError("KHABAR_ALERT_GROUP_WAIT_S must not exceed KHABAR_ALERT_DEDUP_WINDOW_S")
    if not 0 < s.alert_similarity <= 1:
        raise ConfigError("KHABAR_ALERT_SIMILARITY must be in (0, 1]")
    if s.alert_webhook_url:
        hook = urlsplit(s.alert_webhook_url)
        if hook.scheme not in ("http", "https") or not hook.hostname:
            raise ConfigError("KHABAR_ALERT_WEBHOOK_URL must be an http(s) URL")
    if not 1 <= s.alert_produce_attempts <= 1000:
        raise ConfigError("KHABAR_ALERT_PRODUCE_ATTEMPTS must be between 1 and 1000")
    if not 1 <= s.alert_webhook_max_attempts <= 100:
        raise ConfigError("KHABAR_ALERT_WEBHOOK_MAX_ATTEMPTS must be between 1 and 100")
    if s.alert_webhook_timeout_s <= 0:
        raise ConfigError("KHABAR_ALERT_WEBHOOK_TIMEOUT_S must be positive")


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build and validate settings from a file, the environment and explicit overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    config_file = env.get("KHABAR_CONFIG")
    if config_file:
        path = Path(config_file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"KHABAR_CONFIG {path}: {exc}") from None
        for key, raw in data.items():
            if key not in known:
                raise ConfigError(f"KHABAR_CONFIG {path}: unknown setting {key!r}")
            values[key] = _coerce(key, raw, getattr(defaults, key))
    for name in known:
        raw_env = env.get(f"KHABAR_{name.upper()}")
        if raw_env is not None and raw_env != "":
            values[name] = _coerce(name, raw_env, getattr(defaults, name))
    for name, raw in overrides.items():
        if raw is not None:
            values[name] = _coerce(name, raw, getattr(defaults, name))
    settings = Settings(**values)
    _validate(settings)
    return settings
