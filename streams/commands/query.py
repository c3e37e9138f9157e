"""Search requests for `khabar search`: pure, from the user's words to a query body."""

from __future__ import annotations

from typing import Any

from streams.enrich.gazetteer import Gazetteer
from streams.enrich.persian import match_key, normalize_phrase

__all__ = ["build_query"]


def build_query(text: str | None = None, *, topic: str | None = None, person: str | None = None,
                speaker: str | None = None, agency: str | None = None,
                gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """A bool query: free text over title/lead/body (Persian-normalized, spelling-tolerant through
    entity keys), and filters on topic, person (mentioned or quoted) and agency."""
    must: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    if text:
        phrase = normalize_phrase(text)
        key = match_key(text)
        should: list[dict[str, Any]] = [
            {"multi_match": {"query": phrase, "fields": ["title^3", "lead^2", "kicker^2", "body"],
                             "type": "phrase", "slop": 1}},
            {"term": {"entity_keys": key}},
            {"nested": {"path": "quotes", "query": {"match_phrase": {"quotes.text": phrase}}}},
        ]
        if gazetteer is not None:
            ids = [e.id for e in gazetteer.lookup(text)]
            if ids:
                should.append({"terms": {"entity_ids": ids}})
        must.append({"bool": {"should": should, "minimum_should_match": 1}})
    if topic:
        filters.append({"term": {"topics": topic}})
    if agency:
        filters.append({"term": {"agency": agency}})
    for who, quoted in ((person, False), (speaker, True)):
        if not who:
            continue
        name = normalize_phrase(who)
        ids = [e.id for e in gazetteer.lookup(who)] if gazetteer is not None else []
        names = [name] + ([e.name for e in gazetteer.lookup(who)] if gazetteer is not None else [])
        if quoted:
            inner: list[dict[str, Any]] = [{"terms": {"quotes.speaker.name": names}}]
            if ids:
                inner.append({"terms": {"quotes.speaker.id": ids}})
            filters.append({"nested": {"path": "quotes", "query": {"bool": {"should": inner,
                                                                                "minimum_should_match": 1}}}})
        else:
            options: list[dict[str, Any]] = [{"terms": {"persons": names}},
                                             {"term": {"entity_keys": match_key(who)}}]
            if ids:
                options.append({"terms": {"entity_ids": ids}})
            filters.append({"bool": {"should": options, "minimum_should_match": 1}})
    query: dict[str, Any] = {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}
    return {"query": query, "sort": ["_score", {"published_at": {"order": "desc", "missing": "_last"}}]}
