"""`khabar worker`: the faust worker (enrich, index and alert agents)."""

from __future__ import annotations

from typing import Annotated

import typer

from streams.commands.terminal import console, fail, get_settings
from streams.errors import KhabarError

__all__ = ["worker"]


def worker(
    web_port: Annotated[int | None, typer.Option(help="Port of /metrics, /healthz, /readyz.")] = None,
    loglevel: Annotated[str, typer.Option(help="debug, info, warning, error")] = "info",
) -> None:
    """Run the faust worker: enrich news.raw → news.enriched → search engine, dead letters to news.dlq."""
    import faust

    from streams.app.logs import escape_log_fields, quiet_repeats
    from streams.app.worker import build_app
    from streams.sink.kafka import ensure_topics

    config = get_settings(web_port=web_port, log_level=loglevel)
    quiet_repeats()  # a broker outage makes the Kafka client repeat itself thousands of times a second
    escape_log_fields()  # values in log lines may come from articles: none may forge a line
    try:
        created = ensure_topics(config)
    except KhabarError as exc:
        fail(str(exc))
    if created:
        console.print(f"created topics: {', '.join(created)}")
    faust_app, _ = build_app(config)
    worker_ = faust.Worker(faust_app, loglevel=config.log_level.upper(), quiet=True)
    worker_.execute_from_commandline()
