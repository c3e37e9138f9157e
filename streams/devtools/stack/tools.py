"""The tools the stack runs besides the servers: Maven, javac, java, found and checked before use."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from streams.devtools.stack.errors import StackError

__all__ = ["check_java", "child_env", "find_tool", "first_error", "java_major", "jdk_tool", "run_tool"]

# options meant for other JVMs would change heap and flags of the servers
_FOREIGN_JVM_OPTIONS = ("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS")


def first_error(output: str) -> str:
    """The line of a tool's output that says what went wrong (else its last line)."""
    for line in output.splitlines():
        if "ERROR" in line or "error:" in line:
            return re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
    lines = output.strip().splitlines()
    return lines[-1].strip() if lines else "no output"


def run_tool(argv: Sequence[str], what: str) -> str:
    """Run a tool to completion; its stdout, or a StackError quoting its first error line."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StackError(f"{what} could not run: {exc}") from exc
    if done.returncode != 0:
        raise StackError(f"{what} failed: {first_error(done.stdout + done.stderr)}")
    return done.stdout


@cache
def java_major(java: str) -> int:
    """The major version of a java executable (8 for "1.8.0_x", 17 for "17.0.15")."""
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StackError(f"{java} could not run: {exc}") from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if match is None:
        raise StackError(f"cannot tell the version of {java}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java(java: str, min_major: int, what: str) -> None:
    """Refuse a java older than ``min_major`` for ``what`` (a server and its version)."""
    major = java_major(java)
    if major < min_major:
        raise StackError(
            f"{what} needs Java {min_major}+, {java} is Java {major}; set KHABAR_STACK_JAVA_HOME to a newer JDK"
        )


def find_tool(name: str, missing: str) -> str:
    """The path of ``name`` on PATH, else a StackError saying ``missing``."""
    found = shutil.which(name)
    if found is None:
        raise StackError(missing)
    return found


def jdk_tool(java_home: Path | None, name: str, missing: str) -> str:
    """A JDK tool from ``java_home`` when one is configured, else from PATH."""
    if java_home is not None:
        candidate = java_home / "bin" / name
        if not os.access(candidate, os.X_OK):
            raise StackError(f"{candidate} is missing; KHABAR_STACK_JAVA_HOME must be a JDK 17+")
        return str(candidate)
    return find_tool(name, missing)


def child_env(java_home: Path | None) -> dict[str, str]:
    """The environment the servers start with: ours, with JAVA_HOME set and foreign JVM options dropped."""
    env = dict(os.environ)
    if java_home is not None:
        env["JAVA_HOME"] = str(java_home)
    for name in _FOREIGN_JVM_OPTIONS:
        env.pop(name, None)
    return env
