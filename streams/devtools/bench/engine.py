"""Measuring against the search engine: counts, searches and drain rates, synchronously, for the bench."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import datetime, timezone
from typing import Any

from streams.config import Settings

__all__ = ["Engine"]


class Engine:
    """Synchronous calls to the search engine for the bench (an event loop of its own)."""

    def __init__(self, settings: Settings, alias: str) -> None:
        from dataclasses import replace

        from streams.sink.search import open_writer

        self.loop = asyncio.new_event_loop()
        self.settings = replace(settings, index_alias=alias)
        self.writer = open_writer(self.settings)
        self.alias = alias

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def count(self) -> int:
        from streams.errors import KhabarError

        try:
            return self.run(self.writer.count())
        except KhabarError:
            return 0  # the index may not exist yet

    def search(self, body: dict[str, Any], size: int) -> dict[str, Any]:
        return self.run(self.writer.search(body, size=size))

    def drain_rate(self, started: float) -> tuple[float, int, float, str]:
        """(articles/s, documents, seconds, method) from the documents' own ``indexed_at`` stamps.

        Counted from the first bulk request to the last one, so consumer start-up and group joins do
        not count: the steady rate at which a backlog drains. A backlog that fits in one bulk request
        is timed from ``started`` (epoch seconds: when the consumer was up) instead, start-up included:
        method ``"from-start"`` rather than ``"steady"``, too coarse to compare.
        """
        body = {"aggs": {"first": {"min": {"field": "indexed_at"}}, "last": {"max": {"field": "indexed_at"}}},
                "track_total_hits": True}
        aggs = self.search(body, size=0)["aggregations"]
        first, last = aggs["first"]["value"] / 1000, aggs["last"]["value"] / 1000
        first_iso = datetime.fromtimestamp(first, timezone.utc).isoformat()
        in_first = self.search({"query": {"range": {"indexed_at": {"lte": first_iso}}},
                                "track_total_hits": True}, size=0)["hits"]["total"]["value"]
        total = self.count()
        if last - first > 0.05:
            return (total - in_first) / (last - first), total, last - first, "steady"
        seconds = max(last - started, 1e-3)
        return total / seconds, total, seconds, "from-start"

    def delete(self) -> None:
        client = self.writer.client  # type: ignore[attr-defined]
        with suppress(Exception):  # cleaning up what the bench created; absent is fine
            # by name: Elasticsearch refuses to delete indices by wildcard (action.destructive_requires_name)
            names = list(self.run(client.indices.get(index=f"{self.alias}-*")))
            if names:
                self.run(client.indices.delete(index=",".join(names)))
        with suppress(Exception):
            self.run(client.indices.delete_index_template(name=f"{self.alias}-template"))

    def close(self) -> None:
        with suppress(Exception):
            self.run(self.writer.close())
        self.loop.close()
