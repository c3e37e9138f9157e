"""Decoding raw payloads from ``news.raw`` into :class:`~streams.model.Article`.

Pure: bytes in, an article or an :class:`~streams.errors.InvalidArticle` with its reason out.
Three forms are accepted (see ``schemas/raw_article.schema.json``): the flat agency form, IPTC
ninjs 2.x, and a body-only text whose kicker, title and lead are inferred later by the
structure stage.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from functools import cache
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from streams.errors import InvalidArticle
from streams.model import Article
from streams.resources import load_schema

__all__ = ["decode_article", "parse_article", "article_from_text", "raw_key", "stable_id", "persian_ratio",
           "web_url"]

_MAX_DEPTH = 32
_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_PERSIAN_LETTER = re.compile(r"[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC\u0622]")
_LATIN_OR_PERSIAN = re.compile(r"[A-Za-z\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC\u0622]")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("raw_article.schema.json"))


def _depth(value: Any, limit: int) -> int:
    """Nesting depth, stopping early past ``limit`` (deeply nested JSON is hostile)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


_BODY_CHECKED = 200  # characters: a body this long is judged on its own


def persian_ratio(text: str, sample: int = 4000) -> float:
    """Share of Persian/Arabic-script letters among letters in the first ``sample`` characters."""
    head = text[:sample]
    letters = len(_LATIN_OR_PERSIAN.findall(head))
    if not letters:
        return 0.0
    return len(_PERSIAN_LETTER.findall(head)) / letters


def _parse_time(value: Any, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidArticle(f"{field} must be an ISO 8601 string")
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArticle(f"{field} is not a valid ISO 8601 date-time: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    if not 1900 <= parsed.year <= 2200:
        raise InvalidArticle(f"{field} year {parsed.year} is out of range")
    return parsed


MAX_URL_CHARS = 2048


def web_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL fit to hand on (to the index, an alert, a
    webhook), else None: no ``javascript:`` or ``data:``, no whitespace or control characters.

    >>> web_url("https://www.irna.ir/news/1"), web_url("javascript:alert(1)")
    ('https://www.irna.ir/news/1', None)
    """
    if not isinstance(value, str) or len(value) > MAX_URL_CHARS:
        return None
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest or rest[0] in "/?#@":
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        return None
    return value


def _url(doc: dict[str, Any]) -> str | None:
    url = _text(doc.get("url")) or None
    if url is not None and web_url(url) is None:
        raise InvalidArticle(f"url must be an absolute http(s) URL without spaces, got {url[:60]!r}")
    return url


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


def stable_id(agency: str | None, article_id: str | None, url: str | None, content: str) -> str:
    """Agency + article id, else URL, else content hash: a redelivered article keeps its id."""
    if agency and article_id:
        agency_part = _ID_SAFE.sub("-", agency.strip().lower()).strip("-") or "agency"
        id_part = _ID_SAFE.sub("-", article_id.strip()).strip("-")
        if id_part and len(agency_part) + len(id_part) <= 200 and id_part == article_id.strip():
            return f"{agency_part}-{id_part}"
        return f"{agency_part}-{_sha(article_id)}"
    if url:
        return f"u-{_sha(url.strip())}"
    return f"h-{_sha(content)}"


def raw_key(doc: dict[str, Any]) -> str:
    """The stable id of a raw article document before decoding: the Kafka key it is produced under."""
    return stable_id(doc.get("agency") or doc.get("copyrightholder"),
                     str(doc.get("id") or doc.get("uri") or "") or None, doc.get("url"),
                     str(doc.get("title", "")) + "\n" + str(doc.get("body", "")))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _from_flat(doc: dict[str, Any]) -> Article:
    body = _text(doc.get("body"))
    title = _text(doc.get("title"))
    raw_id = doc.get("id")
    article_id = str(raw_id) if raw_id not in (None, "") else None
    agency = _text(doc.get("agency")) or None
    url = _url(doc)
    published = _parse_time(doc.get("published_at"), "published_at")
    updated = _parse_time(doc.get("updated_at"), "updated_at") or published
    return Article(
        doc_id=stable_id(agency, article_id, url, title + "\n" + body),
        article_id=article_id,
        agency=agency,
        url=url,
        title=title,
        kicker=_text(doc.get("kicker")),
        lead=_text(doc.get("lead")),
        body=body,
        published_at=published,
        updated_at=updated,
        language=_text(doc.get("language")) or "fa",
        source_format="flat" if title else "text",
        byline=_text(doc.get("byline")) or None,
    )


def _role_value(items: Any, roles: tuple[str, ...]) -> str:
    if not isinstance(items, list):
        return ""
    for role in roles:
        for item in items:
            if isinstance(item, dict) and (item.get("role") or "main") == role:
                return _text(item.get("value"))
    return ""


def _from_ninjs(doc: dict[str, Any]) -> Article:
    uri = _text(doc.get("uri"))
    headlines = doc.get("headlines")
    title = _role_value(headlines, ("main", "")) or _text(doc.get("headline"))
    kicker = _role_value(headlines, ("kicker", "overline", "pretitle"))
    lead = _role_value(doc.get("descriptions"), ("summary", "lead", "main")) or _text(doc.get("subheadline"))
    body = _text(doc.get("body_text")) or _role_value(doc.get("bodies"), ("main", ""))
    if not body and isinstance(doc.get("bodies"), list) and doc["bodies"]:
        first = doc["bodies"][0]
        body = _text(first.get("value")) if isinstance(first, dict) else ""
    agency = _text(doc.get("copyrightholder")) or None
    published = _parse_time(doc.get("firstcreated") or doc.get("versioncreated"), "firstcreated")
    updated = _parse_time(doc.get("versioncreated"), "versioncreated") or published
    url = web_url(uri)  # a ninjs uri is often a URN: only a web URL is kept as the article's url
    return Article(
        doc_id=stable_id(agency, uri, url, title + "\n" + body),
        article_id=uri,
        agency=agency,
        url=url,
        title=title,
        kicker=kicker,
        lead=lead,
        body=body,
        published_at=published,
        updated_at=updated,
        language=_text(doc.get("language")) or "fa",
        source_format="ninjs",
        byline=_text(doc.get("by")) or None,
    )


def parse_article(doc: Any, *, require_persian: bool = True) -> Article:
    """Validate a decoded JSON document against the raw schema and build the article."""
    if not isinstance(doc, dict):
        raise InvalidArticle(f"article must be a JSON object, got {type(doc).__name__}")
    if _depth(doc, _MAX_DEPTH) > _MAX_DEPTH:
        raise InvalidArticle(f"JSON nested deeper than {_MAX_DEPTH} levels")
    error = next(iter(_validator().iter_errors(doc)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        best = error.context[0] if error.context else error
        raise InvalidArticle(f"schema: {where}: {best.message[:200]}")
    article = _from_ninjs(doc) if "uri" in doc else _from_flat(doc)
    if not article.body.strip():
        raise InvalidArticle("body is empty")
    if not any(ch.isalnum() for ch in article.body):
        raise InvalidArticle("body is empty: no letters or digits, only spaces, controls or punctuation")
    language = article.language.lower()
    if require_persian:
        if language not in ("fa", "fa-ir", "per", "fas"):
            raise InvalidArticle(f"language {article.language!r} is not Persian")
        if len(article.body) >= _BODY_CHECKED and persian_ratio(article.body) < 0.5:
            # a Persian headline over a foreign body: the title alone must not carry the article
            raise InvalidArticle("body is not Persian (under half of its letters are Persian)")
        if persian_ratio(article.title + " " + article.body) < 0.5:
            raise InvalidArticle("text is not Persian (under half of its letters are Persian)")
    return article


def decode_article(payload: bytes, *, max_bytes: int, require_persian: bool = True) -> Article:
    """Bytes from Kafka → article, or :class:`InvalidArticle` with a reason fit for the DLQ."""
    if len(payload) > max_bytes:
        raise InvalidArticle(f"payload is {len(payload)} bytes, over the {max_bytes}-byte limit")
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidArticle(f"payload is not valid UTF-8 (byte {exc.start})", stage="decode") from None
    try:
        doc = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise InvalidArticle(f"payload is not valid JSON: {str(exc)[:120]}", stage="decode") from None
    return parse_article(doc, require_persian=require_persian)


def article_from_text(text: str, *, name: str | None = None, agency: str | None = None) -> dict[str, Any]:
    """A body-only raw article from a ``.txt`` file, as `khabar produce` sends it."""
    doc: dict[str, Any] = {"body": text, "language": "fa"}
    if agency:
        doc["agency"] = agency
    if name:
        doc["id"] = name
    return doc
