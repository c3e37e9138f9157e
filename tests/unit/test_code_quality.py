"""The code stays lint-clean and typed: ruff over streams and tests, mypy over streams (strict for the
pure enrichment core), with the configuration in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", "streams", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("args", [("streams",), ("--strict", "streams/enrich")], ids=["streams", "enrich-strict"])
def test_mypy_finds_nothing(args: tuple[str, ...]) -> None:
    done = _run("mypy", *args)
    assert done.returncode == 0, done.stdout + done.stderr
