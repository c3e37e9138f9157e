"""`khabar eval`: precision, recall and F1 of what Khabar publishes, against an annotated set.

Each file of a set holds a raw article and its gold persons, organizations, locations, quotes with
speakers (``direct`` in «», ``colon`` speech without quote marks, ``headline`` speech in the title
or kicker), sources and topics (see ``tests/data/heldout4/README.md``). The article goes through
the one document function, so what is scored is exactly what is indexed.

Names are compared through their match keys: a predicted entity counts for a gold name when the
gold name is its canonical name, one of its gazetteer names, or a surface form it was found under.
A quote counts when its text starts with the gold's first words and its speaker is the gold
speaker. ZWNJ restoration is measured against the hand-written clean copy itself: every ZWNJ is
removed, the text normalized, and the ZWNJs that come back (and those put where the writer put
none) are counted; the clean copy normalized as it is shows what repair does to correct text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from streams.devtools.scoring import Miss, Score, score_entities, score_quotes, score_sources
from streams.enrich.document import Rejection, enrich_article
from streams.enrich.persian import ZWNJ, normalize_text, zwnj_restoration
from streams.enrich.pipeline import Pipeline
from streams.intake.decode import parse_article

__all__ = ["EVAL_TIME", "FIELDS", "EvalReport", "Miss", "Score", "evaluate", "load_cases"]

#: the receive time of every article evaluated (dates without a year take the article's, else this one's)
EVAL_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
ENTITY_FIELDS = {"persons": "person", "organizations": "organization", "locations": "location"}
QUOTE_FIELDS = {"direct": "quotes", "colon": "colon_quotes", "headline": "headline_quotes"}
FIELDS = ("persons", "organizations", "locations", "quotes", "colon_quotes", "headline_quotes", "sources",
          "topics", "karabakh")


@dataclass
class ZwnjCount:
    restored: int = 0
    lost: int = 0
    wrong: int = 0

    def add(self, counts: tuple[int, int, int]) -> None:
        self.restored += counts[0]
        self.lost += counts[1]
        self.wrong += counts[2]

    @property
    def ratio(self) -> float:
        total = self.restored + self.lost
        return self.restored / total if total else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"restored": self.restored, "removed": self.restored + self.lost, "wrongly_inserted": self.wrong,
                "ratio": round(self.ratio, 4)}


@dataclass
class EvalReport:
    articles: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    zwnj: ZwnjCount = field(default_factory=ZwnjCount)  # stripped clean copy, restored
    clean: ZwnjCount = field(default_factory=ZwnjCount)  # clean copy normalized as it is
    hazm_zwnj: ZwnjCount | None = None  # hazm's Normalizer alone on the stripped copy
    roles: Score = field(default_factory=Score)  # sources found: tp = right role, fp = wrong role
    links: Score = field(default_factory=Score)  # headline quotes found: tp = right body quote linked
    misses: list[Miss] = field(default_factory=list)

    @property
    def zwnj_ratio(self) -> float:
        return self.zwnj.ratio

    @property
    def zwnj_wrong(self) -> int:
        return self.zwnj.wrong

    @property
    def errors(self) -> dict[str, list[str]]:
        """Each article's misses, as lines (for ``--verbose``)."""
        out: dict[str, list[str]] = {}
        for m in self.misses:
            out.setdefault(m.article, []).append(f"{m.kind}: {m.detail}")
        return out

    def kinds(self) -> list[tuple[str, list[Miss]]]:
        """Misses grouped by kind, the most frequent first (for ``--explain``)."""
        groups: dict[str, list[Miss]] = {}
        for m in self.misses:
            groups.setdefault(m.kind, []).append(m)
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            **{f: s.as_dict() for f, s in self.scores.items()},
            "source_roles": {"right": self.roles.tp, "wrong": self.roles.fp,
                             "accuracy": round(self.roles.precision, 4)},
            "headline_links": {"right": self.links.tp, "wrong": self.links.fp + self.links.fn,
                               "accuracy": round(self.links.tp / max(1, self.links.tp + self.links.fp
                                                                      + self.links.fn), 4)},
            "zwnj": self.zwnj.as_dict(),
            "zwnj_clean_copy": {"kept": self.clean.restored, "removed": self.clean.lost,
                                "inserted": self.clean.wrong},
            **({"zwnj_hazm": self.hazm_zwnj.as_dict()} if self.hazm_zwnj else {}),
        }


def load_cases(paths: Iterable[Path]) -> list[dict[str, Any]]:
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    return [orjson.loads(f.read_bytes()) | {"_file": f.name} for f in files]


def _article_text(raw: dict[str, Any]) -> list[str]:
    parts = [raw.get(k) for k in ("kicker", "title", "lead", "body", "body_text")]
    parts += [h.get("value") for h in raw.get("headlines", []) if isinstance(h, dict)]
    return [p for p in parts if isinstance(p, str) and p]


def _score_topics(report: EvalReport, article: str, gold: set[str], got: set[str]) -> None:
    topics = report.scores["topics"]
    topics.tp += len(gold & got)
    topics.fp += len(got - gold)
    topics.fn += len(gold - got)
    for t in sorted(gold ^ got):
        report.misses.append(Miss(article, "topics", f"topic {'missed' if t in gold else 'extra'}: {t}", t))
    karabakh = report.scores["karabakh"]
    is_gold, is_got = "karabakh" in gold, "karabakh" in got
    karabakh.tp += is_gold and is_got
    karabakh.fp += is_got and not is_gold
    karabakh.fn += is_gold and not is_got


def _score_zwnj(report: EvalReport, raw: dict[str, Any], hazm: Callable[[str], str] | None) -> None:
    for text in _article_text(raw):
        stripped = text.replace(ZWNJ, "")
        report.zwnj.add(zwnj_restoration(text, normalize_text(stripped)))
        report.clean.add(zwnj_restoration(text, normalize_text(text)))
        if hazm is not None and report.hazm_zwnj is not None:
            report.hazm_zwnj.add(zwnj_restoration(text, hazm(stripped)))


def evaluate(cases: list[dict[str, Any]], pipeline: Pipeline | None = None,
             progress: Callable[[], None] | None = None, hazm_baseline: bool = False) -> EvalReport:
    pipeline = pipeline or Pipeline()
    hazm: Callable[[str], str] | None = None
    report = EvalReport()
    if hazm_baseline:
        from hazm import Normalizer

        hazm = Normalizer().normalize
        report.hazm_zwnj = ZwnjCount()
    names_of = pipeline.gazetteer.names_of

    def known(name: str) -> bool:
        return bool(pipeline.gazetteer.lookup(name))

    for case in cases:
        gold = case["gold"]
        name = str(case.get("id", case.get("_file")))
        doc = enrich_article(parse_article(case["article"], require_persian=False), pipeline, received_at=EVAL_TIME)
        if isinstance(doc, Rejection):
            raise ValueError(f"{name}: the article was refused: {doc.reason}")
        entities = doc["entities"]
        for fld, etype in ENTITY_FIELDS.items():
            score_entities(name, fld, gold.get(fld, []), entities, etype, names_of, known, report.scores[fld],
                           report.misses)
        score_quotes(name, gold.get("quotes", []), list(doc["quotes"]), names_of,
                     {kind: report.scores[fld] for kind, fld in QUOTE_FIELDS.items()}, report.links, report.misses)
        if "sources" in gold:
            score_sources(name, gold["sources"], list(doc["sources"]), names_of, report.scores["sources"],
                          report.roles, report.misses)
        _score_topics(report, name, set(gold.get("topics", [])), set(doc["topics"]))
        if not case.get("messy"):
            _score_zwnj(report, case["article"], hazm)
        report.articles += 1
        if progress:
            progress()
    return report
