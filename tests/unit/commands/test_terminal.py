"""Article text on the terminal: escape sequences written out, rich markup shown as text, nothing crashes.

Each command that prints article text (search, enrich, alerts tail, dlq list/show, watch list)
goes through `terminal.shown`; these render hostile strings through the real rich consoles.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from streams.commands import dlq as dlqtool
from streams.commands import search, terminal, watch
from streams.commands.dead_letters import DeadLetterEntry, plan_replay
from streams.commands.dlq import dlq_app
from streams.config import Settings

HOSTILE = {
    "agency": "IRNA\x1b[2J\x1b]0;owned\x07\n[2024-05-01 10:00:00,000] [1] [ERROR] forged line",
    "title": "قیمت نفت [/] افزایش یافت [link=https://evil.example]اینجا[/link] [bold red]",
    "kicker": "روتیتر [/]",
    "published_at": "2024-05-01T10:00:00Z\r\x1b[31m",
}


@pytest.fixture()
def screen(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The commands' consoles writing to a buffer as a colour terminal would (escape codes kept)."""
    buffer = io.StringIO()
    fake = Console(file=buffer, force_terminal=True, color_system="truecolor", width=200, emoji=False)
    for module in (terminal, search, watch, dlqtool):
        for name in ("console", "_console", "err_console", "_err"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, fake)
    yield buffer


def _assert_inert(out: str) -> None:
    assert "\x1b[2J" not in out and "\x1b]0;" not in out and "\x07" not in out  # no screen clear, no title
    assert "\x1b]8;" not in out  # no hyperlink
    assert "\n[2024-05-01 10:00:00,000] [1] [ERROR]" not in out  # no forged line
    assert "\\x1b[2J" in out and "\\n[2024" in out  # written out instead


def test_a_hostile_hit_prints_as_text(screen: io.StringIO) -> None:
    """`khabar search` / `khabar enrich`: markup in a title is shown literally, escapes are written out."""
    search.print_hit(1, {**HOSTILE, "topics": ["[/]"], "entities": [], "quotes": [
        {"text": "«[/]»\x1b[5m", "speaker": {"name": "[link=x]y"}, "verb": "گفت", "kind": "direct"}]})
    out = screen.getvalue()
    _assert_inert(out)
    assert "[link=https://evil.example]" in out and "[/]" in out and "[link=x]y" in out


def test_a_hostile_alert_prints_as_text(screen: io.StringIO) -> None:
    """`khabar alerts tail`: every field of an alert is article text."""
    screen.write("")
    watch.console.print(watch.alert_panel({
        "id": "a", "figure_id": "person/x", "figure_name": "[/]", "kind": "quote", "quote": "[link=y]z[/link]",
        "surface": "\x1b[2J", "agencies": [HOSTILE["agency"]], "url": "https://x.example/[/]",
        "published_at": HOSTILE["published_at"], "title": HOSTILE["title"], "alerted_at": "now"}))
    _assert_inert(screen.getvalue())


def _letter(offset: int, topic: str = "news.raw", **fields: Any) -> DeadLetterEntry:
    return DeadLetterEntry(0, offset, {
        "error_class": "InvalidArticle", "stage": "validate", "reason": "kicker: [/] \x1b[2J", "topic": topic,
        "partition": 0, "offset": offset, "time": datetime(2024, 6, 1, tzinfo=timezone.utc).isoformat(),
        "original": b'{"kicker": "[/]"}', "original_truncated": False, "key": None,
        "article_id": HOSTILE["agency"], **fields})


def test_dlq_list_and_show_print_forged_records_as_text(screen: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    """`khabar dlq list` and `show` with markup and escapes in every field neither crash nor obey them."""
    monkeypatch.setattr(dlqtool, "get_settings", lambda: Settings())
    monkeypatch.setattr(dlqtool, "_read", lambda settings, keep_original: [_letter(0), _letter(1, stage="[/]")])
    runner = CliRunner()
    for args in (["list"], ["show", "1"]):
        done = runner.invoke(dlq_app, args)
        assert done.exit_code == 0, (args, done.output, done.exception)
    _assert_inert(screen.getvalue())
    assert "kicker: [/]" in screen.getvalue()


def test_replay_goes_only_to_topics_khabar_consumes() -> None:
    """A forged dead letter naming the watchlist (or any other topic) is not replayed there; --to
    sends everything where the operator says."""
    settings = Settings()
    entries = [_letter(0), _letter(1, topic="news.enriched"), _letter(2, topic="news.mentions"),
               _letter(3, topic="news.watchlist"), _letter(4, topic="__consumer_offsets")]
    plan = plan_replay(settings, entries)
    assert plan.by_target == {"news.raw": 1, "news.enriched": 1, "news.mentions": 1}
    assert plan.refused == {"news.watchlist": 1, "__consumer_offsets": 1}
    assert plan_replay(settings, entries, to="news.raw").by_target == {"news.raw": 5}


def test_replay_dry_run_lists_targets_and_a_large_replay_asks_first(screen: io.StringIO,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """--dry-run names each target with its count and the refused ones; over the threshold, a replay
    without --yes (and no terminal to ask on) refuses, sending nothing."""
    monkeypatch.setattr(dlqtool, "get_settings", lambda: Settings())
    many = [_letter(n) for n in range(dlqtool.CONFIRM_ABOVE + 1)] + [_letter(999, topic="news.watchlist")]
    monkeypatch.setattr(dlqtool, "_read", lambda settings, keep_original: many)
    monkeypatch.setattr("streams.sink.kafka.producer", lambda settings: pytest.fail("nothing may be sent"))
    runner = CliRunner()
    done = runner.invoke(dlq_app, ["replay", "--dry-run"])
    assert done.exit_code == 0, done.output
    out = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())  # without the highlighting's colours
    assert f"would replay {dlqtool.CONFIRM_ABOVE + 1} message(s)" in out and "news.raw: 101" in out
    assert "news.watchlist: 1" in out and "--to" in out
    done = runner.invoke(dlq_app, ["replay"])
    assert done.exit_code == 2 and "--yes" in screen.getvalue()
