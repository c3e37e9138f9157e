"""Reading the entity word lists in ``streams/data/entities/`` (each file's header says what it holds).

The finders load them through their own cached loaders, once per process.
"""

from __future__ import annotations

from typing import Any

import yaml

from streams.resources import data_path

__all__ = ["read_entity_data", "word_list"]


def read_entity_data(name: str) -> dict[str, Any]:
    """The mapping in ``streams/data/entities/<name>``."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(data_path(f"entities/{name}").read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(doc, dict):
        raise ValueError(f"entities/{name}: expected a mapping of word lists")
    return doc


def word_list(doc: dict[str, Any], key: str) -> tuple[str, ...]:
    """The words under ``key``, in file order, as written (they are compared with normalized text)."""
    values = doc.get(key)
    if values is None:
        raise KeyError(f"missing word list: {key}")
    if isinstance(values, str):
        return (values,)
    return tuple(str(v) for v in values)
