"""Reading article files for `khabar produce`, `khabar enrich` and backfills.

``.jsonl`` (one raw article per line), ``.json`` (one ninjs/flat article, or a list of them) and
``.txt`` (one body-only article). Directories are walked for those suffixes, in name order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from streams.intake.decode import article_from_text

__all__ = ["RawInput", "InputProblem", "iter_inputs", "expand_paths", "SUFFIXES"]

SUFFIXES = (".jsonl", ".json", ".txt", ".ndjson")


@dataclass(frozen=True, slots=True)
class RawInput:
    """One article read from a file, and where it came from (``file:line``)."""

    where: str
    doc: dict[str, Any]


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A part of a file that is not an article, with a reason a person can act on."""

    where: str
    reason: str
    raw: bytes


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES))
        else:
            out.append(path)
    return out


def _json_docs(path: Path, data: bytes) -> Iterator[RawInput | InputProblem]:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield InputProblem(str(path), f"not valid JSON: {exc}", data)
        return
    items = doc if isinstance(doc, list) else [doc]
    for i, item in enumerate(items, 1):
        where = f"{path}#{i}" if isinstance(doc, list) else str(path)
        if isinstance(item, dict):
            yield RawInput(where, item)
        else:
            yield InputProblem(where, "not a JSON object", orjson.dumps(item))


def iter_inputs(path: Path) -> Iterator[RawInput | InputProblem]:
    """Articles (and problems) of one file, in order."""
    data = path.read_bytes()
    if path.suffix == ".txt":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield InputProblem(str(path), f"not UTF-8 (byte {exc.start})", data)
            return
        yield RawInput(str(path), article_from_text(text, name=path.stem))
        return
    if path.suffix == ".json":
        yield from _json_docs(path, data)
        return
    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield InputProblem(f"{path}:{n}", f"not valid JSON: {exc}", line)
            continue
        if isinstance(doc, dict):
            yield RawInput(f"{path}:{n}", doc)
        else:
            yield InputProblem(f"{path}:{n}", "not a JSON object", line)


def count_inputs(paths: Iterable[Path]) -> int:
    """A cheap count for progress bars (lines of JSONL, one per other file)."""
    total = 0
    for path in paths:
        if path.suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        else:
            total += 1
    return total
