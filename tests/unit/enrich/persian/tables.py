"""What the Persian test tables share: «_» written for a ZWNJ, the seed article, the eval set."""

from __future__ import annotations

from pathlib import Path

from streams.enrich.persian import ZWNJ

DATA = Path(__file__).resolve().parents[3] / "data"
SEED = DATA / "seed-article.txt"
EVAL_DIR = DATA / "eval"


def z(text: str) -> str:
    """Write ZWNJs visibly in the tables: «_» → U+200C."""
    return text.replace("_", ZWNJ)
