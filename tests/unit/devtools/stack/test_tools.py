"""streams.devtools.stack.tools: finding and checking java, javac and Maven; running them."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.devtools.stack import StackError
from streams.devtools.stack.tools import check_java, child_env, first_error, java_major, jdk_tool, run_tool


def _fake_java(tmp_path: Path, version_line: str) -> str:
    script = tmp_path / "java"
    script.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("line", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "25" 2025-09-16', 25),
        ('java version "1.8.0_292"', 8),
    ],
)
def test_java_major(tmp_path: Path, line: str, major: int) -> None:
    """The major version is read from `java -version`, old 1.x style included."""
    assert java_major(_fake_java(tmp_path, line)) == major


def test_java_major_unreadable(tmp_path: Path) -> None:
    """A java that prints no version is a StackError."""
    with pytest.raises(StackError, match="cannot tell the version"):
        java_major(_fake_java(tmp_path, "hello"))


def test_check_java_names_what_needs_it(tmp_path: Path) -> None:
    """Too old a java is refused with the server, the version needed and the one found."""
    java = _fake_java(tmp_path, 'openjdk version "11.0.2" 2019-01-15')
    with pytest.raises(StackError, match=r"^kafka 4\.4\.0 needs Java 17\+, .* is Java 11; set KHABAR_STACK_JAVA_HOME"):
        check_java(java, 17, "kafka 4.4.0")
    check_java(java, 11, "kafka 4.4.0")


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("ok\n[ERROR] Failed to resolve\nmore\n", "[ERROR] Failed to resolve"),
        ("A.java:3: error: ';' expected\n", "A.java:3: error: ';' expected"),
        ("\x1b[1;31mERROR\x1b[m boom\n", "ERROR boom"),
        ("line one\nline two\n", "line two"),
        ("", "no output"),
    ],
)
def test_first_error(output: str, expected: str) -> None:
    """The first ERROR/error: line, colours stripped; else the last line."""
    assert first_error(output) == expected


def test_run_tool_failure_quotes_the_error(tmp_path: Path) -> None:
    """A failing tool is a StackError saying what was being done and its error line."""
    with pytest.raises(StackError, match=r"^compiling failed: ERROR nope$"):
        run_tool(["/bin/sh", "-c", "echo 'ERROR nope'; exit 1"], "compiling")
    with pytest.raises(StackError, match=r"^compiling could not run"):
        run_tool([str(tmp_path / "absent")], "compiling")
    assert run_tool(["/bin/sh", "-c", "echo fine"], "echoing") == "fine\n"


def test_jdk_tool_from_java_home(tmp_path: Path) -> None:
    """With a java home, its bin/ is used and a missing tool names the path."""
    (tmp_path / "bin").mkdir()
    java = _fake_java(tmp_path / "bin", 'openjdk version "17"')
    assert jdk_tool(tmp_path, "java", "unused") == java
    with pytest.raises(StackError, match=r"bin/javac is missing; KHABAR_STACK_JAVA_HOME must be a JDK 17\+"):
        jdk_tool(tmp_path, "javac", "unused")


def test_jdk_tool_from_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a java home, a tool missing from PATH is the given message."""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match=r"^no javac here$"):
        jdk_tool(None, "javac", "no javac here")


def test_child_env_drops_foreign_jvm_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JVM options meant for other programs never reach the servers; JAVA_HOME follows the config."""
    for name in ("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"):
        monkeypatch.setenv(name, "-Xmx16m")
    env = child_env(tmp_path)
    assert env["JAVA_HOME"] == str(tmp_path)
    assert not {"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"} & set(env)
