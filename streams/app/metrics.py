"""Prometheus metrics of a worker: one object built against an injected registry.

Label values come from a bounded set: an article's agency is written by whoever sent the article,
so it becomes a label only when it is a known agency (``streams/data/agencies.yaml``, or
``KHABAR_METRIC_AGENCIES``); any other is ``other``. No article can add a time series.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import yaml
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from streams.enrich.persian import match_key
from streams.resources import data_path

__all__ = ["Metrics", "known_agencies"]

#: Longest label value taken from configuration (the data file's labels are shorter).
MAX_LABEL_CHARS = 32

_STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)


@cache
def known_agencies() -> dict[str, str]:
    """Folded spelling of a known agency → its metric label (``streams/data/agencies.yaml``)."""
    table = yaml.safe_load(data_path("agencies.yaml").read_text(encoding="utf-8"))
    return {match_key(spelling): label for label, spellings in table.items() for spelling in [label, *spellings]}


class Metrics:
    """Every khabar_* series the worker exports."""

    def __init__(self, registry: CollectorRegistry, extra_agencies: Iterable[str] = ()) -> None:
        self.registry = registry
        extra = (a.strip()[:MAX_LABEL_CHARS] for a in extra_agencies if a.strip())
        self._agencies = {**known_agencies(), **{match_key(a): a for a in extra}}
        self.articles_in = Counter("khabar_articles_in_total", "Raw messages consumed", ["agency"],
                                   registry=registry)
        self.articles_out = Counter("khabar_articles_out_total", "Articles handled, by outcome",
                                    ["agency", "outcome"], registry=registry)
        self.enrich_restarts = Counter("khabar_enrich_process_restarts_total",
                                       "Enrichment processes replaced (killed over the time budget, or died)",
                                       registry=registry)
        self.stage_seconds = Histogram("khabar_stage_seconds", "Time spent per enrichment stage",
                                       ["stage"], buckets=_STAGE_BUCKETS, registry=registry)
        self.bulk_seconds = Histogram("khabar_bulk_seconds", "Bulk indexing request latency",
                                      buckets=_LATENCY_BUCKETS, registry=registry)
        self.bulk_docs = Counter("khabar_indexed_total", "Documents bulk-indexed, by outcome",
                                 ["outcome"], registry=registry)
        self.search_errors = Counter("khabar_search_errors_total", "Failed bulk requests or items",
                                     ["kind"], registry=registry)
        self.e2e_seconds = Histogram("khabar_end_to_end_seconds", "Received on news.raw → searchable",
                                     buckets=_LATENCY_BUCKETS, registry=registry)
        self.dlq = Counter("khabar_dlq_total", "Messages dead-lettered", ["stage", "error_class"],
                           registry=registry)
        self.retries = Counter("khabar_retries_total", "Retries of transient failures", ["target"],
                               registry=registry)
        self.backoff = Gauge("khabar_backoff", "1 while a stage waits for a dependency", ["target"],
                             registry=registry)
        self.lag = Gauge("khabar_consumer_lag", "Messages behind the log end", ["topic", "partition"],
                         registry=registry)
        self.mentions = Counter("khabar_tracked_mentions_total", "Mentions of tracked figures",
                                ["figure"], registry=registry)
        self.alerts = Counter("khabar_alerts_total", "Alerts, by outcome", ["outcome"], registry=registry)
        # outcome: sent (on news.alerts), merged (a copy gathered into an alert not sent yet),
        # suppressed (a copy of a story already alerted), repeat (the same article again)
        self.webhook = Counter("khabar_alert_webhook_total", "Webhook deliveries, by outcome",
                               ["outcome"], registry=registry)
        # outcome: delivered, retried (one failed attempt, retried), failed, dropped (queue full)
        self.watchlist = Gauge("khabar_watchlist_figures", "Tracked figures this worker knows",
                               registry=registry)
        self.kafka_up = Gauge("khabar_kafka_up", "1 when the last broker metadata request succeeded",
                              registry=registry)
        self.partition_stalls = Counter("khabar_partition_stalls_total",
                                        "Assigned partitions found stalled and read again from their committed offset",
                                        ["topic"], registry=registry)
        self.lag_sampled = Gauge("khabar_consumer_lag_sampled_timestamp_seconds",
                                 "When consumer lag was last sampled", registry=registry)

    def agency_label(self, agency: str | None) -> str:
        """The ``agency`` label of an article: a known agency's label, ``unknown`` or ``other``."""
        if not agency:
            return "unknown"
        return self._agencies.get(match_key(agency[:200]), "other")
