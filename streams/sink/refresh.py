"""Make small bulk writes searchable at once, leave large ones to the index's periodic refresh.

A document is searchable only after an index refresh (every ``refresh_interval``, 1 s in the
template). At a trickle (a few articles a second, the live feed) that refresh is most of the
received → searchable latency, and an explicit refresh after a small bulk costs the engine little.
At a flood (a backfill, a backlog after an outage) bulk requests are full and refreshing after each
would make many small segments: there the periodic refresh is left to do its job. The bulk size
tells the two apart without any clock: requests fill up only when the load is high.

The documents are durable once the bulk request returns (the engine acknowledged each item);
the refresh only changes when they become visible, so its failure is logged and otherwise ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from streams.errors import KhabarError
from streams.sink.search import Backend, BulkOutcome, SearchWriter

__all__ = ["RefreshingWriter", "with_refresh"]

log = logging.getLogger("khabar.search")


class RefreshingWriter:
    """A :class:`SearchWriter` that refreshes the index after each bulk of at most ``max_docs`` documents."""

    def __init__(self, inner: SearchWriter, max_docs: int) -> None:
        self.inner = inner
        self.max_docs = max_docs
        self.backend: Backend = inner.backend
        self.alias: str = inner.alias

    async def bulk(self, docs: Sequence[dict[str, Any]], *, replace_same_version: bool = False) -> BulkOutcome:
        if replace_same_version:
            outcome = await self.inner.bulk(docs, replace_same_version=True)
        else:  # the plain call, as every writer takes it
            outcome = await self.inner.bulk(docs)
        if outcome.written and len(docs) <= self.max_docs:
            try:
                await self.inner.refresh()
            except KhabarError as exc:  # visibility only: the periodic refresh will show them
                log.debug("refresh after bulk failed: %s", exc)
        return outcome

    def __getattr__(self, name: str) -> Any:
        # everything else (ensure_index, search, count, refresh, ping, close, client) is the writer's own
        return getattr(self.inner, name)


def with_refresh(writer: SearchWriter, max_docs: int) -> SearchWriter:
    """``writer`` itself when ``max_docs`` is 0, else a :class:`RefreshingWriter` around it."""
    return RefreshingWriter(writer, max_docs) if max_docs > 0 else writer  # type: ignore[return-value]
