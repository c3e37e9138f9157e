"""The dead-letter envelope."""

import hashlib

from streams.errors import InvalidArticle
from streams.sink.dlq import dead_letter, parse_dead_letter


def test_envelope_round_trip_keeps_original_bytes() -> None:
    """Invalid UTF-8 survives the envelope; reason, stage and source are recorded."""
    letter = dead_letter(b"\xff\x00{", InvalidArticle("payload is not valid UTF-8", stage="decode"),
                         topic="news.raw", partition=2, offset=41)
    doc = parse_dead_letter(letter.to_bytes())
    assert doc["original"] == b"\xff\x00{"
    assert doc["error_class"] == "InvalidArticle" and doc["stage"] == "decode"
    assert (doc["topic"], doc["partition"], doc["offset"]) == ("news.raw", 2, 41)
    assert "UTF-8" in doc["reason"] and doc["time"].endswith("Z")
    assert letter.headers()["khabar-source"] == b"news.raw/2/41"


def test_unexpected_errors_are_wrapped() -> None:
    """A bug's exception becomes a dead letter with its type, not a crash."""
    letter = dead_letter(b"{}", ZeroDivisionError("division by zero"), topic="t", partition=0, offset=1)
    assert letter.error_class == "ZeroDivisionError" and letter.stage == "unknown"


def test_envelope_keeps_key_size_and_digest() -> None:
    """The source key, the original's size and SHA-256 travel with it (replay keeps the key)."""
    letter = dead_letter(b"payload", InvalidArticle("x"), topic="t", partition=0, offset=3, key=b"isna-1")
    doc = parse_dead_letter(letter.to_bytes())
    assert doc["key"] == b"isna-1" and doc["original_size"] == 7 and not doc["original_truncated"]
    assert doc["original_sha256"] == hashlib.sha256(b"payload").hexdigest()


def test_envelope_cuts_an_original_too_large_to_carry() -> None:
    """Over the limit, the original is cut and marked truncated; size and digest name the whole."""
    original = b"x" * 5000
    doc = parse_dead_letter(dead_letter(original, InvalidArticle("too big"), topic="t", partition=0,
                                        offset=1).to_bytes(max_original=1024))
    assert doc["original"] == original[:1024] and doc["original_truncated"] is True
    assert doc["original_size"] == 5000 and doc["original_sha256"] == hashlib.sha256(original).hexdigest()
