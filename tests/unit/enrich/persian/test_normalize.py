"""Table tests for the normalize_text stage and normalize_phrase, composed from the other modules."""

from __future__ import annotations

import pytest

from streams.enrich.persian import ZWNJ, normalize_phrase, normalize_text
from tests.unit.enrich.persian.tables import SEED, z


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("  الهام   علي اف \n", "الهام علی اف"),
        ("سرگئی\nلاوروف", "سرگئی لاوروف"),
        ("نخستوزیر", "نخست_وزیر"),
        ("", ""),
    ],
)
def test_normalize_phrase(text_in: str, text_out: str) -> None:
    """A phrase is one trimmed line with the same character and ZWNJ fixes."""
    assert normalize_phrase(text_in) == z(text_out)


def test_normalize_text_is_idempotent_on_seed() -> None:
    """Normalizing normalized text changes nothing."""
    once = normalize_text(SEED.read_text(encoding="utf-8"))
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("ا\n\u200c", "ا"),  # a line holding only a ZWNJ is blank, not a paragraph
        ("ا \u200c", "ا"),
        ("4ز«D", "۴ز «D"),  # the digit's token ends at ز, before the space put before «
    ],
)
def test_normalize_text_is_idempotent_on_found_inputs(text_in: str, text_out: str) -> None:
    """Inputs that once changed again on a second pass now settle in one."""
    assert normalize_text(text_in) == text_out
    assert normalize_text(text_out) == text_out


def test_normalize_phrase_reads_punctuation_after_joining_lines() -> None:
    """A phrase's lines are joined and its spaces collapsed before its punctuation is read."""
    assert normalize_phrase(",\n\nا") == "، ا"
    assert normalize_phrase("، ا") == "، ا"


def test_empty_and_blank() -> None:
    """Empty and whitespace-only text normalize to the empty string."""
    assert normalize_text("") == ""
    assert normalize_text(" \n\n \t ") == ""


# ---------------------------------------------------------------------------------------------
# Adversarial input: must finish (no timing assertion)
# ---------------------------------------------------------------------------------------------

MEGABYTE = 1 << 20


@pytest.mark.parametrize(
    "text",
    [
        "«" * MEGABYTE,
        "میهای" * (MEGABYTE // 5),
        ZWNJ * 100_000 + "خبر" + ZWNJ * 100_000,
        ("ب" + ZWNJ) * (MEGABYTE // 2),
        "<a" * (MEGABYTE // 2),
        "<p>" * (MEGABYTE // 3),
        "<script>" * (MEGABYTE // 8),
        "<!--" * (MEGABYTE // 4),
        "&amp" * (MEGABYTE // 4),
        "1." * (MEGABYTE // 2),
        "a1" * (MEGABYTE // 2),
        " ،" * (MEGABYTE // 2),
        "ب" * MEGABYTE,
        ("ب" * 80 + "\n") * (MEGABYTE // 81),
        "\n\n" * (MEGABYTE // 2),
        "\u0627\u0654" * (MEGABYTE // 2),
    ],
    ids=[
        "guillemets", "mi-hay", "zwnj", "letter-zwnj", "open-tags", "p-tags", "scripts", "comments",
        "entities", "dotted-digits", "latin-digits", "commas", "one-word", "wrapped-lines", "blank-lines",
        "combining-hamza",
    ],
)
def test_adversarial_megabyte_completes(text: str) -> None:
    """A megabyte of pathological input is normalized (linear work, no catastrophic backtracking)."""
    assert isinstance(normalize_text(text), str)
    assert isinstance(normalize_phrase(text[:10_000]), str)
