"""A backfill's checkpoint: per-file progress and the index mode's last sort key, saved atomically."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from streams.config import Settings
from streams.errors import KhabarError

__all__ = ["Checkpoint", "checkpoint_file", "checkpoint_path", "state_dir"]

log = logging.getLogger("khabar.backfill")


def _stat(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


@dataclass
class Checkpoint:
    """Per-file progress (items durably handled) and the index mode's last sort key; saved atomically."""

    path: Path
    mode: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    after: list[Any] | None = None
    done_total: int = 0

    @classmethod
    def load(cls, path: Path, mode: str) -> Checkpoint:
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path, mode)
        except (OSError, orjson.JSONDecodeError) as exc:
            raise KhabarError(f"checkpoint {path} is unreadable ({exc}); remove it or pass --restart") from None
        if data.get("mode") != mode:
            raise KhabarError(f"checkpoint {path} belongs to a {data.get('mode')!r} backfill, not {mode!r}; "
                              "pass another --checkpoint or --restart")
        return cls(path, mode, dict(data.get("files", {})), data.get("after"), int(data.get("done_total", 0)))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        body = {"mode": self.mode, "files": self.files, "after": self.after, "done_total": self.done_total,
                "saved_at": datetime.now(timezone.utc).isoformat()}
        with tmp.open("wb") as fh:
            fh.write(orjson.dumps(body, option=orjson.OPT_INDENT_2))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path)

    def skip(self, file: Path) -> int:
        """Items of ``file`` already handled (0 if it is new or changed since)."""
        entry = self.files.get(str(file.resolve()))
        if not entry:
            return 0
        if {k: entry.get(k) for k in ("size", "mtime_ns")} != _stat(file):
            log.warning("%s changed since the checkpoint; starting it over", file)
            return 0
        return int(entry.get("done", 0))

    def advance(self, file: Path, done: int, complete: bool, handled: int) -> None:
        self.files[str(file.resolve())] = {**_stat(file), "done": done, "complete": complete}
        self.done_total += handled


def state_dir(settings: Settings) -> Path:
    """Where backfill checkpoints live: beside the worker's state (``.khabar/backfill``)."""
    return (Path(settings.data_dir).parent / "backfill").resolve()


def checkpoint_path(settings: Settings, mode: str, paths: Sequence[Path]) -> Path:
    """The default checkpoint: one per (mode, inputs, target), in :func:`state_dir`."""
    key = "\n".join([mode, settings.index_alias, settings.raw_topic, *sorted(str(p.resolve()) for p in paths)])
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return state_dir(settings) / f"{mode}-{digest}.json"


def checkpoint_file(settings: Settings, given: Path | None, mode: str, paths: Sequence[Path]) -> Path:
    """The checkpoint a backfill uses: the default one, or ``given`` (a name, or a path inside
    :func:`state_dir`). A checkpoint is written and, with ``--restart``, deleted: a path outside
    the state directory (or a link leading out of it) is refused, so no file elsewhere is touched."""
    if given is None:
        return checkpoint_path(settings, mode, paths)
    home = state_dir(settings)
    path = (given if given.is_absolute() else home / given).resolve()
    if home not in path.parents:
        raise KhabarError(f"checkpoint {given} is outside {home}: a checkpoint must be a file in the backfill "
                          "state directory (give a file name, or leave --checkpoint out)")
    if path.exists() and not path.is_file():
        raise KhabarError(f"checkpoint {given} is not a file")
    return path
