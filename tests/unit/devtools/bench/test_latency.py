"""streams.devtools.bench.latency: nearest-rank percentiles and what the latency poll asks and records."""

from __future__ import annotations

import math

import pytest

from streams.devtools.bench.latency import _Watch, percentile


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1.0], 50, 1.0),
        ([3.0, 1.0, 2.0], 50, 2.0),
        ([3.0, 1.0, 2.0], 0, 1.0),
        ([3.0, 1.0, 2.0], 100, 3.0),
        ([float(v) for v in range(1, 101)], 99, 99.0),
        ([float(v) for v in range(1, 101)], 50, 50.0),
    ],
)
def test_percentile_nearest_rank(values: list[float], q: float, expected: float) -> None:
    """The q-th percentile is the value at the nearest rank, never an interpolation."""
    assert percentile(values, q) == expected


def test_percentile_of_nothing_is_nan() -> None:
    """No values, no percentile."""
    assert math.isnan(percentile([], 50))


@pytest.mark.parametrize(
    ("sent", "seen", "since"),
    [
        ({}, {}, "2025-01-01T00:01:39+00:00"),
        ({"a": 1735689700.0, "b": 1735689710.0}, {}, "2025-01-01T00:01:39+00:00"),
        ({"a": 1735689700.0, "b": 1735689710.0}, {"a": 1.0}, "2025-01-01T00:01:49+00:00"),
        ({"a": 1735689700.0, "b": 1735689710.0}, {"a": 1.0, "b": 1.0}, "2025-01-01T00:01:49+00:00"),
    ],
)
def test_query_asks_only_since_the_oldest_unseen(sent: dict[str, float], seen: dict[str, float], since: str) -> None:
    """The poll asks for documents received since a second before the oldest article not yet seen."""
    watch = _Watch(ids=set(sent), began=1735689700.0, sent=sent, seen=seen)
    assert watch.query()["query"] == {"range": {"received_at": {"gte": since}}}


def test_record_counts_only_new_documents_of_the_run() -> None:
    """Documents of other runs and documents already seen are not counted again."""
    watch = _Watch(ids={"a", "b"}, began=0.0)
    hits = [
        {"_id": "a", "_source": {"received_at": "2025-01-01T00:00:00Z", "indexed_at": "2025-01-01T00:00:00.5Z"}},
        {"_id": "x", "_source": {"received_at": "2025-01-01T00:00:00Z"}},
        {"_id": "b", "_source": {"received_at": "2025-01-01T00:00:01Z"}},
    ]
    assert watch.record(hits, now=1735689602.0) == 2
    assert watch.record(hits, now=1735689603.0) == 0
    assert watch.seen == {"a": 2.0, "b": 1.0}
    assert watch.indexed == {"a": 0.5}
    figures = watch.figures(total=3, rate=50.0)
    assert figures["latency_seen"] == 2 and figures["latency_articles"] == 3
    assert (figures["p50_latency_s"], figures["p99_latency_s"], figures["max_latency_s"]) == (1.0, 2.0, 2.0)
    assert figures["p50_indexed_s"] == 0.5
