"""`khabar eval`: the scoring itself, and the quality targets on the annotated set."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.devtools.evaluation import Score, evaluate, load_cases

EVAL = Path(__file__).resolve().parents[2] / "data" / "eval"


def test_score_arithmetic() -> None:
    """Precision, recall and F1 from counts; empty counts are perfect, not a division error."""
    s = Score(tp=8, fp=2, fn=8)
    assert (s.precision, s.recall) == (0.8, 0.5)
    assert round(s.f1, 4) == round(2 * 0.8 * 0.5 / 1.3, 4)
    assert Score().f1 == 1.0


def test_a_wrong_speaker_is_both_a_miss_and_an_extra() -> None:
    """A quote found with the wrong speaker counts against precision and recall."""
    case = {"id": "t", "article": {"title": "عنوان", "body": "ولادیمیر پوتین گفت: «ما آماده‌ایم.»", "language": "fa"},
            "gold": {"persons": ["ولادیمیر پوتین"], "organizations": [], "locations": [],
                     "quotes": [{"speaker": "سرگئی لاوروف", "text": "ما آماده‌ایم", "kind": "direct"}],
                     "topics": []}}
    report = evaluate([case])
    assert report.scores["persons"].tp == 1
    q = report.scores["quotes"]
    assert (q.tp, q.fp, q.fn) == (0, 1, 1)


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(load_cases([EVAL]))


def test_set_is_large_enough(report) -> None:  # type: ignore[no-untyped-def]
    """At least 40 annotated articles."""
    assert report.articles >= 40


@pytest.mark.parametrize("field", ["persons", "organizations", "locations"])
def test_entity_f1_target(report, field: str) -> None:  # type: ignore[no-untyped-def]
    """Entity F1 ≥ 0.90 per type."""
    assert report.scores[field].f1 >= 0.90, report.scores[field].as_dict()


def test_quote_targets(report) -> None:  # type: ignore[no-untyped-def]
    """Direct quotes with the right speaker: recall ≥ 0.90 at precision ≥ 0.90."""
    q = report.scores["quotes"]
    assert q.recall >= 0.90 and q.precision >= 0.90, q.as_dict()


def test_topic_target(report) -> None:  # type: ignore[no-untyped-def]
    """Topic F1 ≥ 0.95."""
    assert report.scores["topics"].f1 >= 0.95, report.scores["topics"].as_dict()


def test_zwnj_restoration_target(report) -> None:  # type: ignore[no-untyped-def]
    """≥ 95% of removed ZWNJs come back, none inserted inside words."""
    assert report.zwnj_ratio >= 0.95 and report.zwnj_wrong == 0, report.as_dict()["zwnj"]
