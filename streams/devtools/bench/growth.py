"""g. Growth: enrichment time per byte of one hostile article at ~128 KB, ~1 MB and ~2 MB, as ratios.

Each shape is one article built from the bench corpus to a byte size. The figure per shape is
(time per byte at the large size) / (time per byte at the small one), measured in the same run:
linear work gives about 1, quadratic about 8 at 1 MB and 16 at 2 MB. A shape whose large article
would take longer than the limit at a size skips it and the sizes above (reported as ``null`` and
listed in ``growth_skipped``), so the part stays short however slow a shape is.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import cycle
from typing import Any

from streams.devtools.bench.articles import AGENCIES, VERBS
from streams.devtools.bench.corpus import Corpus, load_corpus
from streams.devtools.bench.progress import Advance

__all__ = ["GROWTH_SIZES", "SHAPES", "GrowthResult", "bench_growth", "shape_text"]

RECEIVED = datetime(2025, 1, 1, tzinfo=timezone.utc)
KIB = 1024
#: the sizes compared: the first is the base every other is divided by
GROWTH_SIZES = (128 * KIB, 1024 * KIB, 2048 * KIB)
_WRAP = 60


def _prose(c: Corpus) -> Iterator[str]:
    return cycle(c.sentences)


def _wrapped_open(c: Corpus) -> Iterator[str]:
    """Short lines of a hard-wrapped paragraph inside a « that never closes."""
    yield "«"
    for sentence in cycle(c.sentences):
        line: list[str] = []
        for word in sentence.split(" "):
            line.append(word)
            if sum(map(len, line)) > _WRAP:
                yield " ".join(line) + "\n"
                line = []
        if line:
            yield " ".join(line) + " "


def _quotes(c: Corpus) -> Iterator[str]:
    """Quotes in marks after a named speaker, after a pronoun, before the speaker, and reported speech."""
    for k, (sentence, (name, role)) in enumerate(zip(cycle(c.sentences), cycle(c.persons))):
        verb = VERBS[k % len(VERBS)]
        yield (f"{name} {verb}: «{sentence}»", f"وی {verb}: «{sentence}»",
               f"«{sentence}»؛ این را {role or name} {verb}.", f"{name} {verb} که {sentence}")[k % 4]


def _names_roles(c: Corpus) -> Iterator[str]:
    for k, (name, role) in enumerate(cycle(c.persons)):
        yield f"{name}، {role or 'سخنگوی دولت'}،" if k % 2 else f"{role or 'وزیر کشور'} {name} و"


def _open_quotes(c: Corpus) -> Iterator[str]:
    """Speech verbs each opening a « that is never closed."""
    for k, sentence in enumerate(cycle(c.sentences)):
        yield f"وی {VERBS[k % len(VERBS)]}: «{sentence}"


def _place_list(c: Corpus) -> Iterator[str]:
    """One list of thousands of known places."""
    for place in cycle(c.locations):
        yield f"{place}،"


def _colons(c: Corpus) -> Iterator[str]:
    for a, b in zip(cycle(c.nouns or c.locations), cycle(c.clauses)):
        yield f"{a}: {b}"


def _no_spaces(c: Corpus) -> Iterator[str]:
    for sentence in cycle(c.sentences):
        yield sentence.replace(" ", "")


def _credits(c: Corpus) -> Iterator[str]:
    for k, (org, sentence) in enumerate(zip(cycle(c.organizations), cycle(c.sentences))):
        yield f"به گزارش {AGENCIES[k % len(AGENCIES)]} به نقل از {org}، {sentence}"


#: shape → (its parts, what joins them); every shape is one paragraph unless its parts break lines
SHAPES: dict[str, tuple[Callable[[Corpus], Iterator[str]], str]] = {
    "prose": (_prose, " "),
    "wrapped_open_quote": (_wrapped_open, ""),
    "quotes": (_quotes, " "),
    "quote_paragraphs": (_quotes, "\n\n"),
    "open_quotes": (_open_quotes, " "),
    "names_roles": (_names_roles, " "),
    "place_list": (_place_list, " "),
    "colons": (_colons, " "),
    "no_spaces": (_no_spaces, ""),
    "credits": (_credits, " "),
}


def shape_text(shape: str, size: int, corpus: Corpus | None = None) -> str:
    """The body of shape ``shape``, just over ``size`` bytes of UTF-8: the same text every time."""
    parts, sep = SHAPES[shape]
    out: list[str] = []
    used = 0
    for part in parts(corpus or load_corpus()):
        if used >= size:
            break
        out.append(part)
        used += len(part.encode("utf-8")) + len(sep)
    return sep.join(out)


@dataclass
class GrowthResult:
    """Seconds and bytes per shape and size; ``None`` where a size was skipped."""

    sizes: tuple[int, ...]
    seconds: dict[str, list[float | None]] = field(default_factory=dict)
    nbytes: dict[str, list[int]] = field(default_factory=dict)

    def ratios(self, shape: str) -> list[float | None]:
        """Time per byte at each size over that at the first size (the first is 1)."""
        secs, sizes = self.seconds[shape], self.nbytes[shape]
        base = secs[0] / sizes[0] if secs[0] else 0.0
        return [round(s / n / base, 2) if s is not None and base else None for s, n in zip(secs, sizes, strict=True)]

    def as_dict(self) -> dict[str, Any]:
        table: dict[str, Any] = {}
        worst = 0.0
        for shape, secs in self.seconds.items():
            ratios = self.ratios(shape)
            worst = max([worst, *(r for r in ratios if r is not None)])
            table[shape] = {
                "ms_per_kib": [round(s * 1000 * KIB / n, 3) if s is not None else None
                               for s, n in zip(secs, self.nbytes[shape], strict=True)],
                "ratio": ratios[1:],
            }
        skipped = [shape for shape, secs in self.seconds.items() if None in secs]
        return {"growth_sizes_kib": [s // KIB for s in self.sizes], "growth": table,
                "growth_worst_ratio": round(worst, 2), "growth_skipped": skipped}


def bench_growth(sizes: tuple[int, ...] = GROWTH_SIZES, *, shapes: tuple[str, ...] = tuple(SHAPES),
                 repeats: int = 3, limit_s: float = 60.0, advance: Advance | None = None,
                 note: Callable[[str], None] | None = None) -> GrowthResult:
    """Time ``enrich_article`` on each shape at each size (the smallest ``repeats`` times, its best).

    A size that would take more than ``limit_s`` seconds growing linearly from the size before is
    skipped, and so are the larger ones. Garbage left by the run before is collected first; the
    collector stays on, as in the worker.
    """
    from streams.enrich.document import Rejection, enrich_article
    from streams.enrich.pipeline import Pipeline
    from streams.intake.decode import parse_article

    pipeline = Pipeline()
    corpus = load_corpus()
    clock = time.perf_counter
    result = GrowthResult(tuple(sizes))

    def timed(body: str) -> float:
        article = parse_article({"id": "growth", "agency": "ایرنا", "title": "عنوان خبر", "body": body,
                                 "language": "fa"})
        gc.collect()
        began = clock()
        doc = enrich_article(article, pipeline, received_at=RECEIVED)
        spent = clock() - began
        if isinstance(doc, Rejection):
            raise RuntimeError(f"growth article rejected: {doc.reason}")
        return spent

    timed(shape_text("prose", 16 * KIB, corpus))  # warm the lazily built resources
    for shape in shapes:
        if note:
            note(shape)
        secs: list[float | None] = []
        nbytes: list[int] = []
        for k, size in enumerate(sizes):
            body = shape_text(shape, size, corpus)
            nbytes.append(len(body.encode("utf-8")))
            # skipped when even linear growth from the size before would take longer than the limit
            over = bool(secs) and (secs[-1] is None or secs[-1] * nbytes[-1] / nbytes[-2] > limit_s)
            secs.append(None if over else min(timed(body) for _ in range(repeats if k == 0 else 1)))
            if advance:
                advance(1)
        result.seconds[shape], result.nbytes[shape] = secs, nbytes
    return result
