"""Keep a dependency's outage from flooding the worker's log.

While the broker is down, aiokafka logs the same connection and metadata errors thousands of
times a second. :class:`RepeatFilter` lets the first of a kind through, drops its repeats for a
while, then lets one through again saying how many were dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

__all__ = ["ALWAYS_PASS", "RepeatFilter", "quiet_repeats", "NOISY_LOGGERS"]

#: The Kafka client's loggers that repeat themselves while a broker is unreachable.
NOISY_LOGGERS = (
    "aiokafka",
    "aiokafka.client",
    "aiokafka.conn",
    "aiokafka.cluster",
    "aiokafka.admin.client",
    "aiokafka.consumer.consumer",
    "aiokafka.consumer.fetcher",
    "aiokafka.consumer.group_coordinator",
    "aiokafka.producer.sender",
    "aiokafka.producer.producer",
)


#: Group membership changes: rare, and what an operator (and the chaos tests, which read the
#: assignment from the log) must always see, however close together two rebalances come.
ALWAYS_PASS = frozenset({
    "Revoking previously assigned partitions %s for group %s",
    "Setting newly assigned partitions %s for group %s",
    "Joined group '%s' (generation %s) with member_id %s",
    "Successfully synced group %s with generation %s",
})


class RepeatFilter(logging.Filter):
    """Passes a record, then drops records with the same logger, level and message template for
    ``window`` seconds; the next one let through carries the count of those dropped. Records whose
    template is in ``always`` (by default the group rebalance messages) always pass."""

    def __init__(self, window: float = 10.0, clock: Callable[[], float] = time.monotonic,
                 always: frozenset[str] = ALWAYS_PASS) -> None:
        super().__init__()
        self.window = window
        self.clock = clock
        self.always = always
        self._seen: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg) in self.always:
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        last = self._seen.get(key)
        if last is not None and now - last[0] < self.window:
            self._seen[key] = (last[0], last[1] + 1)
            return False
        dropped = last[1] if last is not None else 0
        self._seen[key] = (now, 0)
        if len(self._seen) > 1000:  # message templates are few; never let this grow without bound
            self._seen = {key: (now, 0)}
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it in the last {self.window:.0f}s)"
        return True


def quiet_repeats(names: Iterable[str] = NOISY_LOGGERS, window: float = 10.0) -> RepeatFilter:
    """Attach one :class:`RepeatFilter` to each named logger (records are filtered where they are made)."""
    repeat = RepeatFilter(window)
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RepeatFilter) for f in logger.filters):
            logger.addFilter(repeat)
    return repeat
