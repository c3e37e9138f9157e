"""Shared fixtures: paths to test data."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "seed-article.txt").read_text(encoding="utf-8")
