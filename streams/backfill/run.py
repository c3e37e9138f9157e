"""`khabar backfill`: reprocess an archive, resumably, without duplicates.

Three ways in:

- **produce** (default): archive files (JSONL, ninjs ``.json``, ``.txt``; folders of them, read by
  :mod:`streams.intake.files`) are published to ``news.raw``, keyed by the stable article id; the running
  workers enrich and index them like live copy. Re-sending an article is idempotent: same id, same
  external version, so the engine keeps one document (a second write is ``superseded``).
- **direct** (``--direct``): the backfill enriches in its own process (or a pool, ``--processes``)
  exactly as a worker does (:meth:`Runtime.enrich_one`) and bulk-indexes through the search writer.
  For re-enrichment after a gazetteer or topic change it replaces documents of the same article
  version (see *Versions*).
- **from the index** (``--reindex-from-index``): what is already indexed is read back (search_after
  over the alias), each raw article is rebuilt from its ``original`` text and metadata in the form
  it arrived in (flat, ninjs, body-only, so its id and version come out the same) and re-enriched
  as in ``--direct``.

Resuming: a checkpoint file records, per input file, how many of its items are durably handled
(produced with acks from all replicas, or indexed), and for the index mode the last sort key. It is
written atomically after each chunk; an interrupted run resumes at the last chunk boundary, and
what is re-sent from the interrupted chunk overwrites itself. A file whose size or modification
time changed is started over.

Versions: the document's external version is the article's update time in ms (newer wins, older
never overwrites). Normal writes use ``version_type=external``: an equal version is refused, so a
redelivered article never rewrites itself. Re-enrichment must replace a document of the *same*
article version, so direct and index-mode writes use ``external_gte``: equal or newer replaces,
older still never does. The one thing ``external_gte`` allows that ``external`` does not, an equal
version overwriting an equal version, only happens from the backfill, which runs the current
enrichment; the workers keep ``external``, so a stale enriched message replayed later cannot undo
a re-enrichment.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from streams.config import Settings
from streams.errors import KhabarError, SearchUnavailable
from streams.intake.files import InputProblem, RawInput, count_inputs, expand_paths, iter_inputs

__all__ = ["Checkpoint", "BackfillResult", "Enricher", "backfill_files", "reindex_from_index",
           "raw_from_document", "checkpoint_path"]

log = logging.getLogger("khabar.backfill")

CHUNK = 500


# ---------------------------------------------------------------------------------------------
# Checkpoint
# ---------------------------------------------------------------------------------------------


def _stat(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


@dataclass
class Checkpoint:
    """Per-file progress (items durably handled) and the index mode's last sort key; saved atomically."""

    path: Path
    mode: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    after: list[Any] | None = None
    done_total: int = 0

    @classmethod
    def load(cls, path: Path, mode: str) -> Checkpoint:
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path, mode)
        except (OSError, orjson.JSONDecodeError) as exc:
            raise KhabarError(f"checkpoint {path} is unreadable ({exc}); remove it or pass --restart") from None
        if data.get("mode") != mode:
            raise KhabarError(f"checkpoint {path} belongs to a {data.get('mode')!r} backfill, not {mode!r}; "
                              "pass another --checkpoint or --restart")
        return cls(path, mode, dict(data.get("files", {})), data.get("after"), int(data.get("done_total", 0)))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        body = {"mode": self.mode, "files": self.files, "after": self.after, "done_total": self.done_total,
                "saved_at": datetime.now(timezone.utc).isoformat()}
        with tmp.open("wb") as fh:
            fh.write(orjson.dumps(body, option=orjson.OPT_INDENT_2))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path)

    def skip(self, file: Path) -> int:
        """Items of ``file`` already handled (0 if it is new or changed since)."""
        entry = self.files.get(str(file.resolve()))
        if not entry:
            return 0
        if {k: entry.get(k) for k in ("size", "mtime_ns")} != _stat(file):
            log.warning("%s changed since the checkpoint; starting it over", file)
            return 0
        return int(entry.get("done", 0))

    def advance(self, file: Path, done: int, complete: bool, handled: int) -> None:
        self.files[str(file.resolve())] = {**_stat(file), "done": done, "complete": complete}
        self.done_total += handled


def checkpoint_path(settings: Settings, mode: str, paths: Sequence[Path]) -> Path:
    """The default checkpoint: one per (mode, inputs, target), beside the worker's state."""
    key = "\n".join([mode, settings.index_alias, settings.raw_topic, *sorted(str(p.resolve()) for p in paths)])
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return Path(settings.data_dir).parent / "backfill" / f"{mode}-{digest}.json"


# ---------------------------------------------------------------------------------------------
# Enrichment, as a worker does it (in this process or in a pool)
# ---------------------------------------------------------------------------------------------


class Enricher:
    """Raw article bytes → enriched document (or a dead letter), through the worker's own code."""

    def __init__(self, settings: Settings) -> None:
        from prometheus_client import CollectorRegistry

        from streams.app.metrics import Metrics
        from streams.app.runtime import Runtime
        from streams.enrich.pipeline import Pipeline

        async def no_send(topic: str, record: Any) -> None:
            raise RuntimeError("the backfill's enricher sends nothing")

        self.runtime = Runtime(settings, Pipeline(), Metrics(CollectorRegistry()), no_send)

    def enrich(self, items: Sequence[tuple[str, bytes, float | None]]) -> list[tuple[str, bytes | None, str]]:
        """(where, raw bytes, received epoch s) → (where, enriched JSON or None, reason if not)."""
        from streams.app.runtime import Outgoing, SourceMessage

        out: list[tuple[str, bytes | None, str]] = []
        for where, raw, received in items:
            msg = SourceMessage(value=raw, topic="backfill", partition=0, offset=0,
                                timestamp=received if received is not None else time.time())
            result = self.runtime.enrich_one(msg)
            if isinstance(result, Outgoing):
                out.append((where, result.value, ""))
            else:
                out.append((where, None, f"{result.error_class}: {result.reason}"))
        return out


_POOL_ENRICHER: Enricher | None = None


def _pool_init(settings: Settings) -> None:
    global _POOL_ENRICHER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _POOL_ENRICHER = Enricher(settings)


def _pool_enrich(items: Sequence[tuple[str, bytes, float | None]]) -> list[tuple[str, bytes | None, str]]:
    assert _POOL_ENRICHER is not None
    return _POOL_ENRICHER.enrich(items)


class _EnrichRunner:
    """Chunks enriched in-process (``processes`` ≤ 1) or spread over a process pool."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.processes = processes
        self.local = Enricher(settings) if processes <= 1 else None
        self.pool = (ProcessPoolExecutor(processes, initializer=_pool_init, initargs=(settings,))
                     if processes > 1 else None)

    async def enrich(self, items: list[tuple[str, bytes, float | None]]) -> list[tuple[str, bytes | None, str]]:
        if self.local is not None:
            return await asyncio.to_thread(self.local.enrich, items)
        assert self.pool is not None
        loop = asyncio.get_running_loop()
        step = max(1, -(-len(items) // self.processes))
        parts = [items[i:i + step] for i in range(0, len(items), step)]
        results = await asyncio.gather(*(loop.run_in_executor(self.pool, _pool_enrich, p) for p in parts))
        return [r for part in results for r in part]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


# ---------------------------------------------------------------------------------------------
# Writing: Kafka (produce mode) or the search engine (direct modes)
# ---------------------------------------------------------------------------------------------


@dataclass
class BackfillResult:
    handled: int = 0  # produced or indexed (including documents the engine already had newer)
    skipped: int = 0  # problems: unreadable lines, articles enrichment refused, documents refused
    resumed_from: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.handled / self.seconds if self.seconds else 0.0


Progress = Callable[[int], None]


async def _index_all(writer: Any, docs: list[dict[str, Any]], retry_max_s: float) -> list[str]:
    """Bulk-index with retries of transient failures; the reasons of documents the engine refused."""
    from streams.backoff import Backoff

    backoff = Backoff(cap=retry_max_s)
    pending = docs
    refused: list[str] = []
    while pending:
        try:
            outcome = await writer.bulk(pending, replace_same_version=True)
        except SearchUnavailable as exc:
            delay = backoff.next_delay()
            log.warning("search engine unavailable (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            continue
        refused.extend(f"{r.doc_id}: {r.error_type}: {r.reason}" for r in outcome.rejected)
        pending = outcome.retry
        if pending:
            await asyncio.sleep(backoff.next_delay())
        else:
            backoff.reset()
    return refused


class _Stop:
    """SIGINT/SIGTERM ask for a stop at the next chunk boundary (the checkpoint stays exact)."""

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _Stop:
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                self._old[sig] = signal.signal(sig, self._handle)
            except ValueError:  # not the main thread: the caller handles interruption itself
                pass
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:  # a second signal: stop now, the current chunk is re-sent next time
            raise KeyboardInterrupt
        self.requested = True
        log.warning("stopping after the current chunk (again to stop at once)")

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


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


def _key(doc: dict[str, Any]) -> str:
    from streams.intake.decode import stable_id

    return stable_id(doc.get("agency") or doc.get("copyrightholder"),
                     str(doc.get("id") or doc.get("uri") or "") or None, doc.get("url"),
                     str(doc.get("title", "")) + "\n" + str(doc.get("body", "")))


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
        runner = _EnrichRunner(settings, processes)
    else:
        from streams.sink.kafka import ensure_topics
        from streams.sink.kafka import producer as make_producer

        ensure_topics(settings)
        producer = make_producer(settings)
    try:
        with _Stop() as stop:
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
                        refused = await _index_all(writer, docs, settings.retry_max_s)
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
    futures = [producer.send(topic, key=_key(orjson.loads(value)).encode(), value=value) for _, value, _ in raws]
    producer.flush()
    for fut in futures:
        fut.get(timeout=60)


# ---------------------------------------------------------------------------------------------
# Re-enriching what is indexed
# ---------------------------------------------------------------------------------------------

_SOURCE_FIELDS = ["id", "article_id", "agency", "url", "language", "source_format", "byline", "published_at",
                  "updated_at", "received_at", "version", "original"]


def raw_from_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The raw article an indexed document was made from, in the form it arrived in.

    The same form gives the same stable id and the same version, so the re-enriched document
    replaces this one and no other.
    """
    original = doc.get("original") or {}
    kicker, title, lead, body = (str(original.get(k) or "") for k in ("kicker", "title", "lead", "body"))
    language = doc.get("language") or "fa"
    if doc.get("source_format") == "ninjs":
        raw: dict[str, Any] = {"uri": doc.get("article_id") or doc.get("url") or "", "language": language,
                               "headlines": [{"value": title}] + ([{"value": kicker, "role": "kicker"}]
                                                                  if kicker else []),
                               "body_text": body}
        if lead:
            raw["descriptions"] = [{"value": lead, "role": "summary"}]
        for key, value in (("copyrightholder", doc.get("agency")), ("by", doc.get("byline")),
                           ("versioncreated", doc.get("updated_at")), ("firstcreated", doc.get("published_at"))):
            if value:
                raw[key] = value
        return raw
    raw = {"body": body, "language": language}
    if doc.get("source_format") != "text":
        raw.update(title=title, kicker=kicker, lead=lead)
    for key in ("agency", "url", "byline", "published_at", "updated_at"):
        if doc.get(key):
            raw[key] = doc[key]
    if doc.get("article_id"):
        raw["id"] = doc["article_id"]
    return raw


def _epoch(iso: Any) -> float | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


async def reindex_from_index(settings: Settings, checkpoint: Checkpoint, *, processes: int = 1,
                             chunk: int = CHUNK, progress: Progress | None = None,
                             resumed: Progress | None = None,
                             total: Callable[[int], None] | None = None) -> BackfillResult:
    """Re-enrich every document of the alias, in ``id`` order, resumable from the checkpoint."""
    from streams.sink.search import open_writer

    result = BackfillResult()
    began = time.monotonic()
    writer = await asyncio.to_thread(open_writer, settings)
    runner = _EnrichRunner(settings, processes)
    try:
        await writer.ensure_index()
        count = await writer.count()
        if total:
            total(count)
        result.resumed_from = checkpoint.done_total
        if resumed and checkpoint.done_total:
            resumed(checkpoint.done_total)
        with _Stop() as stop:
            while not stop.requested:
                body: dict[str, Any] = {"query": {"match_all": {}}, "sort": [{"id": "asc"}],
                                        "_source": _SOURCE_FIELDS}
                if checkpoint.after:
                    body["search_after"] = checkpoint.after
                hits = (await writer.search(body, size=chunk))["hits"]["hits"]
                if not hits:
                    break
                raws: list[tuple[str, bytes, float | None]] = []
                versions: dict[str, int] = {}
                for hit in hits:
                    src = hit["_source"]
                    raws.append((hit["_id"], orjson.dumps(raw_from_document(src)), _epoch(src.get("received_at"))))
                    versions[hit["_id"]] = int(src.get("version") or 0)
                docs = []
                for where, value, reason in await runner.enrich(raws):
                    if value is None:
                        result.skipped += 1
                        result.problems.append(f"{where}: {reason}")
                        continue
                    doc = orjson.loads(value)
                    if doc["id"] != where or int(doc["version"]) != versions[where]:
                        # never write under another id or version than the document being replaced
                        result.skipped += 1
                        result.problems.append(f"{where}: rebuilt as {doc['id']} v{doc['version']}, "
                                               f"not v{versions[where]}; left as it is")
                        continue
                    docs.append(doc)
                refused = await _index_all(writer, docs, settings.retry_max_s)
                result.skipped += len(refused)
                result.problems.extend(refused)
                result.handled += len(docs) - len(refused)
                checkpoint.after = hits[-1]["sort"]
                checkpoint.done_total += len(hits)
                checkpoint.save()
                if progress:
                    progress(len(hits))
    finally:
        runner.close()
        await writer.close()
    result.seconds = time.monotonic() - began
    return result


def count_files(paths: Sequence[Path]) -> int:
    """Articles in the archive, for the progress bar."""
    return count_inputs(expand_paths(paths))
