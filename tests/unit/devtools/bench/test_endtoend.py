"""streams.devtools.bench.endtoend: waiting for documents to become searchable, and the throughput figures."""

from __future__ import annotations

from typing import Any

import pytest

from streams.devtools.bench.endtoend import _Drain, _throughput, wait_count


class _Counts:
    """An engine whose count climbs through the given values."""

    def __init__(self, *counts: int) -> None:
        self.counts = list(counts)

    def count(self) -> int:
        return self.counts.pop(0) if len(self.counts) > 1 else self.counts[0]


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("streams.devtools.bench.endtoend.time.sleep", lambda _s: None)


def test_wait_count_until_target() -> None:
    """Polling stops at the target; progress and the tick see every count."""
    updates: list[dict[str, Any]] = []
    ticks: list[int] = []
    engine: Any = _Counts(0, 4, 9, 10)
    assert wait_count(engine, 10, 60, lambda **kw: updates.append(kw), tick=ticks.append) == 10
    assert ticks == [0, 4, 9, 10]
    assert updates[-1] == {"completed": 10}


def test_wait_count_stops_when_a_consumer_dies() -> None:
    """A consumer that exits ends the wait with an error, not a timeout."""
    engine: Any = _Counts(1)
    with pytest.raises(RuntimeError, match="a consumer process exited during the run"):
        wait_count(engine, 10, 60, lambda **kw: None, [lambda: True, lambda: False])


def test_wait_count_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Too few documents in time is an error with the count reached."""
    clock = iter(range(100))
    monkeypatch.setattr("streams.devtools.bench.endtoend.time.monotonic", lambda: next(clock))
    engine: Any = _Counts(3)
    with pytest.raises(RuntimeError, match="only 3 of 10 documents searchable after 2s"):
        wait_count(engine, 10, 2, lambda **kw: None)


@pytest.mark.parametrize(
    ("worker", "base", "ratio", "method"),
    [
        (_Drain(50.0, 20.0, "steady"), _Drain(100.0, 10.0, "steady"), 0.5, "steady"),
        (_Drain(50.0, 20.0, "steady"), _Drain(25.0, 40.0, "from-start"), 2.0, "steady/from-start"),
        (_Drain(50.0, 20.0, "from-start"), _Drain(0.0, 0.0, "from-start"), None, "from-start"),
    ],
)
def test_throughput(worker: _Drain, base: _Drain, ratio: float | None, method: str) -> None:
    """End-to-end over baseline rate; the method is named once when both agree, both when they do not."""
    figures = _throughput(worker, base)
    assert figures["e2e_vs_baseline"] == ratio
    assert figures["rate_method"] == method
    assert (figures["e2e_articles_per_s"], figures["e2e_seconds"]) == (worker.rate, worker.seconds)
