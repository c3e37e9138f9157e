"""What every `khabar` command shares: the terminal, failing with a clear message, the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from streams.config import Settings, load_settings
from streams.errors import ConfigError

__all__ = ["PROJECT_DIR", "console", "err_console", "fail", "get_settings"]

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # error lines stay whole
PROJECT_DIR = Path(__file__).resolve().parents[2]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def get_settings(**overrides: Any) -> Settings:
    """The effective settings, or a clear error naming the bad setting."""
    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        fail(str(exc))
