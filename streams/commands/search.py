"""`khabar search`: query the index, print hits as panels or JSON."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated, Any

import orjson
import typer
from rich.panel import Panel

from streams.commands.terminal import console, fail, get_settings, shown
from streams.config import Settings
from streams.errors import KhabarError

__all__ = ["print_hit", "search"]


def _hit_json(hit: dict[str, Any]) -> dict[str, Any]:
    src = hit.get("_source", {})
    return {
        "id": hit.get("_id"),
        "score": hit.get("_score"),
        **{k: src.get(k) for k in ("title", "kicker", "lead", "body", "agency", "url", "published_at",
                                   "topics", "entities", "quotes", "dateline", "source")},
    }


def print_hit(n: int, hit: dict[str, Any]) -> None:
    """One document as a panel; every string of it goes through :func:`shown` (it is article text)."""
    title = shown(hit.get("title") or "(untitled)")
    kicker = hit.get("kicker")
    lines = []
    if kicker:
        lines.append(f"[dim]{shown(kicker)}[/]")
    meta = " · ".join(shown(x) for x in (hit.get("agency"), hit.get("published_at")) if x)
    if meta:
        lines.append(f"[dim]{meta}[/]")
    if hit.get("topics"):
        lines.append("topics: " + "، ".join(shown(t) for t in hit["topics"]))
    entities = hit.get("entities") or []
    for etype, label in (("person", "persons"), ("organization", "organizations"), ("location", "places"),
                         ("date", "dates")):
        names = [e["name"] for e in sorted(entities, key=lambda e: -e.get("count", 1)) if e["type"] == etype][:6]
        if names:
            lines.append(f"{label}: " + "، ".join(shown(name) for name in names))
    for q in (hit.get("quotes") or [])[:4]:
        speaker = (q.get("speaker") or {}).get("name") or "?"
        text = q["text"] if len(q["text"]) <= 160 else q["text"][:157] + "…"
        lines.append(f"[cyan]{shown(speaker)}[/] ({shown(q.get('verb'))}, {shown(q.get('kind'))}): «{shown(text)}»")
    console.print(Panel("\n".join(lines), title=f"{n}. {title}", title_align="right", expand=True))


async def _search(settings: Settings, body: dict[str, Any], size: int) -> dict[str, Any]:
    from streams.sink.search import open_writer

    writer = await asyncio.to_thread(open_writer, settings)
    try:
        return await writer.search(body, size=size)
    finally:
        await writer.close()


def search(
    text: Annotated[str | None, typer.Argument(help="Words to find (any spelling of a name works).")] = None,
    topic: Annotated[str | None, typer.Option(help="Topic slug, e.g. karabakh.")] = None,
    person: Annotated[str | None, typer.Option(help="A person mentioned in the article.")] = None,
    speaker: Annotated[str | None, typer.Option(help="A person quoted in the article.")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency.")] = None,
    size: Annotated[int, typer.Option(help="How many hits.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of hits.")] = False,
) -> None:
    """Search the indexed articles."""
    from streams.commands.query import build_query
    from streams.enrich.gazetteer import load_gazetteer

    settings = get_settings()
    body = build_query(text, topic=topic, person=person, speaker=speaker, agency=agency,
                       gazetteer=load_gazetteer())
    try:
        response = asyncio.run(_search(settings, body, size))
    except KhabarError as exc:
        fail(str(exc))
    hits = [_hit_json(h) for h in response.get("hits", {}).get("hits", [])]
    if as_json:
        sys.stdout.write(orjson.dumps(hits, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    total = response.get("hits", {}).get("total", {})
    count = total.get("value", len(hits)) if isinstance(total, dict) else total
    console.print(f"{count} hit(s)")
    for n, hit in enumerate(hits, 1):
        print_hit(n, hit)
