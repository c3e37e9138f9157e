"""Dead letters on the real stack: every kind of bad message, the envelope, and `khabar dlq`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from kafka import KafkaProducer
from opensearchpy import OpenSearch

from streams.sink.dlq import parse_dead_letter
from tests.support import PROJECT, Worker, consume_all, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.search]

BODY = "به گزارش ایسنا، وزیر نیرو امروز در نشست خبری درباره وضعیت سدهای کشور و مصرف آب گفت‌وگو کرد."
GOOD = {"agency": "ISNA", "title": "وضعیت سدهای کشور", "lead": "وزیر نیرو درباره سدها سخن گفت.", "body": BODY,
        "published_at": "2024-05-01T10:00:00Z", "language": "fa"}

# label → (payload, error class, stage, words of the reason)
BAD: dict[str, tuple[bytes, str, str, str]] = {
    "malformed json": (b'{"id": "x", "body": "unterminated', "InvalidArticle", "decode", "not valid JSON"),
    "invalid utf-8": (orjson.dumps({**GOOD, "id": "bad-utf8"})[:40] + b"\xff\xfe" + b"}", "InvalidArticle",
                      "decode", "not valid UTF-8"),
    "wrong schema": (orjson.dumps({**GOOD, "id": "bad-schema", "title": ["a", "list"]}), "InvalidArticle",
                     "validate", "schema"),
    "missing body": (orjson.dumps({k: v for k, v in GOOD.items() if k != "body"} | {"id": "no-body"}),
                     "InvalidArticle", "validate", "schema"),
    "empty body": (orjson.dumps({**GOOD, "id": "empty-body", "body": "  \u200c\u0000 "}), "InvalidArticle",
                   "validate", "body is empty"),
    "not persian": (orjson.dumps({**GOOD, "id": "english", "language": "en", "title": "Dams",
                                  "body": "The minister spoke about dams."}), "InvalidArticle", "validate",
                    "not Persian"),
    "oversize": (orjson.dumps({**GOOD, "id": "huge", "body": BODY * 40_000}), "InvalidArticle", "validate",
                 "over the"),
    "impossible date": (orjson.dumps({**GOOD, "id": "feb-30", "published_at": "2024-02-30T10:00:00Z"}),
                        "InvalidArticle", "validate", "ISO 8601"),
}
REJECTED = {**GOOD, "id": "immense-byline", "byline": "خبرنگار " * 6000}  # the engine refuses the term
MARKED = {**GOOD, "id": "marked", "title": "<h1>وضعیت <i>سدها</i></h1>",
          "body": f"<p>{BODY}</p><script>alert('x')</script><style>p {{}}</style>&lt;b&gt;تمام&lt;/b&gt;"}


@pytest.fixture(scope="module")
def dead(worker_factory: Callable[..., Worker], run_id: str, kafka_producer: KafkaProducer,
         search_client: OpenSearch) -> tuple[Worker, dict[str, dict[str, Any]]]:
    """A worker fed every kind of bad message; its dead letters by label once all have arrived."""
    prefix = f"dl{run_id}"
    worker = worker_factory(prefix=prefix, alias=f"{prefix}-articles")
    worker.start()
    big = KafkaProducer(bootstrap_servers=kafka_producer.config["bootstrap_servers"], acks="all",
                        max_request_size=16 * 1024 * 1024)
    try:
        where = {}
        for label, (payload, *_rest) in BAD.items():
            where[label] = big.send(f"{prefix}.raw", value=payload).get(timeout=60)
        for doc in (REJECTED, MARKED):
            big.send(f"{prefix}.raw", key=f"isna-{doc['id']}".encode(), value=orjson.dumps(doc)).get(timeout=60)
    finally:
        big.close()

    def letters() -> dict[str, dict[str, Any]] | None:
        found = [parse_dead_letter(m.value) for m in consume_all(f"{prefix}.dlq", 5)]
        by_source = {(d["topic"], d["partition"], d["offset"]): d for d in found}
        out = {label: by_source.get((f"{prefix}.raw", meta.partition, meta.offset)) for label, meta in where.items()}
        out["engine rejects"] = next((d for d in found if d["article_id"] == "isna-immense-byline"), None)
        return {k: v for k, v in out.items() if v is not None} if all(out.values()) else None

    found = wait_for(letters, 120, "every bad message on the dead-letter topic", worker)
    wait_for(lambda: search_client.indices.exists_alias(name=f"{prefix}-articles")
             and search_client.search(index=f"{prefix}-articles", body={"query": {"ids": {"values": ["isna-marked"]}}})
             ["hits"]["hits"], 60, "the marked-up article", worker)
    return worker, found


@pytest.mark.parametrize("label", list(BAD))
def test_bad_message_is_dead_lettered_with_everything(dead: tuple[Worker, dict[str, dict[str, Any]]],
                                                      label: str) -> None:
    """Original bytes, error class, reason, stage, source topic/partition/offset and time are recorded."""
    worker, letters = dead
    payload, error_class, stage, reason = BAD[label]
    letter = letters[label]
    assert letter["original"] == payload and letter["original_size"] == len(payload)
    assert (letter["error_class"], letter["stage"]) == (error_class, stage)
    assert reason in letter["reason"], letter["reason"]
    assert letter["topic"] == worker.settings.raw_topic and letter["offset"] >= 0
    assert letter["time"].endswith("Z")


def test_engine_rejection_is_dead_lettered_at_the_index_stage(dead: tuple[Worker, dict[str, dict[str, Any]]],
                                                              search_client: OpenSearch) -> None:
    """A document the engine refuses (HTTP 400) is a RejectedDocument dead letter, not a retry loop."""
    worker, letters = dead
    letter = letters["engine rejects"]
    assert letter["error_class"] == "RejectedDocument" and letter["stage"] == "index"
    assert letter["topic"] == worker.settings.enriched_topic
    assert orjson.loads(letter["original"])["id"] == "isna-immense-byline"
    hits = search_client.search(index=worker.settings.index_alias,
                                body={"query": {"ids": {"values": ["isna-immense-byline"]}}})["hits"]["hits"]
    assert hits == []


def test_markup_is_stripped_not_rejected(dead: tuple[Worker, dict[str, dict[str, Any]]],
                                         search_client: OpenSearch) -> None:
    """HTML and scripts are removed from the indexed text and from `original`; the article is kept."""
    worker, _ = dead
    doc = search_client.get(index=worker.settings.index_alias, id="isna-marked")["_source"]
    for text in (doc["title"], doc["body"], *doc["original"].values()):
        assert "<" not in text and "alert" not in text and "p {}" not in text, text
    assert "سدها" in doc["title"] and "وزیر نیرو" in doc["original"]["body"]


def _khabar(worker: Worker, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams", *args], env={**os.environ, **worker.env, "COLUMNS": "200"},
                          cwd=PROJECT, capture_output=True, text=True, timeout=120)


def test_dlq_list_and_show(dead: tuple[Worker, dict[str, dict[str, Any]]]) -> None:
    """`khabar dlq list` counts by class and stage; `show N` prints one record, hex when not UTF-8."""
    worker, _ = dead
    listed = _khabar(worker, "dlq", "list")
    assert listed.returncode == 0, listed.stderr
    assert "InvalidArticle" in listed.stdout and "RejectedDocument" in listed.stdout and "decode" in listed.stdout
    # where each original landed: its partition and offset (consumption order is neither)
    at = {parse_dead_letter(m.value)["original"]: ("--partition", str(m.partition), str(m.offset))
          for m in consume_all(worker.settings.dlq_topic, 5)}
    shown = _khabar(worker, "dlq", "show", *at[BAD["invalid utf-8"][0]])
    assert shown.returncode == 0, shown.stderr
    assert "original (hex)" in shown.stdout and "ff fe" in shown.stdout
    shown = _khabar(worker, "dlq", "show", *at[BAD["impossible date"][0]])
    assert "original (utf-8)" in shown.stdout and "2024-02-30" in shown.stdout


def test_dlq_replay_reinjects_originals(dead: tuple[Worker, dict[str, dict[str, Any]]]) -> None:
    """`khabar dlq replay --stage decode` sends those originals back to news.raw, marked as replays."""
    worker, _ = dead
    replayed = _khabar(worker, "dlq", "replay", "--stage", "decode", "--since", "1h")
    assert replayed.returncode == 0, replayed.stderr
    assert "replayed 2" in replayed.stdout, replayed.stdout
    raw = consume_all(worker.settings.raw_topic, 5)
    again = [m for m in raw if any(k == "khabar-replay-of" for k, _ in (m.headers or []))]
    assert sorted(m.value for m in again) == sorted([BAD["malformed json"][0], BAD["invalid utf-8"][0]])

    def redead() -> bool:
        found = [parse_dead_letter(m.value) for m in consume_all(worker.settings.dlq_topic, 5)]
        return sum(d["original"] == BAD["malformed json"][0] for d in found) == 2

    wait_for(redead, 60, "the replayed message dead-lettered again", worker)
