"""`khabar config`: the effective settings, secrets masked."""

from __future__ import annotations

from rich.table import Table

from streams.commands.terminal import console, get_settings

__all__ = ["show_config"]


def show_config() -> None:
    """Show the effective settings (secrets masked)."""
    config = get_settings()
    table = Table("setting", "value")
    for key, value in config.describe().items():
        table.add_row(f"KHABAR_{key.upper()}", str(value))
    console.print(table)
