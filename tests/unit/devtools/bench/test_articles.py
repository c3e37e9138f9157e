"""streams.devtools.bench.articles: generated agency copy, deterministic for a seed, messy like the real thing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson
import pytest

from streams.devtools.bench.articles import (
    MAX_BYTES,
    MIN_BYTES,
    ZWNJ,
    _digits,
    _hard_wrap,
    _strip_zwnj,
    generate_article,
    generate_articles,
    raw_text,
)
from streams.devtools.bench.corpus import load_corpus


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("aaa bbb ccc ddd\n\neee fff", 7, "aaa bbb\nccc ddd\n\neee fff"),
        ("aaa bbb ccc", 3, "aaa\nbbb\nccc"),
        ("toolongword x", 4, "toolongword\nx"),
        ("short", 80, "short"),
    ],
)
def test_hard_wrap(text: str, width: int, expected: str) -> None:
    """Lines break between words at the width; paragraphs stay apart; a long word stands alone."""
    assert _hard_wrap(text, width) == expected


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("keep", f"می{ZWNJ}رود"), ("space", "می رود"), ("drop", "میرود")],
)
def test_strip_zwnj(mode: str, expected: str) -> None:
    """ZWNJs are kept, spaced or dropped, the three ways agency copy loses them."""
    assert _strip_zwnj(f"می{ZWNJ}رود", mode) == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "۰"), (1404, "۱۴۰۴"), (29, "۲۹")])
def test_digits_are_persian(n: int, expected: str) -> None:
    """Numbers in generated dates are written in Persian digits."""
    assert _digits(n) == expected


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"headlines": [{"value": "T"}], "body_text": "B", "uri": "u"}, "T\n\nB"),
        ({"kicker": "K", "title": "T", "lead": "L", "body": "B"}, "K\n\nT\n\nL\n\nB"),
        ({"title": "T", "lead": "", "body": "B"}, "T\n\nB"),
        ({"body": "B"}, "B"),
    ],
)
def test_raw_text(doc: dict[str, Any], expected: str) -> None:
    """hazm is given every part of the article that is there, in reading order."""
    assert raw_text(doc) == expected


def test_same_seed_same_article() -> None:
    """Article i of a seed is the same dict on every call; another seed or number gives another."""
    corpus = load_corpus()
    assert generate_article(3, seed=9, corpus=corpus) == generate_article(3, seed=9)
    assert generate_article(3, seed=9) != generate_article(4, seed=9)
    assert list(generate_articles(2, seed=9, start=3)) == [generate_article(3, 9), generate_article(4, 9)]


def _form(doc: dict[str, Any]) -> str:
    if "uri" in doc:
        return "ninjs"
    return "agency" if "title" in doc else "body-only"


def test_every_form_and_size() -> None:
    """Flat agency JSON, ninjs and body-only text all occur, each within the size range."""
    docs = list(generate_articles(80, seed=2))
    assert {_form(d) for d in docs} == {"ninjs", "agency", "body-only"}
    for doc in docs:
        assert MIN_BYTES * 0.9 <= len(orjson.dumps(doc)) <= MAX_BYTES * 1.3


def test_update_time_follows_number_and_seed() -> None:
    """Article i of a seed was updated 37·i + seed seconds after 2025-01-01 (body-only text has no time)."""
    stamped = 0
    for i in range(30):
        doc = generate_article(i, seed=3)
        stamp = doc.get("updated_at") or doc.get("versioncreated")
        if stamp is not None:
            expected = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=37 * i + 3)
            assert stamp == expected.isoformat().replace("+00:00", "Z")
            stamped += 1
    assert stamped > 20


def test_rng_is_private_to_the_article() -> None:
    """Generating an article leaves the global random state alone."""
    random.seed(1)
    expected = random.random()
    random.seed(1)
    generate_article(5)
    assert random.random() == expected
