"""The `khabar` command: routes each command to its module in :mod:`streams.commands`."""

from __future__ import annotations

import logging

import typer

from streams.commands.backfill import backfill
from streams.commands.bench import bench_app
from streams.commands.config import show_config
from streams.commands.dashboards import dashboards_app
from streams.commands.demo import demo
from streams.commands.dlq import dlq_app
from streams.commands.enrich import enrich
from streams.commands.evaluate import eval_
from streams.commands.produce import produce
from streams.commands.search import search
from streams.commands.stack import stack_app
from streams.commands.watch import alerts_app, watch_app
from streams.commands.worker import worker

__all__ = ["app", "main"]

app = typer.Typer(help="Khabar: Persian news-agency copy in, enriched searchable documents out.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.add_typer(stack_app, name="stack")
app.command()(worker)
app.command()(produce)
app.command()(search)
app.command()(enrich)
app.command()(demo)
app.command("eval")(eval_)
app.command("config")(show_config)
app.add_typer(bench_app, name="bench")
app.command()(backfill)
app.add_typer(dlq_app, name="dlq")
app.add_typer(watch_app, name="watch")
app.add_typer(alerts_app, name="alerts")
app.add_typer(dashboards_app, name="dashboards")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # the clients log every non-2xx answer; the CLI reports what matters itself
    for noisy in ("opensearch", "elastic_transport", "kafka"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    app()


if __name__ == "__main__":
    main()
