"""`khabar stack up | fetch | down | status`: the local Kafka + search node from Maven Central jars."""

from __future__ import annotations

import time

import typer

from streams.commands.terminal import console, fail

__all__ = ["stack_app", "stack_up"]

stack_app = typer.Typer(help="Run a local Kafka + OpenSearch stack from Maven Central jars (no Docker).",
                        no_args_is_help=True)


@stack_app.command("up")
def stack_up(timeout: float = typer.Option(240.0, help="Seconds to wait for health.")) -> None:
    """Start Kafka (KRaft) on 127.0.0.1:9092 and OpenSearch on 127.0.0.1:9200; idempotent."""
    from streams.devtools.stack import Stack, StackError, default_config, status_table

    stack = Stack(default_config())
    began = time.monotonic()
    try:
        stack.fetch()
        status = stack.up(timeout=timeout)
    except StackError as exc:
        fail(str(exc))
    console.print(status_table(status))
    console.print(f"stack ready in {time.monotonic() - began:.1f}s")


@stack_app.command("fetch")
def stack_fetch() -> None:
    """Resolve the Kafka and OpenSearch jars with Maven (done by `up` too)."""
    from streams.devtools.stack import Stack, StackError, default_config

    try:
        Stack(default_config()).fetch()
    except StackError as exc:
        fail(str(exc))
    console.print("jars in place")


@stack_app.command("down")
def stack_down() -> None:
    """Stop what `khabar stack up` started (and nothing else)."""
    from streams.devtools.stack import Stack, StackError, default_config

    try:
        Stack(default_config()).down()
    except StackError as exc:
        fail(str(exc))
    console.print("stack stopped")


@stack_app.command("status")
def stack_status() -> None:
    """Versions, ports, pids and health of the local stack."""
    from streams.devtools.stack import Stack, default_config, status_table

    status = Stack(default_config()).status()
    console.print(status_table(status))
    raise typer.Exit(0 if status.healthy else 1)
