"""Re-enriching what the index holds: rebuild each raw article from its stored original, enrich, replace."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from streams.backfill.checkpoint import Checkpoint
from streams.backfill.common import CHUNK, BackfillResult, Progress, Stop, index_all
from streams.backfill.enricher import EnrichRunner
from streams.config import Settings

__all__ = ["raw_from_document", "reindex_from_index"]


_SOURCE_FIELDS = ["id", "article_id", "agency", "url", "language", "source_format", "byline", "published_at",
                  "updated_at", "received_at", "version", "original"]


def raw_from_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The raw article an indexed document was made from, in the form it arrived in.

    The same form gives the same stable id and the same version, so the re-enriched document
    replaces this one and no other.
    """
    original = doc.get("original") or {}
    kicker, title, lead, body = (str(original.get(k) or "") for k in ("kicker", "title", "lead", "body"))
    language = doc.get("language") or "fa"
    if doc.get("source_format") == "ninjs":
        raw: dict[str, Any] = {"uri": doc.get("article_id") or doc.get("url") or "", "language": language,
                               "headlines": [{"value": title}] + ([{"value": kicker, "role": "kicker"}]
                                                                  if kicker else []),
                               "body_text": body}
        if lead:
            raw["descriptions"] = [{"value": lead, "role": "summary"}]
        for key, value in (("copyrightholder", doc.get("agency")), ("by", doc.get("byline")),
                           ("versioncreated", doc.get("updated_at")), ("firstcreated", doc.get("published_at"))):
            if value:
                raw[key] = value
        return raw
    raw = {"body": body, "language": language}
    if doc.get("source_format") != "text":
        raw.update(title=title, kicker=kicker, lead=lead)
    for key in ("agency", "url", "byline", "published_at", "updated_at"):
        if doc.get(key):
            raw[key] = doc[key]
    if doc.get("article_id"):
        raw["id"] = doc["article_id"]
    return raw


def _epoch(iso: Any) -> float | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


async def reindex_from_index(settings: Settings, checkpoint: Checkpoint, *, processes: int = 1,
                             chunk: int = CHUNK, progress: Progress | None = None,
                             resumed: Progress | None = None,
                             total: Callable[[int], None] | None = None) -> BackfillResult:
    """Re-enrich every document of the alias, in ``id`` order, resumable from the checkpoint."""
    from streams.sink.search import open_writer

    result = BackfillResult()
    began = time.monotonic()
    writer = await asyncio.to_thread(open_writer, settings)
    runner = EnrichRunner(settings, processes)
    try:
        await writer.ensure_index()
        count = await writer.count()
        if total:
            total(count)
        result.resumed_from = checkpoint.done_total
        if resumed and checkpoint.done_total:
            resumed(checkpoint.done_total)
        with Stop() as stop:
            while not stop.requested:
                body: dict[str, Any] = {"query": {"match_all": {}}, "sort": [{"id": "asc"}],
                                        "_source": _SOURCE_FIELDS}
                if checkpoint.after:
                    body["search_after"] = checkpoint.after
                hits = (await writer.search(body, size=chunk))["hits"]["hits"]
                if not hits:
                    break
                raws: list[tuple[str, bytes, float | None]] = []
                versions: dict[str, int] = {}
                for hit in hits:
                    src = hit["_source"]
                    raws.append((hit["_id"], orjson.dumps(raw_from_document(src)), _epoch(src.get("received_at"))))
                    versions[hit["_id"]] = int(src.get("version") or 0)
                docs = []
                for where, value, reason in await runner.enrich(raws):
                    if value is None:
                        result.skipped += 1
                        result.problems.append(f"{where}: {reason}")
                        continue
                    doc = orjson.loads(value)
                    if doc["id"] != where or int(doc["version"]) != versions[where]:
                        # never write under another id or version than the document being replaced
                        result.skipped += 1
                        result.problems.append(f"{where}: rebuilt as {doc['id']} v{doc['version']}, "
                                               f"not v{versions[where]}; left as it is")
                        continue
                    docs.append(doc)
                refused = await index_all(writer, docs, settings.retry_max_s)
                result.skipped += len(refused)
                result.problems.extend(refused)
                result.handled += len(docs) - len(refused)
                checkpoint.after = hits[-1]["sort"]
                checkpoint.done_total += len(hits)
                checkpoint.save()
                if progress:
                    progress(len(hits))
    finally:
        runner.close()
        await writer.close()
    result.seconds = time.monotonic() - began
    return result


