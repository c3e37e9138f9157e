"""Settings from the environment and a file, validated at start."""

from pathlib import Path

import pytest

from streams.config import load_settings
from streams.errors import ConfigError


def test_defaults() -> None:
    """With nothing set, the local stack addresses are used."""
    s = load_settings({})
    assert s.kafka_bootstrap == "127.0.0.1:9092" and s.search_url == "http://127.0.0.1:9200"
    assert s.raw_topic == "news.raw" and s.dlq_topic == "news.dlq"


def test_environment_overrides_file(tmp_path: Path) -> None:
    """The environment wins over the file; types are coerced."""
    f = tmp_path / "k.toml"
    f.write_text('bulk_size = 50\ntopic_prefix = "desk"\n')
    s = load_settings({"KHABAR_CONFIG": str(f), "KHABAR_BULK_SIZE": "70"})
    assert s.bulk_size == 70 and s.topic_prefix == "desk" and s.raw_topic == "desk.raw"


@pytest.mark.parametrize("env,message", [
    ({"KHABAR_SEARCH_URL": "ftp://x"}, "KHABAR_SEARCH_URL"),
    ({"KHABAR_SEARCH_URL": "http://user:pw@host:9200"}, "credentials"),
    ({"KHABAR_BULK_SIZE": "many"}, "integer"),
    ({"KHABAR_LANGUAGE_POLICY": "maybe"}, "LANGUAGE_POLICY"),
    ({"KHABAR_KAFKA_BOOTSTRAP": "nohostport"}, "host:port"),
    ({"KHABAR_STALL_AFTER_S": "5"}, "KHABAR_STALL_AFTER_S"),
])
def test_invalid_settings_name_the_setting(env: dict[str, str], message: str) -> None:
    """An invalid value fails at start with the setting's name."""
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_stall_watch_can_be_turned_off() -> None:
    assert load_settings({"KHABAR_STALL_AFTER_S": "0"}).stall_after_s == 0
    assert load_settings({}).stall_after_s == 60


def test_secrets_are_masked() -> None:
    """describe() and repr never show secrets."""
    s = load_settings({"KHABAR_SEARCH_PASSWORD": "hunter2", "KHABAR_SEARCH_USER": "admin"})
    assert "hunter2" not in repr(s) and "hunter2" not in str(s.describe())
    assert s.describe()["search_password"] == "***"


@pytest.mark.parametrize("url", ["http//user:s3cret-pass@search:9200", "user:s3cret-pass@search.example",
                                 "ftp://u:s3cret-pass@search", "http://u:s3cret-pass@[::1"])
def test_a_malformed_search_url_never_echoes_its_password(url: str) -> None:
    """The error for a bad KHABAR_SEARCH_URL names the setting and the fix, not the password in it."""
    with pytest.raises(ConfigError, match="KHABAR_SEARCH_URL") as err:
        load_settings({"KHABAR_SEARCH_URL": url})
    assert "s3cret-pass" not in str(err.value)


@pytest.mark.parametrize(("env", "message"), [
    ({"KHABAR_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512", "KHABAR_KAFKA_SSL_CAFILE": "/ca.pem"},
     "KHABAR_KAFKA_SASL_MECHANISM is set but KHABAR_KAFKA_SECURITY_PROTOCOL is PLAINTEXT"),
    ({"KHABAR_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "needs KHABAR_KAFKA_SASL_MECHANISM"),
    ({"KHABAR_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "KHABAR_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
      "KHABAR_KAFKA_SSL_CAFILE": "/ca.pem"}, "does not use TLS"),
    ({"KHABAR_SEARCH_URL": "http://search.example:9200", "KHABAR_SEARCH_USER": "u",
      "KHABAR_SEARCH_PASSWORD": "p"}, "unencrypted"),
    ({"KHABAR_KAFKA_BOOTSTRAP": "kafka.example:9092", "KHABAR_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
      "KHABAR_KAFKA_SASL_MECHANISM": "PLAIN", "KHABAR_KAFKA_SASL_USERNAME": "u",
      "KHABAR_KAFKA_SASL_PASSWORD": "p"}, "unencrypted"),
])
def test_contradictory_or_plaintext_security_is_refused(env: dict[str, str], message: str) -> None:
    """SASL without a SASL protocol (the worker and the CLI would each guess differently), a CA
    file without TLS, and credentials sent unencrypted off this machine are refused, saying why."""
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_plaintext_credentials_to_this_machine_or_allowed_warn() -> None:
    """Credentials over plaintext to 127.0.0.1, or anywhere with the explicit allowance, are taken
    with a warning each (printed by every command)."""
    local = load_settings({"KHABAR_SEARCH_URL": "http://127.0.0.1:9200", "KHABAR_SEARCH_USER": "u",
                           "KHABAR_SEARCH_PASSWORD": "p", "KHABAR_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                           "KHABAR_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512"})
    assert [w.split(" ", 2)[:2] for w in local.warnings()] == [["search", "credentials"], ["Kafka", "SASL"]]
    allowed = load_settings({"KHABAR_SEARCH_URL": "http://search.example:9200", "KHABAR_SEARCH_API_KEY": "k",
                             "KHABAR_ALLOW_PLAINTEXT_CREDENTIALS": "true"})
    assert len(allowed.warnings()) == 1
    assert load_settings({}).warnings() == []
