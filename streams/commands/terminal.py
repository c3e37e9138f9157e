"""What every `khabar` command shares: the terminal, failing with a clear message, the settings.

Article text is written by strangers and the terminal obeys what it prints: every string that
comes from an article, a dead letter, an alert or the index goes through :func:`shown` on its way
to the screen (control characters written out, rich markup escaped), so a title can neither
clear the screen, forge a line, plant a hyperlink, nor crash the command with bad markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from streams.app.logs import escape_controls
from streams.config import Settings, load_settings
from streams.errors import ConfigError

__all__ = ["PROJECT_DIR", "console", "err_console", "fail", "get_settings", "shown"]

# emoji codes off: a ":name:" in an article stays text
console = Console(emoji=False)
err_console = Console(stderr=True, soft_wrap=True, emoji=False)  # error lines stay whole
PROJECT_DIR = Path(__file__).resolve().parents[2]


def shown(value: object, *, keep_newlines: bool = False) -> str:
    r"""A string from outside (an article, a record, a reply) fit for the terminal: control
    characters written out (``\x1b``, ``\n`` unless ``keep_newlines``), rich markup escaped.

    >>> shown("[link=https://x.example]IRNA[/link]\x1b[2J")
    '\\[link=https://x.example]IRNA\\[/link]\\x1b[2J'
    """
    return escape(escape_controls("" if value is None else str(value), keep_newlines=keep_newlines))


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {shown(message)}")
    raise typer.Exit(code)


def get_settings(**overrides: Any) -> Settings:
    """The effective settings, or a clear error naming the bad setting."""
    try:
        settings = load_settings(**overrides)
    except ConfigError as exc:
        fail(str(exc))
    for warning in settings.warnings():
        err_console.print(f"[bold yellow]warning:[/] {shown(warning)}")
    return settings
