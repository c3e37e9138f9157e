"""Progress of a bench run: rich bars on stderr, one per phase, and the callback each phase advances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Advance", "Bars"]

Advance = Callable[[int], None]


class Bars:
    """rich progress bars on stderr, one per phase."""

    def __init__(self, quiet: bool = False) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn("[bold]{task.description:<26}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                                 console=Console(stderr=True), disable=quiet)

    def __enter__(self) -> Bars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def task(self, description: str, total: float | None) -> tuple[Callable[[int], None], Callable[..., None]]:
        tid = self.progress.add_task(description, total=total, note="")

        def advance(n: int = 1) -> None:
            self.progress.advance(tid, n)

        def update(**kw: Any) -> None:
            self.progress.update(tid, **kw)

        return advance, update
