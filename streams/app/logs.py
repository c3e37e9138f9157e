"""The worker's log: no dependency's outage floods it, no article's text forges a line of it.

While the broker is down, aiokafka logs the same connection and metadata errors thousands of
times a second. :class:`RepeatFilter` lets the first of a kind through, drops its repeats for a
while, then lets one through again saying how many were dropped. :func:`escape_log_fields` writes out
the control characters of every value a record carries (:func:`escape_controls`), so an agency
name holding a newline and ``[ERROR] ...`` stays on its own line, escaped.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["ALWAYS_PASS", "NOISY_LOGGERS", "RepeatFilter", "escape_controls", "escape_log_fields", "quiet_repeats"]

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


# -- article text in log lines ----------------------------------------------------------------------

#: Characters that move a terminal's cursor, start escape sequences, break a line, or reorder what
#: follows (bidi overrides and isolates); ZWNJ, ZWJ and the plain direction marks are left alone,
#: Persian text needs them.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written out (``\\n``, ``\\x1b``, ``\\u202e``), so a
    string from an article can neither start a new line nor drive the terminal that shows it.

    >>> escape_controls("IRNA\\n[ERROR] forged \\x1b[2J")
    'IRNA\\\\n[ERROR] forged \\\\x1b[2J'
    """
    if keep_newlines:
        return "\n".join(_CONTROLS.sub(_escaped, line) for line in text.split("\n"))
    return _CONTROLS.sub(_escaped, text)


def _escape_arg(value: Any) -> Any:
    return escape_controls(value) if isinstance(value, str) else value


def escape_log_fields() -> None:
    """Escape control characters in the fields of every log record made from now on (its
    arguments and its exception's message), so no value can forge a log line. The messages
    themselves are Khabar's own and keep their layout (a traceback stays on its lines)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "escapes_fields", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        if isinstance(record.args, tuple):
            record.args = tuple(_escape_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _escape_arg(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _exception_text(record.exc_info)
        return record

    factory.escapes_fields = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def _exception_text(exc_info: Any) -> str:
    """A traceback whose exception messages (which may quote an article) are escaped."""
    te = traceback.TracebackException(*exc_info)
    seen: set[int] = set()
    stack = [te]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(getattr(current, "_str", None), str):
            current._str = escape_controls(current._str)  # type: ignore[attr-defined]
        stack.extend(x for x in (current.__cause__, current.__context__) if x is not None)
    return "".join(te.format()).rstrip("\n")
