"""Tracked-figure alerts in the worker: the watchlist table, the match and alert agents, the webhook.

::

    <prefix>.watchlist (compacted, key = figure id) ──► GlobalTable on every worker
    news.enriched ──[khabar.alert-match]──► <prefix>.mentions (key = figure id)
                                               ──[khabar.alert]──► news.alerts ──► webhook

- The watchlist is a faust GlobalTable whose changelog *is* the compacted watchlist topic. With
  ``synchronize_all_active_partitions`` every worker keeps reading that topic after recovery, so
  `khabar watch add/remove` (a plain produce to the topic) reaches all workers within a second, with
  no restart. faust 0.15.3 names a global table's changelog by the table's name when it assigns
  partitions, whatever topic the table was given, hence :class:`TopicGlobalTable`.
- Copies of a story from several agencies are keyed by their own article ids, so they land on
  different partitions of news.enriched, often on different workers. The match agent therefore
  only finds mentions and re-keys them by figure id onto ``<prefix>.mentions``: every mention of a
  figure then reaches the one worker that owns that figure's partition, whose alert agent keeps the
  figure's :class:`~streams.alerts.dedupe.Ledger` in a faust table (changelog-backed, so it moves
  with the partition on a rebalance). One owner per figure means no cross-worker race on "was this
  story alerted already", without any lock.
- A story's first copy opens a group that waits ``alert_group_wait_s`` for more copies; a timer on
  the owner sends a tick through the same topic when a group is due, so the flush runs in the
  agent, in order with that figure's other mentions, and the table is only ever written there.
- Delivery: the match agent produces its mentions (acks=all) before its batch may be committed;
  an alert is produced before its group is marked sent, so a crash in between repeats an alert
  rather than losing one. The webhook runs in the background from a bounded queue and never holds
  an agent up.
- Nothing an article holds can stop the alert path: a mention carries ids and a trimmed title,
  never a body (:class:`~streams.alerts.dedupe.Mention`), and a figure's ledger is kept under a
  size bound. A record Kafka refuses anyway, or does not take within
  ``KHABAR_ALERT_PRODUCE_ATTEMPTS`` tries, is dead-lettered with its reason (the match agent's
  source document, or the mention) and counted; while it is being retried, readiness says
  ``alerts``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import faust
import orjson
from faust.tables.globaltable import GlobalTable
from faust.types import TP

from streams.alerts.dedupe import Ledger, Mention, Sketch, story_text
from streams.alerts.store import mentions_topic, watchlist_topic
from streams.alerts.watchlist import FigureMatcher, fold_watchlist
from streams.alerts.webhook import WebhookSender
from streams.app.delivery import Delivery, SourceMessage
from streams.app.metrics import Metrics
from streams.app.sending import source_message, topic_sender
from streams.backoff import Backoff
from streams.config import Settings
from streams.errors import InvalidArticle
from streams.sink.dlq import DeadLetter, dead_letter
from streams.sink.produce import Outgoing, Refused, produce_all

__all__ = ["Alerting", "TopicGlobalTable", "install_alerting"]

log = logging.getLogger("khabar.alerts")

_TICK = b'{"tick":true}'
_TICK_EVERY_S = 1.0
_RETICK_AFTER_S = 5.0


class TopicGlobalTable(GlobalTable):
    """A GlobalTable whose changelog is a topic of our choosing (the watchlist), also for the assignor."""

    def _changelog_topic_name(self) -> str:
        if self._changelog_topic is not None:
            return self._changelog_topic.get_topic_name()
        return str(super()._changelog_topic_name())


async def _settled(events: Sequence[Any], work: Awaitable[None]) -> None:
    """Await ``work`` so the events' acks only become final once it is done (as worker.py does):
    an agent cancelled mid-batch leaves the batch uncommitted, to be redelivered."""
    for event in events:
        event.message.incref()
    await work
    for event in events:
        event.message.decref()


@dataclass
class Alerting:
    """The alert wiring of one worker (built by :func:`install_alerting`)."""

    app: faust.App
    settings: Settings
    metrics: Metrics
    delivery: Delivery
    webhook: WebhookSender | None = None
    clock: Callable[[], float] = time.time
    watchlist: Any = None
    ledgers: Any = None
    topics: dict[str, Any] = field(default_factory=dict)
    _matcher: FigureMatcher = field(default_factory=lambda: FigureMatcher(()))
    _signature: tuple[Any, ...] = ()
    _ticked: dict[str, float] = field(default_factory=dict)

    @property
    def source_topics(self) -> set[str]:
        """Topics the alert agents consume besides news.enriched (for lag reporting)."""
        return {self.topics["mentions"].get_topic_name()}

    # -- the watchlist ------------------------------------------------------------------------------

    def matcher(self) -> FigureMatcher:
        """A matcher over the current watchlist, rebuilt only when the table changed."""
        items = tuple(sorted((k, v) for k, v in self.watchlist.items() if v is not None))
        if items != self._signature:
            figures = fold_watchlist(items)
            self._matcher = FigureMatcher(list(figures.values()))
            self._signature = items
            self.metrics.watchlist.set(len(figures))
            log.info("watchlist: %d tracked figure(s)", len(figures))
        return self._matcher

    # -- match: news.enriched → <prefix>.mentions --------------------------------------------------

    def mentions_of(self, value: bytes, matcher: FigureMatcher, now: float) -> list[tuple[bytes, bytes]]:
        """(key, value) records for the mentions topic from one enriched document; never raises."""
        if not len(matcher):
            return []
        try:
            doc = orjson.loads(value)
            if not isinstance(doc, dict) or not doc.get("id"):
                return []  # the index agent dead-letters what is not a document
            found = matcher.match(doc)
        except Exception as exc:  # noqa: BLE001 -- one bad document must not stop the others
            log.warning("alert match skipped a document: %s", type(exc).__name__)
            return []
        if not found:
            return []
        sketch = Sketch.of(story_text(doc))
        out = []
        for hit in found:
            self.metrics.mentions.labels(hit.figure.id).inc()
            mention = Mention(
                figure_id=hit.figure.id, figure_name=hit.figure.name, figure_type=hit.figure.type,
                doc_id=str(doc["id"]), title=str(doc.get("title") or ""), url=doc.get("url"),
                agency=doc.get("agency"), published_at=doc.get("published_at"), kind=hit.kind,
                surface=hit.surface, quote=hit.quote, sketch=sketch, seen_at=now,
            )
            out.append((hit.figure.id.encode("utf-8"), orjson.dumps(mention.to_dict())))
        return out

    async def match_batch(self, messages: Iterable[SourceMessage]) -> None:
        matcher = self.matcher()
        now = self.clock()
        source: dict[int, SourceMessage] = {}
        records: list[Outgoing] = []
        for msg in messages:
            for key, value in self.mentions_of(msg.value, matcher, now):
                records.append(Outgoing(key, value))
                source[id(records[-1])] = msg
        refused = await self._deliver(self.topics["mentions"], records)
        letters: dict[tuple[str, int, int], DeadLetter] = {}
        for record, exc in refused:  # one dead letter per source document, however many figures it named
            msg = source[id(record)]
            letters[(msg.topic, msg.partition, msg.offset)] = dead_letter(
                msg.value, exc, topic=msg.topic, partition=msg.partition, offset=msg.offset, stage="alert-match",
                key=msg.key)
        await self._dead_letter(list(letters.values()))

    # -- alert: <prefix>.mentions → news.alerts ----------------------------------------------------

    async def on_mention(self, msg: SourceMessage) -> None:
        """One mention (or tick) for the figure ``msg.key``; runs inside the alert agent's event."""
        key, value = msg.key, msg.value
        if not key or not value:
            return
        figure_id = key.decode("utf-8", "replace")
        now = self.clock()
        ledger = self._ledger(key)
        if value != _TICK:
            try:
                mention = Mention.from_dict(orjson.loads(value))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                await self._dead_letter([dead_letter(
                    value, InvalidArticle(f"unreadable mention: {type(exc).__name__}", stage="alert"),
                    topic=msg.topic, partition=msg.partition, offset=msg.offset, key=key)])
                return
            seen = ledger.observe(mention, now=now, window_s=self.settings.alert_dedup_window_s,
                                  group_wait_s=self.settings.alert_group_wait_s,
                                  similarity=self.settings.alert_similarity)
            if seen == "joined":
                self.metrics.alerts.labels("merged").inc()
            elif seen == "late":
                self.metrics.alerts.labels("suppressed").inc()
            elif seen == "repeat":
                self.metrics.alerts.labels("repeat").inc()
        due = ledger.due(now)
        for group in due:
            alert = group.alert(now)
            refused = await self._deliver(self.topics["alerts"], [Outgoing(key, orjson.dumps(alert))])
            if refused:
                # forgotten, so a replay of its mention (once the cause is fixed) opens it again
                ledger.groups.remove(group)
                self.metrics.alerts.labels("dead_lettered").inc()
                first = orjson.dumps({**group.first, "sketch": group.sketch.encode()})  # replayable as a mention
                await self._dead_letter([dead_letter(first, refused[0][1], topic=msg.topic, partition=msg.partition,
                                                     offset=msg.offset, stage="alert", key=key,
                                                     article_id=str(alert["article_id"]))])
                continue
            group.emitted = True
            self.metrics.alerts.labels("sent").inc()
            log.info("alert %s: %s in %s (%s)", alert["id"], figure_id, alert["article_id"],
                     ", ".join(alert["agencies"]))
            if self.webhook is not None:
                self.webhook.submit(alert)
        ledger.prune(now, self.settings.alert_dedup_window_s)
        self._store(key, ledger, msg.partition)
        if due:
            self._ticked.pop(figure_id, None)

    def _ledger(self, key: bytes) -> Ledger:
        raw = self.ledgers.get(key)
        if not raw:
            return Ledger()
        try:
            return Ledger.from_dict(orjson.loads(raw).get("ledger"))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            return Ledger()

    def _store(self, key: bytes, ledger: Ledger, partition: int) -> None:
        if not ledger.groups:
            if key in self.ledgers:
                del self.ledgers[key]
            return
        body = ledger.encode()  # forgets its oldest stories if it grew past its size bound
        self.ledgers[key] = orjson.dumps({"partition": partition, "next_due": ledger.next_due(),
                                          "ledger": orjson.Fragment(body)})

    async def send_ticks(self) -> None:
        """Ask the owner of each figure with a due story to flush it (from a timer; never raises)."""
        try:
            await self._send_ticks()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 -- an escaped error would end the timer for good
            log.warning("alert ticks skipped this round: %s", type(exc).__name__)

    async def _send_ticks(self) -> None:
        self.matcher()  # keeps the watchlist gauge and log current while no article flows
        now = self.clock()
        actives = self.app.assignor.assigned_actives()
        topic = self.topics["mentions"]
        for key, raw in list(self.ledgers.items()):
            try:
                state = orjson.loads(raw)
            except (orjson.JSONDecodeError, TypeError):
                continue
            due = state.get("next_due")
            if due is None or due > now:
                continue
            if TP(topic.get_topic_name(), int(state.get("partition", -1))) not in actives:
                continue  # a standby copy: the owner ticks it
            figure_id = key.decode("utf-8", "replace")
            if now - self._ticked.get(figure_id, 0.0) < _RETICK_AFTER_S:
                continue
            self._ticked[figure_id] = now
            try:
                await topic.send(key=key, value=_TICK)
            except Exception as exc:  # noqa: BLE001 -- the next timer run ticks again
                self._ticked.pop(figure_id, None)
                log.warning("tick for %s not sent: %s", figure_id, type(exc).__name__)

    # -- producing ---------------------------------------------------------------------------------

    async def _deliver(self, topic: Any, records: Sequence[Outgoing]) -> list[Refused]:
        """Produce and wait for the broker's acks, retrying with backoff; records refused for good,
        or still not taken after ``alert_produce_attempts`` tries, are handed back to be dead-lettered."""
        if not records:
            return []
        backoff = Backoff(cap=self.settings.retry_max_s)
        name = topic.get_topic_name()

        async def wait(why: str) -> None:
            delay = backoff.next_delay()
            self.delivery.waiting.add("alerts")  # readiness: the alert path is blocked
            self.metrics.retries.labels("alerts").inc()
            self.metrics.backoff.labels("alerts").set(1)
            log.warning("alert topic unavailable (%s); retrying in %.1fs", why, delay)
            await asyncio.sleep(delay)

        try:
            return await produce_all(topic_sender({name: topic}), name, records, wait,
                                     attempts=self.settings.alert_produce_attempts)
        finally:
            self.delivery.waiting.discard("alerts")
            self.metrics.backoff.labels("alerts").set(0)

    async def _dead_letter(self, letters: Sequence[DeadLetter]) -> None:
        if letters:
            await self.delivery.dead_letter(letters)


def install_alerting(app: faust.App, settings: Settings, metrics: Metrics, delivery: Delivery) -> Alerting:
    """Declare the watchlist table, the ledger table, the two agents, the tick timer and the webhook."""
    raw = {"key_type": bytes, "value_type": bytes, "key_serializer": "raw", "value_serializer": "raw"}
    watch_topic = app.topic(watchlist_topic(settings), partitions=1, compacting=True, deleting=False,
                            internal=True, **raw)  # type: ignore[arg-type]
    topics = {
        "mentions": app.topic(mentions_topic(settings), partitions=settings.partitions, internal=True,
                              retention=max(settings.alert_dedup_window_s, 24 * 3600.0), **raw),  # type: ignore[arg-type]
        "alerts": app.topic(settings.alerts_topic, **raw),  # type: ignore[arg-type]
    }
    webhook = None
    if settings.alert_webhook_url:
        webhook = WebhookSender(settings.alert_webhook_url, on_outcome=lambda o: metrics.webhook.labels(o).inc(),
                                max_attempts=settings.alert_webhook_max_attempts,
                                timeout_s=settings.alert_webhook_timeout_s, backoff_cap_s=settings.retry_max_s)
    alerting = Alerting(app, settings, metrics, delivery, webhook=webhook, topics=topics)
    alerting.watchlist = app.tables.add(TopicGlobalTable(
        app, name="watchlist", partitions=1, changelog_topic=watch_topic, key_type=bytes, value_type=bytes,
        beacon=app.tables.beacon, is_global=True, synchronize_all_active_partitions=True,
        recovery_buffer_size=1, standby_buffer_size=1, help="Tracked figures, from the watchlist topic",
    ))
    alerting.ledgers = app.Table("alert-ledgers", partitions=settings.partitions, key_type=bytes,
                                 value_type=bytes, help="Recent stories per tracked figure")
    metrics.watchlist.set(0)

    async def match_agent(stream: faust.StreamT[bytes]) -> None:
        batches = cast(faust.Stream[bytes], stream).take_events(settings.bulk_size, within=settings.bulk_within_s)
        async for events in batches:
            await _settled(events, alerting.match_batch([source_message(e) for e in events]))

    async def alert_agent(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            await _settled([event], _guarded(alerting.on_mention(source_message(event))))

    async def _guarded(work: Awaitable[None]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:  # an escaped exception would make faust skip the message and restart the agent
            log.exception("alert agent: mention skipped")

    enriched = app.topic(settings.enriched_topic, **raw)  # type: ignore[arg-type]
    app.agent(enriched, name="khabar.alert-match")(match_agent)
    app.agent(topics["mentions"], name="khabar.alert")(alert_agent)
    app.timer(_TICK_EVERY_S)(alerting.send_ticks)
    if webhook is not None:
        app.task(webhook.run)
    return alerting
