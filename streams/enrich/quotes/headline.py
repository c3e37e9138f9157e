"""Headline speech: the speaker, a colon and the claim, with no quote marks and no verb.

«لاوروف: مسائل زیادی در قره باغ باید حل شود» in the title; a kicker «لاوروف:» or «سخنگوی دولت اعلام
کرد:» over the claim in the title. The speaker phrase before the colon must name someone the
article names: a person (a surname resolves to the person named in full), a role or an office whose
holder the article names (else the office's organization, never a guess), an organization. A label
(«گزارش تصویری:»، «ویدئو:»، «روزنامه ایران:»), a time or a place before a colon is no speaker.

A headline quote condenses the body quote of the same speaker that shares most of its content
words, when one shares enough. Words and thresholds are in ``streams/data/quotes/headlines.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from streams.enrich.persian import fold_words, normalize_phrase
from streams.enrich.quotes.reading import Reading, speaker_of
from streams.enrich.quotes.roles import role_holder
from streams.model import Quote, QuoteField, Speaker
from streams.resources import data_path

__all__ = ["HeadlineWords", "Headlines", "headline_quotes", "link_condensed", "load_headline_words",
           "office_holders"]

_DIGIT = re.compile(r"[0-9۰-۹]")


@dataclass(frozen=True, slots=True)
class HeadlineWords:
    labels: frozenset[str]
    prepositions: frozenset[str]
    max_speaker_words: int
    min_claim_words: int
    stopwords: frozenset[str]
    min_overlap: float
    adopt_overlap: float


@cache
def load_headline_words() -> HeadlineWords:
    doc = yaml.safe_load(data_path("quotes/headlines.yaml").read_text(encoding="utf-8"))
    return HeadlineWords(
        labels=frozenset(normalize_phrase(w) for w in doc["labels"]),
        prepositions=frozenset(normalize_phrase(w) for w in doc["prepositions"]),
        max_speaker_words=int(doc["max_speaker_words"]),
        min_claim_words=int(doc["min_claim_words"]),
        stopwords=frozenset(fold_words(w) for w in doc["stopwords"]),
        min_overlap=float(doc["min_overlap"]),
        adopt_overlap=float(doc["adopt_overlap"]),
    )


@dataclass(frozen=True, slots=True)
class Headlines:
    """Where the kicker and the title stand in the article's joined text (start, end; -1 if absent)."""

    kicker: tuple[int, int]
    title: tuple[int, int]


def _speaker(reading: Reading, start: int, end: int, words: HeadlineWords, longest: int = 0) -> Speaker | None:
    """Who the phrase [start, end) before a headline's colon names, or None; ``longest`` words at most
    (a speech verb before the colon allows a longer phrase than a bare colon does)."""
    phrase = reading.text[start:end].strip()
    if not phrase or len(phrase.split()) > (longest or words.max_speaker_words) or _DIGIT.search(phrase):
        return None
    if phrase in words.labels or phrase.split()[0] in words.labels or phrase.split()[0] in words.prepositions:
        return None  # «گزارش تصویری:»، «در واکنش به ...:»: a label or a circumstance, not a speaker
    person = reading.persons.first_between(start, end)
    if person is not None:
        return speaker_of(person[1], "person")
    holder = ((role_holder(phrase, reading) if reading.roles else None) or _appositive(reading, phrase, end)
              or _apposed_office(reading, start, end, phrase))
    if holder is not None:
        return holder
    if _office(reading, start, end, words, longest):
        return None  # an office: its holder is the speaker of the body quote the claim condenses
    organization = reading.organizations.first_between(start, end)
    if organization is not None:
        return speaker_of(organization[1], "organization")
    return _surname(reading, phrase)


_NEXT_TO = 4  # characters between a name and the office beside it: «مای ساتو، گزارشگر ویژه ...»


def _appositive(reading: Reading, phrase: str, after: int) -> Speaker | None:
    """The person the body names beside the office the headline names: «گزارشگر ویژه سازمان ملل:»
    and, in the body, «مای ساتو، گزارشگر ویژه سازمان ملل ...»."""
    at = reading.text.find(phrase, after)
    while at != -1:
        before = reading.persons.last_before(at)
        if before is not None and 0 <= at - before[0].end <= _NEXT_TO:
            return speaker_of(before[1], "person")
        following = reading.persons.first_between(at + len(phrase), at + len(phrase) + _NEXT_TO)
        if following is not None:
            return speaker_of(following[1], "person")
        at = reading.text.find(phrase, at + 1)
    return None


_APPOSITION_END = re.compile(r"[،,:.\n]")


def _apposed_office(reading: Reading, start: int, end: int, phrase: str) -> Speaker | None:
    """«سخنگوی ارتش اسرائیل:» and, in the body, «آویخای ادرعی، سخنگوی عرب‌زبان ارتش اسرائیل،»: the person
    whose apposition opens with the same role word and names the same organization."""
    organization = reading.organizations.first_between(start, end)
    head = phrase.split()[0]
    if organization is None:
        return None
    found: dict[str, Speaker] = {}
    for mention, person in reading.persons.pairs:
        if mention.start < end:
            continue
        opening = re.match(r"[ ]*[،,][ ]*", reading.text[mention.end:mention.end + 4])
        at = mention.end + (opening.end() if opening else 0)
        if not opening or not reading.text.startswith(head + " ", at):
            continue
        stop = _APPOSITION_END.search(reading.text, at, at + 120)
        named = reading.organizations.between(at, stop.start() if stop else at + 120)
        if any(e.id == organization[1].id for _, e in named):
            found[person.id] = speaker_of(person, "person")
    return next(iter(found.values())) if len(found) == 1 else None


def _surname(reading: Reading, phrase: str) -> Speaker | None:
    """A one-word phrase that is the last word of one person the article names in full."""
    if " " in phrase:
        return None
    owners = {e.id: e for _, e in reading.persons.pairs if e.name.split()[-1] == phrase and " " in e.name}
    return speaker_of(next(iter(owners.values())), "person") if len(owners) == 1 else None


def _claim(text: str, start: int, end: int, words: HeadlineWords) -> str | None:
    claim = text[start:end].strip().strip("«»\"“” ")
    return claim if len(claim.split()) >= words.min_claim_words else None


def _office(reading: Reading, start: int, end: int, words: HeadlineWords, longest: int = 0) -> bool:
    """An office («استاندار خراسان رضوی»، «سرمربی استقلال»): a role word opening a short phrase."""
    phrase = reading.text[start:end].split()
    return 0 < len(phrase) <= (longest or words.max_speaker_words) and phrase[0] in reading.lex.role_heads


# (speaker, or None for an office left to the body; the claim; where it starts; the phrase's span)
Said = tuple[Speaker | None, str, int, tuple[int, int]]


def _colon_speech(reading: Reading, span: tuple[int, int], words: HeadlineWords) -> Said | None:
    """«X: claim» within one headline line."""
    start, end = span
    if start < 0:
        return None
    colon = reading.text.find(":", start, end)
    if colon == -1:
        return None
    claim = _claim(reading.text, colon + 1, end, words)
    if claim is None:
        return None
    speaker = _speaker(reading, start, colon, words)
    if speaker is None and not _office(reading, start, colon, words):
        return None
    return speaker, claim, colon + 1, (start, colon)


def _kicker_speech(reading: Reading, lines: Headlines, verbs: Sequence[tuple[int, int, str]],
                   words: HeadlineWords) -> tuple[Said, str] | None:
    """A kicker «X:» or «X اعلام کرد:» over the title, which is the claim."""
    (k_start, k_end), (t_start, t_end) = lines.kicker, lines.title
    if k_start < 0 or t_start < 0 or not reading.text[k_start:k_end].rstrip().endswith(":"):
        return None
    colon = reading.text.rfind(":", k_start, k_end)
    verb = next((v for v in verbs if k_start <= v[0] and v[1] <= colon), None)
    speaker_end = verb[0] if verb else colon
    claim = _claim(reading.text, t_start, t_end, words)
    if claim is None:
        return None
    longest = words.max_speaker_words * 2 if verb else 0  # «سخنگوی وزارت خارجه در واکنش به ... تأکید کرد:»
    speaker = _speaker(reading, k_start, speaker_end, words, longest)
    if speaker is None and not _office(reading, k_start, speaker_end, words, longest):
        return None
    return (speaker, claim, t_start, (k_start, speaker_end)), verb[2] if verb else ""


def headline_quotes(reading: Reading, lines: Headlines, verbs: Sequence[tuple[int, int, str]],
                    taken: Sequence[Quote]) -> list[Quote]:
    """Verbless speech in the kicker and the title, not already read as a quote there."""
    words = load_headline_words()
    said_at = [q.start for q in taken]
    found: list[tuple[Said, str, QuoteField]] = []
    kicker_read = any(lines.kicker[0] <= at < lines.kicker[1] for at in said_at)  # «... گفت:» read by its verb
    kicker = None if kicker_read else _kicker_speech(reading, lines, verbs, words)
    if kicker is not None:
        found.append((kicker[0], kicker[1], "title"))
    fields: tuple[tuple[tuple[int, int], QuoteField], ...] = ((lines.title, "title"), (lines.kicker, "kicker"))
    for span, field in fields:
        said = None if (kicker is not None or kicker_read) and field == "title" else _colon_speech(reading, span, words)
        if said is not None and not any(span[0] <= at < span[1] for at in said_at):  # read there already
            found.append((said, "", field))
    out: list[Quote] = []
    for (speaker, claim, at, phrase), verb, field in found:
        speaker = speaker or _holder_by_claim(reading, claim, phrase, taken, words)
        if speaker is not None:
            out.append(Quote(claim, speaker, verb, "headline", at, field))
    return out


def office_holders(reading: Reading, lines: Headlines, quotes: Sequence[Quote]) -> list[Quote]:
    """Quotes in marks in the title or the kicker after an office and a colon («سرمربی استقلال:
    «...»»), read as the organization's: the office's holder instead, found as for verbless
    headline speech."""
    words = load_headline_words()
    out = list(quotes)
    for i, q in enumerate(quotes):
        span = next((s for s in (lines.title, lines.kicker) if s[0] <= q.start < s[1]), None)
        if span is None or q.speaker is None or q.speaker.type != "organization":
            continue
        colon = reading.text.rfind(":", span[0], q.start)
        if colon == -1 or not _office(reading, span[0], colon, words):
            continue
        holder = _speaker(reading, span[0], colon, words) or _holder_by_claim(
            reading, q.text, (span[0], colon), quotes, words)
        if holder is not None:
            out[i] = Quote(q.text, holder, q.verb, q.kind, q.start, q.field, q.condenses)
    return out


def _holder_by_claim(reading: Reading, claim: str, phrase: tuple[int, int], taken: Sequence[Quote],
                     words: HeadlineWords) -> Speaker | None:
    """The holder of a headline's office that the body names nowhere beside it: the person whose body
    quote says the same (``adopt_overlap`` of the claim's content words); else the office's
    organization («سخنگوی وزارت خارجه چین:» with no spokesperson named); else no one."""
    content = _content(claim, words)
    best, best_share = None, words.adopt_overlap
    for q in taken:
        if q.kind == "headline" or q.speaker is None or q.speaker.type != "person" or not content:
            continue
        share = len(content & _content(q.text, words)) / len(content)
        if share >= best_share:
            best, best_share = q.speaker, share
    if best is not None:
        return best
    organization = reading.organizations.first_between(*phrase)
    return speaker_of(organization[1], "organization") if organization is not None else None


def _content(text: str, words: HeadlineWords) -> set[str]:
    return {w for w in fold_words(text).split() if w not in words.stopwords and len(w) > 1}


def _same_speaker(a: Speaker | None, b: Speaker | None) -> bool:
    return a is not None and b is not None and (a.id == b.id if a.id and b.id else a.name == b.name)


def link_condensed(quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """Each headline quote with the index of the body quote of its speaker it condenses, if any."""
    words = load_headline_words()
    out = list(quotes)
    for i, q in enumerate(quotes):
        if q.kind != "headline":
            continue
        claim = _content(q.text, words)
        best, best_share = None, words.min_overlap
        for k, other in enumerate(quotes):
            if other.kind == "headline" or not _same_speaker(q.speaker, other.speaker) or not claim:
                continue
            share = len(claim & _content(other.text, words)) / len(claim)
            if share >= best_share:
                best, best_share = k, share
        if best is not None:
            out[i] = Quote(q.text, q.speaker, q.verb, q.kind, q.start, q.field, best)
    return tuple(out)

