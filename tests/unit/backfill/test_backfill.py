"""Rebuilding raw articles from indexed documents, and the backfill checkpoint."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import orjson
import pytest

from streams.backfill import Checkpoint, raw_from_document
from streams.devtools.bench import generate_article
from streams.enrich.document import to_document
from streams.enrich.pipeline import Pipeline
from streams.intake.decode import parse_article


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _form(doc: dict) -> str:
    return "ninjs" if "uri" in doc else ("flat" if "title" in doc else "text")


@pytest.mark.parametrize("i", range(12))
def test_rebuilt_article_keeps_id_version_and_form(pipeline: Pipeline, i: int) -> None:
    """An indexed document rebuilds into the raw article it came from: same id, version and form."""
    raw = generate_article(i, seed=5)
    article = parse_article(raw)
    # an article with no dates takes its version from the time it was received, which the backfill
    # carries over from the indexed document (as here)
    received = datetime(2025, 11, 9, 12, 0, tzinfo=timezone.utc)
    enriched = pipeline.enrich(article, received_at=received)[0]
    indexed = orjson.loads(orjson.dumps(to_document(enriched, received_at=received)))
    again = parse_article(raw_from_document(indexed))
    assert again.doc_id == article.doc_id and again.source_format == article.source_format
    assert (again.title, again.kicker, again.lead, again.body) == (article.title, article.kicker, article.lead,
                                                                   article.body)
    redone = to_document(pipeline.enrich(again, received_at=received)[0], received_at=received)
    assert redone["version"] == indexed["version"] and _form(raw) in ("ninjs", "flat", "text")


def test_checkpoint_records_progress_and_notices_changed_files(tmp_path: Path) -> None:
    """A file's progress is kept across loads, and forgotten once the file changes."""
    data = tmp_path / "a.jsonl"
    data.write_text("{}\n{}\n", encoding="utf-8")
    ckpt = Checkpoint(tmp_path / "c.json", "produce")
    ckpt.advance(data, 2, True, 2)
    ckpt.save()
    loaded = Checkpoint.load(tmp_path / "c.json", "produce")
    assert loaded.skip(data) == 2 and loaded.done_total == 2
    data.write_text("{}\n{}\n{}\n", encoding="utf-8")
    assert loaded.skip(data) == 0


def test_checkpoints_stay_in_the_state_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`khabar backfill --checkpoint X --restart` with X outside the backfill state directory (or a
    link leading out of it) is refused and X is left alone; a bare name is a file in that directory."""
    from typer.testing import CliRunner

    from streams.backfill import checkpoint_file
    from streams.cli import app
    from streams.config import Settings
    from streams.errors import KhabarError

    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    archive = tmp_path / "a.jsonl"
    archive.write_text("")
    monkeypatch.setenv("KHABAR_DATA_DIR", str(tmp_path / "state" / "worker"))
    done = CliRunner().invoke(app, ["backfill", str(archive), "--checkpoint", str(victim), "--restart"])
    assert done.exit_code == 2 and "outside" in done.output, done.output
    assert victim.read_text() == "keep me"

    settings = Settings(data_dir=str(tmp_path / "state" / "worker"))
    home = (tmp_path / "state" / "backfill").resolve()
    assert checkpoint_file(settings, Path("mine.json"), "produce", []) == home / "mine.json"
    assert checkpoint_file(settings, None, "produce", [archive]).parent == home
    home.mkdir(parents=True)
    (home / "link.json").symlink_to(victim)
    for escaping in (Path("link.json"), Path("../x.json"), home.parent / "x.json"):
        with pytest.raises(KhabarError, match="outside"):
            checkpoint_file(settings, escaping, "produce", [])
