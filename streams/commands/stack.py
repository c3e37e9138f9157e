"""`khabar stack up | fetch | down | status`: the local Kafka + search node from Maven Central jars."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from streams.commands.terminal import console, fail

if TYPE_CHECKING:
    from streams.devtools.stack import StackConfig

__all__ = ["stack_app", "stack_up"]

stack_app = typer.Typer(help="Run a local Kafka + OpenSearch or Elasticsearch stack from Maven Central (no Docker).",
                        no_args_is_help=True)

EngineOption = Annotated[
    str | None,
    typer.Option("--engine", help="opensearch or elasticsearch (default: KHABAR_STACK_ENGINE, else opensearch)."),
]


def _config(engine: str | None) -> StackConfig:
    from streams.devtools.stack import StackError, default_config

    try:
        return default_config(engine=engine.strip().lower() if engine else None)
    except StackError as exc:
        fail(str(exc))


@stack_app.command("up")
def stack_up(timeout: float = typer.Option(240.0, help="Seconds to wait for health."),
             engine: EngineOption = None) -> None:
    """Start Kafka (KRaft) on 127.0.0.1:9092 and the search engine on 127.0.0.1:9200; idempotent."""
    from streams.devtools.stack import Stack, StackError, status_table

    stack = Stack(_config(engine))
    began = time.monotonic()
    try:
        stack.fetch()
        status = stack.up(timeout=timeout)
    except StackError as exc:
        fail(str(exc))
    console.print(status_table(status))
    console.print(f"stack ready in {time.monotonic() - began:.1f}s")


@stack_app.command("fetch")
def stack_fetch(engine: EngineOption = None) -> None:
    """Resolve Kafka and the search engine with Maven (done by `up` too)."""
    from streams.devtools.stack import Stack, StackError

    try:
        Stack(_config(engine)).fetch()
    except StackError as exc:
        fail(str(exc))
    console.print("jars in place")


@stack_app.command("down")
def stack_down() -> None:
    """Stop what `khabar stack up` started, whichever engine (and nothing else)."""
    from streams.devtools.stack import Stack, StackError

    try:
        Stack(_config(None)).down()
    except StackError as exc:
        fail(str(exc))
    console.print("stack stopped")


@stack_app.command("status")
def stack_status() -> None:
    """Versions, ports, pids and health of the local stack."""
    from streams.devtools.stack import Stack, status_table

    status = Stack(_config(None)).status()
    console.print(status_table(status))
    raise typer.Exit(0 if status.healthy else 1)
