"""Enrichment off the event loop: child processes, each article within a time budget.

The worker's event loop never enriches an article itself. Enrichment is pure CPU, and a large
article takes long (a 1.9 MB one, 20–35 s); while the loop is busy nothing else happens: no
heartbeat, no /healthz, no timer, no alert. So articles are enriched in child processes and the
loop only awaits their answers.

Why processes and not threads: a Python thread cannot be stopped. An article that overran its
budget in a thread would go on burning a core, holding the GIL against the loop, until it
finished; every further slow article would add one more such thread, and the pile grows with
the attack. A child process that overruns is killed (SIGKILL) and a fresh one is started, so at
most one article per child is ever in progress, and an overrun costs its budget plus a restart
(the child builds its pipeline again: a few seconds) and nothing more. The article size limit
(``KHABAR_MAX_ARTICLE_BYTES``) still bounds what one article can ask of memory.

How: each child is spawned (it inherits none of the worker's threads or sockets), builds its own
:class:`~streams.enrich.pipeline.Pipeline`, then takes a chunk of payloads over a pipe and sends
one :data:`Outcome` per article back as soon as it has it. A thread per child waits for each
outcome at most ``budget_s`` seconds: past that, the article's outcome is an
:class:`~streams.errors.EnrichTimeout` rejection (dead-lettered with reason ``enrich_timeout``),
the child is killed and restarted, and the rest of the chunk goes to the new child. A child that
dies (out of memory, a crash in native code) fails only the article it was working on.

Children ignore SIGINT and SIGTERM: a signal to the worker's process group must not turn the
article in progress into a failure during a graceful stop; the worker kills them itself once its
agents have stopped. A child also leaves on its own when the pipe closes or the worker is gone.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any, Protocol

from streams.config import Settings
from streams.enrich.document import Rejection, enrich_record
from streams.enrich.pipeline import Pipeline, StageTimes
from streams.errors import EnrichTimeout, TransientError

__all__ = ["EnrichPool", "Enricher", "Failed", "InlineEnricher", "Job", "Outcome", "PoolClosed", "Produced",
           "enrich_job"]

# a chunk sent to a child at once: enough to keep it busy, bounded in memory
_CHUNK_BYTES = 8 * 1024 * 1024
_CHUNK_JOBS = 200
_READY = "ready"


@dataclass(frozen=True, slots=True)
class Job:
    """One raw message to enrich, and when it was received (its Kafka timestamp)."""

    payload: bytes
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Produced:
    """An enriched document, encoded, ready for ``news.enriched``."""

    doc_id: str
    agency: str | None
    value: bytes
    timings: StageTimes


@dataclass(frozen=True, slots=True)
class Failed:
    """An error nobody foresaw (a bug, a dying child): dead-lettered under its own class name."""

    error_class: str
    reason: str


Outcome = Produced | Rejection | Failed


def enrich_job(job: Job, pipeline: Pipeline, *, max_bytes: int, require_persian: bool) -> Outcome:
    """The outcome of one job; never raises."""
    timings: StageTimes = {}
    try:
        result = enrich_record(job.payload, pipeline, received_at=job.received_at, max_bytes=max_bytes,
                               require_persian=require_persian, timings=timings)
    except Exception as exc:  # noqa: BLE001 -- every per-message failure becomes a dead letter, never a crash
        return Failed(type(exc).__name__, f"unexpected {type(exc).__name__}: {exc}"[:300])
    if isinstance(result, Rejection):
        return result
    doc, value = result
    return Produced(doc["id"], doc["agency"], value, timings)


class Enricher(Protocol):
    """What the enrich handler calls: jobs in, one outcome per job out, in order."""

    async def enrich(self, jobs: Sequence[Job]) -> list[Outcome]: ...


@dataclass
class InlineEnricher:
    """Enrichment on the caller's thread, without a budget: for tests and tools, never the worker."""

    pipeline: Pipeline
    max_bytes: int
    require_persian: bool

    @classmethod
    def from_settings(cls, settings: Settings, pipeline: Pipeline) -> InlineEnricher:
        return cls(pipeline, settings.max_article_bytes, settings.language_policy == "reject")

    async def enrich(self, jobs: Sequence[Job]) -> list[Outcome]:
        return [enrich_job(j, self.pipeline, max_bytes=self.max_bytes, require_persian=self.require_persian)
                for j in jobs]


# -- the child ----------------------------------------------------------------------------------------

def _leave_with(parent: int) -> None:
    """Exit as soon as the worker that started this child is gone (it may have been SIGKILLed)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _serve(conn: Connection, max_bytes: int, require_persian: bool, parent: int) -> None:
    """A child's life: build the pipeline, say ready, then answer each job of each chunk in turn."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()
    pipeline = Pipeline(timer=time.perf_counter)
    conn.send(_READY)
    while True:
        try:
            jobs: list[Job] = conn.recv()
        except (EOFError, OSError):
            return
        for job in jobs:
            outcome = enrich_job(job, pipeline, max_bytes=max_bytes, require_persian=require_persian)
            try:
                conn.send(outcome)
            except (EOFError, OSError):
                return
            except Exception as exc:  # noqa: BLE001 -- an outcome that cannot be pickled is still an answer
                conn.send(Failed(type(exc).__name__, f"outcome could not be sent: {type(exc).__name__}"))


# -- the parent's side ----------------------------------------------------------------------------------

class PoolClosed(TransientError):
    """The pool was closed while a batch was in progress (the worker is stopping)."""


def _chunks(jobs: Sequence[Job]) -> list[list[Job]]:
    out: list[list[Job]] = []
    size = 0
    for job in jobs:
        if not out or len(out[-1]) >= _CHUNK_JOBS or size + len(job.payload) > _CHUNK_BYTES:
            out.append([])
            size = 0
        out[-1].append(job)
        size += len(job.payload)
    return out


class _Child:
    """One enrichment process and the pipe to it; used by one thread at a time."""

    def __init__(self, options: tuple[int, bool], start_timeout_s: float, on_restart: Callable[[], None]) -> None:
        self.options = options
        self.start_timeout_s = start_timeout_s
        self.on_restart = on_restart
        self.proc: Any = None
        self.conn: Connection | None = None
        self.started = 0
        self.closed = False
        self.lock = threading.Lock()

    def start(self) -> Connection:
        if self.closed:
            raise PoolClosed("the enrichment pool is closed")
        if self.conn is not None:
            return self.conn
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(theirs, *self.options, os.getpid()), name="khabar-enrich",
                           daemon=False)
        proc.start()
        theirs.close()
        self.proc, self.conn = proc, ours
        if self.started:
            self.on_restart()
        self.started += 1
        try:
            ready = ours.poll(self.start_timeout_s) and ours.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = proc.exitcode
            self.stop()
            raise TransientError(f"enrichment process did not start within {self.start_timeout_s:g}s "
                                 f"(exit code {code}); see the worker log")
        return ours

    def warm(self) -> None:
        with self.lock:
            self.start()

    def stop(self) -> None:
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        if proc is not None and proc.is_alive():
            proc.kill()
        if proc is not None:
            proc.join(10)
            proc.close()
        if conn is not None:
            conn.close()

    def run(self, jobs: Sequence[Job], budget_s: float) -> list[Outcome]:
        """Outcomes of ``jobs`` in order; an article over ``budget_s`` kills (and replaces) the child."""
        with self.lock:
            out: list[Outcome] = []
            for chunk in _chunks(jobs):
                self._run_chunk(chunk, budget_s, out)
            return out

    def _run_chunk(self, chunk: list[Job], budget_s: float, out: list[Outcome]) -> None:
        i = 0
        while i < len(chunk):
            conn = self.start()
            try:
                if not self.proc.is_alive():
                    raise BrokenPipeError
                conn.send(chunk[i:])
            except OSError:  # the child died while idle: none of these was its fault, a new one takes them
                self.stop()
                continue
            while i < len(chunk):
                outcome, lost = self._next(conn, chunk[i], budget_s)
                out.append(outcome)
                i += 1
                if lost:  # the child is gone: the rest of the chunk goes to a new one
                    self.stop()
                    break

    def _next(self, conn: Connection, job: Job, budget_s: float) -> tuple[Outcome, bool]:
        """The child's outcome for ``job``, or the outcome of losing it (over budget, or the child died)."""
        if not conn.poll(budget_s):
            if self.closed:
                raise PoolClosed("the enrichment pool was closed")
            return Rejection(EnrichTimeout(budget_s, len(job.payload))), True
        try:
            return conn.recv(), False
        except (EOFError, OSError):
            if self.closed:
                raise PoolClosed("the enrichment pool was closed") from None
            if self.proc is not None:
                self.proc.join(5)
            code = self.proc.exitcode if self.proc is not None else None
            return Failed("EnrichProcessDied", f"the enrichment process died on this article (exit code {code})"), True

    def close(self) -> None:
        self.closed = True
        proc = self.proc
        if proc is not None and proc.is_alive():
            proc.kill()  # a thread waiting on it sees the end of the pipe and stops
        if self.lock.acquire(timeout=10):
            try:
                self.stop()
            finally:
                self.lock.release()


class EnrichPool:
    """``processes`` enrichment children; a batch is split between them, each article within ``budget_s``."""

    def __init__(self, *, processes: int, budget_s: float, max_bytes: int, require_persian: bool,
                 start_timeout_s: float = 180.0, on_restart: Callable[[], None] = lambda: None) -> None:
        self.budget_s = budget_s
        self.children = [_Child((max_bytes, require_persian), start_timeout_s, on_restart) for _ in range(processes)]
        self._threads = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="khabar-enrich")

    @classmethod
    def from_settings(cls, settings: Settings, on_restart: Callable[[], None] = lambda: None) -> EnrichPool:
        return cls(processes=settings.enrich_processes, budget_s=settings.enrich_timeout_s,
                   max_bytes=settings.max_article_bytes, require_persian=settings.language_policy == "reject",
                   on_restart=on_restart)

    @property
    def pids(self) -> list[int]:
        """The children's process ids (those running)."""
        return [c.proc.pid for c in self.children if c.proc is not None and c.proc.pid is not None]

    async def start(self) -> None:
        """Start every child (each builds its pipeline), without blocking the loop."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._threads, c.warm) for c in self.children))

    async def enrich(self, jobs: Sequence[Job]) -> list[Outcome]:
        if not jobs:
            return []
        loop = asyncio.get_running_loop()
        share = -(-len(jobs) // len(self.children))
        parts = [list(jobs[i:i + share]) for i in range(0, len(jobs), share)]
        runs = [loop.run_in_executor(self._threads, child.run, part, self.budget_s)
                for child, part in zip(self.children, parts, strict=False)]
        results = await asyncio.gather(*runs)
        return [outcome for part in results for outcome in part]

    def close(self) -> None:
        """Kill the children; a batch still waiting on one ends with :class:`PoolClosed`."""
        for child in self.children:
            child.close()
        self._threads.shutdown(wait=False, cancel_futures=True)
