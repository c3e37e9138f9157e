"""b + c + d. Real Kafka → a real ``khabar worker`` → the real search engine, against a no-enrichment baseline;
then latency at a fixed offered load, with the workers' memory sampled all along.

Each part runs on its own topic prefix, consumer group and index alias, removed at the end.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, NamedTuple

from streams.config import Settings
from streams.devtools.bench.articles import generate_articles
from streams.devtools.bench.baseline import baseline_main
from streams.devtools.bench.broker import delete_run, ensure_topics_for, produce_articles
from streams.devtools.bench.engine import Engine
from streams.devtools.bench.latency import measure_latency
from streams.devtools.bench.processes import WorkerMemory, WorkerProcess, bench_env
from streams.devtools.bench.progress import Bars
from streams.devtools.bench.report import BenchConfig

__all__ = ["end_to_end", "wait_count"]


class _Drain(NamedTuple):
    """How fast one consumer drained the backlog (see :meth:`Engine.drain_rate`)."""

    rate: float
    seconds: float
    method: str


@dataclass
class _Run:
    """One run's names and what it started, so that its end removes exactly that."""

    settings: Settings
    prefix: str
    base_prefix: str
    alias: str
    base_alias: str
    logs: Path
    own_logs: bool  # a directory made here, removed after a successful run
    engine: Engine
    base_engine: Engine
    workers: list[WorkerProcess] = field(default_factory=list)
    baseline: BaseProcess | None = None

    @classmethod
    def open(cls, settings: Settings, log_dir: Path | None) -> _Run:
        run = uuid.uuid4().hex[:6]
        prefix, base_prefix = f"bench{run}", f"bench{run}-base"
        alias, base_alias = f"bench{run}-articles", f"bench{run}-baseline"
        logs = log_dir or Path(tempfile.mkdtemp(prefix="khabar-bench-"))
        return cls(settings, prefix, base_prefix, alias, base_alias, logs, log_dir is None,
                   Engine(settings, alias), Engine(settings, base_alias))

    def close(self, keep: bool, finished: bool) -> None:
        """Stop what runs; unless ``keep``, remove topics, groups, indices and state (a failed run keeps its logs)."""
        for w in self.workers:
            w.stop()
        if self.baseline is not None and self.baseline.is_alive():
            self.baseline.kill()
        if not keep:
            self._remove(finished)
        self.engine.close()
        self.base_engine.close()

    def _remove(self, finished: bool) -> None:
        self.engine.delete()
        self.base_engine.delete()
        delete_run(self.settings, [self.prefix, self.base_prefix])
        shutil.rmtree(Path(bench_env(self.settings, self.prefix, self.alias)["KHABAR_DATA_DIR"]), ignore_errors=True)
        if self.own_logs and finished:
            shutil.rmtree(self.logs, ignore_errors=True)


def wait_count(engine: Engine, target: int, timeout: float, update: Callable[..., None],
               while_alive: Sequence[Callable[[], bool]] = (), tick: Callable[[int], None] | None = None) -> int:
    """Poll the engine until ``target`` documents are searchable, while every consumer still runs."""
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = engine.count()
        update(completed=count)
        if tick:
            tick(count)
        if count >= target:
            return count
        if not all(alive() for alive in while_alive):
            raise RuntimeError("a consumer process exited during the run")
        time.sleep(0.5)
    raise RuntimeError(f"only {count} of {target} documents searchable after {timeout:.0f}s")


def _produce_backlog(run: _Run, config: BenchConfig, bars: Bars) -> str:
    """Both consumers' topics, and the same articles sent to each; the worker's raw topic."""
    for p in (run.prefix, run.base_prefix):
        ensure_topics_for(run.settings, p)
    wsettings = replace(run.settings, topic_prefix=run.prefix)
    advance, _ = bars.task("generate + produce", config.articles)
    produce_articles(run.settings, [wsettings.raw_topic, f"{run.base_prefix}.raw"],
                     generate_articles(config.articles, config.seed), advance)
    return wsettings.raw_topic


def _drain_baseline(run: _Run, config: BenchConfig, bars: Bars) -> _Drain:
    """b. The baseline: the same backlog, bulk-indexed raw."""
    _, update = bars.task("b. baseline (no enrich)", config.articles)
    ctx = multiprocessing.get_context("spawn")
    run.baseline = ctx.Process(target=baseline_main, daemon=True,
                               args=(replace(run.settings, index_alias=run.base_alias), f"{run.base_prefix}.raw",
                                     f"khabar-{run.base_prefix}"))
    run.baseline.start()
    started = time.time()
    wait_count(run.base_engine, config.articles, config.timeout_s, update, [run.baseline.is_alive])
    rate, _, seconds, method = run.base_engine.drain_rate(started)
    run.baseline.terminate()
    run.baseline.join(10)
    return _Drain(rate, seconds, method)


def _drain_worker(run: _Run, config: BenchConfig, bars: Bars) -> tuple[_Drain, WorkerMemory]:
    """b + d. The workers drain the same backlog; memory at start, after warm-up and after the long run."""
    env = bench_env(run.settings, run.prefix, run.alias)
    run.workers = [WorkerProcess(env, run.logs / f"worker{k}.log") for k in range(config.workers)]
    memory = WorkerMemory(run.workers)
    for w in run.workers:
        w.start()
    time.sleep(1.0)
    memory.start = memory.total()
    for w in run.workers:
        w.wait_ready()
    started = time.time()
    n = config.articles
    warm = min(config.warmup_articles, max(1, n // 10))
    _, update = bars.task("b+d. worker (enrich)", n)
    alive = [w.alive for w in run.workers]
    wait_count(run.engine, warm, config.timeout_s, update, alive, memory.sample)
    memory.warm = memory.total()
    wait_count(run.engine, n, config.timeout_s, update, alive, memory.sample)
    rate, _, seconds, method = run.engine.drain_rate(started)
    memory.long = memory.total()
    return _Drain(rate, seconds, method), memory


def _offer_load(run: _Run, config: BenchConfig, bars: Bars, raw_topic: str, memory: WorkerMemory) -> dict[str, Any]:
    """c. Latency at a fixed offered load, memory sampled every second meanwhile; the latency figures."""
    advance, _ = bars.task(f"c. latency @ {config.latency_rate:g}/s", int(config.latency_rate *
                                                                        config.latency_seconds))
    sampler_stop = threading.Event()

    def sampler() -> None:
        while not sampler_stop.wait(1.0):
            memory.sample()

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    try:
        return measure_latency(run.settings, raw_topic, run.engine, config.latency_rate, config.latency_seconds,
                               config.seed, start=config.articles, advance=advance)
    finally:
        sampler_stop.set()
        thread.join(5)
        memory.finish()


def _throughput(worker: _Drain, base: _Drain) -> dict[str, Any]:
    return {
        "e2e_vs_baseline": round(worker.rate / base.rate, 3) if base.rate else None,
        "e2e_articles_per_s": round(worker.rate, 1), "baseline_articles_per_s": round(base.rate, 1),
        "e2e_seconds": round(worker.seconds, 1), "baseline_seconds": round(base.seconds, 1),
        "rate_method": worker.method if worker.method == base.method else f"{worker.method}/{base.method}",
    }


def end_to_end(settings: Settings, config: BenchConfig, bars: Bars, f: dict[str, Any], log_dir: Path | None) -> None:
    """Parts b, c and d of the run, their figures added to ``f``."""
    run = _Run.open(settings, log_dir)
    try:
        raw_topic = _produce_backlog(run, config, bars)
        base = _drain_baseline(run, config, bars)
        worker, memory = _drain_worker(run, config, bars)
        latency = _offer_load(run, config, bars, raw_topic, memory)
        memory_articles = config.articles + int(config.latency_rate * config.latency_seconds)
        f.update({**_throughput(worker, base), **latency, **memory.figures(memory_articles)})
    finally:
        run.close(config.keep, "e2e_articles_per_s" in f)
