"""The worker's consumer: stream partitions held during a rebalance, no silent drops, the stall watch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.app.consumer import KhabarConsumer, StallWatch
from streams.app.metrics import Metrics
from streams.app.worker import build_app
from streams.config import Settings

SETTINGS = Settings(topic_prefix="t", app_id="khabar-t")
RAW0, RAW1 = TP("t.raw", 0), TP("t.raw", 1)


def _with_consumer(test: Callable[[Any, KhabarConsumer], Awaitable[None]]) -> None:
    """Run ``test(app, consumer)`` in a loop, with a worker app's consumer that never connects."""

    async def run() -> None:
        app, _ = build_app(SETTINGS)

        async def noop(*args: Any) -> None:
            return None

        consumer = KhabarConsumer(app.transport, callback=noop, on_partitions_revoked=noop,
                                  on_partitions_assigned=noop)
        await test(app, consumer)

    asyncio.run(run())


def test_the_worker_app_uses_the_khabar_consumer() -> None:
    async def check(app: Any, consumer: KhabarConsumer) -> None:
        assert isinstance(app.consumer, KhabarConsumer)

    _with_consumer(check)


def test_stream_partitions_stay_paused_until_the_rebalance_is_complete() -> None:
    """faust's recovery resumes the stream partitions *before* seeking them to their committed
    offsets and clearing the agents' queues; they must only be fetched once that is done."""

    async def check(app: Any, consumer: KhabarConsumer) -> None:
        changelog = TP(next(iter(app.tables.changelog_topics)), 0)
        assigned = {RAW0, RAW1, changelog}
        consumer.assignment = lambda: assigned  # type: ignore[method-assign]
        await consumer.on_partitions_assigned(assigned, 3)
        assert consumer.held == {RAW0, RAW1}
        assert not consumer._active_partitions & {RAW0, RAW1}
        consumer.resume_partitions(assigned)  # what Recovery.on_recovery_completed does before seeking
        assert consumer._active_partitions == {changelog}
        assert consumer.release_held() == {RAW0, RAW1}  # app.on_rebalance_end
        assert consumer._active_partitions == assigned and not consumer._paused_partitions
        consumer.pause_partitions(assigned)
        consumer.resume_partitions(assigned)  # nothing held any more
        assert consumer._active_partitions == assigned

    _with_consumer(check)


def test_partitions_held_by_a_rebalance_are_not_released_by_an_earlier_one() -> None:
    async def check(app: Any, consumer: KhabarConsumer) -> None:
        consumer.assignment = lambda: {RAW0}  # type: ignore[method-assign]
        await consumer.on_partitions_assigned({RAW0}, 3)
        app.rebalancing_count += 1  # another rebalance began before this one completed
        assert consumer.release_held() == set()
        assert RAW0 not in consumer._active_partitions

    _with_consumer(check)


def _record(tp: TP, offset: int) -> Any:
    return SimpleNamespace(topic=tp.topic, partition=tp.partition, offset=offset, timestamp=0, timestamp_type=0,
                           headers=[], key=b"k", value=b"v", checksum=None, serialized_key_size=1,
                           serialized_value_size=1)


def test_records_of_a_paused_partition_are_given_back_not_dropped() -> None:
    """aiokafka hands out every partition's records when faust's set of active partitions happens to
    be empty; faust dropped those of inactive partitions after their position had moved past them."""

    async def check(app: Any, consumer: KhabarConsumer) -> None:
        seeks: list[tuple[TP, int]] = []
        consumer.assignment = lambda: {RAW0, RAW1}  # type: ignore[method-assign]
        consumer.highwater = lambda tp: 100  # type: ignore[method-assign]
        consumer._thread.seek = lambda tp, offset: seeks.append((tp, offset))  # type: ignore[method-assign]
        consumer._position_now = lambda tp: 7  # type: ignore[method-assign]  # aiokafka moved past both

        async def fetched(timeout: float) -> Any:
            return {RAW0: [_record(RAW0, 5), _record(RAW0, 6)], RAW1: [_record(RAW1, 9)]}, {RAW1}

        consumer._wait_next_records = fetched  # type: ignore[method-assign]
        got = [(tp, message.offset) async for tp, message in consumer.getmany(1.0)]
        assert got == [(RAW1, 9)]
        assert seeks == [(RAW0, 5)] and consumer._read_offset[RAW0] == 5

    _with_consumer(check)


def test_given_back_only_backwards() -> None:
    """A record from before the current assignment is never a reason to move a partition forward."""

    async def check(app: Any, consumer: KhabarConsumer) -> None:
        seeks: list[tuple[TP, int]] = []
        consumer.assignment = lambda: {RAW0}  # type: ignore[method-assign]
        consumer._thread.seek = lambda tp, offset: seeks.append((tp, offset))  # type: ignore[method-assign]
        consumer._position_now = lambda tp: 3  # type: ignore[method-assign]
        consumer._give_back({RAW0: 5})
        assert seeks == []

    _with_consumer(check)


def test_partitions_never_committed_go_back_to_the_reset_point() -> None:
    """aiokafka's seek_to_committed leaves a partition without a committed offset where it is: records
    faust dropped after fetching them (a batch cut short by a rebalance) would be skipped for good."""

    async def check(app: Any, consumer: KhabarConsumer) -> None:
        changelog = TP(next(iter(app.tables.changelog_topics)), 0)
        calls: list[tuple[Any, tuple[Any, ...]]] = []

        async def seek_to_committed() -> dict[TP, int | None]:
            return {RAW0: None, RAW1: 40, changelog: None}

        async def call_thread(fun: Any, *args: Any) -> None:
            calls.append((fun, args))

        ak = SimpleNamespace(seek_to_beginning="seek_to_beginning", seek_to_end="seek_to_end")
        consumer.seek_to_committed = seek_to_committed  # type: ignore[method-assign]
        consumer._thread.call_thread = call_thread  # type: ignore[method-assign]
        consumer._thread._ensure_consumer = lambda: ak  # type: ignore[method-assign]
        consumer._read_offset[RAW0] = 96
        await consumer.perform_seek()
        assert calls == [("seek_to_beginning", (RAW0,))]
        assert consumer._read_offset[RAW0] is None and consumer._read_offset[RAW1] == 40
        assert consumer._committed_offset[RAW1] == 40

    _with_consumer(check)


def test_reread_from_committed_forgets_progress_and_seeks() -> None:
    async def check(app: Any, consumer: KhabarConsumer) -> None:
        seeks: list[tuple[TP, int]] = []
        consumer.assignment = lambda: {RAW0}  # type: ignore[method-assign]
        consumer._thread.seek = lambda tp, offset: seeks.append((tp, offset))  # type: ignore[method-assign]
        consumer.reread_settle_s = 0.01
        consumer._committed_offset[RAW0] = 10
        consumer._acked[RAW0] = [12, 13]
        consumer._acked_index[RAW0] = {12, 13}
        consumer._read_offset[RAW0] = 50
        assert await consumer.reread_from_committed([RAW0]) == {RAW0: 10}
        assert seeks == [(RAW0, 10)] and consumer._read_offset[RAW0] == 10
        assert not consumer._acked.get(RAW0) and not consumer._acked_index.get(RAW0)
        assert consumer.flow_active and RAW0 in consumer._active_partitions

    _with_consumer(check)


class _FakeConsumer:
    """What :class:`StallWatch` reads of faust's consumer."""

    def __init__(self) -> None:
        self.flow_active = True
        self.held: frozenset[TP] = frozenset()
        self.unacked: list[Any] = []
        self._committed_offset: dict[TP, int] = {RAW0: 10}
        self._read_offset: dict[TP, int | None] = {RAW0: 50}
        self._acked_index: dict[TP, set[int]] = {RAW0: set(range(12, 51))}
        self.end = 100
        self.reread: list[list[TP]] = []

    def assignment(self) -> set[TP]:
        return {RAW0}

    def highwater(self, tp: TP) -> int:
        return self.end

    async def reread_from_committed(self, tps: list[TP]) -> dict[TP, int]:
        self.reread.append(list(tps))
        return {tp: self._committed_offset[tp] for tp in tps}


def _watch(consumer: _FakeConsumer, busy: bool = False) -> tuple[StallWatch, list[float], Metrics]:
    now = [0.0]
    metrics = Metrics(CollectorRegistry())
    app = SimpleNamespace(consumer=consumer, rebalancing=False)
    return StallWatch(app, metrics, {"t.raw"}, busy=lambda: busy, after_s=30, clock=lambda: now[0]), now, metrics


def test_a_partition_whose_head_was_lost_is_found_and_read_again() -> None:
    """Later messages were read and acked, the one at the committed offset is neither acked nor in
    flight: after ``after_s`` the partition is reported, counted and read again."""
    consumer = _FakeConsumer()
    watch, now, metrics = _watch(consumer)
    assert watch.stalled() == []  # first sight
    now[0] = 29
    assert watch.stalled() == []
    now[0] = 31
    asyncio.run(watch.check())
    assert consumer.reread == [[RAW0]]
    assert metrics.registry.get_sample_value("khabar_partition_stalls_total", {"topic": "t.raw"}) == 1


def test_no_stall_while_the_head_is_in_flight_the_worker_waits_or_commits_move() -> None:
    consumer = _FakeConsumer()
    consumer.unacked = [SimpleNamespace(tp=RAW0, offset=10, acked=False)]  # a batch holding it (a retry)
    watch, now, _ = _watch(consumer)
    watch.stalled()
    now[0] = 100
    assert watch.stalled() == []

    waiting, now, _ = _watch(_FakeConsumer(), busy=True)  # backing off from a dependency
    waiting.stalled()
    now[0] = 100
    assert waiting.stalled() == []

    moving = _FakeConsumer()
    watch, now, _ = _watch(moving)
    for t in range(0, 200, 5):
        now[0] = t
        moving._committed_offset[RAW0] += 1
        assert watch.stalled() == []


def test_a_partition_that_is_not_fetched_is_found() -> None:
    """Lag, nothing read past the committed offset and nothing in flight for ``after_s``."""
    consumer = _FakeConsumer()
    consumer._read_offset[RAW0] = 10
    consumer._acked_index[RAW0] = set()
    watch, now, _ = _watch(consumer)
    watch.stalled()
    now[0] = 31
    assert watch.stalled() == [RAW0]
    consumer.end = 10  # caught up: no lag, no stall
    assert watch.stalled() == []
