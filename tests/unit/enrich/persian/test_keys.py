"""Table tests for text folding (``keys.match_key``, ``squash_key``, ``squash``). «_» stands for a ZWNJ."""

from __future__ import annotations

import pytest

from streams.enrich.persian import ZWNJ, match_key, normalize_phrase, squash, squash_key
from tests.unit.enrich.persian.tables import z


def test_match_key_equal_spellings() -> None:
    """قره‌باغ, قره باغ, قرهباغ and قره‌ باغ share one key."""
    keys = {match_key(z(s)) for s in ("قره_باغ", "قره باغ", "قرهباغ", "قره_ باغ", " قره\nباغ ")}
    assert len(keys) == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("رئیس_جمهور", "رئيس جمهور"),
        ("تأکید", "تاکید"),
        ("رئیس", "رییس"),
        ("NATO", "nato"),
        ("علی_اف", "علیاف"),
        ("مسأله ۹", "مسأله 9"),
    ],
)
def test_match_key_folds_variants(left: str, right: str) -> None:
    """Spelling variants of one name or keyword get one key."""
    assert match_key(z(left)) == match_key(z(right))


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("قره باغ", "قرهباغ"),
        ("قره_باغ", "قرهباغ"),
        ("وزیر\nامور خارجه", "وزیرامورخارجه"),
        ("NATO و رئیس", "NATOورئیس"),  # no case or seat folding: for text normalized already
        ("", ""),
    ],
)
def test_squash_key(text_in: str, text_out: str) -> None:
    """squash_key drops spaces, line breaks and ZWNJs, and nothing else."""
    assert squash_key(z(text_in)) == text_out


@pytest.mark.parametrize("text", ["قره_باغ", "رئیس جمهور", "NATO", "  الهام   علي اف \n", "تأکید ۹"])
def test_match_key_is_squash_key_of_the_phrase_folded(text: str) -> None:
    """match_key is squash_key of normalize_phrase, with hamza seats folded and letters lowered."""
    folded = squash_key(normalize_phrase(z(text))).replace("أ", "ا").replace("ؤ", "و").replace("ئ", "ی").lower()
    assert match_key(z(text)) == folded


def test_squash_keeps_positions() -> None:
    """Squashing records where each ZWNJ was removed."""
    sq = squash(f"a{ZWNJ}b{ZWNJ}c")
    assert sq.text == "abc" and sq.removed_at == (1, 2)
    assert sq.to_original(2) == 4


@pytest.mark.parametrize(
    ("text_in", "text_out", "removed_at"),
    [
        ("NATO و Nato", "nato و nato", ()),
        ("می_گوید", "میگوید", (2,)),
        ("Ünal ÇAVUŞOĞLU", "Ünal ÇavuŞoĞlu", ()),  # only ASCII letters are lowered
        ("", "", ()),
    ],
)
def test_squash(text_in: str, text_out: str, removed_at: tuple[int, ...]) -> None:
    """squash lowers ASCII letters and removes ZWNJs, remembering where they stood."""
    sq = squash(z(text_in))
    assert (sq.text, sq.removed_at) == (text_out, removed_at)


def test_zwnj_at_marks_where_a_zwnj_stood() -> None:
    """zwnj_at is true only at a squashed offset a ZWNJ stood before."""
    sq = squash(z("می_گوید"))
    assert [sq.zwnj_at(i) for i in range(len(sq.text) + 1)] == [False, False, True, False, False, False, False]
