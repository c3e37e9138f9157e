"""`khabar watch` (the tracked figures) and `khabar alerts` (what the workers raise about them).

- ``watch add person/sergey-lavrov`` or ``watch add "سرگئی لاوروف"``: a person or organization of
  the gazetteer, by id or by any of its names; ``watch add --name X --alias Y --alias Z``: a
  free-form figure. ``watch remove ID|NAME`` and ``watch list`` complete it. A change is one record
  on the compacted watchlist topic: every running worker applies it within a second, no restart.
- ``alerts tail``: alerts as they are produced on news.alerts, one panel each (``--json`` for
  JSON Lines), until interrupted, ``--count`` alerts, or ``--timeout`` seconds.
"""

from __future__ import annotations

import sys
import time
from typing import Annotated, Any

import orjson
import typer
from rich.panel import Panel
from rich.table import Table

from streams.alerts.watchlist import Figure, WatchlistError, custom_figure, resolve_figure
from streams.commands.terminal import console, err_console, fail, get_settings, shown
from streams.enrich.persian import match_key
from streams.errors import KhabarError

__all__ = ["alerts_app", "watch_app", "alert_panel"]

watch_app = typer.Typer(help="Tracked figures: who raises an alert when mentioned or quoted.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts about tracked figures (news.alerts).", no_args_is_help=True)
def _figures_table(figures: list[Figure], title: str) -> Table:
    table = Table("id", "name", "type", "aliases", "added", title=title)
    for f in figures:  # figures come from the watchlist topic: shown like any outside text
        table.add_row(shown(f.id), shown(f.name), shown(f.type),
                      "، ".join(shown(a) for a in f.aliases[:6]) + (" …" if len(f.aliases) > 6 else ""),
                      shown(f.added_at or ""))
    return table


@watch_app.command("add")
def watch_add(
    figure: Annotated[str | None, typer.Argument(help="Gazetteer id (person/sergey-lavrov) or a known name.")] = None,
    name: Annotated[str | None, typer.Option(help="A free-form figure's name (not in the gazetteer).")] = None,
    alias: Annotated[list[str] | None, typer.Option(help="Another form of the free-form name (repeatable).")] = None,
) -> None:
    """Track a person or organization: alerts follow when an article mentions or quotes them."""
    from streams.alerts.store import put_figure
    from streams.enrich.gazetteer import load_gazetteer

    if (figure is None) == (name is None):
        fail("give either a gazetteer id or name, or --name (with --alias) for a free-form figure")
    if alias and name is None:
        fail("--alias goes with --name")
    try:
        fig = resolve_figure(load_gazetteer(), figure) if figure is not None else custom_figure(name or "", alias or ())
    except WatchlistError as exc:
        fail(str(exc))
    settings = get_settings()
    try:
        put_figure(settings, fig)
    except KhabarError as exc:
        fail(str(exc), 1)
    console.print(_figures_table([fig], "now tracked"))


@watch_app.command("remove")
def watch_remove(
    figure: Annotated[str, typer.Argument(help="The figure's id, or its name.")],
) -> None:
    """Stop tracking a figure."""
    from streams.alerts.store import read_watchlist, remove_figure

    settings = get_settings()
    try:
        current = read_watchlist(settings)
        target = current.get(figure)
        if target is None:
            key = match_key(figure)
            named = [f for f in current.values() if key in {match_key(n) for n in (f.name, *f.aliases)}]
            if len(named) > 1:
                fail(f"{figure!r} names several tracked figures: {', '.join(f.id for f in named)}; give the id")
            target = named[0] if named else None
        if target is None:
            fail(f"{figure!r} is not tracked", 1)
        remove_figure(settings, target.id)
    except KhabarError as exc:
        fail(str(exc), 1)
    console.print(f"no longer tracked: {shown(target.id)} ({shown(target.name)})")


@watch_app.command("list")
def watch_list(as_json: Annotated[bool, typer.Option("--json", help="A JSON array.")] = False) -> None:
    """The tracked figures."""
    from streams.alerts.store import read_watchlist

    try:
        figures = sorted(read_watchlist(get_settings()).values(), key=lambda f: f.id)
    except KhabarError as exc:
        fail(str(exc), 1)
    if as_json:
        sys.stdout.write(orjson.dumps([f.to_dict() for f in figures], option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    console.print(_figures_table(figures, f"{len(figures)} tracked figure(s)"))


def alert_panel(alert: dict[str, Any]) -> Panel:
    """One alert for the terminal; every string of it goes through :func:`shown` (it is article text)."""
    lines = [f"[bold]{shown(alert.get('figure_name'))}[/] [dim]({shown(alert.get('figure_id'))})[/] — "
             + ("[cyan]quoted[/]" if alert.get("kind") == "quote" else "mentioned")
             + f" as «{shown(alert.get('surface'))}»"]
    if alert.get("quote"):
        quote = str(alert["quote"])
        lines.append(f"«{shown(quote if len(quote) <= 280 else quote[:277] + '…')}»")
    agencies = alert.get("agencies") or []
    lines.append(f"[dim]{len(agencies)} agenc{'y' if len(agencies) == 1 else 'ies'}:[/] "
                 + "، ".join(shown(a) for a in agencies))
    meta = " · ".join(shown(x) for x in (alert.get("published_at"), alert.get("url")) if x)
    if meta:
        lines.append(f"[dim]{meta}[/]")
    return Panel("\n".join(lines), title=shown(alert.get("title") or alert.get("article_id")), title_align="right",
                 subtitle=f"[dim]{shown(alert.get('alerted_at'))}[/]", subtitle_align="left")


@alerts_app.command("tail")
def alerts_tail(
    from_beginning: Annotated[bool, typer.Option("--from-beginning", help="Start with the oldest alert kept.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
    count: Annotated[int | None, typer.Option(help="Stop after this many alerts.")] = None,
    timeout: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
) -> None:
    """Show alerts live as the workers raise them."""
    from streams.alerts.store import tail_alerts

    settings = get_settings()
    deadline = time.monotonic() + timeout if timeout else None
    seen = 0
    if not as_json:
        err_console.print(f"[dim]waiting for alerts on {settings.alerts_topic} (Ctrl-C stops)[/]")
    try:
        for value in tail_alerts(settings, from_beginning=from_beginning):
            if value is not None:
                try:
                    alert = orjson.loads(value)
                except orjson.JSONDecodeError:
                    continue
                seen += 1
                if as_json:
                    sys.stdout.write(orjson.dumps(alert).decode() + "\n")
                    sys.stdout.flush()
                else:
                    console.print(alert_panel(alert))
            if (count is not None and seen >= count) or (deadline is not None and time.monotonic() >= deadline):
                break
    except KhabarError as exc:
        fail(str(exc), 1)
    except KeyboardInterrupt:
        pass
