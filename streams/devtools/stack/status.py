"""What the stack reports about its servers: one status per server, and the table the command line prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

__all__ = ["ServiceStatus", "StackStatus", "status_table"]


@dataclass(frozen=True)
class ServiceStatus:
    """One server of the stack as seen right now."""

    name: str
    version: str
    port: int
    pid: int | None
    healthy: bool
    detail: str


@dataclass(frozen=True)
class StackStatus:
    """Every server of the stack."""

    root: Path
    services: tuple[ServiceStatus, ...]

    @property
    def healthy(self) -> bool:
        return all(service.healthy for service in self.services)

    def service(self, name: str) -> ServiceStatus:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)


def status_table(status: StackStatus) -> Table:
    """A rich table of the stack's status for the command line."""
    table = Table(title=f"khabar stack ({status.root})")
    for column in ("service", "version", "port", "pid", "health", "detail"):
        table.add_column(column)
    for service in status.services:
        health = "[green]healthy[/green]" if service.healthy else "[red]down[/red]"
        pid = "-" if service.pid is None else str(service.pid)
        table.add_row(service.name, service.version, str(service.port), pid, health, service.detail)
    return table
