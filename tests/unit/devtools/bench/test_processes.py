"""streams.devtools.bench.processes: a worker's environment, resident memory from /proc, memory figures."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from streams.config import load_settings
from streams.devtools.bench.processes import WorkerMemory, WorkerProcess, bench_env, free_port, rss_bytes


def test_bench_env_gives_the_run_its_own_names() -> None:
    """Topics, consumer group, index alias and state directory all follow the run's prefix."""
    settings = load_settings({"KHABAR_KAFKA_BOOTSTRAP": "127.0.0.1:1", "KHABAR_SEARCH_URL": "http://127.0.0.1:2"})
    env = bench_env(settings, "bench1a", "bench1a-articles", KHABAR_WORKERS="2")
    assert env == {
        "KHABAR_KAFKA_BOOTSTRAP": "127.0.0.1:1",
        "KHABAR_SEARCH_URL": "http://127.0.0.1:2",
        "KHABAR_TOPIC_PREFIX": "bench1a",
        "KHABAR_APP_ID": "khabar-bench1a",
        "KHABAR_INDEX_ALIAS": "bench1a-articles",
        "KHABAR_DATA_DIR": str(Path(tempfile.gettempdir()) / "khabar-bench1a"),
        "KHABAR_WORKERS": "2",
    }


def test_rss_of_this_process() -> None:
    """This process has resident memory; a pid that runs nothing has none."""
    assert rss_bytes(os.getpid()) > 1024 * 1024
    assert rss_bytes(2**22 + 1) == 0


def test_worker_before_start(tmp_path: Path) -> None:
    """A worker not yet started is not alive, uses no memory, and gets a web port of its own."""
    worker = WorkerProcess({"KHABAR_TOPIC_PREFIX": "x"}, tmp_path / "w.log")
    assert not worker.alive() and worker.rss() == 0
    assert worker.env["KHABAR_WEB_PORT"] == str(worker.port)
    worker.stop()
    assert 0 < free_port() < 65536


class _Fixed(WorkerProcess):
    def __init__(self, readings: list[int]) -> None:
        self.readings = readings

    def rss(self) -> int:
        return self.readings.pop(0)


MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("warm", "end", "growth"), [(100 * MIB, 110 * MIB, 10.0), (100 * MIB, 90 * MIB, -10.0), (0, 5 * MIB, None)]
)
def test_memory_growth_after_warm_up(warm: int, end: int, growth: float | None) -> None:
    """Growth is measured from the warm-up reading to the end; no warm-up reading, no growth figure."""
    memory = WorkerMemory([_Fixed([end])], start=50 * MIB, warm=warm, long=warm)
    memory.finish()
    figures = memory.figures(articles=10)
    assert figures["rss_growth_pct"] == growth
    assert figures["rss_end_mib"] == end / MIB
    assert figures["memory_articles"] == 10


def test_memory_samples_and_curve() -> None:
    """Samples with a document count go on the curve; the peak is the largest sample."""
    memory = WorkerMemory([_Fixed([1 * MIB, 3 * MIB, 2 * MIB, 2 * MIB])])
    memory.sample(10)
    memory.sample()
    memory.sample(30)
    memory.finish()
    assert memory.curve == [(10, 1 * MIB), (30, 2 * MIB)]
    figures = memory.figures(articles=0)
    assert figures["rss_peak_mib"] == 3.0
    assert figures["rss_curve_mib"] == [[10, 1.0], [30, 2.0]]
