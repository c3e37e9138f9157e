"""The `khabar` command's offline paths: clear errors, JSON output, masked settings."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from streams.cli import app

runner = CliRunner()


def test_enrich_reports_bad_lines_and_keeps_going(tmp_path: Path) -> None:
    """A malformed JSONL line is reported with file:line; the good lines are still enriched."""
    f = tmp_path / "feed.jsonl"
    good = {"id": "1", "agency": "IRNA", "title": "عنوان", "body": "سرگئی لاوروف در مسکو سخن گفت.", "language": "fa"}
    f.write_text(orjson.dumps(good).decode() + "\n{broken\n" + orjson.dumps({"title": "x"}).decode() + "\n",
                 encoding="utf-8")
    result = runner.invoke(app, ["enrich", str(f), "--json"])
    assert result.exit_code == 1
    docs = [orjson.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [d["id"] for d in docs] == ["irna-1"]
    assert f"{f}:2" in result.stderr and "not valid JSON" in result.stderr
    assert f"{f}:3" in result.stderr and "schema" in result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A path that does not exist stops with a one-line error, before any connection."""
    result = runner.invoke(app, ["produce", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_invalid_setting_is_a_clear_error() -> None:
    """A bad KHABAR_* value names the setting."""
    result = runner.invoke(app, ["config"], env={"KHABAR_BULK_SIZE": "lots"})
    assert result.exit_code == 2 and "KHABAR_BULK_SIZE" in result.stderr


def test_config_masks_secrets() -> None:
    """`khabar config` never prints a password."""
    result = runner.invoke(app, ["config"], env={"KHABAR_SEARCH_PASSWORD": "s3cr3t-value"})
    assert result.exit_code == 0 and "s3cr3t-value" not in result.stdout and "***" in result.stdout


def test_enrich_prints_persian_readably(tmp_path: Path) -> None:
    """Without --json, the enriched article is shown with its title, people and quotes in Persian."""
    f = tmp_path / "a.txt"
    f.write_text("روتیتر:\n\nعنوان خبر\nولادیمیر پوتین گفت: «ما آماده‌ایم.»\n", encoding="utf-8")
    result = runner.invoke(app, ["enrich", str(f)])
    assert result.exit_code == 0
    assert "عنوان خبر" in result.stdout and "ولادیمیر پوتین" in result.stdout and "ما آماده‌ایم" in result.stdout
