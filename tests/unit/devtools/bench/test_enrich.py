"""streams.devtools.bench.enrich: the figures of part a (tests/bench runs it for real)."""

from __future__ import annotations

import math

import pytest

from streams.devtools.bench.enrich import EnrichResult


@pytest.mark.parametrize(("enrich_s", "hazm_s", "ratio"), [(2.0, 1.0, 2.0), (1.0, 4.0, 0.25)])
def test_ratio(enrich_s: float, hazm_s: float, ratio: float) -> None:
    """The ratio is enrichment time over hazm time."""
    assert EnrichResult(10, 20.0, enrich_s, hazm_s, 0.0, 0.0).ratio == ratio


def test_ratio_without_hazm_time_is_nan() -> None:
    """No hazm time, no ratio."""
    assert math.isnan(EnrichResult(0, 0.0, 0.0, 0.0, 0.0, 0.0).ratio)


def test_as_dict() -> None:
    """Per-article milliseconds, rates and each stage's share of enrichment time."""
    result = EnrichResult(4, 40.0, 2.0, 1.0, 0.4, 0.2, {"b": 0.5, "a": 1.5})
    assert result.as_dict() == {
        "enrich_vs_hazm": 2.0, "enrich_articles_per_s": 2.0, "hazm_articles_per_s": 4.0,
        "enrich_ms_per_article": 500.0, "hazm_ms_per_article": 250.0, "decode_ms_per_article": 100.0,
        "document_ms_per_article": 50.0, "enrich_kib_per_article": 10.0, "stage_share": {"a": 0.75, "b": 0.25},
    }


def test_as_dict_of_an_empty_run() -> None:
    """An empty run has no rates and no stage shares."""
    figures = EnrichResult(0, 0.0, 0.0, 0.0, 0.0, 0.0).as_dict()
    assert figures["enrich_articles_per_s"] is None and figures["stage_share"] == {}

