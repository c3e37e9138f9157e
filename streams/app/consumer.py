"""faust's Kafka consumer, with a rebalance race of faust 0.15.3 closed, and a stall watchdog.

The race (seen as a partition whose committed offset stops moving after a rebalance, or as a
message committed without ever being handled). On every rebalance faust's table recovery resumes
the fetch flow early (``Recovery._restart_recovery``, faust/tables/recovery.py:477-479), then
``Recovery.on_recovery_completed`` (recovery.py:649-660) resumes the stream partitions, *awaits*
``Consumer.perform_seek()`` and finally calls ``app.flow_control.resume()``, which clears every
agent's queue (mode/utils/queues.py:101). While the seek is awaited the fetcher already delivers
the stream partitions' records, so:

1. ``perform_seek`` resets ``Consumer._read_offset`` under the running fetcher
   (faust/transport/consumer.py:569): the records still being delivered then look like a gap
   and are marked done (``_add_gap``, consumer.py:1215), and the read offset ends up past the
   committed offset again;
2. the queue clearing that follows discards the records delivered meanwhile that no agent had
   taken yet (never handled, never acked);
3. re-fetched from the committed offset, those records are below the read offset and dropped
   silently (consumer.py:1209/1226, "DROPPED MESSAGE").

So the first records after the committed offset are never acked. With two or more of them the
commit waits for them forever (``_new_offset``, consumer.py:1140: a gap of more than one at the
head) -- the stalled partition; with exactly one, ``_new_offset`` commits past it -- a lost message.

A second hole, found by the churn scenario: faust drops the rest of a fetched batch when a
rebalance stops the flow (consumer.py:739-775) and counts on ``perform_seek`` to read it again, but
aiokafka's ``seek_to_committed`` does not move a partition that has no committed offset yet
(aiokafka/consumer/consumer.py:901), so those records were skipped for good -- e.g. when a second
worker joins a group before its first commit.

:class:`KhabarConsumer` holds the stream (non-changelog) partitions of a new assignment paused
until the rebalance is over (``app.on_rebalance_end``: after the seek and the queue clearing), so
no stream record is fetched or delivered while the seek runs. Changelog partitions (table
recovery) are not held. Its ``perform_seek`` sends a stream partition without a committed offset
back to the reset point (``consumer_auto_offset_reset``), and records that arrive for a partition
that is not active are given back (the partition is rewound to the first of them), not dropped.

:class:`StallWatch` is the safety net: it reports (log, ``khabar_partition_stalls_total``) an
assigned partition whose committed offset has not moved for a while although the log goes further
and the message at the committed offset is neither in flight nor acked, and recovers it by
re-reading it from the committed offset (at-least-once: a redelivered article overwrites itself).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from faust.transport.consumer import ensure_TP, ensure_TPset
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP, Message

from streams.app.metrics import Metrics

__all__ = ["KhabarConsumer", "KhabarTransport", "StallWatch"]

log = logging.getLogger("khabar.consumer")


class KhabarConsumer(aiokafka_driver.Consumer):
    """faust's aiokafka consumer whose stream partitions stay paused until a rebalance is complete."""

    #: how long :meth:`reread_from_committed` lets the fetcher park after stopping the flow
    reread_settle_s = 0.5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: stream partitions of the current assignment, kept paused until the rebalance is over
        self._held: set[TP] = set()
        #: ``app.rebalancing_count`` of the rebalance that set ``_held``
        self._held_for = -1
        super().__init__(*args, **kwargs)

    @property
    def held(self) -> frozenset[TP]:
        return frozenset(self._held)

    # -- holding stream partitions during a rebalance ---------------------------------------------

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        revoked = ensure_TPset(revoked)
        self._held -= revoked
        # faust leaves revoked partitions here; one could be fetched past a pause through it
        self._buffered_partitions -= revoked
        await super().on_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        assigned = ensure_TPset(assigned)
        self._held = {tp for tp in assigned if not self._is_changelog_tp(tp)}
        self._held_for = self.app.rebalancing_count
        self._buffered_partitions -= self._held
        if self._held:
            log.info("holding %d stream partition(s) until the rebalance completes (generation %s)",
                     len(self._held), generation_id)
        await super().on_partitions_assigned(assigned, generation_id)

    def _set_active_tps(self, tps: set[TP]) -> set[TP]:
        active = super()._set_active_tps(tps)
        active.difference_update(self._held)
        return active

    def resume_partitions(self, tps: Iterable[TP]) -> None:
        tpset = ensure_TPset(tps)
        held = tpset & self._held
        if held:  # not yet: the seek to the committed offsets and the queue clearing are still to come
            tpset -= held
            self._get_active_partitions().difference_update(held)
            self._paused_partitions.update(held)
        super().resume_partitions(tpset)

    def on_buffer_drop(self, tp: TP) -> None:
        if tp in self._held:
            self._buffered_partitions.discard(tp)
            return
        super().on_buffer_drop(tp)

    def release_held(self) -> set[TP]:
        """Resume the held stream partitions: the rebalance that held them is complete.

        Does nothing if another rebalance has begun since (it holds its own partitions).
        """
        if not self._held or self.app.rebalancing_count != self._held_for:
            return set()
        tps = self._held & ensure_TPset(self.assignment())
        self._held = set()
        super().resume_partitions(tps)
        log.info("resumed %d stream partition(s) from their committed offsets", len(tps))
        return tps

    # -- fetching: never drop a fetched record silently -------------------------------------------

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        """faust's ``Consumer.getmany``, except that records of a partition that is not active are
        given back (the partition is rewound to the first of them) instead of being dropped after
        aiokafka moved its position past them (aiokafka returns every partition's records when
        the set of active partitions it is handed is empty, fetcher.py ``fetched_records``)."""
        records, active_partitions = await self._wait_next_records(timeout)
        generation_id = self.app.consumer_generation_id
        if records is None or self.should_stop:
            return
        if not self.flow_active:
            # as faust: records fetched while the flow is stopped go back to the committed offsets
            # (or, with perform_seek below, to the reset point where there is no committed offset)
            log.debug("records of %d partition(s) fetched while the flow is stopped: seeking back", len(records))
            try:
                await self.perform_seek()
            except Exception as exc:  # noqa: BLE001 -- as faust: the rebalance seeks again
                log.warning("seek while the flow is stopped failed: %r", exc)
            return
        given_back: dict[TP, int] = {}
        to_message = self._to_message
        for tp, record in self.scheduler.iterate(records):
            if not self.flow_active or self.app.consumer_generation_id != generation_id:
                break  # a rebalance began: it seeks every partition back to its committed offset
            if active_partitions is None or tp in active_partitions or tp in self._buffered_partitions:
                self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
                yield tp, to_message(tp, record)
            elif tp not in given_back:
                given_back[tp] = record.offset
        if given_back and self.app.consumer_generation_id == generation_id:
            self._give_back(given_back)

    def _give_back(self, offsets: Mapping[TP, int]) -> None:
        """Rewind partitions to the first record fetched but not delivered. Only ever backwards: a
        record from a previous assignment could be ahead of where this one starts."""
        assigned = ensure_TPset(self.assignment())
        for tp, offset in offsets.items():
            position = self._position_now(tp) if tp in assigned else None
            if position is None or offset >= position:
                continue
            try:
                self._thread.seek(tp, offset)
            except Exception as exc:  # noqa: BLE001 -- unassigned meanwhile: its new owner reads it
                log.warning("could not rewind %s/%s to %s: %r", tp.topic, tp.partition, offset, exc)
                continue
            self._read_offset[tp] = offset
            log.debug("%s/%s: records fetched while paused given back (rewound from %s to %s)", tp.topic,
                     tp.partition, position, offset)

    def _position_now(self, tp: TP) -> int | None:
        """aiokafka's fetch position of a partition, if it has a valid one (read without waiting)."""
        try:
            assignment = self._thread._ensure_consumer()._subscription.subscription.assignment
            state = assignment.state_value(tp) if assignment is not None else None
        except Exception:  # noqa: BLE001 -- not started, or no subscription: no position
            return None
        if state is None or not state.has_valid_position:
            return None
        return int(state.position)

    # -- seeking to the committed offsets ---------------------------------------------------------

    async def perform_seek(self) -> None:
        """faust's ``perform_seek``, plus: partitions with no committed offset go back to the reset
        point (``consumer_auto_offset_reset``). aiokafka's ``seek_to_committed`` leaves them where
        they are (aiokafka/consumer/consumer.py:901, ``if offset and offset > 0``), so records faust
        fetched and then dropped (a batch cut short by a rebalance, consumer.py:739-775) were skipped
        for good when their partition had not been committed yet, e.g. right after the group formed."""
        committed = await self.seek_to_committed()
        self._read_offset.update({tp: offset if offset is not None and offset >= 0 else None
                                  for tp, offset in committed.items()})
        self._committed_offset.update({ensure_TP(tp): offset if offset else None
                                       for tp, offset in committed.items() if offset is not None})
        unsettled = sorted((tp for tp, offset in committed.items() if not offset and not self._is_changelog_tp(tp)),
                           key=lambda tp: (tp.topic, tp.partition))
        if not unsettled:
            return
        policy = str(self.app.conf.consumer_auto_offset_reset).lower()
        ak = self._thread._ensure_consumer()
        if policy == "earliest":
            await self._thread.call_thread(ak.seek_to_beginning, *unsettled)
        elif policy == "latest":
            await self._thread.call_thread(ak.seek_to_end, *unsettled)
        else:
            return
        for tp in unsettled:
            self._read_offset[tp] = None
        log.debug("%d partition(s) without a committed offset read from the %s offset", len(unsettled), policy)

    # -- stall recovery ----------------------------------------------------------------------------

    async def reread_from_committed(self, tps: Collection[TP]) -> dict[TP, int]:
        """Forget what faust knows of these partitions' progress and read them again from their
        committed offsets. The fetch flow is stopped meanwhile, so no record is being delivered
        while the read offsets are reset. Returns the offsets read from."""
        done: dict[TP, int] = {}
        if self.app.rebalancing or not self.flow_active:
            return done
        self.stop_flow()
        try:
            # the fetcher gives up the record it was delivering on suspend_flow; let it park
            await asyncio.sleep(self.reread_settle_s)
            if self.app.rebalancing:
                return done
            assigned = ensure_TPset(self.assignment())
            for tp in tps:
                committed = self._committed_offset.get(tp)
                if tp not in assigned or committed is None:
                    continue
                self._acked.pop(tp, None)
                self._acked_index.pop(tp, None)
                self._gap.pop(tp, None)
                await self.seek(tp, committed)
                self._read_offset[tp] = committed
                if tp not in self._held and tp not in self._paused_partitions:
                    self._get_active_partitions().add(tp)
                done[tp] = committed
        finally:
            if not self.app.rebalancing:
                self.resume_flow()
        return done


class KhabarTransport(aiokafka_driver.Transport):
    """faust's aiokafka transport, with :class:`KhabarConsumer`."""

    Consumer = KhabarConsumer


@dataclass
class _Seen:
    committed: int
    since: float
    read: int | None


@dataclass
class StallWatch:
    """Finds assigned partitions that stopped being committed and reads them again.

    A partition is stalled when, for ``after_s`` seconds, its committed offset has not moved
    although the log goes further, the worker is not waiting for a dependency (``busy``), and the
    message at the committed offset is neither in flight in an agent nor acked, while either later
    messages were read (the head of the partition was lost in faust) or nothing of it was read or
    is in flight (the partition is not being fetched).
    """

    app: Any
    metrics: Metrics
    topics: Collection[str]
    busy: Callable[[], bool] = lambda: False
    after_s: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[TP, _Seen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for topic in self.topics:  # a series from the start, so the first stall is an increase
            self.metrics.partition_stalls.labels(topic)

    async def check(self) -> None:
        """One timer run (never raises)."""
        try:
            await self._check()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 -- the next run looks again
            log.warning("stall check skipped: %r", exc)

    def stalled(self) -> list[TP]:
        """The partitions stalled now (updates what was seen)."""
        consumer = self.app.consumer
        if self.app.rebalancing or not getattr(consumer, "flow_active", False):
            self._seen.clear()
            return []
        now = self.clock()
        held: frozenset[TP] = getattr(consumer, "held", frozenset())
        assigned = {tp for tp in ensure_TPset(consumer.assignment()) if tp.topic in self.topics}
        for tp in set(self._seen) - assigned:
            del self._seen[tp]
        in_flight: dict[TP, set[int]] = {}
        for message in list(consumer.unacked):
            if not message.acked:
                in_flight.setdefault(message.tp, set()).add(message.offset)
        out = []
        for tp in sorted(assigned, key=lambda t: (t.topic, t.partition)):
            committed = consumer._committed_offset.get(tp)
            end = consumer.highwater(tp)
            if committed is None or end is None or end <= committed or tp in held or self.busy():
                self._seen.pop(tp, None)
                continue
            read = consumer._read_offset.get(tp)
            seen = self._seen.get(tp)
            if seen is None or seen.committed != committed:
                self._seen[tp] = _Seen(committed, now, read)
                continue
            if now - seen.since < self.after_s:
                continue
            flying = in_flight.get(tp, set())
            head_lost = (committed not in flying and committed not in consumer._acked_index.get(tp, ())
                         and read is not None and read > committed)
            not_fetched = not flying and read == seen.read and (read is None or read <= committed)
            if head_lost or not_fetched:
                out.append(tp)
        return out

    async def _check(self) -> None:
        stalled = self.stalled()
        if not stalled:
            return
        for tp in stalled:
            seen = self._seen[tp]
            log.error("partition %s/%s stalled: committed offset %s unchanged for %.0fs, log end %s, read up to %s;"
                      " reading it again from %s", tp.topic, tp.partition, seen.committed, self.clock() - seen.since,
                      self.app.consumer.highwater(tp), self.app.consumer._read_offset.get(tp), seen.committed)
            self.metrics.partition_stalls.labels(tp.topic).inc()
        done = await self.app.consumer.reread_from_committed(stalled)
        for tp in done:
            self._seen.pop(tp, None)
