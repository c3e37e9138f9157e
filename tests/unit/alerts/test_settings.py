"""Alert settings: defaults, validation with a message naming the setting, the webhook URL kept secret."""

from __future__ import annotations

import pytest

from streams.config import load_settings
from streams.errors import ConfigError


def test_defaults() -> None:
    """Six hours of dedup, ten seconds to gather copies, no webhook."""
    s = load_settings({})
    assert (s.alert_dedup_window_s, s.alert_group_wait_s, s.alert_webhook_url) == (21600.0, 10.0, "")


@pytest.mark.parametrize(("env", "named"), [
    ({"KHABAR_ALERT_DEDUP_WINDOW_S": "-1"}, "KHABAR_ALERT_DEDUP_WINDOW_S"),
    ({"KHABAR_ALERT_GROUP_WAIT_S": "30", "KHABAR_ALERT_DEDUP_WINDOW_S": "10"}, "KHABAR_ALERT_GROUP_WAIT_S"),
    ({"KHABAR_ALERT_SIMILARITY": "1.5"}, "KHABAR_ALERT_SIMILARITY"),
    ({"KHABAR_ALERT_WEBHOOK_URL": "ftp://127.0.0.1/x"}, "KHABAR_ALERT_WEBHOOK_URL"),
    ({"KHABAR_ALERT_WEBHOOK_MAX_ATTEMPTS": "0"}, "KHABAR_ALERT_WEBHOOK_MAX_ATTEMPTS"),
])
def test_invalid_values_name_the_setting(env: dict[str, str], named: str) -> None:
    """A bad value stops the start with the setting's name in the message."""
    with pytest.raises(ConfigError, match=named):
        load_settings(env)


def test_webhook_url_is_masked() -> None:
    """The webhook URL may carry a token: `khabar config` and repr never show it."""
    s = load_settings({"KHABAR_ALERT_WEBHOOK_URL": "http://127.0.0.1:8080/hook?token=s3cret"})
    assert s.describe()["alert_webhook_url"] == "***"
    assert "s3cret" not in repr(s)
