"""A stack config on free ports under the test's own directory."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.devtools.stack import StackConfig

MakeConfig = Callable[..., StackConfig]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def make_config(tmp_path: Path) -> MakeConfig:
    """StackConfig(root=<tmp>/stack) on free ports, with any field overridden."""

    def make(**overrides: object) -> StackConfig:
        ports = {"kafka_port": _free_port(), "controller_port": _free_port(), "search_port": _free_port()}
        return StackConfig(root=tmp_path / "stack", **{**ports, **overrides})  # type: ignore[arg-type]

    return make
