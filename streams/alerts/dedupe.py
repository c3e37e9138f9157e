"""One alert per story: near-duplicate detection and the per-figure ledger of recent stories.

The same story reaches the wire from several agencies, each with its own headline and source line
("به گزارش ایرنا" / "به گزارش خبرگزاری مهر به نقل از ایرنا") but nearly the same lead and body. A
story's :class:`Sketch` keeps the 64 smallest hashes of its word 3-shingles (bottom-k MinHash) and
how many shingles it has; from two sketches we estimate how much of the shorter text the other
contains. Copies with a changed source line, a dropped paragraph or a few edited words score above
0.8; different stories, even on the same subject, below 0.15. A simhash over the same shingles was
tried first: on news-length texts its distances for rewritten copies overlap those of unrelated
stories.

A figure's :class:`Ledger` holds its recent story groups. The first copy of a story opens a group
that stays open for ``group_wait_s`` so copies arriving close together are gathered into one alert
listing every agency; copies arriving later, within ``window_s`` of the first, join the group
without a second alert. The ledger is plain data (:meth:`Ledger.to_dict`), stored in a faust table
by the worker that owns the figure.

Pure: no Kafka, no faust.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

import orjson

from streams.enrich.persian import fold_words
from streams.intake.decode import web_url

__all__ = [
    "Group",
    "Ledger",
    "MAX_LEDGER_BYTES",
    "Mention",
    "Observation",
    "Sketch",
    "clip",
    "story_text",
]

_TOKEN = re.compile(r"\w+")
_SHINGLE = 3
_SKETCH_SIZE = 64
#: More groups than this per figure and the oldest are forgotten (bounds the table's values).
MAX_GROUPS = 256
#: Copies listed per story; more are still recognised as copies, just not listed.
MAX_COPIES = 64

#: A mention, and so an alert, carries ids and a trimmed title, never a body: whatever an article
#: holds, its records stay far below any Kafka size limit.
MAX_TITLE_CHARS = 300
MAX_QUOTE_CHARS = 600
MAX_SHORT_CHARS = 200
#: A figure's ledger (one record of the ledger table's changelog) is kept under this size.
MAX_LEDGER_BYTES = 512 * 1024

Observation = Literal["opened", "joined", "late", "repeat"]


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_opt(value: Any, limit: int) -> str | None:
    return None if value is None else clip(str(value), limit)


def story_text(doc: Mapping[str, Any]) -> str:
    """The part of a document that stays the same across agencies: lead and body (headlines differ)."""
    text = "\n".join(str(doc.get(k) or "") for k in ("lead", "body")).strip()
    if len(text) < 80:
        text = "\n".join(str(doc.get(k) or "") for k in ("title", "lead", "body")).strip()
    return text


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold_words(text))


@dataclass(frozen=True, slots=True)
class Sketch:
    """Bottom-k MinHash of a text's word 3-shingles, and the number of distinct shingles."""

    hashes: tuple[int, ...]
    size: int

    @classmethod
    def of(cls, text: str) -> Sketch:
        tokens = _tokens(text)
        if not tokens:
            return cls((), 0)
        n = min(_SHINGLE, len(tokens))
        shingles = {
            int.from_bytes(hashlib.blake2b(" ".join(tokens[i:i + n]).encode("utf-8"), digest_size=4).digest(), "big")
            for i in range(len(tokens) - n + 1)
        }
        return cls(tuple(sorted(shingles)[:_SKETCH_SIZE]), len(shingles))

    def containment(self, other: Sketch) -> float:
        """Estimated share of the smaller text's shingles found in the other one (0..1)."""
        if not self.hashes or not other.hashes:
            return 0.0
        mine, theirs = set(self.hashes), set(other.hashes)
        union = sorted(mine | theirs)[:_SKETCH_SIZE]
        jaccard = sum(1 for h in union if h in mine and h in theirs) / len(union)
        shared = jaccard / (1.0 + jaccard) * (self.size + other.size)
        return min(1.0, shared / min(self.size, other.size))

    def encode(self) -> str:
        return f"{self.size}:" + "".join(f"{h:08x}" for h in self.hashes)

    @classmethod
    def decode(cls, text: str) -> Sketch:
        size, _, hexes = text.partition(":")
        return cls(tuple(int(hexes[i:i + 8], 16) for i in range(0, len(hexes), 8)), int(size or 0))


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Mention:
    """A tracked figure found in one article: what the match stage sends to the figure's owner."""

    figure_id: str
    figure_name: str
    figure_type: str
    doc_id: str
    title: str
    url: str | None
    agency: str | None
    published_at: str | None
    kind: Literal["mention", "quote"]
    surface: str
    quote: str | None
    sketch: Sketch
    seen_at: float

    def __post_init__(self) -> None:
        # every way of making a mention (from a document, from the topic) gives a bounded one
        for name, limit in (("figure_id", MAX_SHORT_CHARS), ("figure_name", MAX_SHORT_CHARS),
                            ("figure_type", MAX_SHORT_CHARS), ("doc_id", 512), ("title", MAX_TITLE_CHARS),
                            ("surface", MAX_SHORT_CHARS)):
            object.__setattr__(self, name, clip(getattr(self, name), limit))
        for name, limit in (("agency", MAX_SHORT_CHARS), ("published_at", 64), ("quote", MAX_QUOTE_CHARS)):
            object.__setattr__(self, name, _clip_opt(getattr(self, name), limit))
        object.__setattr__(self, "url", web_url(self.url))

    def to_dict(self) -> dict[str, Any]:
        return {
            "figure": {"id": self.figure_id, "name": self.figure_name, "type": self.figure_type},
            "article": {"id": self.doc_id, "title": self.title, "url": self.url, "agency": self.agency,
                        "published_at": self.published_at},
            "kind": self.kind, "surface": self.surface, "quote": self.quote,
            "sketch": self.sketch.encode(), "seen_at": self.seen_at,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Mention:
        fig, art = raw["figure"], raw["article"]
        kind: Literal["mention", "quote"] = "quote" if raw.get("kind") == "quote" else "mention"
        return cls(figure_id=str(fig["id"]), figure_name=str(fig.get("name") or fig["id"]),
                   figure_type=str(fig.get("type") or "custom"), doc_id=str(art["id"]),
                   title=str(art.get("title") or ""), url=art.get("url"), agency=art.get("agency"),
                   published_at=art.get("published_at"), kind=kind, surface=str(raw.get("surface") or ""),
                   quote=raw.get("quote"), sketch=Sketch.decode(str(raw.get("sketch") or "")),
                   seen_at=float(raw["seen_at"]))


@dataclass
class Group:
    """One story about one figure: its first copy, the copies that joined, whether it was alerted."""

    sketch: Sketch
    first_seen: float
    due: float
    first: dict[str, Any]
    articles: list[dict[str, Any]] = field(default_factory=list)
    emitted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"sketch": self.sketch.encode(), "first_seen": self.first_seen, "due": self.due,
                "first": self.first, "articles": self.articles, "emitted": self.emitted}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Group:
        return cls(sketch=Sketch.decode(str(raw["sketch"])), first_seen=float(raw["first_seen"]),
                   due=float(raw["due"]), first=dict(raw["first"]), articles=list(raw.get("articles") or []),
                   emitted=bool(raw.get("emitted")))

    def has(self, doc_id: str) -> bool:
        return any(a.get("id") == doc_id for a in self.articles)

    @property
    def alert_id(self) -> str:
        seed = f"{self.first['figure']['id']}\x00{self.first['article']['id']}"
        return hashlib.sha1(seed.encode("utf-8")).hexdigest()[:20]

    def alert(self, now: float) -> dict[str, Any]:
        """The alert record (``schemas/alert.schema.json``)."""
        fig, art = self.first["figure"], self.first["article"]
        agencies = list(dict.fromkeys(a.get("agency") or "unknown" for a in self.articles))
        return {
            "id": self.alert_id,
            "figure_id": fig["id"],
            "figure_name": fig["name"],
            "figure_type": fig.get("type") or "custom",
            "article_id": art["id"],
            "title": art.get("title") or "",
            "url": art.get("url"),
            "agency": art.get("agency"),
            "published_at": art.get("published_at"),
            "kind": self.first["kind"],
            "quote": self.first.get("quote"),
            "surface": self.first.get("surface") or fig["name"],
            "agencies": agencies,
            "articles": self.articles,
            "first_seen_at": _iso(self.first_seen),
            "alerted_at": _iso(now),
        }


def _article_of(m: Mention) -> dict[str, Any]:
    return {"id": m.doc_id, "agency": m.agency, "url": m.url, "published_at": m.published_at}


@dataclass
class Ledger:
    """A figure's recent story groups (plain data, stored per figure in the worker's table)."""

    groups: list[Group] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"groups": [g.to_dict() for g in self.groups]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> Ledger:
        if not raw:
            return cls()
        return cls([Group.from_dict(g) for g in raw.get("groups") or ()])

    def prune(self, now: float, window_s: float) -> None:
        """Forget stories first seen more than ``window_s`` ago (an unsent one is kept until sent)."""
        self.groups = [g for g in self.groups if not g.emitted or now - g.first_seen <= window_s]
        if len(self.groups) > MAX_GROUPS:
            self.groups = self.groups[-MAX_GROUPS:]

    def observe(self, m: Mention, *, now: float, window_s: float, group_wait_s: float,
                similarity: float) -> Observation:
        """Add one mention: ``opened`` a new story, ``joined`` one not yet alerted, ``late`` to one
        already alerted, or ``repeat`` (this very article was seen before)."""
        self.prune(now, window_s)
        for g in self.groups:
            if g.has(m.doc_id):
                return "repeat"
        best: Group | None = None
        best_score = similarity
        for g in self.groups:
            score = g.sketch.containment(m.sketch)
            if score >= best_score:
                best, best_score = g, score
        if best is None:
            first = {k: v for k, v in m.to_dict().items() if k != "sketch"}
            self.groups.append(Group(m.sketch, m.seen_at, m.seen_at + group_wait_s, first, [_article_of(m)]))
            return "opened"
        if len(best.articles) < MAX_COPIES:
            best.articles.append(_article_of(m))
        if best.emitted:
            return "late"
        if m.kind == "quote" and best.first.get("kind") != "quote":
            # a copy that quotes the figure makes the story a quote: the alert carries the words
            best.first = {**best.first, "kind": "quote", "quote": m.quote, "surface": m.surface}
        return "joined"

    def due(self, now: float) -> list[Group]:
        return [g for g in self.groups if not g.emitted and g.due <= now]

    def next_due(self) -> float | None:
        pending = [g.due for g in self.groups if not g.emitted]
        return min(pending) if pending else None

    def encode(self, max_bytes: int = MAX_LEDGER_BYTES) -> bytes:
        """The ledger as JSON, forgetting its oldest stories (sent ones first) until it fits ``max_bytes``."""
        body = orjson.dumps(self.to_dict())
        while len(body) > max_bytes and self.groups:
            sent = [g for g in self.groups if g.emitted]
            self.groups.remove(sent[0] if sent else self.groups[0])
            body = orjson.dumps(self.to_dict())
        return body
