"""The faust shell: App factory, topics, agents and web views. Thin: the work is in :mod:`runtime`."""

from __future__ import annotations

import asyncio
import logging
import ssl
from typing import Any

import faust
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from streams.app.metrics import Metrics
from streams.app.runtime import Backoff, Outgoing, Runtime, SourceMessage
from streams.config import Settings
from streams.enrich.pipeline import Pipeline
from streams.errors import ConfigError, SearchUnavailable
from streams.sink.search import open_writer

__all__ = ["build_app"]

log = logging.getLogger("khabar.worker")


def _credentials(settings: Settings) -> Any:
    if settings.kafka_sasl_mechanism:
        ctx = None
        if settings.kafka_security_protocol.endswith("SSL"):
            ctx = ssl.create_default_context(cafile=settings.kafka_ssl_cafile or None)
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username,
            password=settings.kafka_sasl_password,
            mechanism=settings.kafka_sasl_mechanism,
            ssl_context=ctx,
        )
    if settings.kafka_security_protocol == "SSL":
        return faust.SSLCredentials(ssl.create_default_context(cafile=settings.kafka_ssl_cafile or None))
    return None


def _source(event: Any) -> SourceMessage:
    msg = event.message
    value = event.value if isinstance(event.value, bytes) else (msg.value or b"")
    return SourceMessage(value=value or b"", topic=msg.topic, partition=msg.partition, offset=msg.offset,
                         timestamp=msg.timestamp)


def build_app(settings: Settings, *, registry: CollectorRegistry | None = None,
              pipeline: Pipeline | None = None) -> tuple[faust.App, Runtime]:
    """A faust App wired to Khabar's topics, with its runtime (metrics, writer, pipeline)."""
    app = faust.App(
        settings.app_id,
        broker=",".join(f"kafka://{h.strip()}" for h in settings.kafka_bootstrap.split(",")),
        broker_credentials=_credentials(settings),
        value_serializer="raw",
        key_serializer="raw",
        producer_acks=-1,
        producer_max_request_size=8 * 1024 * 1024,
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        web_port=settings.web_port,
        web_host=settings.web_host,
        web_bind=settings.web_host,
        datadir=settings.data_dir,
        store="memory://",
        stream_wait_empty=False,
    )
    registry = registry or CollectorRegistry()
    metrics = Metrics(registry)
    topics = {
        name: app.topic(name, value_type=bytes, key_type=bytes, value_serializer="raw", key_serializer="raw")
        for name in (settings.raw_topic, settings.enriched_topic, settings.dlq_topic, settings.alerts_topic)
    }

    async def send(topic: str, record: Outgoing) -> Any:
        return await topics[topic].send(key=record.key, value=record.value, headers=record.headers)

    runtime = Runtime(settings, pipeline or Pipeline(), metrics, send)

    async def enrich_agent(stream: faust.StreamT[bytes]) -> None:
        async for events in stream.take_events(settings.bulk_size, within=settings.bulk_within_s):
            await runtime.enrich_batch([_source(e) for e in events])

    async def index_agent(stream: faust.StreamT[bytes]) -> None:
        async for events in stream.take_events(settings.bulk_size, within=settings.bulk_within_s):
            await runtime.index_batch([_source(e) for e in events])

    app.agent(topics[settings.raw_topic], name="khabar.enrich")(enrich_agent)
    app.agent(topics[settings.enriched_topic], name="khabar.index")(index_agent)

    async def connect_search() -> None:
        backoff = Backoff(cap=settings.retry_max_s)
        while runtime.writer is None:
            try:
                writer = await asyncio.to_thread(open_writer, settings)
                await writer.ensure_index()
                runtime.writer = writer
                runtime.waiting.discard("search")
                log.info("search engine ready: %s alias=%s", writer.backend, writer.alias)
            except (SearchUnavailable, ConfigError) as exc:
                runtime.waiting.add("search")
                delay = backoff.next_delay()
                log.warning("search engine not ready (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)

    app.task(connect_search)

    async def metrics_view(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "alive"})

    async def readyz(web: Any, request: Any) -> Any:
        ok = runtime.ready and runtime.writer is not None and await runtime.writer.ping()
        body = {"ready": bool(ok), "waiting_for": sorted(runtime.waiting),
                "search": runtime.writer.backend if runtime.writer else None}
        return web.json(body, status=200 if ok else 503)

    app.page("/metrics")(metrics_view)
    app.page("/healthz")(healthz)
    app.page("/readyz")(readyz)
    return app, runtime
