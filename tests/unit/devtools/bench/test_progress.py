"""streams.devtools.bench.progress: one bar per phase, advanced by the phase's callback."""

from __future__ import annotations

from streams.devtools.bench.progress import Bars


def test_task_advances_and_updates_its_bar() -> None:
    """advance adds to the bar's count; update sets its fields."""
    with Bars(quiet=True) as bars:
        advance, update = bars.task("phase", 10)
        advance(3)
        advance(1)
        task = bars.progress.tasks[0]
        assert (task.description, task.completed, task.total) == ("phase", 4, 10)
        update(completed=7, note="half")
        assert task.completed == 7 and task.fields["note"] == "half"
