"""`khabar backfill` on the real servers: resumable without duplicates, direct indexing, re-enrichment."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from opensearchpy import OpenSearch

from streams.backfill import Checkpoint, backfill_files, reindex_from_index
from streams.config import Settings, load_settings
from streams.devtools.bench import article_key, generate_articles
from streams.devtools.stack import Stack, default_config
from streams.sink.search import open_writer
from tests.support import Worker, consume_all, drop_index, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.search]
ARTICLES = 25


class Interrupted(Exception):
    """Stands for Ctrl-C arriving right after a chunk was made durable."""


def _archive(root: Path, seed: int) -> tuple[Path, list[str]]:
    docs = list(generate_articles(ARTICLES, seed=seed))
    folder = root / "archive"
    folder.mkdir()
    (folder / "feed.jsonl").write_bytes(b"\n".join(orjson.dumps(d) for d in docs[:20]) + b"\n")
    for i, doc in enumerate(docs[20:]):
        (folder / f"item{i}.json").write_bytes(orjson.dumps(doc))
    return folder, [article_key(d) for d in docs]


def _interrupt_after(chunks: int) -> Any:
    calls = [0]

    def progress(n: int) -> None:
        calls[0] += 1
        if calls[0] >= chunks:
            raise Interrupted

    return progress


def test_produce_mode_resumes_without_duplicates(worker: Worker, search_client: OpenSearch, tmp_path: Path) -> None:
    """Interrupted after a chunk, a second run sends only the rest; every article is sent once and indexed."""
    settings = worker.settings
    folder, ids = _archive(tmp_path, seed=21)
    ckpt_file = tmp_path / "produce.json"
    with pytest.raises(Interrupted):
        asyncio.run(backfill_files(settings, [folder], Checkpoint.load(ckpt_file, "produce"), chunk=10,
                                   progress=_interrupt_after(1)))
    first = Checkpoint.load(ckpt_file, "produce")
    assert first.done_total == 10
    result = asyncio.run(backfill_files(settings, [folder], first, chunk=10))
    assert (result.resumed_from, result.handled, result.skipped) == (10, 15, 0)
    again = asyncio.run(backfill_files(settings, [folder], Checkpoint.load(ckpt_file, "produce"), chunk=10))
    assert again.handled == 0 and again.resumed_from == ARTICLES

    keys = [m.key.decode() for m in consume_all(settings.raw_topic, 5) if m.key and m.key.decode() in set(ids)]
    assert sorted(keys) == sorted(ids), "each archived article was produced exactly once"

    def searchable() -> bool:
        if not search_client.indices.exists_alias(name=settings.index_alias):
            return False  # the worker has not made its index yet
        search_client.indices.refresh(index=settings.index_alias)
        body = {"query": {"ids": {"values": ids}}}
        return int(search_client.count(index=settings.index_alias, body=body)["count"]) == len(ids)

    wait_for(searchable, 240, "the backfilled articles to be searchable", worker)


def _direct_settings() -> Settings:
    cfg = default_config()
    prefix = f"bf{uuid.uuid4().hex[:6]}"
    return load_settings({"KHABAR_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap, "KHABAR_SEARCH_URL": cfg.search_url,
                          "KHABAR_TOPIC_PREFIX": prefix, "KHABAR_INDEX_ALIAS": f"{prefix}-articles"})


async def _write_plain(settings: Settings, doc: dict[str, Any]) -> Any:
    writer = await asyncio.to_thread(open_writer, settings)
    try:
        return await writer.bulk([doc])
    finally:
        await writer.close()


def test_direct_backfill_and_reindex_replace_the_same_version(stack: Stack, search_client: OpenSearch,
                                                             tmp_path: Path) -> None:
    """--direct indexes enriched documents; --reindex-from-index rewrites them at the same version."""
    settings = _direct_settings()
    alias = settings.index_alias
    folder, ids = _archive(tmp_path, seed=22)
    try:
        result = asyncio.run(backfill_files(settings, [folder], Checkpoint.load(tmp_path / "d.json", "direct"),
                                            direct=True, chunk=10))
        assert (result.handled, result.skipped) == (ARTICLES, 0), result.problems
        search_client.indices.refresh(index=alias)
        hits = search_client.search(index=alias, body={"query": {"match_all": {}}, "size": 100})["hits"]["hits"]
        assert sorted(h["_id"] for h in hits) == sorted(ids)
        assert all(h["_source"]["entities"] for h in hits)

        # a stale enrichment at the same version, as an older gazetteer would have left it
        victim = next(h for h in hits if h["_source"]["topics"])
        source = dict(victim["_source"])
        source.pop("indexed_at", None)
        stale = {**source, "topics": ["stale"], "topic_scores": {}}
        search_client.index(index=alias, id=victim["_id"], body=stale, version=source["version"],
                            version_type="external_gte", refresh=True)
        # the workers' writes never replace an equal version: a redelivery is a no-op
        outcome = asyncio.run(_write_plain(settings, source))
        assert outcome.superseded == [victim["_id"]]

        ckpt_file = tmp_path / "index.json"
        with pytest.raises(Interrupted):
            asyncio.run(reindex_from_index(settings, Checkpoint.load(ckpt_file, "index"), chunk=7,
                                           progress=_interrupt_after(2)))
        rest = asyncio.run(reindex_from_index(settings, Checkpoint.load(ckpt_file, "index"), chunk=7))
        assert rest.resumed_from == 14 and rest.handled == ARTICLES - 14 and not rest.problems
        done = asyncio.run(reindex_from_index(settings, Checkpoint.load(ckpt_file, "index"), chunk=7))
        assert done.handled == 0

        search_client.indices.refresh(index=alias)
        after = search_client.get(index=alias, id=victim["_id"])["_source"]
        assert after["topics"] == source["topics"] and after["version"] == source["version"]
        assert search_client.count(index=alias)["count"] == ARTICLES
    finally:
        drop_index(search_client, alias)


def test_checkpoint_of_another_mode_is_refused(tmp_path: Path) -> None:
    """A checkpoint written by a produce backfill is not silently reused by a direct one."""
    ckpt = Checkpoint(tmp_path / "c.json", "produce")
    ckpt.save()
    from streams.errors import KhabarError

    with pytest.raises(KhabarError, match="produce"):
        Checkpoint.load(tmp_path / "c.json", "direct")
