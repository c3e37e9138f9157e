"""Malformed and hostile messages: a corpus of nasty cases, and many more generated with hypothesis.

Every message returned by :func:`hostile_messages` is invalid by construction *and* checked to be
refused by :func:`streams.intake.decode.decode_article`, so the worker must dead-letter each of them.
:func:`engine_rejects` builds articles that decode and enrich but that the search engine refuses
(an immense keyword term), dead-lettered at the index stage. :func:`hostile_but_valid` builds
articles full of markup, bidi controls and NUL characters that must be indexed, sanitised.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import orjson
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from streams.errors import InvalidArticle
from streams.intake.decode import decode_article
from tests.chaos.articles import Generated

__all__ = ["engine_rejects", "hostile_but_valid", "hostile_messages", "nasty_corpus"]

MAX_BYTES = 2 * 1024 * 1024
_FIELDS = ("id", "agency", "url", "title", "kicker", "lead", "body", "published_at", "updated_at", "language",
           "byline", "uri", "versioncreated", "headlines", "bodies", "body_text")


def _refused(payload: bytes) -> bool:
    try:
        decode_article(payload, max_bytes=MAX_BYTES, require_persian=True)
    except InvalidArticle:
        return True
    return False


def nasty_corpus(valid: Sequence[Generated], rng: random.Random, big_bodies: int = 5) -> list[tuple[str, bytes]]:
    """Hand-made hostile cases, several variants each, built from valid articles."""
    docs = [orjson.loads(g.value) for g in valid]
    out: list[tuple[str, bytes]] = []

    def add(label: str, payload: bytes | dict[str, Any] | list[Any] | str | int | None) -> None:
        out.append((label, payload if isinstance(payload, bytes) else orjson.dumps(payload)))

    for i, doc in enumerate(docs[:40]):
        raw = orjson.dumps(doc)
        add("truncated json", raw[: rng.randint(1, len(raw) - 2)])
        add("wrong type: body number", {**doc, "body": i})
        add("wrong type: body list", {**doc, "body": [doc["body"]]})
        add("wrong type: body object", {**doc, "body": {"text": doc["body"]}})
        add("wrong type: title list", {**doc, "title": [doc["title"]]})
        add("wrong type: id object", {**doc, "id": {"n": i}})
        add("wrong type: published_at number", {**doc, "published_at": 1714557600})
        add("missing body", {k: v for k, v in doc.items() if k != "body"})
        add("empty body", {**doc, "body": ""})
        add("blank body", {**doc, "body": " \n\t\u200c " * 10})
        add("null body", {**doc, "body": None})
        add("not persian: english", {**doc, "language": "en", "title": "Oil prices rise", "body": "Brent rose. " * 80})
        add("not persian: english text tagged fa", {**doc, "title": "Oil", "body": "Brent crude rose today. " * 60})
        add("not persian: arabic", {**doc, "language": "ar"})
        add("invalid utf-8: cp1256", raw.decode("utf-8").encode("cp1256", errors="replace"))
        add("invalid utf-8: utf-16", raw.decode("utf-8").encode("utf-16"))
        add("invalid utf-8: stray byte", raw[:50] + b"\xff\xfe" + raw[50:])
        add("impossible date: Feb 30", {**doc, "published_at": "2024-02-30T10:00:00Z"})
        add("impossible date: month 13", {**doc, "updated_at": "2024-13-01T10:00:00Z"})
        add("impossible date: year 9999", {**doc, "published_at": "9999-01-01T00:00:00Z"})
        add("impossible date: words", {**doc, "published_at": "yesterday afternoon!"})
        add("rtl override body", {**doc, "body": "\u202e\u2066\u200f" * 50})
        add("rtl override english", {**doc, "title": "\u202eeltit", "body": "\u202e" + "gnirts desrever " * 40})
        add("nul characters body", {**doc, "body": "\u0000" * 200})
        add("raw nul bytes in json", raw[:30] + b"\x00\x00\x00" + raw[30:])
        add("script only body", {**doc, "body": "<script>document.location='http://x'</script>" * 5})
        add("deeply nested json", b"[" * 20000 + b"]" * 20000)
        add("nested beyond the depth limit", {**doc, "extra": _nest(40)})
        add("top level array", [doc])
        add("top level string", doc["title"])
        add("top level null", None)
        add("empty payload", b"")
        add("bom before json", b"\xef\xbb\xbf" + raw)
        add("nan literal", raw[:-1] + b',"x":NaN}')
        add("lone surrogate escape", raw[:-1] + b',"byline":"\\ud800"}')
        add("id too long", {**doc, "id": "x" * 300})
        add("ninjs without body", {"uri": f"urn:x:{i}", "headlines": [{"value": doc["title"]}], "language": "fa"})
        add("ninjs empty uri", {"uri": "", "body_text": doc["body"], "language": "fa"})
        add("ninjs headlines not a list", {"uri": f"urn:y:{i}", "body_text": doc["body"], "headlines": "x"})
    filler = docs[0]["body"]
    for i in range(big_bodies):  # 5 MB bodies: far over the article limit, still under the broker's
        add("oversize 5 MB", {**docs[i % len(docs)], "body": (filler + "\n\n") * (5 * 1024 * 1024 // len(filler))})
    for i in range(3):
        add("oversize by a little", {**docs[i], "body": "ب" * (MAX_BYTES // 2 + 10)})
    return out


def _nest(depth: int) -> Any:
    node: Any = "x"
    for _ in range(depth):
        node = {"a": node}
    return node


def _json() -> st.SearchStrategy[Any]:
    leaves = (st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
              | st.floats(allow_nan=False, allow_infinity=False) | st.text())
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=8), inner, max_size=5),
                        max_leaves=12)


def _mutations(docs: Sequence[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """A valid article with one field replaced by any JSON value, dropped, or its bytes cut/flipped."""
    pool = list(docs)
    doc = st.integers(0, len(pool) - 1).map(pool.__getitem__)
    replaced = st.builds(lambda d, k, v: orjson.dumps({**d, k: v}), doc, st.sampled_from(_FIELDS), _json())
    dropped = st.builds(lambda d, k: orjson.dumps({x: y for x, y in d.items() if x != k}), doc,
                        st.sampled_from(("body", "language")))
    cut = st.builds(lambda d, f: orjson.dumps(d)[: max(1, int(len(orjson.dumps(d)) * f))], doc,
                    st.floats(0.0, 0.99))
    flipped = st.builds(lambda d, at, b: _flip(orjson.dumps(d), at, b), doc, st.floats(0, 1), st.integers(128, 255))
    return replaced | dropped | cut | flipped


def _flip(raw: bytes, at: float, byte: int) -> bytes:
    i = min(len(raw) - 1, int(len(raw) * at))
    return raw[:i] + bytes([byte]) + raw[i + 1:]


def _generated(docs: Sequence[dict[str, Any]], count: int, random_seed: int) -> list[bytes]:
    """Up to ``count`` hypothesis-generated payloads (raw bytes, any text, any JSON, mutated articles)."""
    found: list[bytes] = []
    anything = (st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
                | _json().map(orjson.dumps) | _mutations(docs))

    @seed(random_seed)
    @settings(max_examples=count, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(anything)
    def collect(payload: bytes) -> None:
        found.append(payload)

    collect()
    return found


def hostile_messages(valid: Sequence[Generated], count: int, *, seed: int = 11,
                     big_bodies: int = 5) -> list[tuple[str, bytes]]:
    """``count`` hostile messages (label, bytes): the corpus, then hypothesis-generated ones, each
    checked to be refused by the decoder."""
    rng = random.Random(seed)
    corpus = [(label, payload) for label, payload in nasty_corpus(valid, rng, big_bodies) if _refused(payload)]
    docs = [orjson.loads(g.value) for g in valid[:200]]
    generated: list[tuple[str, bytes]] = []
    attempt = 0
    while len(corpus) + len(generated) < count and attempt < 10:
        need = count - len(corpus) - len(generated)
        generated += [("hypothesis", p) for p in _generated(docs, int(need * 1.3) + 50, seed + attempt)
                      if _refused(p)]
        attempt += 1
    messages = corpus + generated[: max(0, count - len(corpus))]
    rng.shuffle(messages)
    return messages[:count]


def engine_rejects(valid: Sequence[Generated], count: int) -> list[Generated]:
    """Valid articles with a 40 KB byline: the engine refuses the immense keyword term (HTTP 400)."""
    out = []
    for g in valid[:count]:
        doc = orjson.loads(g.value)
        doc["id"] = f"{doc['id']}-immense"
        doc["byline"] = "خبرنگار " * 6000
        value = orjson.dumps(doc)
        article = decode_article(value, max_bytes=MAX_BYTES)
        out.append(Generated(article.doc_id, article.doc_id.encode(), value, g.version))
    return out


def hostile_but_valid(valid: Sequence[Generated]) -> list[Generated]:
    """Valid articles carrying markup, scripts, bidi overrides and NUL characters: indexed, sanitised."""
    out = []
    for i, g in enumerate(valid):
        doc = orjson.loads(g.value)
        doc["id"] = f"{doc['id']}-marked"
        doc["title"] = f"<b onclick=\"x()\">{doc['title']}</b>"
        doc["lead"] = f"\u202e{doc['lead']}\u0000"
        doc["body"] = (f"<p>{doc['body']}</p><script>alert({i})</script><img src=x onerror=alert(1)>"
                       "&lt;script&gt;alert(2)&lt;/script&gt;")
        value = orjson.dumps(doc)
        article = decode_article(value, max_bytes=MAX_BYTES)
        out.append(Generated(article.doc_id, article.doc_id.encode(), value, g.version))
    return out
