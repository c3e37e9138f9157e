"""Scoring one article's document against its gold: counts, and each miss named by its kind.

A miss's kind is what a fix would address (``--explain`` groups by it): an organization missed that
the gazetteer lacks, headed by «وزارت»; a quote whose speaker came out as an organization; a short
quoted phrase taken as a quote. Kinds name patterns, never single entities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from streams.enrich.persian import match_key

__all__ = ["Miss", "Score", "score_entities", "score_quotes", "score_sources"]

NamesOf = Callable[[str], tuple[str, ...]]
Known = Callable[[str], bool]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True, slots=True)
class Miss:
    """One error: in which article, of which field, of which kind, and the names involved."""

    article: str
    field: str
    kind: str
    detail: str


def _keys(entity: Mapping[str, Any], names_of: NamesOf) -> set[str]:
    keys = {match_key(entity["name"])} | {match_key(m) for m in entity.get("mentions", ())}
    return keys | {match_key(n) for n in names_of(entity["id"])}


def _overlaps(a: str, b: str) -> bool:
    return bool(a and b) and (a in b or b in a)


def _head(name: str) -> str:
    return name.split()[0] if name.split() else name


def _missed_kind(label: str, gold: str, key: str, same: list[tuple[set[str], Mapping[str, Any]]],
                 other: list[tuple[set[str], Mapping[str, Any]]], known: Known) -> tuple[str, str]:
    for keys, e in other:
        if key in keys:
            return f"{label} missed: found as {e['type']}", gold
    for keys, e in same:
        if any(_overlaps(key, k) for k in keys):
            return f"{label} missed: boundary", f"{gold} ≠ {e['name']}"
    where = "in the gazetteer" if known(gold) else "not in the gazetteer"
    if label == "organizations":
        return f"{label} missed, {where}, head «{_head(gold)}»", gold
    return f"{label} missed, {where}", gold


def score_entities(article: str, label: str, gold: Sequence[str], entities: Sequence[Mapping[str, Any]],
                   etype: str, names_of: NamesOf, known: Known, score: Score, misses: list[Miss]) -> None:
    """Gold names of one type against the document's entities of that type."""
    same = [(_keys(e, names_of), e) for e in entities if e["type"] == etype]
    other = [(_keys(e, names_of), e) for e in entities if e["type"] not in (etype, "date")]
    remaining = list(same)
    gold_keys = [match_key(g) for g in dict.fromkeys(gold)]
    for g, key in zip(dict.fromkeys(gold), gold_keys, strict=True):
        hit = next((i for i, (keys, _) in enumerate(remaining) if key in keys), None)
        if hit is not None:
            score.tp += 1
            remaining.pop(hit)
            continue
        score.fn += 1
        kind, detail = _missed_kind(label, g, key, same, other, known)
        misses.append(Miss(article, label, kind, detail))
    for keys, e in remaining:
        score.fp += 1
        if any(_overlaps(k, g) for k in keys for g in gold_keys):
            kind = f"{label} extra: boundary"
        else:
            kind = f"{label} extra, {'linked' if e.get('linked') else 'unlinked'}"
            if label == "organizations":
                kind += f", head «{_head(e['name'])}»"
        misses.append(Miss(article, label, kind, e["name"]))


def _speaker_keys(quote: Mapping[str, Any], names_of: NamesOf) -> set[str]:
    speaker = quote.get("speaker")
    if not speaker:
        return set()
    keys = {match_key(speaker["name"])}
    if speaker.get("id"):
        keys |= {match_key(n) for n in names_of(speaker["id"])}
    return keys


def _speaker_miss(gold: Mapping[str, Any], quote: Mapping[str, Any]) -> str:
    speaker = quote.get("speaker")
    if not speaker:
        return "no speaker"
    if speaker.get("type") == "organization":
        return "an organization"
    return "another person"


def _linked(quote: Mapping[str, Any], predicted: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    index = quote.get("condenses")
    return predicted[index] if isinstance(index, int) and 0 <= index < len(predicted) else None


def _score_link(gold: Mapping[str, Any], quote: Mapping[str, Any], predicted: Sequence[Mapping[str, Any]],
                links: Score, article: str, misses: list[Miss]) -> None:
    want = gold.get("condenses")
    if want is None:
        return
    target = _linked(quote, predicted)
    if target is not None and match_key(target["text"]).startswith(match_key(want)[:40]):
        links.tp += 1
        return
    links.fn += 1
    misses.append(Miss(article, "headline_quotes", "headline link wrong" if target else "headline link missed",
                       f"«{gold['text'][:30]}» → «{want[:30]}»"))


def score_quotes(article: str, gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]],
                 names_of: NamesOf, scores: Mapping[str, Score], links: Score, misses: list[Miss]) -> None:
    """Gold quotes of every kind against the document's quotes (``scores`` by kind: direct, colon,
    headline). A quote found with the wrong speaker is both a miss and an extra; indirect speech is
    not annotated, so predicted indirect quotes are not scored."""
    used: set[int] = set()
    for g in gold:
        kind = g.get("kind", "direct")
        score = scores[kind]
        text = match_key(g["text"])[:40]
        found = next((i for i, q in enumerate(predicted) if i not in used and q.get("kind") != "indirect"
                      and text in match_key(q["text"])), None)
        if found is None:
            score.fn += 1
            misses.append(Miss(article, kind, f"{kind} quote missed", f"{g['speaker']} «{g['text'][:30]}»"))
            continue
        used.add(found)
        q = predicted[found]
        if match_key(g["speaker"]) in _speaker_keys(q, names_of):
            score.tp += 1
            if kind == "headline":
                _score_link(g, q, predicted, links, article, misses)
            continue
        score.fn += 1
        score.fp += 1
        who = (q.get("speaker") or {}).get("name")
        misses.append(Miss(article, kind, f"{kind} quote speaker wrong: {_speaker_miss(g, q)}",
                           f"{g['speaker']} ≠ {who} «{g['text'][:30]}»"))
    for i, q in enumerate(predicted):
        kind = q.get("kind", "direct")
        if i in used or kind not in scores:
            continue
        scores[kind].fp += 1
        size = "short" if len(q["text"].split()) <= 4 else "long"
        who = (q.get("speaker") or {}).get("name")
        misses.append(Miss(article, kind, f"{kind} quote extra ({size})", f"{who} «{q['text'][:30]}»"))


def score_sources(article: str, gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]],
                  names_of: NamesOf, score: Score, roles: Score, misses: list[Miss]) -> None:
    """Credited outlets (by name) and, for those found, their role in the chain."""
    remaining = list(predicted)
    for g in gold:
        key = match_key(g["name"])
        hit = next((i for i, s in enumerate(remaining) if key in _keys(s["entity"], names_of)), None)
        if hit is None:
            score.fn += 1
            misses.append(Miss(article, "sources", f"source missed ({g.get('role')})", g["name"]))
            continue
        score.tp += 1
        s = remaining.pop(hit)
        if s.get("role") == g.get("role"):
            roles.tp += 1
        else:
            roles.fp += 1
            misses.append(Miss(article, "sources", f"source role wrong: {s.get('role')} for {g.get('role')}",
                               g["name"]))
    for s in remaining:
        score.fp += 1
        misses.append(Miss(article, "sources", f"source extra ({s.get('role')})", s["entity"]["name"]))
