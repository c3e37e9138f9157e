"""streams.devtools.bench.corpus: what generated articles are made of, loaded once."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.devtools.bench.corpus import _clauses, _sentences, _texts_of, load_corpus

LONG = "این جمله به اندازه کافی بلند است تا در خبرها به کار رود و خوانده شود"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{LONG}. کوتاه.", [f"{LONG}."]),
        (f"{LONG}؟ {LONG}.", [f"{LONG}.", f"{LONG}؟"]),
        (f"«{LONG}. {LONG}».", []),
        (f"گفت: {LONG}.", []),
        (f"{LONG}.\n\n{LONG}.", [f"{LONG}."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    """Whole sentences of 40-400 characters, no open quotes or colons, each once, sorted."""
    assert _sentences([text]) == expected


def test_clauses() -> None:
    """Comma-separated parts longer than 25 characters, each once, sorted."""
    assert _clauses([f"{LONG}، کوتاه، {LONG}."]) == (LONG,)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.txt", "متن", ["متن"]),
        ("a.jsonl", '{"lead": "L", "body": "B"}\n\n{"body": "C"}\n', ["L", "B", "", "C"]),
        ("a.json", '{"body_text": "N"}', ["N"]),
        ("a.md", "ignored", []),
    ],
)
def test_texts_of(tmp_path: Path, name: str, content: str, expected: list[str]) -> None:
    """Text files whole, JSON lines' lead and body, ninjs body_text; other files are skipped."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert list(_texts_of(path)) == expected


def test_load_corpus_is_loaded_once_and_sorted() -> None:
    """The corpus is cached, non-empty and sorted, so generation does not depend on file order."""
    corpus = load_corpus()
    assert load_corpus() is corpus
    for part in (corpus.persons, corpus.organizations, corpus.locations, corpus.sentences, corpus.clauses):
        assert part and list(part) == sorted(part)
    assert orjson.dumps(corpus.persons[0])
