"""10,000 malformed or hostile messages mixed into valid traffic, on the real stack.

Every hostile message is dead-lettered with its reason (and its original bytes, or their digest
when too large to carry whole); every valid article is indexed, markup stripped.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from tests.chaos.articles import generate
from tests.chaos.harness import Scenario, env_int
from tests.chaos.hostile import engine_rejects, hostile_but_valid, hostile_messages

pytestmark = pytest.mark.chaos


def test_hostile_messages_are_dead_lettered_and_valid_ones_indexed(scenario: Callable[..., Scenario]) -> None:
    """Each of the hostile messages lands on the DLQ with a reason; each valid article is indexed once."""
    n_hostile = env_int("KHABAR_CHAOS_HOSTILE", 10_000)
    n_valid = env_int("KHABAR_CHAOS_HOSTILE_VALID", 2_000)
    sc = scenario("hostile")
    plain = list(generate(n_valid, sc.prefix))
    marked = hostile_but_valid(plain[:100])
    rejected = engine_rejects(plain[100:120], 20)
    valid = plain + marked
    hostile = hostile_messages(plain, n_hostile)
    labelled: list[tuple[str, bytes | None, bytes]] = [
        *(("valid", g.key, g.value) for g in valid),
        *(("engine rejects", g.key, g.value) for g in rejected),
        *((label, None, payload) for label, payload in hostile),
    ]
    random.Random(5).shuffle(labelled)
    worker = sc.worker()
    worker.start()
    feeder = sc.feed([(key, value) for _, key, value in labelled])
    feeder.wait(900)
    sc.wait_indexed(len(valid), 900, alive=worker.alive)

    raw = sc.settings.raw_topic
    expected_raw = {(raw, *feeder.where[i]): (label, value) for i, (label, _, value) in enumerate(labelled)
                    if label not in ("valid", "engine rejects")}
    letters: dict[tuple[str, int, int], dict[str, Any]] = {}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the last dead letters may trail the indexing a little
        letters = sc.dead_letters()
        at_index_ids = {d.get("article_id") for d in letters.values() if d["stage"] == "index"}
        if all(src in letters for src in expected_raw) and all(g.doc_id in at_index_ids for g in rejected):
            break
        time.sleep(2)
    missing = [expected_raw[src][0] for src in expected_raw if src not in letters]
    reasonless = [src for src in expected_raw if src in letters and not (
        letters[src]["reason"] and letters[src]["error_class"] and letters[src]["stage"])]
    altered = [src for src in expected_raw if src in letters and letters[src].get("original_sha256")
               != hashlib.sha256(expected_raw[src][1]).hexdigest()]
    at_index = {d.get("article_id"): d for d in letters.values() if d["stage"] == "index"}
    not_rejected = [g.doc_id for g in rejected if g.doc_id not in at_index]
    classes = Counter(f"{d['error_class']}/{d['stage']}" for d in letters.values())
    found = sc.indexed()
    with_markup = [doc_id for doc_id in (g.doc_id for g in marked) if doc_id in found]
    figures = sc.verdict(valid, dead_lettered=len(letters), hostile=len(expected_raw),
                         hostile_missing_from_dlq=len(missing), without_reason=len(reasonless),
                         original_altered=len(altered), engine_rejected=len(rejected) - len(not_rejected),
                         by_class=dict(classes.most_common(8)))
    line = figures.line()
    assert not missing, f"{line}\nnot dead-lettered: {Counter(missing).most_common(10)}\n{sc.logs()}"
    assert not reasonless and not altered, line
    assert not not_rejected, f"{line}\nnot dead-lettered at the index stage: {not_rejected[:5]}"
    assert all(at_index[g.doc_id]["error_class"] == "RejectedDocument" for g in rejected), line
    assert figures.lost == 0 and figures.duplicates == 0 and figures.wrong_version == 0, line
    assert not any(doc_id in found for doc_id in (g.doc_id for g in rejected)), line
    assert len(with_markup) == len(marked), line
    docs = sc.search.mget(index=sc.alias, body={"ids": with_markup[:100]})["docs"]
    for doc in docs:
        src = doc["_source"]
        for text in (src["title"], src["lead"], src["body"], *src["original"].values()):
            assert "<" not in text and "alert" not in text, (doc["_id"], text[:200])
        for text in (src["title"], src["lead"], src["body"]):  # normalized: no bidi overrides, no NUL
            assert "\u202e" not in text and "\u0000" not in text, (doc["_id"], text[:200])
