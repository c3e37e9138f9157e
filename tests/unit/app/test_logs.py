"""Repeated log lines during an outage are collapsed, with a count."""

from __future__ import annotations

import logging

from streams.app.logs import RepeatFilter, quiet_repeats


def _record(msg: str, *args: object, name: str = "aiokafka.client") -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_repeats_are_dropped_then_counted() -> None:
    """The first record passes; repeats within the window are dropped; the next says how many."""
    now = [0.0]
    f = RepeatFilter(window=10, clock=lambda: now[0])
    assert f.filter(_record("Unable connect to node with id %s: %s", 1, "refused"))
    assert not any(f.filter(_record("Unable connect to node with id %s: %s", 1, "refused")) for _ in range(500))
    assert f.filter(_record("Unable to update metadata from %s", [1]))  # another message passes
    now[0] = 11.0
    again = _record("Unable connect to node with id %s: %s", 1, "refused")
    assert f.filter(again)
    assert again.getMessage() == "Unable connect to node with id 1: refused (and 500 more like it in the last 10s)"


def test_quiet_repeats_attaches_once() -> None:
    """Attaching twice does not stack filters."""
    quiet_repeats(["khabar.test.noisy"])
    quiet_repeats(["khabar.test.noisy"])
    assert sum(isinstance(f, RepeatFilter) for f in logging.getLogger("khabar.test.noisy").filters) == 1


def test_rebalance_messages_always_pass() -> None:
    """Two rebalances within the window both show their assignment (the chaos harness reads it)."""
    f = RepeatFilter(window=10, clock=lambda: 0.0)
    for _ in range(3):
        assert f.filter(_record("Setting newly assigned partitions %s for group %s", {1}, "g",
                                name="aiokafka.consumer.group_coordinator"))
        assert f.filter(_record("Revoking previously assigned partitions %s for group %s", {1}, "g",
                                name="aiokafka.consumer.group_coordinator"))


def test_article_text_cannot_forge_a_log_line() -> None:
    """With escape_log_fields, an agency holding a newline, a fake [ERROR] prefix and a terminal
    escape stays inside its own record, written out; so does an exception quoting it."""
    import io

    from streams.app.logs import escape_log_fields

    previous = logging.getLogRecordFactory()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    log = logging.getLogger("khabar.test-forge")
    log.addHandler(handler)
    log.propagate = False
    forged = "IRNA\n[ERROR] disk full, deleting index\x1b[2J"
    try:
        escape_log_fields()
        escape_log_fields()  # twice changes nothing
        log.warning("alert %s: %s (%s)", "a1", "person/x", forged)
        try:
            raise ValueError(f"bad agency {forged}")
        except ValueError:
            log.exception("alert agent: mention skipped")
    finally:
        logging.setLogRecordFactory(previous)
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert [line for line in lines if line.startswith("[")] == [
        "[WARNING] alert a1: person/x (IRNA\\n[ERROR] disk full, deleting index\\x1b[2J)",
        "[ERROR] alert agent: mention skipped"]
    assert lines[-1] == "ValueError: bad agency IRNA\\n[ERROR] disk full, deleting index\\x1b[2J"
    assert "\x1b" not in stream.getvalue()
