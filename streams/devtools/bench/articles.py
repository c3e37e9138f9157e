"""Generated articles: realistic agency copy, messy the way agency copy is, the same for a seed on every machine."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from streams.devtools.bench.corpus import Corpus, load_corpus
from streams.enrich.persian import ZWNJ

__all__ = ["MAX_BYTES", "MIN_BYTES", "article_key", "generate_article", "generate_articles", "raw_text"]


AGENCIES = ("ایرنا", "ایسنا", "تسنیم", "فارس", "مهر", "ایلنا", "خبرآنلاین", "همشهری", "شرق", "باشگاه خبرنگاران")
VERBS = ("گفت", "افزود", "تأکید کرد", "اظهار داشت", "اعلام کرد", "خاطرنشان کرد", "نوشت", "تصریح کرد")
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه")
JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی",
                 "بهمن", "اسفند")
GREGORIAN_MONTHS = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
                    "نوامبر", "دسامبر")
MIN_BYTES = 1024
MAX_BYTES = 20 * 1024
_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})
_LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_BASE_TIME = datetime(2025, 1, 1, tzinfo=timezone.utc)


class _Copy(NamedTuple):
    """The parts of an article's text, before it is packaged as one of the input forms."""

    title: str
    kicker: str
    lead: str
    body: str


def _sentence(rng: random.Random, c: Corpus) -> str:
    """A sentence of agency copy: a real one, or real clauses around common nouns and names."""
    if rng.random() < 0.4 or not c.clauses:
        return rng.choice(c.sentences)
    parts = [rng.choice(c.clauses)]
    if c.nouns:
        a, b, d = (rng.choice(c.nouns) for _ in range(3))
        parts.append(rng.choice((f"{a}‌های {b} در {rng.choice(c.locations)}", f"{a} و {b} {d}",
                                 f"می‌گویند {a} {b} را {rng.choice(c.organizations)} بررسی می‌کند")))
    parts.append(rng.choice(c.clauses))
    return "، ".join(parts) + "."


def _digits(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _date_phrase(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"روز {rng.choice(WEEKDAYS)} {_digits(rng.randint(1, 29))} {rng.choice(JALALI_MONTHS)}"
    return f"{_digits(rng.randint(1, 28))} {rng.choice(GREGORIAN_MONTHS)} {_digits(rng.randint(2019, 2025))}"


def _paragraph(rng: random.Random, c: Corpus, agency: str, speaker: tuple[str, str]) -> str:
    """One paragraph: a quote, an attribution, a dated event or plain copy, in agency style."""
    name, role = speaker
    s = _sentence(rng, c)
    kind = rng.random()
    if kind < 0.18:
        lead_in = f"{name}، {role}، " if role else f"{name} "
        text = f"{lead_in}{_date_phrase(rng)} در {rng.choice(c.locations)} {rng.choice(VERBS)}: «{s}»"
    elif kind < 0.30:
        text = f"وی {rng.choice(('افزود', 'ادامه داد', 'تأکید کرد'))}: «{s}»"
    elif kind < 0.40:
        text = f"{name} در گفت‌وگو با {rng.choice(c.organizations)} گفت که {s}"
    elif kind < 0.52:
        text = f"به گزارش {agency} از {rng.choice(c.locations)}، {s}"
    elif kind < 0.62:
        org = rng.choice(c.organizations)
        text = f"{org} {_date_phrase(rng)} در بیانیه‌ای اعلام کرد: «{s}»"
    else:
        text = s
    extra = rng.randint(0, 3)
    return " ".join([text, *(_sentence(rng, c) for _ in range(extra))])


def _strip_zwnj(text: str, mode: str) -> str:
    if mode == "keep":
        return text
    return text.replace(ZWNJ, " " if mode == "space" else "")


def _hard_wrap(text: str, width: int) -> str:
    """Break each paragraph into lines of at most ``width`` characters, the way agency wires do."""
    out: list[str] = []
    for para in text.split("\n\n"):
        line: list[str] = []
        size = 0
        lines: list[str] = []
        for word in para.split(" "):
            if line and size + 1 + len(word) > width:
                lines.append(" ".join(line))
                line, size = [], 0
            line.append(word)
            size += len(word) + (1 if size else 0)
        if line:
            lines.append(" ".join(line))
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _write_copy(rng: random.Random, c: Corpus, agency: str) -> _Copy:
    """Clean copy of a log-uniform size (most articles are short): quotes, places, organizations, dates."""
    target = int(math.exp(rng.uniform(math.log(MIN_BYTES), math.log(MAX_BYTES))))
    speaker = rng.choice(c.persons)
    place = rng.choice(c.locations)
    title = f"{speaker[0]}: {rng.choice(c.sentences)[:90].rstrip('.')}"
    kicker = f"{rng.choice(c.organizations)} در {place}"
    lead = f"{speaker[1] or speaker[0]} {_date_phrase(rng)} در {place} {rng.choice(VERBS)} {_sentence(rng, c)}"
    paragraphs: list[str] = []
    size = len((title + kicker + lead).encode("utf-8"))
    while size < target:
        if rng.random() < 0.2:
            speaker = rng.choice(c.persons)
        para = _paragraph(rng, c, agency, speaker)
        paragraphs.append(para)
        size += len(para.encode("utf-8")) + 2
    return _Copy(title, kicker, lead, "\n\n".join(paragraphs))


def _mess_up(rng: random.Random, copy: _Copy) -> _Copy:
    """The mess of real copy: ZWNJs lost (dropped or spaced), hard wraps, Arabic ي/ك, Latin digits, some HTML."""
    zwnj_mode = rng.choices(("drop", "space", "keep"), (0.6, 0.25, 0.15))[0]
    title, kicker, lead, body = (_strip_zwnj(t, zwnj_mode) for t in copy)
    if rng.random() < 0.5:
        body = _hard_wrap(body, rng.randint(55, 85))
    if rng.random() < 0.2:
        title, lead, body = (t.translate(_ARABIC_LETTERS) for t in (title, lead, body))
    if rng.random() < 0.3:
        lead, body = (t.translate(_LATIN_DIGITS) for t in (lead, body))
    if rng.random() < 0.05:
        body = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return _Copy(title, kicker, lead, body)


def _package(rng: random.Random, copy: _Copy, agency: str, i: int, seed: int) -> dict[str, Any]:
    """The copy in one of the input forms: IPTC ninjs, body-only text, or (mostly) flat agency JSON."""
    title, kicker, lead, body = copy
    updated = _BASE_TIME + timedelta(seconds=37 * i + seed)
    stamp = updated.isoformat().replace("+00:00", "Z")
    form = rng.random()
    if form < 0.1:
        return {"uri": f"https://bench.example/{seed}/{i}", "versioncreated": stamp, "language": "fa",
                "headlines": [{"value": title}], "body_text": f"{lead}\n\n{body}", "copyrightholder": agency}
    if form < 0.2:
        return {"id": f"b{seed}-{i}", "agency": agency, "language": "fa",
                "body": f"{kicker}\n\n{title}\n\n{lead}\n\n{body}"}
    return {"id": f"b{seed}-{i}", "agency": agency, "url": f"https://bench.example/{seed}/{i}", "title": title,
            "kicker": kicker, "lead": lead, "body": body, "published_at": stamp, "updated_at": stamp,
            "language": "fa"}


def generate_article(i: int, seed: int = 0, corpus: Corpus | None = None) -> dict[str, Any]:
    """Article number ``i`` of the set ``seed``: the same dict every time, on every machine.

    1–20 KB (log-uniform: most articles are short), quotes with gazetteer speakers, places,
    organizations and dates; messy like real copy: ZWNJs lost (dropped or spaced), hard wraps,
    Arabic ي/ك, Latin digits, some HTML; flat agency JSON, IPTC ninjs or body-only text.
    """
    c = corpus or load_corpus()
    rng = random.Random(f"khabar-bench:{seed}:{i}")
    agency = rng.choice(AGENCIES)
    copy = _mess_up(rng, _write_copy(rng, c, agency))
    return _package(rng, copy, agency, i, seed)


def generate_articles(n: int, seed: int = 0, start: int = 0) -> Iterator[dict[str, Any]]:
    """Articles ``start`` … ``start + n - 1`` of the set ``seed``, lazily (a long run never holds them all)."""
    corpus = load_corpus()
    for i in range(start, start + n):
        yield generate_article(i, seed, corpus)


def article_key(doc: dict[str, Any]) -> str:
    """The stable document id of a raw article (the Kafka key, the index ``_id``)."""
    from streams.intake.decode import raw_key

    return raw_key(doc)


def raw_text(doc: dict[str, Any]) -> str:
    """The article's text as hazm would be given it: every part, one after the other."""
    if "uri" in doc:
        return "\n\n".join([doc["headlines"][0]["value"], doc["body_text"]])
    return "\n\n".join(str(doc.get(k) or "") for k in ("kicker", "title", "lead", "body") if doc.get(k))
