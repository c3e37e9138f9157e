"""Where packaged data and the JSON schemas live (read-only, loaded once by their users)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import orjson

__all__ = ["data_path", "schema_path", "load_schema"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """A file shipped in ``streams/data``."""
    return _PACKAGE_DIR / "data" / name


def _schema_dir() -> Path:
    override = os.environ.get("KHABAR_SCHEMAS_DIR")
    if override:
        return Path(override)
    for candidate in (_PACKAGE_DIR.parent / "schemas", _PACKAGE_DIR / "schemas"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("schemas/ not found; set KHABAR_SCHEMAS_DIR to the project's schemas folder")


def schema_path(name: str) -> Path:
    """A file of the top-level ``schemas/`` folder (the contract with the outside)."""
    return _schema_dir() / name


@cache
def load_schema(name: str) -> Any:
    """Parse a schema file once."""
    return orjson.loads(schema_path(name).read_bytes())
