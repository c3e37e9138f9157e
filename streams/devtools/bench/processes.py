"""Worker processes for the bench: a real `khabar worker` on its own topics, and its resident memory from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.config import Settings

__all__ = ["WorkerMemory", "WorkerProcess", "bench_env", "free_port", "rss_bytes"]

_MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    out: list[int] = []
    with suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with suppress(OSError):
                out.extend(int(c) for c in (task / "children").read_text().split())
    return out


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants (an enrichment pool counts), from /proc."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        with suppress(OSError, ValueError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
            todo.extend(_children(p))
    return total


def bench_env(settings: Settings, prefix: str, alias: str, **extra: str) -> dict[str, str]:
    """Environment of a worker on its own topics, group, alias, port and state directory."""
    data_dir = Path(tempfile.gettempdir()) / f"khabar-{prefix}"
    return {
        "KHABAR_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "KHABAR_SEARCH_URL": settings.search_url,
        "KHABAR_TOPIC_PREFIX": prefix,
        "KHABAR_APP_ID": f"khabar-{prefix}",
        "KHABAR_INDEX_ALIAS": alias,
        "KHABAR_DATA_DIR": str(data_dir),
        **extra,
    }


class WorkerProcess:
    """A `khabar worker` subprocess (the real thing: faust, Kafka, the search engine)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "KHABAR_WEB_PORT": str(self.port)}
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as fh:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams", "worker"], stdout=fh,
                                         stderr=subprocess.STDOUT, env=self.env, start_new_session=True)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss(self) -> int:
        return rss_bytes(self.pid) if self.alive() else 0

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError:
            return 0, b""

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"worker exited with code {self.proc and self.proc.returncode}; log: {self.log}")
            if self.get("/readyz")[0] == 200:
                return
            time.sleep(0.3)
        raise RuntimeError(f"worker not ready after {timeout:.0f}s; log: {self.log}")

    def metric(self, name: str) -> float:
        """Sum of a counter's samples on this worker's /metrics (0 when absent)."""
        status, body = self.get("/metrics")
        total = 0.0
        if status == 200:
            for line in body.decode().splitlines():
                if line.startswith(name) and not line.startswith("#"):
                    head, _, value = line.rpartition(" ")
                    if head.split("{", 1)[0] == name:
                        total += float(value)
        return total

    def stop(self, timeout: float = 60.0) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@dataclass
class WorkerMemory:
    """d. The workers' resident memory through a run: at start, after warm-up, after the long run, at the end,
    and every sample in between (with the documents indexed so far, when known)."""

    workers: Sequence[WorkerProcess]
    samples: list[int] = field(default_factory=list)
    curve: list[tuple[int, int]] = field(default_factory=list)  # (documents indexed, resident bytes)
    start: int = 0
    warm: int = 0
    long: int = 0
    end: int = 0

    def total(self) -> int:
        """Resident bytes of every worker (and its children) right now."""
        return sum(w.rss() for w in self.workers)

    def sample(self, count: int = -1) -> None:
        """Record the workers' memory now; on the curve too when ``count`` documents are known indexed."""
        self.samples.append(self.total())
        if count >= 0:
            self.curve.append((count, self.samples[-1]))

    def finish(self) -> None:
        """The last reading, at the end of the run."""
        self.end = self.total()
        self.samples.append(self.end)

    def figures(self, articles: int) -> dict[str, Any]:
        """The memory figures of the report: growth after warm-up, the readings in MiB and a 12-point curve."""
        return {
            "rss_growth_pct": round(100 * (self.end - self.warm) / self.warm, 1) if self.warm else None,
            "rss_start_mib": round(self.start / _MIB, 1), "rss_warmup_mib": round(self.warm / _MIB, 1),
            "rss_peak_mib": round(max(self.samples, default=self.end) / _MIB, 1),
            "rss_after_long_run_mib": round(self.long / _MIB, 1), "rss_end_mib": round(self.end / _MIB, 1),
            "memory_articles": articles,
            "rss_curve_mib": [[c, round(b / _MIB, 1)] for c, b in self.curve[:: max(1, len(self.curve) // 12)]],
        }
