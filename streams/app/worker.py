"""The faust shell: App factory, topics, agents and web views. Thin: the work is in :mod:`delivery`.

Delivery: the app's producer is idempotent with acks from all in-sync replicas, and a batch's
messages can only be acked (so committed) after the delivery handlers have durably handled all of them: an
agent cancelled mid-batch (shutdown, rebalance) leaves its batch unacked, to be redelivered.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

import faust
from faust.transport.drivers import aiokafka as aiokafka_driver
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from streams.app.alerting import install_alerting
from streams.app.consumer import KhabarConsumer, KhabarTransport, StallWatch
from streams.app.delivery import Delivery
from streams.app.enrich_pool import Enricher, EnrichPool
from streams.app.kafka_health import KafkaHealth
from streams.app.memory import trim_heap
from streams.app.metrics import Metrics
from streams.app.sending import source_message, topic_sender
from streams.backoff import Backoff
from streams.config import Settings
from streams.errors import KhabarError
from streams.sink.kafka import MAX_MESSAGE_BYTES, KafkaSecurity
from streams.sink.refresh import with_refresh
from streams.sink.search import open_writer

__all__ = ["build_app"]

log = logging.getLogger("khabar.worker")


def _credentials(settings: Settings) -> Any:
    """faust's credentials from the one definition of Kafka security (:class:`KafkaSecurity`)."""
    security = KafkaSecurity.from_settings(settings)
    if security.mechanism:
        return faust.SASLCredentials(username=security.username, password=security.password,
                                     mechanism=security.mechanism, ssl_context=security.ssl_context())
    context = security.ssl_context()
    return faust.SSLCredentials(context) if context is not None else None


class DurableProducer(aiokafka_driver.Producer):
    """faust's aiokafka producer, always idempotent with acks=all: a retried send is written once."""

    def _settings_extra(self) -> Any:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class KhabarApp(faust.App):
    """A faust App whose producer is :class:`DurableProducer` and whose consumer is
    :class:`~streams.app.consumer.KhabarConsumer`: stream partitions stay paused during a rebalance
    until faust has sought them back to their committed offsets and cleared the agents' queues."""

    def _new_producer(self) -> Any:
        return DurableProducer(self.transport, loop=self.loop, beacon=self.beacon)

    def _new_transport(self) -> Any:
        return KhabarTransport(self.conf.broker_consumer, self)

    #: what the app owns besides faust's services: stopped once the consumer and agents are
    closers: list[Any]

    async def on_stop(self) -> None:
        await super().on_stop()
        for close in getattr(self, "closers", ()):
            close()

    def on_rebalance_end(self) -> None:
        super().on_rebalance_end()
        consumer = self.consumer
        if isinstance(consumer, KhabarConsumer):
            consumer.release_held()


async def _settle(events: Any, handler: Any) -> None:
    """Run a batch handler so that the batch's acks only count once it has returned.

    ``take_events`` acks the batch in a ``finally``: also when the agent is cancelled mid-batch.
    An extra reference per message, dropped only after the handler returned, keeps those acks from
    being final (so from being committed) unless the batch was really handled.
    """
    for event in events:
        event.message.incref()
    await handler([source_message(e) for e in events])
    for event in events:
        event.message.decref()


def build_app(settings: Settings, *, registry: CollectorRegistry | None = None,
              enricher: Enricher | None = None) -> tuple[faust.App, Delivery]:
    """A faust App wired to Khabar's topics, with its delivery handlers (metrics, writer, enricher).

    Without an ``enricher``, articles are enriched by an :class:`EnrichPool` of child processes,
    started with the app and stopped after its agents.
    """
    app = KhabarApp(
        settings.app_id,
        broker=",".join(f"kafka://{h.strip()}" for h in settings.kafka_bootstrap.split(",")),
        broker_credentials=_credentials(settings),
        value_serializer="raw",
        key_serializer="raw",
        producer_acks=-1,
        producer_max_request_size=MAX_MESSAGE_BYTES,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.kafka_session_timeout_s,
        broker_heartbeat_interval=min(3.0, settings.kafka_session_timeout_s / 3),
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        web_port=settings.web_port,
        web_host=settings.web_host,
        web_bind=settings.web_host,
        # faust's own pages show tables and route requests to other workers: not served
        web_router_enabled=False,
        web_tables_enabled=False,
        web_stats_enabled=False,
        web_graph_enabled=False,
        datadir=settings.data_dir,
        store="memory://",
        stream_wait_empty=False,
        # prefetch two batches per stream, not faust's 4096 messages: as fast, far less memory
        stream_buffer_maxsize=max(2 * settings.bulk_size, 100),
    )
    registry = registry or CollectorRegistry()
    metrics = Metrics(registry, settings.metric_agencies.split(","))
    topics = {
        name: app.topic(name, value_type=bytes, key_type=bytes, value_serializer="raw", key_serializer="raw")
        for name in (settings.raw_topic, settings.enriched_topic, settings.dlq_topic, settings.alerts_topic)
    }

    send = topic_sender(topics)
    app.closers = []
    if enricher is None:
        pool = EnrichPool.from_settings(settings, on_restart=metrics.enrich_restarts.inc)
        app.closers.append(pool.close)

        async def start_enrichment() -> None:
            try:
                await pool.start()
            except KhabarError as exc:  # the enrich handler starts them again, holding its batch meanwhile
                log.error("enrichment processes not started: %s", exc)
                return
            log.info("enrichment processes ready: %s (budget %gs per article)",
                     ", ".join(map(str, pool.pids)), settings.enrich_timeout_s)

        app.task(start_enrichment)
        enricher = pool
    delivery = Delivery(settings, enricher, metrics, send)

    async def enrich_agent(stream: faust.StreamT[bytes]) -> None:
        batches = cast(faust.Stream[bytes], stream).take_events(settings.bulk_size, within=settings.bulk_within_s)
        async for events in batches:
            await _settle(events, delivery.enrich_batch)

    async def index_agent(stream: faust.StreamT[bytes]) -> None:
        batches = cast(faust.Stream[bytes], stream).take_events(settings.bulk_size, within=settings.bulk_within_s)
        async for events in batches:
            await _settle(events, delivery.index_batch)

    app.agent(topics[settings.raw_topic], name="khabar.enrich")(enrich_agent)
    app.agent(topics[settings.enriched_topic], name="khabar.index")(index_agent)

    async def connect_search() -> None:
        backoff = Backoff(cap=settings.retry_max_s)
        while delivery.writer is None:
            try:
                writer = await asyncio.to_thread(open_writer, settings)
                await writer.ensure_index()
                delivery.writer = with_refresh(writer, settings.refresh_max_docs)
                delivery.waiting.discard("search")
                log.info("search engine ready: %s alias=%s", writer.backend, writer.alias)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 -- never give up: the index agent holds its partitions
                delivery.waiting.add("search")
                delay = backoff.next_delay()
                why = str(exc) if isinstance(exc, KhabarError) else type(exc).__name__
                log.warning("search engine not ready (%s); retrying in %.1fs", why, delay)
                await asyncio.sleep(delay)

    app.task(connect_search)
    alerting = install_alerting(app, settings, metrics, delivery)
    kafka = KafkaHealth(app, metrics, {settings.raw_topic, settings.enriched_topic, *alerting.source_topics})
    app.timer(5.0)(kafka.check)
    if settings.stall_after_s > 0:
        stalls = StallWatch(app, metrics, {settings.raw_topic, settings.enriched_topic, *alerting.source_topics},
                            busy=lambda: bool(delivery.waiting) or not kafka.connected, after_s=settings.stall_after_s)
        app.timer(5.0)(stalls.check)

    if settings.memory_trim_s > 0:
        async def trim_memory() -> None:
            trim_heap()

        app.timer(settings.memory_trim_s)(trim_memory)

    async def metrics_view(web: Any, request: Any) -> Any:
        # as a header: aiohttp refuses a content_type argument that carries a charset
        return web.bytes(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "alive"})

    async def readyz(web: Any, request: Any) -> Any:
        kafka_ok = await kafka.refresh()
        ok = kafka_ok and delivery.ready and delivery.writer is not None and await delivery.writer.ping()
        body = {"ready": bool(ok), "waiting_for": sorted(delivery.waiting | (set() if kafka_ok else {"kafka"})),
                "kafka": "connected" if kafka_ok else "unreachable",
                "search": delivery.writer.backend if delivery.writer else None}
        return web.json(body, status=200 if ok else 503)

    app.page("/metrics")(metrics_view)
    app.page("/healthz")(healthz)
    app.page("/readyz")(readyz)
    return app, delivery
