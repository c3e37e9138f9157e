"""The Khabar error tree.

```
KhabarError
 ├─ ConfigError             settings are missing or invalid (raised at start, never per message)
 ├─ PermanentError          never retried → dead-letter, then the offset may advance
 │   ├─ InvalidArticle          cannot decode / fails the schema / empty body / over size
 │   ├─ StageError              a stage failed on this article (.stage, .article_id)
 │   ├─ EnrichTimeout           enriching one article overran its time budget (reason enrich_timeout)
 │   ├─ RejectedDocument        the search engine refused the document (mapping error, 400)
 │   └─ Undelivered             the broker did not take a record within a bounded number of tries
 └─ TransientError          retried with capped exponential backoff + jitter; the offset holds
     └─ SearchUnavailable       connection refused, timeout, 429, 5xx
```
"""

from __future__ import annotations

__all__ = [
    "KhabarError",
    "ConfigError",
    "PermanentError",
    "InvalidArticle",
    "StageError",
    "EnrichTimeout",
    "RejectedDocument",
    "Undelivered",
    "TransientError",
    "SearchUnavailable",
]


class KhabarError(Exception):
    """Base of every error Khabar raises on purpose."""


class ConfigError(KhabarError):
    """Settings are missing or invalid; the message says which and why."""


class PermanentError(KhabarError):
    """Retrying cannot help: the message goes to the dead-letter topic."""

    stage: str = "validate"

    @property
    def reason(self) -> str:
        return str(self)


class InvalidArticle(PermanentError):
    """The payload is not an article we can process (decode, schema, size, language)."""

    def __init__(self, reason: str, *, stage: str = "validate") -> None:
        super().__init__(reason)
        self.stage = stage


class StageError(PermanentError):
    """An enrichment stage failed on one article."""

    def __init__(self, stage: str, article_id: str | None, reason: str) -> None:
        super().__init__(f"{stage} failed: {reason}")
        self.stage = stage
        self.article_id = article_id
        self.detail = reason

    def __reduce__(self) -> tuple[type[StageError], tuple[str, str | None, str]]:
        # crosses the pipe from an enrichment process: rebuilt from its own arguments
        return (StageError, (self.stage, self.article_id, self.detail))


class EnrichTimeout(PermanentError):
    """Enriching one article took longer than the per-article budget (``KHABAR_ENRICH_TIMEOUT_S``)."""

    stage = "enrich"

    def __init__(self, budget_s: float, size: int) -> None:
        super().__init__(f"enrich_timeout: enrichment took over {budget_s:g}s, the per-article budget "
                         f"(KHABAR_ENRICH_TIMEOUT_S); the payload is {size} bytes")
        self.budget_s = budget_s
        self.size = size

    def __reduce__(self) -> tuple[type[EnrichTimeout], tuple[float, int]]:
        return (EnrichTimeout, (self.budget_s, self.size))


class RejectedDocument(PermanentError):
    """The search engine refused the document itself (mapping error, 400)."""

    stage = "index"

    def __init__(self, doc_id: str, error_type: str, reason: str) -> None:
        super().__init__(f"{error_type}: {reason}")
        self.doc_id = doc_id
        self.error_type = error_type
        self.detail = reason

    def __reduce__(self) -> tuple[type[RejectedDocument], tuple[str, str, str]]:
        return (RejectedDocument, (self.doc_id, self.error_type, self.detail))


class Undelivered(PermanentError):
    """A record the broker did not acknowledge within the tries its producer allows (the alert path)."""

    stage = "produce"


class TransientError(KhabarError):
    """A dependency is unavailable for now: retry, holding the offset."""


class SearchUnavailable(TransientError):
    """The search engine cannot take writes right now (down, timeout, 429, 5xx)."""
