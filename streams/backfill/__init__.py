"""Backfills: reprocess an archive, resumably, without duplicates.

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
a re-enrichment. An undated article has version 0 (its receive time says nothing of which copy is
newer): a direct backfill writes those with ``external``, so an archive copy of an undated
article never replaces the one indexed.
"""

from streams.backfill.archive import backfill_files, count_files
from streams.backfill.checkpoint import Checkpoint, checkpoint_file, checkpoint_path
from streams.backfill.common import BackfillResult
from streams.backfill.enricher import Enricher
from streams.backfill.reindex import raw_from_document, reindex_from_index

__all__ = ["BackfillResult", "Checkpoint", "Enricher", "backfill_files", "checkpoint_file", "checkpoint_path",
           "count_files",
           "raw_from_document", "reindex_from_index"]
