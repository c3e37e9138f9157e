"""One enriched document: what `khabar enrich --json` prints is what the worker indexes, byte for byte
apart from the times of receipt and indexing (the seed article and every sample)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaProducer
from opensearchpy import OpenSearch

from streams.intake.decode import parse_article
from streams.intake.files import RawInput, expand_paths, iter_inputs
from tests.support import PROJECT, Worker, produce, wait_for

pytestmark = pytest.mark.integration

SAMPLES = PROJECT / "streams" / "data" / "samples"
# when the article was received and indexed: the only fields that differ between two runs; the version
# of an undated article is its time of receipt
_TIMES = ("received_at", "indexed_at")


def _offline(paths: list[Path]) -> dict[str, dict[str, Any]]:
    out = subprocess.run([sys.executable, "-m", "streams", "enrich", "--json", *map(str, paths)], cwd=PROJECT,
                         capture_output=True, check=True)
    docs = [orjson.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return {d["id"]: d for d in docs}


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    undated = not doc.get("updated_at") and not doc.get("published_at")
    return {k: v for k, v in doc.items() if k not in _TIMES and not (undated and k == "version")}


def test_enrich_prints_what_the_worker_indexes(worker: Worker, kafka_producer: KafkaProducer,
                                               search_client: OpenSearch) -> None:
    """For the seed and each sample, `khabar enrich --json` equals the indexed `_source`."""
    files = expand_paths([SAMPLES])
    assert any(f.name == "seed-article.txt" for f in files)
    raws = [item.doc for f in files for item in iter_inputs(f) if isinstance(item, RawInput)]
    offline = _offline(files)
    assert len(offline) == len(raws) >= 5
    s = worker.settings
    produce(kafka_producer, s.raw_topic, raws)
    ids = [parse_article(d).doc_id for d in raws]
    assert sorted(ids) == sorted(offline)

    def sources() -> dict[str, dict[str, Any]]:
        if not search_client.indices.exists_alias(name=s.index_alias):
            return {}
        search_client.indices.refresh(index=s.index_alias)
        hits = search_client.search(index=s.index_alias, body={"query": {"ids": {"values": ids}}, "size": 100})
        return {h["_id"]: h["_source"] for h in hits["hits"]["hits"]}

    wait_for(lambda: len(sources()) == len(ids), 180, "every sample to be indexed", worker)
    indexed = sources()
    for doc_id, doc in offline.items():
        assert _comparable(indexed[doc_id]) == _comparable(doc), doc_id
