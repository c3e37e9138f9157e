"""streams.devtools.stack.status: the stack's health from its servers', and the command-line table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from streams.devtools.stack import ServiceStatus, Stack, StackConfig, StackStatus, status_table


def _status(*healthy: bool) -> StackStatus:
    services = tuple(ServiceStatus(f"s{k}", "1", 9000 + k, None, h, "") for k, h in enumerate(healthy))
    return StackStatus(Path("/tmp/stack"), services)


@pytest.mark.parametrize(
    ("healthy", "expected"), [((True, True), True), ((True, False), False), ((False, False), False), ((), True)]
)
def test_stack_is_healthy_when_every_service_is(healthy: tuple[bool, ...], expected: bool) -> None:
    """The stack is healthy only when every server is."""
    assert _status(*healthy).healthy is expected


def test_service_by_name() -> None:
    """A server is found by name; an unknown name is a KeyError."""
    status = _status(True, False)
    assert status.service("s1").healthy is False
    with pytest.raises(KeyError):
        status.service("nope")


def test_status_table_lists_services(make_config: Callable[..., StackConfig]) -> None:
    """The rich table has one row per service."""
    table = status_table(Stack(make_config()).status())
    assert table.row_count == 2
