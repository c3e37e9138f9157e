"""The external version of a document: the article's own time, never when it happened to be received."""

from __future__ import annotations

from datetime import datetime, timezone

from streams.enrich.document import external_version
from streams.model import Article

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)


def _article(published: datetime | None, updated: datetime | None) -> Article:
    return Article(doc_id="irna-1", article_id="1", agency="IRNA", url=None, title="t", kicker="", lead="",
                   body="b", published_at=published, updated_at=updated, language="fa", source_format="flat",
                   byline=None)


def test_update_time_else_publication_time() -> None:
    """The version is the update time in ms, else the publication time; the receive time plays no part."""
    later = datetime(2030, 1, 1, tzinfo=timezone.utc)
    updated = T0.replace(hour=12)
    assert external_version(_article(T0, updated), later) == int(updated.timestamp() * 1000)
    assert external_version(_article(T0, None), later) == int(T0.timestamp() * 1000)


def test_an_undated_article_has_the_lowest_version() -> None:
    """Undated: version 0 whenever it is received, so an old copy received today (a backfill)
    never replaces an indexed version."""
    assert external_version(_article(None, None), T0) == 0
    assert external_version(_article(None, None), datetime(2030, 1, 1, tzinfo=timezone.utc)) == 0
