"""`khabar eval`: precision, recall and F1 of the enrichment against an annotated set.

Each file in the set holds a raw article and its gold persons, organizations, locations, direct
quotes with speakers and topics (see ``tests/data/eval/README.md``). Names are compared through
their match keys, so spelling variants of one name are one name; a predicted entity counts for a
gold name when the gold name is its canonical name, one of its gazetteer names, or a surface
form it was found under. ZWNJ restoration is measured on the clean articles: every ZWNJ is
removed, the text normalized again, and the ZWNJs that come back are counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from streams.enrich.persian import ZWNJ, match_key, normalize_text, zwnj_restoration
from streams.enrich.pipeline import Pipeline
from streams.intake.decode import parse_article
from streams.model import Enriched, Entity

__all__ = ["Score", "EvalReport", "evaluate", "load_cases"]

FIELDS = ("persons", "organizations", "locations", "quotes", "topics")
_TYPE = {"persons": "person", "organizations": "organization", "locations": "location"}


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


@dataclass
class EvalReport:
    articles: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    zwnj_restored: int = 0
    zwnj_lost: int = 0  # ZWNJs of the original that did not come back
    zwnj_wrong: int = 0
    hazm_zwnj: tuple[int, int, int] | None = None  # the same measure for hazm's Normalizer alone
    errors: dict[str, list[str]] = field(default_factory=dict)  # per-article misses, for --verbose

    @property
    def zwnj_ratio(self) -> float:
        total = self.zwnj_restored + self.zwnj_lost
        return self.zwnj_restored / total if total else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            **{f: s.as_dict() for f, s in self.scores.items()},
            "zwnj": {"restored": self.zwnj_restored, "removed": self.zwnj_restored + self.zwnj_lost,
                     "wrongly_inserted": self.zwnj_wrong,
                     "ratio": round(self.zwnj_ratio, 4)},
            **({"zwnj_hazm": {"restored": self.hazm_zwnj[0], "removed": self.hazm_zwnj[0] + self.hazm_zwnj[1],
                              "wrongly_inserted": self.hazm_zwnj[2]}} if self.hazm_zwnj else {}),
        }


def load_cases(paths: Iterable[Path]) -> list[dict[str, Any]]:
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    return [orjson.loads(f.read_bytes()) | {"_file": f.name} for f in files]


def _entity_keys(e: Entity, names_of: Callable[[str], tuple[str, ...]]) -> set[str]:
    keys = {match_key(e.name)} | {match_key(m.surface) for m in e.mentions}
    keys |= {match_key(n) for n in names_of(e.id)}
    return keys


def _score_entities(gold: list[str], predicted: list[Entity], names_of: Callable[[str], tuple[str, ...]],
                    score: Score, misses: list[str], label: str) -> None:
    remaining = [(_entity_keys(e, names_of), e) for e in predicted]
    for g in dict.fromkeys(gold):
        key = match_key(g)
        hit = next((i for i, (keys, _) in enumerate(remaining) if key in keys), None)
        if hit is None:
            score.fn += 1
            misses.append(f"{label} missed: {g}")
        else:
            score.tp += 1
            remaining.pop(hit)
    for _, e in remaining:
        score.fp += 1
        misses.append(f"{label} extra: {e.name}")


def _score_quotes(gold: list[dict[str, Any]], enriched: Enriched, names_of: Callable[[str], tuple[str, ...]],
                  score: Score, misses: list[str]) -> None:
    predicted = [q for q in enriched.quotes if q.kind == "direct"]
    used: set[int] = set()
    for g in gold:
        if g.get("kind", "direct") != "direct":
            continue
        gtext = match_key(g["text"])
        gspeaker = match_key(g["speaker"])
        found = None
        for i, q in enumerate(predicted):
            if i in used or gtext[:40] not in match_key(q.text):
                continue
            found = i
            speaker_keys: set[str] = set()
            if q.speaker is not None:
                speaker_keys = {match_key(q.speaker.name)}
                if q.speaker.id:
                    speaker_keys |= {match_key(n) for n in names_of(q.speaker.id)}
            if gspeaker in speaker_keys:
                break
            found = -(i + 1)  # text found, speaker wrong
            break
        if found is not None and found >= 0:
            used.add(found)
            score.tp += 1
        else:
            score.fn += 1
            if found is not None:
                q = predicted[-found - 1]
                used.add(-found - 1)
                score.fp += 1
                misses.append(f"quote speaker wrong: {g['speaker']} ≠ {q.speaker.name if q.speaker else None}"
                              f" «{g['text'][:30]}»")
            else:
                misses.append(f"quote missed: {g['speaker']} «{g['text'][:30]}»")
    for i, q in enumerate(predicted):
        if i not in used:
            score.fp += 1
            misses.append(f"quote extra: {q.speaker.name if q.speaker else None} «{q.text[:30]}»")


def _article_text(raw: dict[str, Any]) -> list[str]:
    parts = [raw.get(k) for k in ("kicker", "title", "lead", "body", "body_text")]
    parts += [h.get("value") for h in raw.get("headlines", []) if isinstance(h, dict)]
    return [p for p in parts if isinstance(p, str) and p]


def evaluate(cases: list[dict[str, Any]], pipeline: Pipeline | None = None,
             progress: Callable[[], None] | None = None, hazm_baseline: bool = False) -> EvalReport:
    pipeline = pipeline or Pipeline()
    hazm_normalize: Callable[[str], str] | None = None
    hazm_counts = [0, 0, 0]
    if hazm_baseline:
        from hazm import Normalizer

        hazm_normalize = Normalizer().normalize
    names_of = pipeline.gazetteer.names_of
    report = EvalReport()
    for case in cases:
        gold = case["gold"]
        article = parse_article(case["article"], require_persian=False)
        enriched, _ = pipeline.enrich(article)
        misses: list[str] = []
        for fld, etype in _TYPE.items():
            _score_entities(gold.get(fld, []), [e for e in enriched.entities if e.type == etype], names_of,
                            report.scores[fld], misses, fld)
        _score_quotes(gold.get("quotes", []), enriched, names_of, report.scores["quotes"], misses)
        topics = report.scores["topics"]
        gold_topics, got = set(gold.get("topics", [])), set(enriched.topics)
        topics.tp += len(gold_topics & got)
        topics.fp += len(got - gold_topics)
        topics.fn += len(gold_topics - got)
        for t in sorted(gold_topics ^ got):
            misses.append(f"topic {'missed' if t in gold_topics else 'extra'}: {t}")
        if not case.get("messy"):
            for text in _article_text(case["article"]):
                original = normalize_text(text)
                restored = normalize_text(text.replace(ZWNJ, ""))
                r, lost, wrong = zwnj_restoration(original, restored)
                report.zwnj_restored += r
                report.zwnj_lost += lost
                report.zwnj_wrong += wrong
                if hazm_normalize is not None:
                    for k, v in enumerate(zwnj_restoration(original, hazm_normalize(text.replace(ZWNJ, "")))):
                        hazm_counts[k] += v
        report.articles += 1
        if misses:
            report.errors[str(case.get("id", case.get("_file")))] = misses
        if progress:
            progress()
    if hazm_baseline:
        report.hazm_zwnj = (hazm_counts[0], hazm_counts[1], hazm_counts[2])
    return report
