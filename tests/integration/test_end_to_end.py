"""Kafka → faust worker → enrichment → OpenSearch, on the real servers."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from kafka import KafkaProducer
from opensearchpy import OpenSearch

from streams.commands.query import build_query
from streams.enrich.gazetteer import load_gazetteer
from streams.intake.decode import parse_article
from streams.sink.dlq import parse_dead_letter
from tests.support import Worker, consume_all, produce, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.search]
ZWNJ = "\u200c"


def _search(client: OpenSearch, alias: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    if not client.indices.exists_alias(name=alias):
        return []
    client.indices.refresh(index=alias)
    return list(client.search(index=alias, body={**body, "size": 50})["hits"]["hits"])


@pytest.fixture(scope="module")
def seeded(worker: Worker, kafka_producer: KafkaProducer, search_client: OpenSearch, seed_text: str) -> str:
    """The seed article, a malformed message and a valid flat article, produced once."""
    s = worker.settings
    seed = {"body": seed_text, "agency": "persun", "id": "seed-1", "language": "fa"}
    produce(kafka_producer, s.raw_topic, [seed, b"{this is not json", {
        "id": "flat-1", "agency": "ISNA", "title": "افزایش قیمت نفت در بازارهای جهانی",
        "lead": "قیمت نفت خام برنت امروز افزایش یافت.", "body": "بهای هر بشکه نفت برنت به ۸۵ دلار رسید.",
        "published_at": "2024-05-01T10:00:00+03:30", "language": "fa"}], key=None)
    doc_id = parse_article(seed).doc_id

    def indexed() -> bool:
        if not search_client.indices.exists_alias(name=s.index_alias):
            return False
        return bool(_search(search_client, s.index_alias, {"query": {"ids": {"values": [doc_id, "isna-flat-1"]}}})
                    and len(_search(search_client, s.index_alias,
                                    {"query": {"ids": {"values": [doc_id, "isna-flat-1"]}}})) == 2)

    wait_for(indexed, 120, "the seed and the flat article to be searchable", worker)
    return doc_id


def test_seed_found_by_topic(seeded: str, worker: Worker, search_client: OpenSearch) -> None:
    """The seed article is tagged karabakh and found by that topic."""
    hits = _search(search_client, worker.settings.index_alias, build_query(topic="karabakh"))
    assert seeded in [h["_id"] for h in hits]


@pytest.mark.parametrize("spelling", [f"قره{ZWNJ}باغ", "قره باغ", "قرهباغ"])
def test_seed_found_by_every_spelling(seeded: str, worker: Worker, search_client: OpenSearch, spelling: str) -> None:
    """Searching the Persian word in any of its three spellings finds the seed."""
    body = build_query(spelling, gazetteer=load_gazetteer())
    hits = _search(search_client, worker.settings.index_alias, body)
    assert seeded in [h["_id"] for h in hits]


def test_lavrov_is_a_quoted_speaker(seeded: str, worker: Worker, search_client: OpenSearch) -> None:
    """سرگئی لاوروف is stored as the speaker of the seed's quotes and found by --speaker."""
    body = build_query(speaker="سرگئی لاوروف", gazetteer=load_gazetteer())
    hits = _search(search_client, worker.settings.index_alias, body)
    assert seeded in [h["_id"] for h in hits]
    doc = next(h["_source"] for h in hits if h["_id"] == seeded)
    speakers = [q["speaker"]["name"] for q in doc["quotes"] if q["speaker"] and q["kind"] == "direct"]
    assert speakers.count("سرگئی لاوروف") >= 2


def test_malformed_message_is_dead_lettered(seeded: str, worker: Worker) -> None:
    """The malformed message lands in news.dlq with its reason and original bytes."""
    def letters() -> list[dict[str, Any]]:
        return [parse_dead_letter(m.value) for m in consume_all(worker.settings.dlq_topic, 5)]

    found = wait_for(lambda: [d for d in letters() if d["original"] == b"{this is not json"], 60,
                     "the dead letter", worker)
    assert found[0]["error_class"] == "InvalidArticle"
    assert "not valid JSON" in found[0]["reason"]
    assert found[0]["topic"] == worker.settings.raw_topic and found[0]["offset"] >= 0


def test_redelivery_does_not_duplicate(seeded: str, worker: Worker, kafka_producer: KafkaProducer,
                                       search_client: OpenSearch, seed_text: str) -> None:
    """Producing the same article again leaves exactly one document."""
    s = worker.settings
    seed = {"body": seed_text, "agency": "persun", "id": "seed-1", "language": "fa"}
    marker = {"id": "marker-1", "agency": "ISNA", "title": "خبر نشانه", "body": "این خبر پس از تکرار می‌آید.",
              "language": "fa"}
    produce(kafka_producer, s.raw_topic, [seed, seed, marker], key=b"persun-seed-1")
    wait_for(lambda: _search(search_client, s.index_alias, {"query": {"ids": {"values": ["isna-marker-1"]}}}),
             60, "the marker article", worker)
    hits = _search(search_client, s.index_alias, {"query": {"term": {"article_id": "seed-1"}}})
    assert [h["_id"] for h in hits] == [seeded]


def test_newer_version_wins_older_never_overwrites(worker: Worker, kafka_producer: KafkaProducer,
                                                   search_client: OpenSearch) -> None:
    """A later update replaces the document; an older one arriving afterwards does not."""
    s = worker.settings
    base = {"id": "ver-1", "agency": "Mehr", "lead": "لید خبر.", "body": "متن خبر درباره بودجه.", "language": "fa",
            "published_at": "2024-01-01T08:00:00Z"}
    v1 = {**base, "title": "نسخه نخست", "updated_at": "2024-01-01T08:00:00Z"}
    v2 = {**base, "title": "نسخه دوم", "updated_at": "2024-01-01T09:00:00Z"}
    produce(kafka_producer, s.raw_topic, [v1, v2], key=b"mehr-ver-1")

    def title() -> str | None:
        hits = _search(search_client, s.index_alias, {"query": {"ids": {"values": ["mehr-ver-1"]}}})
        return hits[0]["_source"]["title"] if hits else None

    wait_for(lambda: title() == "نسخه دوم", 60, "version 2", worker)
    marker = {"id": "ver-marker", "agency": "Mehr", "title": "نشانه", "body": "متن نشانه.", "language": "fa"}
    produce(kafka_producer, s.raw_topic, [v1, marker], key=b"mehr-ver-1")
    wait_for(lambda: _search(search_client, s.index_alias, {"query": {"ids": {"values": ["mehr-ver-marker"]}}}),
             60, "the marker", worker)
    assert title() == "نسخه دوم"


def test_enriched_topic_carries_the_document(seeded: str, worker: Worker) -> None:
    """news.enriched holds the enriched JSON keyed by the stable id."""
    records = consume_all(worker.settings.enriched_topic, 5)
    docs = {r.key.decode(): orjson.loads(r.value) for r in records}
    assert seeded in docs and "karabakh" in docs[seeded]["topics"]
