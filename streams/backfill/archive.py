"""Backfilling archive files: publish them to ``news.raw`` (default) or enrich and index them here."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from streams.backfill.checkpoint import Checkpoint
from streams.backfill.common import CHUNK, BackfillResult, Progress, Stop, index_all
from streams.backfill.enricher import EnrichRunner
from streams.config import Settings
from streams.intake.decode import raw_key
from streams.intake.files import InputProblem, RawInput, count_inputs, expand_paths, iter_inputs

__all__ = ["backfill_files", "count_files"]


def _chunks(path: Path, skip: int, size: int) -> Iterator[tuple[int, list[RawInput | InputProblem]]]:
    """(items consumed so far in the file, next chunk of items) after skipping ``skip`` items."""
    chunk: list[RawInput | InputProblem] = []
    position = 0
    for item in iter_inputs(path):
        position += 1
        if position <= skip:
            continue
        chunk.append(item)
        if len(chunk) >= size:
            yield position, chunk
            chunk = []
    if chunk:
        yield position, chunk


async def backfill_files(settings: Settings, paths: Sequence[Path], checkpoint: Checkpoint, *,
                         direct: bool = False, processes: int = 1, chunk: int = CHUNK,
                         progress: Progress | None = None, resumed: Progress | None = None,
                         agency: str | None = None) -> BackfillResult:
    """Send (or enrich and index) every article of ``paths`` not yet recorded in ``checkpoint``."""
    files = expand_paths(paths)
    result = BackfillResult()
    began = time.monotonic()
    producer = None
    writer = None
    runner = None
    if direct:
        from streams.sink.search import open_writer

        writer = await asyncio.to_thread(open_writer, settings)
        await writer.ensure_index()
        runner = EnrichRunner(settings, processes)
    else:
        from streams.sink.kafka import ensure_topics
        from streams.sink.kafka import producer as make_producer

        ensure_topics(settings)
        producer = make_producer(settings)
    try:
        with Stop() as stop:
            for path in files:
                skip = checkpoint.skip(path)
                if skip:
                    result.resumed_from += skip
                    if resumed:
                        resumed(skip)
                if checkpoint.files.get(str(path.resolve()), {}).get("complete") and skip:
                    continue
                done = skip
                for position, items in _chunks(path, skip, chunk):
                    raws: list[tuple[str, bytes, float | None]] = []
                    for item in items:
                        if isinstance(item, InputProblem):
                            result.skipped += 1
                            result.problems.append(f"{item.where}: {item.reason}")
                            continue
                        doc = item.doc
                        if agency and "agency" not in doc and "uri" not in doc:
                            doc = {**doc, "agency": agency}
                        raws.append((item.where, orjson.dumps(doc), None))
                    if direct:
                        assert runner is not None and writer is not None
                        enriched = await runner.enrich(raws)
                        docs = []
                        for where, value, reason in enriched:
                            if value is None:
                                result.skipped += 1
                                result.problems.append(f"{where}: {reason}")
                            else:
                                docs.append(orjson.loads(value))
                        # an undated article's copies cannot be told apart in time (version 0):
                        # an archive copy of one never replaces what is indexed
                        dated = [d for d in docs if d["version"] > 0]
                        undated = [d for d in docs if d["version"] <= 0]
                        refused = await index_all(writer, dated, settings.retry_max_s)
                        refused += await index_all(writer, undated, settings.retry_max_s, replace_same_version=False)
                        result.skipped += len(refused)
                        result.problems.extend(refused)
                        result.handled += len(docs) - len(refused)
                    else:
                        assert producer is not None
                        await asyncio.to_thread(_produce_chunk, producer, settings.raw_topic, raws)
                        result.handled += len(raws)
                    checkpoint.advance(path, position, False, position - done)
                    checkpoint.save()
                    if progress:
                        progress(position - done)
                    done = position
                    if stop.requested:
                        break
                if stop.requested:
                    break
                checkpoint.advance(path, done, True, 0)
                checkpoint.save()
    finally:
        if producer is not None:
            producer.close()
        if runner is not None:
            runner.close()
        if writer is not None:
            await writer.close()
    result.seconds = time.monotonic() - began
    return result


def _produce_chunk(producer: Any, topic: str, raws: Sequence[tuple[str, bytes, float | None]]) -> None:
    """Send and wait for every acknowledgement (acks=all) before the checkpoint may move."""
    futures = [producer.send(topic, key=raw_key(orjson.loads(value)).encode(), value=value) for _, value, _ in raws]
    producer.flush()
    for fut in futures:
        fut.get(timeout=60)


def count_files(paths: Sequence[Path]) -> int:
    """Articles in the archive, for the progress bar."""
    return count_inputs(expand_paths(paths))
