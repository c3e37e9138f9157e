"""The servers as operating-system processes: spawn detached, signal, find by pid file, lock, wait.

Process checks read ``/proc``: the stack runs on Linux. A pid file alone is never trusted: the
process must also carry the service's markers on its command line, so a recycled pid is spared.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import socket
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = [
    "alive",
    "await_exit",
    "cmdline",
    "last_line",
    "owned_pid",
    "port_is_free",
    "send_signal",
    "settled_cmdline",
    "spawn",
    "state_lock",
    "terminate",
    "write_atomic",
]

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 30.0


def alive(pid: int) -> bool:
    """True while pid runs; reaps it first if it is our own exited child."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cmdline(pid: int) -> list[str]:
    """The command line of pid from /proc; empty when it is gone or unreadable."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def send_signal(pid: int, signum: int) -> None:
    """Signal pid; one that exited since it was checked is no error."""
    with suppress(ProcessLookupError):
        os.kill(pid, signum)


def settled_cmdline(pid: int) -> list[str]:
    """The command line of pid, waiting briefly if it is empty because the process is in exec()."""
    for _ in range(10):
        current = cmdline(pid)
        if current or not alive(pid):
            return current
        time.sleep(0.02)
    return cmdline(pid)


def owned_pid(pid_file: Path, markers: Sequence[str]) -> int | None:
    """The pid in pid_file if that process runs and its command line carries every marker."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    if not alive(pid):
        return None
    current = settled_cmdline(pid)
    return pid if all(marker in current for marker in markers) else None


def port_is_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:port (or on every address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def spawn(argv: Sequence[str], log_file: Path, env: Mapping[str, str]) -> int:
    """Start argv in its own session, output appended to log_file; returns the pid."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    return os.posix_spawn(argv[0], list(argv), dict(env), file_actions=actions, setsid=True)


def await_exit(name: str, pid: int, grace: float = STOP_GRACE_SECONDS) -> None:
    """Wait for pid to exit after SIGTERM; SIGKILL it once ``grace`` seconds have passed."""
    deadline = time.monotonic() + grace
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        log.warning("%s (pid %d) ignored SIGTERM for %.0fs; killing it", name, pid, grace)
        send_signal(pid, signal.SIGKILL)
        while alive(pid):
            time.sleep(0.1)


def terminate(name: str, pid: int, pid_file: Path) -> None:
    """Stop pid if it still runs, then drop its pid file."""
    if alive(pid):
        send_signal(pid, signal.SIGTERM)
        await_exit(name, pid)
    pid_file.unlink(missing_ok=True)


@contextmanager
def state_lock(lock_file: Path) -> Iterator[None]:
    """Serialise up/down between processes sharing one state directory."""
    with open(lock_file, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def last_line(path: Path) -> str:
    """The last non-empty line of a log file ("" when there is none)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""
