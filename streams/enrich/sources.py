"""The ``extract_sources`` stage: who reported the article, citing whom.

Persian agency copy credits its information in a few fixed frames: «به گزارش ایرنا به نقل از
رویترز،» (ایرنا reporting, رویترز cited), «تهران - ایسنا -» (a dateline credit), «گاردین نوشت»،
«به نوشته X»، «منبع: X»، «انتهای پیام/ X». In a frame, the words up to the comma name an outlet: a
gazetteer outlet (also one whose name is a common word, مهر، فارس، شرق, which is never linked
bare), or, unknown to the gazetteer, a name after a head word or shaped like an outlet's
(«X آنلاین»، «X نیوز»، «الX»). An outlet that is only the subject of the story is not a source: it
is credited by no frame. Outlets found here are organization mentions too.

The phrases, head words and name shapes are in ``streams/data/sources.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import yaml

from streams.enrich.gazetteer import Gazetteer
from streams.enrich.persian import is_descriptive, is_inflected, is_verb, match_key, normalize_phrase
from streams.model import Entity, Mention, Source, SourceRole
from streams.resources import data_path

__all__ = ["SourceWords", "extract_sources", "load_source_words"]

Frame = Literal["reporting", "citing", "credited", "publisher"]
_FRAMES: tuple[Frame, ...] = ("reporting", "citing", "credited", "publisher")
_NAME_END = re.compile(r"[،,:؛.\n()«»\"]|\s[-–—]\s|\sبه نقل از\s|\sو\s")


@dataclass(frozen=True, slots=True)
class SourceWords:
    frames: re.Pattern[str]          # a credit phrase before the outlet; group name = its frame
    citing_after: re.Pattern[str]    # «گزارش داد»: a verb after the outlet it cites
    reporter_words: frozenset[str]   # «خبرنگار»، «گروه»: words between the phrase and the outlet
    heads: tuple[str, ...]           # «خبرگزاری»، «روزنامه»: head words of an outlet's name, longest first
    endings: tuple[str, ...]         # «آنلاین»، «نیوز»: an outlet's name ends so
    beginnings: tuple[str, ...]      # «ال»: an Arabic outlet's name begins so
    anaphors: tuple[str, ...]        # «این خبرگزاری»: a head after these refers back, names nothing new
    max_words: int


def _phrases(values: list[str]) -> str:
    words = sorted((normalize_phrase(v) for v in values), key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


@cache
def load_source_words() -> SourceWords:
    doc = yaml.safe_load(data_path("sources.yaml").read_text(encoding="utf-8"))
    frames = "|".join(f"(?P<{f}>{_phrases(doc[f])})" for f in _FRAMES)
    return SourceWords(
        frames=re.compile(rf"(?:^|(?<=[\s،.(]))(?:{frames})\s*"),
        citing_after=re.compile(rf"\s+(?:{_phrases(doc['citing_after'])})(?![\w\u200c])"),
        reporter_words=frozenset(normalize_phrase(w) for w in doc["reporter_words"]),
        heads=tuple(sorted((normalize_phrase(h) for h in doc["heads"]), key=len, reverse=True)),
        endings=tuple(normalize_phrase(e) for e in doc["endings"]),
        beginnings=tuple(normalize_phrase(b) for b in doc["beginnings"]),
        anaphors=tuple(normalize_phrase(a) + " " for a in doc["anaphors"]),
        max_words=int(doc["max_words"]),
    )


@dataclass
class _Outlets:
    """The outlets of one article: gazetteer outlets by mention and by guarded name, and new ones."""

    text: str
    gaz: Gazetteer
    entities: dict[str, Entity]
    mention_at: dict[int, tuple[int, Entity]]   # start → (end, entity) of every mention
    guarded_at: dict[int, tuple[int, str]]      # start → (end, id) of outlet names linked only in credits
    added: dict[str, list[Mention]]             # entity id → mentions this stage found
    mention_to: dict[int, tuple[int, Entity]]   # end → (start, entity)
    guarded_to: dict[int, tuple[int, str]]      # end → (start, id)

    def is_outlet(self, entity: Entity) -> bool:
        entry = self.gaz.entries.get(entity.id)
        return (entry is not None and entry.kind == "media") or entity.id in self.added


def _new_outlets(text: str, entities: tuple[Entity, ...], gaz: Gazetteer) -> _Outlets:
    mention_at: dict[int, tuple[int, Entity]] = {}
    for e in entities:
        for m in e.mentions:
            mention_at.setdefault(m.start, (m.end, e))
    guarded = gaz.guarded_matcher.find(text)
    return _Outlets(text, gaz, {e.id: e for e in entities}, mention_at,
                    {m.start: (m.end, m.payloads[0].entity_id) for m in guarded}, {},
                    {end: (start, e) for start, (end, e) in mention_at.items()},
                    {m.end: (m.start, m.payloads[0].entity_id) for m in guarded})


_WORD = re.compile(r"(\S+)\s+")
_DESK_WORDS = 2  # «گروه بین‌الملل»، «سرویس سیاسی»: a desk's name after the reporter word


def _skip_reporter(outlets: _Outlets, pos: int, words: SourceWords) -> int:
    """Past the reporter or desk after a credit phrase: «به گزارش خبرنگار ایرنا»، «به گزارش گروه
    بین‌الملل خبرگزاری تسنیم»: to the first head word or known outlet within a few words."""
    m = _WORD.match(outlets.text, pos)
    if not m or m.group(1) not in words.reporter_words:
        return pos
    at = m.end()
    for _ in range(_DESK_WORDS + 1):
        if at in outlets.mention_at or at in outlets.guarded_at or _head(outlets.text, at, words):
            return at
        nxt = _WORD.match(outlets.text, at)
        if not nxt:
            break
        at = nxt.end()
    return m.end()


def _head(text: str, pos: int, words: SourceWords) -> str | None:
    return next((h for h in words.heads if text.startswith(h + " ", pos)), None)


def _past_modifiers(text: str, pos: int, gaz: Gazetteer) -> int:
    """Past adjectives between a head word and the name: «روزنامه اقتصادی «دنیا»»، «شبکه عبری‌زبان کان»،
    and an opening «."""
    while True:
        m = _WORD.match(text, pos)
        if not m or not (is_descriptive(m.group(1)) or m.group(1) in gaz.demonyms):
            break
        pos = m.end()
    while pos < len(text) and text[pos] in "« ":
        pos += 1
    return pos


def _at(outlets: _Outlets, pos: int, words: SourceWords, strong: bool) -> tuple[str, int, int] | None:
    """(entity id, start, end) of the outlet named at ``pos``, or None (a person, a place, no name)."""
    text = outlets.text
    head = _head(text, pos, words)
    known = outlets.mention_at.get(pos)
    if known is not None:  # an outlet, or a body the entity stage found by an outlet's head word
        end, entity = known
        headed = head is not None and entity.type == "organization" and not entity.linked
        return (entity.id, pos, end) if outlets.is_outlet(entity) or headed else None
    name_at = _past_modifiers(text, pos + len(head) + 1, outlets.gaz) if head else pos
    if not head and text.startswith("«", pos):
        name_at = pos + 1
    if text.startswith(words.anaphors, name_at):
        return None  # «به نوشته این خبرگزاری»: the outlet named before
    known = outlets.mention_at.get(name_at)
    if known is not None:
        end, entity = known
        return (entity.id, pos, end) if outlets.is_outlet(entity) or head else None
    guarded = outlets.guarded_at.get(name_at)
    if guarded is not None:
        return guarded[1], pos, guarded[0]
    return _unknown(outlets, pos, name_at, head is not None or strong, words)


def _unknown(outlets: _Outlets, pos: int, name_at: int, credited: bool, words: SourceWords
             ) -> tuple[str, int, int] | None:
    """An outlet missing from the gazetteer: the words up to the end of the credit's name, when a
    head word or a strong frame introduces them, or they are shaped like an outlet's name."""
    text = outlets.text
    stop = _NAME_END.search(text, name_at, name_at + 80)
    end = stop.start() if stop else min(len(text), name_at + 80)
    name = text[name_at:end].strip()
    parts = name.split()
    if not parts or len(parts) > words.max_words or any(p in words.reporter_words for p in parts):
        return None
    if is_inflected(parts[0]) or all(is_descriptive(p) for p in parts):
        return None  # «خبرگزاری‌های بین‌المللی»، «رسانه‌های منطقه»: outlets in general, not one
    if any(k in outlets.mention_at for k in range(name_at, end)):
        return None  # the name holds a person, a place or another body: not an outlet's
    shaped = name.endswith(words.endings) or name.startswith(words.beginnings)
    if not (credited or shaped):
        return None
    entity_id = f"organization/~{match_key(name)}"
    outlets.added.setdefault(entity_id, [])
    outlets.entities.setdefault(entity_id, Entity("organization", entity_id, name, (), None, False))
    return entity_id, pos, name_at + len(name)


def _dateline(outlets: _Outlets, dateline: str | None, words: SourceWords) -> list[tuple[int, str, int, int, Frame]]:
    """«تهران - ایرنا»: the outlet after the place of a dateline reports the article."""
    if not dateline:
        return []
    at = outlets.text.find(dateline)
    dash = re.search(r"\s*[-–—/]\s*", dateline)
    if at == -1 or dash is None:
        return []
    hit = _at(outlets, at + dash.end(), words, True)
    return [(at, *hit, "reporting")] if hit is not None else []


def _credits(outlets: _Outlets, dateline: str | None, words: SourceWords) -> list[tuple[int, str, int, int, Frame]]:
    """(position, entity id, start, end, frame) of every outlet a credit phrase names."""
    found = _dateline(outlets, dateline, words)
    for m in words.frames.finditer(outlets.text):
        frame: Frame = next(f for f in _FRAMES if m.group(f))
        pos = _skip_reporter(outlets, m.end(), words)
        strong = frame != "citing" or m.group("citing") != "به گفته"
        hit = _at(outlets, pos, words, strong)
        if hit is not None:
            found.append((m.start(), *hit, frame))
    found += _closing_credits(outlets, words)
    for m in words.citing_after.finditer(outlets.text):
        end = m.start()
        also = re.search(r"\s(?:نیز|هم)$", outlets.text[max(0, end - 5):end])
        if also:
            end -= len(also.group())
        if outlets.text[end - 1:end] == "»":
            end -= 1
        hit = _outlet_before(outlets, end, words)
        apposed = None if hit is not None else _BEFORE_VERB.search(outlets.text, max(0, end - 90), end)
        if apposed is not None:  # «شبکه المسیره وابسته به جنبش انصارالله گزارش داد»، «روزنامه ایران، ارگان دولت، نوشت»
            hit = _outlet_before(outlets, apposed.start(), words)
        if hit is not None and not _posted_on(outlets, hit):
            hit = _with_head(outlets, hit, words)
            found.append((hit[1], *hit, "citing"))
    return found


# an apposition between an outlet and its verb: «، ارگان رسمی دولت،» or «وابسته به جنبش انصارالله»
_BEFORE_VERB = re.compile(r"(?:،[^،.:\n«»]{3,80}،|\sوابسته به [^،.:\n«»]{2,60})\s*$")


def _outlet_before(outlets: _Outlets, end: int, words: SourceWords) -> tuple[str, int, int] | None:
    return _ending_at(outlets, end) or _headed_before(outlets, end, words) or _subject_of(outlets, end, words)


# «(ایرنا)»، «(خبرگزاری فرانسه، رویترز)» closing a paragraph; «© تمامی حقوق این سایت متعلق به X است»
_CLOSING = re.compile(r"\((?P<names>[^()\n]{2,80})\)[ .]*(?=\n|$)")
_RIGHTS = re.compile(r"(?:(?:©|حقوق)[^\n]{0,60}?متعلق به|©\s*(?:[0-9۰-۹]{4}\s*)?)\s+(?=\S)")


def _closing_credits(outlets: _Outlets, words: SourceWords) -> list[tuple[int, str, int, int, Frame]]:
    """Outlets credited in parentheses at the end of a paragraph (each one an outlet, or none is),
    and the outlet a rights notice names (the publisher)."""
    found: list[tuple[int, str, int, int, Frame]] = []
    text = outlets.text
    for m in _CLOSING.finditer(text):
        hits: list[tuple[str, int, int]] = []
        at = m.start("names")
        for part in re.split(r"([،,])", m.group("names")):
            if part not in ("،", ","):
                lead = len(part) - len(part.lstrip())
                hit = _at(outlets, at + lead, words, False)
                if hit is None or hit[2] > m.end("names"):
                    hits = []
                    break
                hits.append(hit)
            at += len(part)
        found += [(hit[1], *hit, "credited") for hit in hits]
    for m in _RIGHTS.finditer(text):
        hit = _at(outlets, m.end(), words, True)
        if hit is not None:
            found.append((hit[1], *hit, "publisher"))
    return found


_SENTENCE_END = re.compile(r"[.؟!؛\n]")
_APPOSITION = re.compile(r"\s*[،,][^،,.\n]{1,80}[،,]")  # «، وابسته به سپاه پاسداران،»
_SUBJECT_REACH = 240  # characters from a sentence's subject to its verb


def _subject_of(outlets: _Outlets, end: int, words: SourceWords) -> tuple[str, int, int] | None:
    """«روزنامه اعتماد در شماره امروز خود نوشت»، «خبرگزاری فارس، وابسته به سپاه، ... گزارش داد»: an
    outlet opening the sentence whose verb this is, with no other verb, person or body between them
    but in an apposition right after the outlet."""
    text = outlets.text
    floor = max(0, end - _SUBJECT_REACH)
    start = floor
    for m in _SENTENCE_END.finditer(text, floor, end):
        start = m.end()
    if start == floor and floor > 0:
        return None  # the sentence opens further back than the reach
    while start < end and text[start] in " «":
        start += 1
    hit = _at(outlets, start, words, False)
    if hit is None or hit[2] > end:
        return None
    after = hit[2]
    apposition = _APPOSITION.match(text, after, end)
    if apposition:
        after = apposition.end()
    if any(is_verb(w) for w in text[after:end].split()):
        return None  # the outlet's clause ended before: «روزنامه شرق توقیف شد و ... نوشت»
    between = (e for k, (_, e) in outlets.mention_at.items() if after <= k < end)
    return None if any(e.type in ("person", "organization") for e in between) else hit


def _headed_before(outlets: _Outlets, end: int, words: SourceWords) -> tuple[str, int, int] | None:
    """«سایت خبری سیویل جورجیا نیز گزارش داد»: a head word and the name between it and the verb."""
    window = outlets.text[max(0, end - 80):end]
    if re.search(r"[،.:؛\n]", window.split("\n")[-1][-60:] if window else ""):
        window = re.split(r"[،.:؛\n]", window)[-1]
    start = end - len(window)
    for offset in range(len(window)):
        at = start + offset
        if (at == 0 or outlets.text[at - 1] == " ") and _head(outlets.text, at, words):
            hit = _at(outlets, at, words, True)
            return hit if hit is not None and hit[2] <= end else None
    return None


def _with_head(outlets: _Outlets, hit: tuple[str, int, int], words: SourceWords) -> tuple[str, int, int]:
    """The credit's mention with the head word before the name («روزنامه «الاخبار»» as a whole), also
    a head of which the name's mention holds only the tail («وب‌سایت» read as «سایت»)."""
    text, start = outlets.text, hit[1]
    for p in range(max(0, start - 24), start):
        if p and text[p - 1] not in " \n«(":
            continue
        for h in words.heads:
            end = p + len(h)
            if text.startswith(h, p) and (p < start < end or (end <= start and not text[end:start].strip(" «"))):
                return hit[0], p, hit[2]
    return hit


def _posted_on(outlets: _Outlets, hit: tuple[str, int, int]) -> bool:
    """«در شبکه اجتماعی ایکس نوشت»: a platform something was posted on is not a source."""
    entry = outlets.gaz.entries.get(hit[0])
    before = outlets.text[max(0, hit[1] - 4):hit[1]]
    return (entry is not None and entry.medium == "platform") or before.endswith("در ")


def _ending_at(outlets: _Outlets, end: int) -> tuple[str, int, int] | None:
    """The outlet whose name ends at ``end`` («رویترز گزارش داد»)."""
    known = outlets.mention_to.get(end)
    if known is not None and outlets.is_outlet(known[1]):
        return known[1].id, known[0], end
    guarded = outlets.guarded_to.get(end)
    if guarded is not None:  # a common word before «نوشت» is an outlet only after its head word
        start, entity_id = guarded
        before = outlets.text[max(0, start - 30):start].rstrip()
        if before.endswith(load_source_words().heads):
            return entity_id, start, end
    return None


def _roles(credits: list[tuple[int, str, int, int, Frame]]) -> list[tuple[str, int, SourceRole]]:
    """Each outlet once, at its first credit: the first «به گزارش» reports, a later one cites."""
    out: list[tuple[str, int, SourceRole]] = []
    seen: set[str] = set()
    reporter: str | None = None
    for pos, entity_id, _, _, frame in sorted(credits):
        role: SourceRole = frame
        if frame == "reporting":
            if reporter is None:
                reporter = entity_id
            elif entity_id != reporter:
                role = "citing"
        if entity_id not in seen:
            seen.add(entity_id)
            out.append((entity_id, pos, role))
    return out


def _with_mentions(outlets: _Outlets, credits: list[tuple[int, str, int, int, Frame]]) -> tuple[Entity, ...]:
    """The article's entities with the outlets this stage found added as organization mentions."""
    for _, entity_id, start, end, _ in credits:
        known = outlets.mention_at.get(start)
        if known is None or known[1].id != entity_id:
            outlets.added.setdefault(entity_id, []).append(Mention(start, end, outlets.text[start:end]))
    entities = dict(outlets.entities)
    for entity_id, mentions in outlets.added.items():
        if not mentions:
            continue
        base = entities.get(entity_id)
        if base is None:
            entry = outlets.gaz.entries[entity_id]
            base = Entity("organization", entity_id, entry.name, (), entry.latin, True)
        merged = tuple(sorted({(m.start, m.end): m for m in (*base.mentions, *mentions)}.values(),
                              key=lambda m: m.start))
        entities[entity_id] = Entity(base.type, base.id, base.name, merged, base.latin, base.linked)
    kept = [e for e in entities.values() if e.mentions]
    return tuple(sorted(kept, key=lambda e: e.mentions[0].start))


def extract_sources(text: str, entities: tuple[Entity, ...], gaz: Gazetteer, dateline: str | None = None
                    ) -> tuple[tuple[Source, ...], tuple[Entity, ...]]:
    """The outlets the article credits, in order, and the entities with those outlets added."""
    words = load_source_words()
    outlets = _new_outlets(text, entities, gaz)
    credits = _credits(outlets, dateline, words)
    if not credits:
        return (), entities
    merged = _with_mentions(outlets, credits)
    by_id = {e.id: e for e in merged}
    sources = tuple(Source(by_id[entity_id], role, pos) for entity_id, pos, role in _roles(credits)
                    if entity_id in by_id)
    return sources, merged
