"""Tests for the word lists in streams/data/persian/: read once, canonical, every list used."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from streams.enrich.persian import ZWNJ, fix_characters
from streams.enrich.persian.wordlists import Affixes, affixes, word_list
from streams.resources import data_path

PACKAGE = Path(__file__).resolve().parents[4] / "streams" / "enrich" / "persian"
LIST_FILES = sorted(p.name for p in data_path("persian").glob("*.txt"))


def test_every_affix_list_is_loaded_and_canonical() -> None:
    """affixes.yaml loads into Affixes, and its items are already in canonical characters."""
    aff = affixes()
    for field in dataclasses.fields(Affixes):
        items = getattr(aff, field.name)
        assert items, field.name
        assert all(fix_characters(item) == item for item in items), field.name


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Affixes)])
def test_every_affix_list_is_read_by_the_code(field: str) -> None:
    """Each list of affixes.yaml is read somewhere in the package (no stale keys)."""
    sources = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py") if p.name != "wordlists.py")
    assert re.search(rf"\.{field}\b", sources), field


@pytest.mark.parametrize("name", LIST_FILES)
def test_every_list_file_is_read_by_the_code(name: str) -> None:
    """Each .txt list under streams/data/persian/ is named by a module of the package."""
    sources = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    assert f'"{name}"' in sources


@pytest.mark.parametrize("name", LIST_FILES)
def test_word_list_drops_comments_and_blanks(name: str) -> None:
    """Items have no comment text, no surrounding space and no empty entries."""
    items = word_list(name)
    assert items and all(item and item == item.strip() and "#" not in item for item in items)


def test_relational_endings_keep_their_zwnj() -> None:
    """An escaped ZWNJ in the YAML file loads as the character itself."""
    assert affixes().relational_endings[0] == ZWNJ + "ای"
