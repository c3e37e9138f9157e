"""b. The baseline consumer: the same raw articles bulk-indexed with no enrichment at all, in its own process."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

import orjson

from streams.config import Settings

__all__ = ["baseline_document", "baseline_main"]


def baseline_document(raw: dict[str, Any], key: str, received_ms: int | None) -> dict[str, Any]:
    """A raw article as the index takes it, with no enrichment at all: the baseline's whole work."""
    if "uri" in raw:
        title = raw.get("headlines", [{}])[0].get("value", "")
        body, agency, stamp = raw.get("body_text", ""), raw.get("copyrightholder"), raw.get("versioncreated")
    else:
        title, body, agency = raw.get("title", ""), raw.get("body", ""), raw.get("agency")
        stamp = raw.get("updated_at") or raw.get("published_at")
    received = datetime.fromtimestamp((received_ms or 0) / 1000, timezone.utc)
    version = datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else received
    return {"id": key, "agency": agency, "title": title, "kicker": raw.get("kicker", ""),
            "lead": raw.get("lead", ""), "body": body, "language": raw.get("language", "fa"),
            "published_at": stamp, "updated_at": stamp,
            "received_at": received.isoformat().replace("+00:00", "Z"),
            "version": int(version.timestamp() * 1000)}


async def _baseline_loop(settings: Settings, topic: str, group: str) -> None:
    from aiokafka import AIOKafkaConsumer  # type: ignore[import-untyped]

    from streams.sink.search import open_writer

    writer = await asyncio.to_thread(open_writer, settings)
    await writer.ensure_index()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=settings.kafka_bootstrap, group_id=group,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_partition_fetch_bytes=8 * 1024 * 1024, fetch_max_bytes=64 * 1024 * 1024)
    await consumer.start()
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=int(settings.bulk_within_s * 1000),
                                             max_records=settings.bulk_size)
            docs = {}
            for records in batches.values():
                for r in records:
                    doc = baseline_document(orjson.loads(r.value), (r.key or b"").decode(), r.timestamp)
                    docs[doc["id"]] = doc
            if docs:
                pending = list(docs.values())
                while pending:  # the same contract as the worker: offsets move only once indexed
                    pending = (await writer.bulk(pending)).retry
                await consumer.commit()
    finally:
        await consumer.stop()
        await writer.close()


def baseline_main(settings: Settings, topic: str, group: str) -> None:
    """The baseline process: consume ``topic`` as ``group`` and index until terminated."""
    asyncio.run(_baseline_loop(settings, topic, group))
