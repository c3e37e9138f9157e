"""The composed pipeline on the seed article, its determinism, failures and hostile input."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from streams.enrich.document import to_document
from streams.enrich.pipeline import STAGES, Pipeline
from streams.enrich.topics import load_taxonomy
from streams.errors import StageError
from streams.intake.decode import parse_article

SEED = (Path(__file__).resolve().parents[2] / "data" / "seed-article.txt").read_text(encoding="utf-8")
PIPELINE = Pipeline(timer=time.perf_counter)
RECEIVED = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def seed_doc() -> dict:
    enriched, _ = PIPELINE.enrich(parse_article({"body": SEED, "agency": "persun", "id": "1"}), received_at=RECEIVED)
    return dict(to_document(enriched, received_at=RECEIVED))


def test_seed_structure(seed_doc: dict) -> None:
    """Kicker, title and lead come from the seed's first lines; hard wraps are joined."""
    assert seed_doc["kicker"] == "لاوروف:"
    assert seed_doc["title"] == "مسائل زیادی در قره باغ باید حل شود"
    assert seed_doc["lead"].startswith("وزیر خارجه روسیه در زمینه آخرین تحولات")
    assert "قره باغ پایان می\u200cدهد" in seed_doc["body"]  # «قره\\nباغ» joined, ZWNJ restored
    assert seed_doc["source"] == "سایت خبری پرسون"


def test_seed_entities(seed_doc: dict) -> None:
    """People, places, organizations and the date of the seed, with canonical names."""
    by_type: dict[str, set[str]] = {}
    for e in seed_doc["entities"]:
        by_type.setdefault(e["type"], set()).add(e["name"])
    assert {"سرگئی لاوروف", "ولادیمیر پوتین", "الهام علی\u200cاف", "نیکول پاشینیان", "آنتونیو گوترش",
            "آرارات میرزویان"} <= by_type["person"]
    assert {"قره\u200cباغ", "روسیه", "ارمنستان", "جمهوری آذربایجان", "لاچین", "باکو"} <= by_type["location"]
    assert "2020-11-09" in by_type["date"]
    lavrov = next(e for e in seed_doc["entities"] if e["name"] == "سرگئی لاوروف")
    assert {"لاوروف", "سرگئی لاوروف"} <= set(lavrov["mentions"])


def test_seed_quotes(seed_doc: dict) -> None:
    """Lavrov's quotes (named, surname, pronoun) and the Guterres office's statement."""
    direct = [(q["speaker"]["name"], q["verb"]) for q in seed_doc["quotes"] if q["kind"] == "direct"]
    assert direct == [("سرگئی لاوروف", "گفت"), ("سرگئی لاوروف", "خاطرنشان کرد"), ("سرگئی لاوروف", "افزود"),
                      ("آنتونیو گوترش", "نوشت")]
    indirect = [q for q in seed_doc["quotes"] if q["kind"] == "indirect"]
    assert indirect and all(q["speaker"]["name"] == "سرگئی لاوروف" for q in indirect)


def test_seed_topic(seed_doc: dict) -> None:
    """The seed is about Karabakh."""
    assert seed_doc["topics"][0] == "karabakh"


def test_deterministic_and_timed() -> None:
    """The same article gives the same document; every stage is timed under its name."""
    article = parse_article({"body": SEED})
    first, timings = PIPELINE.enrich(article, received_at=RECEIVED)
    second, _ = PIPELINE.enrich(article, received_at=RECEIVED)
    assert first.entities == second.entities and first.quotes == second.quotes and first.topics == second.topics
    assert set(timings) == set(STAGES)


def test_a_failing_stage_is_named() -> None:
    """An exception inside a stage becomes a StageError naming the stage and the article."""
    class Broken:
        def find(self, text: str) -> list:
            raise RuntimeError("boom")

    broken = Pipeline(taxonomy=replace(load_taxonomy(), matcher=Broken()))  # type: ignore[arg-type]
    article = parse_article({"body": SEED})
    with pytest.raises(StageError) as info:
        broken.enrich(article, received_at=RECEIVED)
    assert info.value.stage == "classify_topics" and info.value.article_id == article.doc_id


@pytest.mark.parametrize("body", [
    "متن " + "«" * 1_000_000,
    "متن " + "«« »» " * 170_000,
    "میهای " * 170_000,
    "وی افزود: «" * 90_000,
    "\u200c" * 1_000_000 + "متن",
])
def test_megabyte_of_hostile_text_completes(body: str) -> None:
    """Work stays linear: a 1 MB article of repeated marks or affixes finishes."""
    enriched, _ = PIPELINE.enrich(parse_article({"title": "عنوان", "body": body}, require_persian=False),
                                  received_at=RECEIVED)
    assert enriched.structure.title == "عنوان"
