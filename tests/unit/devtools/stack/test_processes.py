"""streams.devtools.stack.processes: ports, pid files that must name our own process, atomic files."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from streams.devtools.stack.processes import (
    alive,
    cmdline,
    last_line,
    owned_pid,
    port_is_free,
    spawn,
    terminate,
    write_atomic,
)


def test_port_is_free_sees_a_listener() -> None:
    """A listening socket makes its port not free; closing it frees the port."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not port_is_free(port)
    assert port_is_free(port)


def test_cmdline_of_this_process() -> None:
    """The command line of a running process is read from /proc; a pid that runs nothing has none."""
    assert Path(cmdline(os.getpid())[0]).name.startswith("python")
    assert cmdline(2**22 + 1) == []


@pytest.mark.parametrize(
    ("content", "markers", "owned"),
    [
        ("{pid}\n", [], True),
        ("{pid}\n", ["-Dkhabar.stack=kafka"], False),
        ("not a pid\n", [], False),
        ("", [], False),
    ],
)
def test_owned_pid(tmp_path: Path, content: str, markers: list[str], owned: bool) -> None:
    """A pid file counts only when it names a running process carrying every marker."""
    pid_file = tmp_path / "x.pid"
    pid_file.write_text(content.format(pid=os.getpid()))
    assert owned_pid(pid_file, markers) == (os.getpid() if owned else None)


def test_owned_pid_without_a_file(tmp_path: Path) -> None:
    """No pid file, no pid."""
    assert owned_pid(tmp_path / "missing.pid", []) is None


def test_spawn_and_terminate(tmp_path: Path) -> None:
    """A spawned process writes to its log, runs in its own session, and terminate stops it and drops the pid file."""
    log = tmp_path / "logs" / "sleeper.log"
    pid = spawn(["/bin/sh", "-c", "echo started; exec sleep 30"], log, {"PATH": os.environ.get("PATH", "")})
    pid_file = tmp_path / "sleeper.pid"
    pid_file.write_text(f"{pid}\n")
    assert alive(pid)
    assert os.getsid(pid) == pid
    deadline = time.monotonic() + 10
    while last_line(log) != "started" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert last_line(log) == "started"
    terminate("sleeper", pid, pid_file)
    assert not alive(pid)
    assert not pid_file.exists()


def test_write_atomic_creates_parents_and_replaces(tmp_path: Path) -> None:
    """The file appears whole, in a directory created for it, with no temporary file left."""
    target = tmp_path / "a" / "b.txt"
    write_atomic(target, "one\n")
    write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.txt"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("first\nlast\n", "last"), ("only", "only"), ("x\n  tail  \n\n\n", "tail"), ("", ""), (None, "")],
)
def test_last_line(tmp_path: Path, text: str | None, expected: str) -> None:
    """The last non-empty line of a log, "" for an empty or missing file."""
    path = tmp_path / "log"
    if text is not None:
        path.write_text(text)
    assert last_line(path) == expected


def test_alive_reaps_an_exited_child() -> None:
    """An exited child of ours is reaped and reported gone."""
    child = subprocess.Popen(["/bin/true"])
    while alive(child.pid):
        pass
    assert not alive(child.pid)
