"""The ``extract_entities`` stage: persons, organizations, locations and dates, linked to ids.

1. Gazetteer names, aliases and variants are found in one multi-pattern pass.
2. Short forms (a surname alone: «لاوروف») link to the entity introduced elsewhere in the article,
   or to the only entity that uses that short form.
3. People missing from the gazetteer are found by context: a first name followed by a surname next
   to a role phrase (وزیر امور خارجه، سخنگوی ...) or a title (آقای، دکتر), a name inside «», or a
   name right before a speech verb. Their surname alone then resolves to them too.
4. Dates, Jalali and Gregorian, become ISO dates.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from streams.enrich.entities import find_dates
from streams.enrich.gazetteer import Gazetteer, NameHit
from streams.enrich.lexicon import Lexicon
from streams.enrich.persian import is_adjective, is_descriptive, is_inflected, is_verb, match_key, word_frequency
from streams.model import Entity, EntityType, Mention

__all__ = ["extract_entities", "Token", "tokenize"]

_TOKEN = re.compile(r"[\w\u200c]+|[^\w\s]")
_TYPES: dict[str, EntityType] = {"person": "person", "organization": "organization", "location": "location"}


@dataclass(slots=True, eq=False)  # not frozen: an article makes thousands, and frozen ones cost 3× to build
class Token:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


@dataclass
class _Found:
    entity_id: str
    type: EntityType
    name: str
    latin: str | None
    linked: bool
    mentions: list[Mention]


class _Spans:
    """Occupied character ranges, so later rules never claim text an earlier rule explained.

    One byte per character of the article: marking and testing a range are C-speed slice
    operations, whatever the number of ranges (a list of ranges made each test linear)."""

    def __init__(self, size: int = 0) -> None:
        self._taken = bytearray(size)

    def add(self, start: int, end: int) -> None:
        if end > len(self._taken):
            self._taken.extend(bytes(end - len(self._taken)))
        self._taken[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return start < end and self._taken.find(1, start, end) != -1


_WORD_BEFORE = re.compile(r"([\w\u200c]+)\s*$")


def _link_gazetteer(text: str, gaz: Gazetteer, spans: _Spans, lex: Lexicon | None = None) -> dict[str, list[Mention]]:
    matches = gaz.matcher.find(text)
    found: dict[str, list[Mention]] = {}
    deferred = []
    for m in matches:
        full = [p for p in m.payloads if p.form != "short"]
        surface = text[m.start:m.end]
        if lex is not None and " " not in surface and all(p.entity_id.startswith("person/") for p in m.payloads):
            before = _WORD_BEFORE.search(text, max(0, m.start - 30), m.start)
            if before is not None and before.group(1) in lex.first_names:
                continue  # «اولکسی کولبا»: a one-word name after another first name is someone else's
        if full:
            chosen = _prefer(full, found)
            found.setdefault(chosen.entity_id, []).append(Mention(m.start, m.end, text[m.start:m.end]))
            spans.add(m.start, m.end)
        else:
            deferred.append(m)
    for m in deferred:
        hits: list[NameHit] = list(m.payloads)
        introduced = [h for h in hits if h.entity_id in found]
        if introduced:
            chosen = introduced[0]
        elif len({h.entity_id for h in hits}) == 1:
            chosen = hits[0]
        else:
            continue
        found.setdefault(chosen.entity_id, []).append(Mention(m.start, m.end, text[m.start:m.end]))
        spans.add(m.start, m.end)
    return found


def _prefer(hits: list[NameHit], found: dict[str, list[Mention]]) -> NameHit:
    """Among entities sharing a name, the one already mentioned, else the canonical-name holder."""
    for h in hits:
        if h.entity_id in found:
            return h
    for h in hits:
        if h.form == "name":
            return h
    return hits[0]


def _first_name_variants(unlinked: dict[str, tuple[str, list[Mention]]], linked: dict[str, list[Mention]],
                         gaz: Gazetteer) -> None:
    """«ولودیمیر زلنسکی» is «ولادیمیر زلنسکی» transliterated otherwise: a person found by context whose
    surname names one gazetteer person, with a first name that starts alike, is that person."""
    for key, (name, mentions) in list(unlinked.items()):
        words = name.split()
        if len(words) != 2:
            continue
        owners = {e.id for e in gaz.lookup(words[1]) if e.type == "person"}
        if len(owners) != 1:
            continue
        eid = next(iter(owners))
        first = gaz.entries[eid].name.split()[0]
        if match_key(first)[:2] == match_key(words[0])[:2]:
            linked.setdefault(eid, []).extend(mentions)
            del unlinked[key]


def _surname_of_the_introduced(unlinked: dict[str, tuple[str, list[Mention]]], linked: dict[str, list[Mention]],
                               gaz: Gazetteer) -> None:
    """«اولکسی کولبا ... کولبا گفت»: a surname the gazetteer gives to someone else (دیمیترو کولبا) is the
    person the article introduced in full, when that someone is only ever named by it here."""
    by_surname: dict[str, str] = {}
    for key, (name, _) in unlinked.items():
        if " " in name:
            by_surname.setdefault(match_key(name.split()[-1]), key)
    if not by_surname:
        return
    for eid in list(linked):
        entry = gaz.entries[eid]
        if entry.type != "person":
            continue
        keys = {match_key(m.surface) for m in linked[eid]}
        if len(keys) == 1 and (key := next(iter(keys))) in by_surname and key in {match_key(s) for s in entry.short}:
            unlinked[by_surname[key]][1].extend(linked.pop(eid))


def _linked_surnames(text: str, tokens: list[Token], gaz: Gazetteer, linked: dict[str, list[Mention]],
                     spans: _Spans, lex: Lexicon) -> None:
    """A person introduced in full is then named by surname alone («محمد اسلامی» … «اسلامی»), even
    when the surname alone is too ambiguous for the gazetteer's short forms."""
    surnames: dict[str, list[str]] = {}
    for entity_id in linked:
        entry = gaz.entries[entity_id]
        if entry.type != "person" or " " not in entry.name:
            continue
        surname = entry.name.split(" ")[-1]
        if len(surname) >= 3:
            surnames.setdefault(surname, []).append(entity_id)
    if not surnames:
        return
    for k, t in enumerate(tokens):
        owners = surnames.get(t.text)
        if not owners or len(owners) != 1 or spans.overlaps(t.start, t.end):
            continue
        # a surname that is also a common word («اسلامی»، «سلام») counts only as a clause's subject
        if t.text in lex.stopnames and not _clause_initial(text, tokens, k):
            continue
        linked[owners[0]].append(Mention(t.start, t.end, t.text))
        spans.add(t.start, t.end)


def _clause_initial(text: str, tokens: list[Token], k: int) -> bool:
    if k == 0 or "\n" in text[tokens[k - 1].end:tokens[k].start]:
        return True
    return tokens[k - 1].text in (".", "،", ",", "؛", "!", "؟", ":", "«", "و")


def _role_ends(text: str, lex: Lexicon) -> tuple[set[int], set[int]]:
    """Start and end offsets of role phrases and titles (for the context rules)."""
    starts: set[int] = set()
    ends: set[int] = set()
    for m in lex.roles.find(text):
        starts.add(m.start)
        ends.add(m.end)
    return starts, ends


_COMMON = 5000  # hazm frequency from which a word is too common to be the second word of a surname
# second parts of compound surnames, common words on their own (دلاوری نژاد، امیری مقدم)
_SURNAME_TAILS = frozenset({
    "نژاد", "زاده", "پور", "فر", "فرد", "نیا", "راد", "مقدم", "منش", "کیا", "وند", "لو", "آبادی",
})


def _name_at(tokens: list[Token], i: int, lex: Lexicon, role_starts: frozenset[int] = frozenset()) -> int:
    """If a person's name starts at token i (first name[s] + surname), the index after it; else i."""
    j = i
    firsts = 0
    while j < len(tokens) and tokens[j].text in lex.first_names and firsts < 3:
        j += 1
        firsts += 1
    if not firsts:
        return i
    # a surname that is also a common word («اسلامی») is taken when a role follows it at once
    if (j + 1 < len(tokens) and tokens[j].is_word and tokens[j].text in lex.stopnames
            and tokens[j].text not in lex.speech_forms and tokens[j + 1].start in role_starts):
        return j + 1
    surname = 0
    while j < len(tokens) and surname < 2 and tokens[j].is_word and lex.is_name_token(tokens[j].text):
        if tokens[j].start != tokens[j - 1].end + 1 and tokens[j].start != tokens[j - 1].end:
            break
        if tokens[j].text in lex.speech_forms or (tokens[j].text in lex.first_names and surname):
            break
        # a second surname word is a rare word (شریعتی نیاسر), not an adverb or a verb (بنیادی‌فر به‌شدت)
        if surname and tokens[j].text not in _SURNAME_TAILS:
            freq = word_frequency(tokens[j].text)
            if (freq is not None and (freq >= _COMMON or "\u200c" in tokens[j].text)) or is_verb(tokens[j].text):
                break
        j += 1
        surname += 1
    if not surname:
        # a lone first name is not enough; two or three first names are a name only with the context
        # rules' evidence («بهزاد پارسا، مدیرعامل ...»، «عمر احمد محمد، رئیس ...»)
        return j if firsts >= 2 else i
    return j


def _context_ok(text: str, tokens: list[Token], i: int, j: int, lex: Lexicon,
                role_starts: set[int], role_ends: set[int], spans: _Spans,
                speech_at: set[int] | None = None) -> bool:
    """A name candidate counts only with evidence around it: role, title, «», or a speech verb."""
    start = tokens[i].start
    if i > 0 and tokens[i - 1].text in lex.titles:
        return True
    if i > 0 and tokens[i - 1].text == "«" and j < len(tokens) and tokens[j].text == "»":
        return True
    # role right after the name: «علی محمدی استاندار گیلان» / «علی محمدی، سخنگوی ...»
    k = j
    if k < len(tokens) and tokens[k].text in ("،", ",", "»"):
        k += 1
    if k < len(tokens) and tokens[k].start in role_starts:
        return True
    # a first name and a surname that is no word of the lexicon (ترابی، ترزاسکوفسکی)
    surnames = [t.text for t in tokens[i:j] if t.text not in lex.first_names]
    if surnames and all(word_frequency(s) is None and not is_adjective(s) and not is_verb(s)
                        and ("\u200c" not in s or s.rsplit("\u200c", 1)[1] in _SURNAME_TAILS)
                        and not (s.endswith(("ان", "ها", "های")) and is_inflected(s)) for s in surnames):
        return True
    # speech verb right after the name: «علی محمدی گفت»
    if j < len(tokens):
        nxt = tokens[j].text
        two = nxt + (" " + tokens[j + 1].text if j + 1 < len(tokens) else "")
        if nxt in lex.speech_forms or two in lex.speech_forms:
            return True
    # subject of a sentence that ends in a speech verb: «علی محمدی روز یکشنبه در نشست ... گفت:»
    if speech_at is not None and (i == 0 or tokens[i - 1].text in (".", "،", ",", "؛", "»", "!", "؟")
                                  or "\n" in text[tokens[i - 1].end:start]):
        for t in tokens[j:j + 30]:
            if t.text in (".", "؟", "!") or "\n" in t.text:
                break
            if t.start in speech_at:
                return True
    # role phrase (possibly with its country/organization and a comma) within a few tokens before
    window_start = max(0, i - 6)
    for t in tokens[window_start:i]:
        if t.end in role_ends:
            between = text[t.end:start]
            if "." not in between and "؟" not in between and ":" not in between:
                return True
    return False


def _unlinked_persons(text: str, tokens: list[Token], lex: Lexicon, spans: _Spans,
                      known: dict[str, list[Mention]]) -> dict[str, tuple[str, list[Mention]]]:
    role_starts, role_ends = _role_ends(text, lex)
    frozen_roles = frozenset(role_starts)
    speech_at = {m.start for m in lex.speech.find(text)}
    found: dict[str, tuple[str, list[Mention]]] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.text not in lex.first_names or spans.overlaps(tok.start, tok.end):
            i += 1
            continue
        j = _name_at(tokens, i, lex, frozen_roles)
        if j == i or spans.overlaps(tok.start, tokens[j - 1].end):
            i += 1
            continue
        if _context_ok(text, tokens, i, j, lex, role_starts, role_ends, spans, speech_at):
            start, end = tok.start, tokens[j - 1].end
            name = text[start:end]
            key = match_key(name)
            found.setdefault(key, (name, []))[1].append(Mention(start, end, name))
            spans.add(start, end)
            i = j
        else:
            i += 1
    # quoted names of people whose first name we do not know: «X Y» followed by a role phrase
    for i, tok in enumerate(tokens):
        if tok.text != "«":
            continue
        j = i + 1
        while j < len(tokens) and j - i <= 4 and tokens[j].is_word and lex.is_name_token(tokens[j].text) \
                and "\n" not in text[tokens[j - 1].end:tokens[j].start]:
            j += 1
        if j < len(tokens) and tokens[j].text == "»" and 3 <= j - i <= 4:
            after = j + 1
            if after < len(tokens) and tokens[after].text in ("،", ","):
                after += 1
            if after < len(tokens) and tokens[after].start in role_starts:
                start, end = tokens[i + 1].start, tokens[j - 1].end
                if not spans.overlaps(start, end):
                    name = text[start:end]
                    found.setdefault(match_key(name), (name, []))[1].append(Mention(start, end, name))
                    spans.add(start, end)
    # a single name before a role, after a title or in apposition: «مولوی عبدالکبیر، وزیر مهاجرین ...»،
    # «...، عبدالکبیر، وزیر مهاجرین ...»
    for i in range(1, len(tokens) - 2):
        tok = tokens[i]
        apposed = tokens[i - 1].text in ("،", ",") and tokens[i + 1].text in ("،", ",")
        if ((tokens[i - 1].text in lex.titles or apposed)
                and tok.is_word and word_frequency(tok.text) is None and not is_descriptive(tok.text)
                and lex.is_name_token(tok.text) and not spans.overlaps(tok.start, tok.end)):
            after = i + 2 if tokens[i + 1].text in ("،", ",") else i + 1
            if after < len(tokens) and tokens[after].start in role_starts:
                found.setdefault(match_key(tok.text), (tok.text, []))[1].append(Mention(tok.start, tok.end, tok.text))
                spans.add(tok.start, tok.end)
    # the surname alone, once the full name has been introduced
    for name, mentions in list(found.values()):
        words = name.split()
        firsts = next((k for k, w in enumerate(words) if w not in lex.first_names), len(words))
        # the last word, and the first word of a two-word surname («شریعتی» of «مالک شریعتی نیاسر»)
        surnames = {words[-1]} | ({words[firsts]} if len(words) - firsts == 2 else set())
        surnames = {s for s in surnames if len(s) >= 3 and s not in lex.first_names}
        if not surnames:
            continue
        for k, t in enumerate(tokens):
            if t.text in surnames and not spans.overlaps(t.start, t.end):
                # a surname that is also a common word («اسلامی») counts only as a clause's subject
                if t.text in lex.stopnames and not _clause_initial(text, tokens, k):
                    continue
                mentions.append(Mention(t.start, t.end, t.text))
                spans.add(t.start, t.end)
    return found


_LIGHT_VERB = re.compile(r"^(?:ن|می\u200c|نمی\u200c)?(?:کرد|کن|شد|شو|بود|باش|داد|ده|گرفت|گیر|نمود|نما|ساخت|ساز|"
                         r"یافت|یاب|داشت|دار|خواه|توان|تواند|رسید|رس)(?:ه|ند|ه\u200cاند|ه\u200cاست|ید|یم|م|ی|د|ست|ن)?$")


def _verbal(tokens: list[Token], j: int) -> bool:
    """A verb, or the first part of a compound verb («برگزار شد»، «اعلام کرد»)."""
    t = tokens[j].text
    if t.startswith(("می\u200c", "نمی\u200c")) or _LIGHT_VERB.match(t):
        return True
    if j + 1 >= len(tokens):
        return False
    nxt = tokens[j + 1].text
    # «قرار داده‌ایم»: a participle with its clitic also follows the first part of a compound verb
    return (bool(_LIGHT_VERB.match(nxt)) and nxt not in ("دار",)) or ("\u200c" in nxt and is_verb(nxt))


def _org_word(tokens: list[Token], j: int, lex: Lexicon, place_at: dict[int, tuple[int, int, str]]) -> bool:
    """Can token j continue an organization's name (not punctuation, a function word, a verb...)?"""
    if j >= len(tokens):
        return False
    t = tokens[j]
    return not (not t.is_word or t.text in lex.org_stop or t.text in lex.stopnames or t.text in lex.role_heads
                or t.text in lex.speech_forms or t.text.isdigit() or _verbal(tokens, j)
                or (t.text in lex.org_heads and j > 0 and tokens[j - 1].text == "و"))


# qualifiers that may follow a name without being part of it
_TRAILING = frozenset({"مستقر", "وابسته", "مربوط", "یادشده", "مذکور", "سابق", "پیشین", "فعلی", "کنونی"})
_MODALS = frozenset({"باید", "نباید", "می‌تواند", "نمی‌تواند", "توانست", "خواهد"})
# A head after these refers back to, or counts, organizations: «این گروه»، «یک شرکت»، «دو حزب».
_DETERMINERS = frozenset({"این", "آن", "همین", "همان", "هر", "چند", "یک", "دو", "سه", "کدام", "برخی", "دیگر"})


def _and_continues(tokens: list[Token], j: int, lex: Lexicon, place_at: dict[int, tuple[int, int, str]]) -> bool:
    """Does «و Y» at token j belong to the name («حزب قانون و عدالت»، «مرکز مبادله ارز و طلای ایران»)?

    Y must be a plain word (not an entity, not another head) that either closes the name before
    punctuation, or is in ezafe (ـی) with the rest of the name after it.
    """
    if j + 1 >= len(tokens) or tokens[j].text != "و":
        return False
    y = tokens[j + 1]
    if (not _org_word(tokens, j + 1, lex, place_at) or y.text in lex.org_heads or y.start in place_at
            or y.text in lex.first_names):
        return False
    if j + 2 >= len(tokens):
        return True
    nxt = tokens[j + 2]
    if nxt.text in ("،", ",", ".", "؛", "»", ")"):
        return True
    return y.text.endswith("ی") and (nxt.start in place_at or _org_word(tokens, j + 2, lex, place_at))


def _org_head(tokens: list[Token], i: int, lex: Lexicon) -> int:
    """Number of tokens of an organization head at i (0 if none); heads may be two words."""
    if tokens[i].text in lex.org_heads:
        return 1
    if i + 1 < len(tokens) and f"{tokens[i].text} {tokens[i + 1].text}" in lex.org_heads:
        return 2
    return 0


def _unlinked_organizations(text: str, tokens: list[Token], lex: Lexicon, spans: _Spans,
                            linked: dict[str, list[Mention]], gaz: Gazetteer
                            ) -> dict[str, tuple[str, list[Mention]]]:
    """«وزارت بهداشت»، «ارتش لبنان»: a head noun and the words that name it; places inside belong to it."""
    located = {(m.start, m.end): eid for eid, ms in linked.items() for m in ms}
    place_at: dict[int, tuple[int, int, str]] = {}
    for (start, end), eid in located.items():
        place_at[start] = (start, end, eid)
    found: dict[str, tuple[str, list[Mention]]] = {}
    absorbed: set[tuple[int, int]] = set()
    i = 0
    while i < len(tokens):
        if tokens[i].text not in lex.org_head_firsts:
            i += 1
            continue
        head = _org_head(tokens, i, lex)
        if (not head or spans.overlaps(tokens[i].start, tokens[i + head - 1].end)
                or (i > 0 and tokens[i - 1].text in _DETERMINERS)):
            i += 1
            continue
        j = i + head
        words = 0
        inner: list[tuple[int, int]] = []
        while j < len(tokens) and words < 6:
            t = tokens[j]
            if t.start - tokens[j - 1].end > 1 or "\n" in text[tokens[j - 1].end:t.start]:
                break
            place = place_at.get(t.start)
            if place is not None:
                start, end, eid = place
                entry = gaz.entries.get(eid)
                if (entry is not None and entry.type == "organization" and words
                        and tokens[i].text not in lex.org_strict
                        and not tokens[j - 1].text.endswith(("کننده", "دهنده", "ای", "ی"))):
                    # «ستاد حقوق بشر قوه قضاییه»: a named body under another ends the name, and belongs
                    # to it; not after a strict head or a description («هیئت مذاکره‌کننده حماس»،
                    # «گروه تروریستی داعش»)
                    inner.append((start, end))
                    while j < len(tokens) and tokens[j].end <= end:
                        j += 1
                    words += 1
                    break
                if entry is None or entry.type != "location":
                    break
                inner.append((start, end))
                while j < len(tokens) and tokens[j].end <= end:
                    j += 1
                words += 1
                continue
            if words and _and_continues(tokens, j, lex, place_at):
                j += 2
                words += 2
                continue
            if not _org_word(tokens, j, lex, place_at):
                break
            j += 1
            words += 1
        while j - 1 > i + head and tokens[j - 1].text in _TRAILING:  # «سازمان حقوق بشر ایران مستقر در ...»
            j -= 1
            words -= 1
        needed = 2 if tokens[i].text in lex.org_strict else 1
        described = all(is_descriptive(t.text) or t.text in _MODALS for t in tokens[i + head:j]) and not inner
        if words >= needed and not described:  # «خبرگزاری دولتی»، «آژانس آماده» describe, not name
            start, end = tokens[i].start, tokens[j - 1].end
            name = text[start:end]
            found.setdefault(match_key(name), (name, []))[1].append(Mention(start, end, name))
            spans.add(start, end)
            absorbed.update(inner)
            i = j
        else:
            i += 1
    for eid in list(linked):
        linked[eid] = [m for m in linked[eid] if (m.start, m.end) not in absorbed]
        if not linked[eid]:
            del linked[eid]
    return found


# Geographic head nouns. The first group is part of the place's name (دریاچه آرال، تنگه هرمز); after
# the second the name stands alone (شهر آکتائو → آکتائو).
_NAMED_WITH_HEAD = frozenset({
    "دریاچه", "دریای", "رود", "رودخانه", "جزیره", "جزایر", "تنگه", "خلیج", "کوه", "کوه‌های", "رشته‌کوه",
    "صحرای", "کانال", "بیابان", "دشت", "آبشار", "سد",
})
_PLACE_HEADS = frozenset({
    "شهر", "شهرهای", "شهرستان", "شهرستان‌های", "استان", "استان‌های", "بندر", "روستای", "روستاهای", "ایالت",
    "اردوگاه", "شهرک", "بخش",
})
# «X، پایتخت Y»، «X، مرکز استان Y»: an apposition that says X is a place.
_PLACE_APPOSITIONS = ("پایتخت", "مرکز استان", "بندر", "شهر")
# «عازم X»، «به مقصد X»: a destination.
_DESTINATION = frozenset({"عازم", "مقصد"})
_PREPOSITIONS = frozenset({"در", "از", "به", "تا", "میان", "بین"})


def _place_word(tokens: list[Token], j: int, lex: Lexicon, spans: _Spans, *, strict: bool = True) -> bool:
    """Could token j be (part of) a place name missing from the gazetteer? Not a common word when strict."""
    if j >= len(tokens):
        return False
    t = tokens[j]
    if not t.is_word or t.text.isdigit() or len(t.text) < 3 or spans.overlaps(t.start, t.end):
        return False
    if (strict and t.text in lex.stopnames) or t.text in lex.role_heads or t.text in lex.org_heads \
            or t.text in lex.first_names:
        return False
    if (is_descriptive(t.text) or is_inflected(t.text) or is_verb(t.text)
            or t.text.startswith(("می\u200c", "نمی\u200c"))):
        return False
    return not strict or word_frequency(t.text) is None


def _unlinked_locations(text: str, tokens: list[Token], lex: Lexicon, spans: _Spans,
                        linked: dict[str, list[Mention]], gaz: Gazetteer) -> dict[str, tuple[str, list[Mention]]]:
    """Places missing from the gazetteer, by what the text says of them: a geographic head noun
    («شهر آکتائو»، «دریاچه آرال»), an apposition («دوشنبه، پایتخت تاجیکستان»), a destination
    («عازم گروزنی»), or «و» with a known place after a preposition («در فضولی و زنگیلان»)."""
    place_starts = {m.start for eid, ms in linked.items() if gaz.entries[eid].type == "location" for m in ms}
    place_ends = {m.end for eid, ms in linked.items() if gaz.entries[eid].type == "location" for m in ms}
    found: dict[str, tuple[str, list[Mention]]] = {}

    def take(i: int, j: int, head: int | None = None) -> None:
        start = tokens[head if head is not None else i].start
        end = tokens[j - 1].end
        if spans.overlaps(start, end):
            return
        name = text[start:end]
        found.setdefault(match_key(name), (name, []))[1].append(Mention(start, end, name))
        spans.add(start, end)

    located = {m.start: (eid, m) for eid, ms in linked.items() if gaz.entries[eid].type == "location" for m in ms}
    for i, t in enumerate(tokens):
        if t.text in _NAMED_WITH_HEAD and i + 1 < len(tokens) and tokens[i + 1].start in located \
                and tokens[i + 1].start - t.end <= 1 \
                and gaz.entries[located[tokens[i + 1].start][0]].kind in ("city", "region", "province", "country"):
            # «کوه آرارات»، «رودخانه کرج»: a feature named after a known place is a place of its own
            eid, m = located[tokens[i + 1].start]
            linked[eid].remove(m)
            if not linked[eid]:
                del linked[eid]
            name = text[t.start:m.end]
            found.setdefault(match_key(name), (name, []))[1].append(Mention(t.start, m.end, name))
            spans.add(t.start, t.end)
        elif t.text in _NAMED_WITH_HEAD or t.text in _PLACE_HEADS:
            j = i + 1
            while j < len(tokens) and j - i <= 2 and _place_word(tokens, j, lex, spans) \
                    and tokens[j].start - tokens[j - 1].end <= 1:
                j += 1
            if j > i + 1 and (j >= len(tokens) or tokens[j].text not in lex.first_names):
                take(i + 1, j, i if t.text in _NAMED_WITH_HEAD else None)
        elif t.text in _DESTINATION and _place_word(tokens, i + 1, lex, spans):
            j = i + 2 if not _place_word(tokens, i + 2, lex, spans) else i + 3
            take(i + 1, j)
        elif t.text in _PREPOSITIONS and i + 2 < len(tokens):
            # «در X، پایتخت ...»: one or two words, known words allowed (دوشنبه is also Monday)
            for width in (1, 2):
                k = i + 1 + width
                if k + 1 < len(tokens) and tokens[k].text == "،" and all(
                        _place_word(tokens, i + 1 + w, lex, spans, strict=False) for w in range(width)):
                    rest = text[tokens[k + 1].start:tokens[k + 1].start + 12]
                    if rest.startswith(_PLACE_APPOSITIONS):
                        take(i + 1, k)
                        break
            # «در X و L» and «در L و X»
            if (i + 3 < len(tokens) and tokens[i + 2].text == "و" and tokens[i + 3].start in place_starts
                    and _place_word(tokens, i + 1, lex, spans)):
                take(i + 1, i + 2)
            elif tokens[i + 1].start in place_starts:
                last = next((n for n in range(i + 1, min(i + 6, len(tokens))) if tokens[n].end in place_ends), None)
                if last is not None and last + 2 < len(tokens) and tokens[last + 1].text == "و" \
                        and _place_word(tokens, last + 2, lex, spans) \
                        and (last + 3 >= len(tokens) or not tokens[last + 3].is_word
                             or tokens[last + 3].text in _PREPOSITIONS):
                    take(last + 2, last + 3)
    # the same name elsewhere in the article (not a common word taken on an apposition: دوشنبه)
    for name, mentions in found.values():
        if " " not in name and word_frequency(name) is not None:
            continue
        for hit in re.finditer(rf"(?<![\w\u200c]){re.escape(name)}(?![\w\u200c])", text):
            if not spans.overlaps(hit.start(), hit.end()):
                mentions.append(Mention(hit.start(), hit.end(), name))
                spans.add(hit.start(), hit.end())
    return found


def _club_names(text: str, linked: dict[str, list[Mention]], gaz: Gazetteer, lex: Lexicon, spans: _Spans) -> None:
    """In sports copy (a club already named, or two words of the game), «استقلال»، «تراکتور» and «فولاد»
    are clubs; elsewhere they are the words independence, tractor and steel."""
    hits = gaz.club_matcher.find(text) if len(gaz.club_matcher) else []
    if not hits:
        return  # most articles: no such word, so no need to look for sports copy
    clubs = sum(1 for eid in linked if gaz.entries[eid].kind == "sports-club")
    cues = len({m.payloads[0] for m in lex.sport_cues.find(text)}) if lex.sport_cues is not None else 0
    if clubs + cues < 2:
        return
    for m in hits:
        if not spans.overlaps(m.start, m.end):
            linked.setdefault(m.payloads[0].entity_id, []).append(Mention(m.start, m.end, text[m.start:m.end]))
            spans.add(m.start, m.end)


def _head_prefixes(text: str, tokens: list[Token], linked: dict[str, list[Mention]], gaz: Gazetteer,
                   lex: Lexicon, spans: _Spans) -> None:
    """A linked organization named again by the first words of its name, from its head noun on
    («فدراسیون فوتبال» for «فدراسیون فوتبال جمهوری اسلامی ایران» named before or after), where the
    name visibly ends there: punctuation, a function word or a verb follows («وزارت امور» of
    «وزارت امور اقتصادی» is not «وزارت امور خارجه»)."""
    starts: list[int] | None = None
    for eid in list(linked):
        entry = gaz.entries[eid]
        if entry.type != "organization":
            continue
        surfaces = {m.surface.replace("\u200c", " ") for m in linked[eid]} | {entry.name}
        prefixes: set[str] = set()
        for surface in surfaces:
            words = surface.split()
            if len(words) >= 3 and words[0] in lex.org_heads:
                prefixes.update(" ".join(words[:n]) for n in range(2, len(words)))
        for prefix in sorted(prefixes, key=len, reverse=True):
            at = text.find(prefix)
            while at != -1:
                end = at + len(prefix)
                bounded = (at == 0 or not _is_name_char(text[at - 1])) and (
                    end == len(text) or not _is_name_char(text[end]))
                if bounded and not spans.overlaps(at, end):
                    if starts is None:
                        starts = [t.start for t in tokens]
                    nxt = bisect.bisect_left(starts, end)
                    if (nxt >= len(tokens) or not tokens[nxt].is_word or tokens[nxt].text in lex.stopnames
                            or _verbal(tokens, nxt)):
                        linked[eid].append(Mention(at, end, prefix))
                        spans.add(at, end)
                at = text.find(prefix, end)


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_\u200c"


def _merge_short_forms(organizations: dict[str, tuple[str, list[Mention]]], linked: dict[str, list[Mention]],
                       gaz: Gazetteer) -> None:
    """«فدراسیون فوتبال» in an article that also names «فدراسیون فوتبال ایران» is that body: an unlinked
    name that begins one linked organization's name is folded into it."""
    if not organizations:
        return
    keys = {eid: [match_key(n) for n in gaz.names_of(eid)] for eid in linked
            if gaz.entries[eid].type == "organization"}
    for key in list(organizations):
        owners = {eid for eid, names in keys.items() if any(n.startswith(key) and n != key for n in names)}
        if len(owners) == 1:
            linked[owners.pop()].extend(organizations.pop(key)[1])


def extract_entities(text: str, gaz: Gazetteer, lex: Lexicon, *, year: int | None = None) -> tuple[Entity, ...]:
    """All entities of an article's joined text, in order of first mention."""
    spans = _Spans(len(text))
    linked = _link_gazetteer(text, gaz, spans, lex)
    tokens = tokenize(text)
    unlinked = _unlinked_persons(text, tokens, lex, spans, linked)
    _first_name_variants(unlinked, linked, gaz)
    _surname_of_the_introduced(unlinked, linked, gaz)
    _linked_surnames(text, tokens, gaz, linked, spans, lex)
    _club_names(text, linked, gaz, lex, spans)
    _head_prefixes(text, tokens, linked, gaz, lex, spans)
    organizations = _unlinked_organizations(text, tokens, lex, spans, linked, gaz)
    places = _unlinked_locations(text, tokens, lex, spans, linked, gaz)
    _merge_short_forms(organizations, linked, gaz)
    found: list[_Found] = []
    for entity_id, mentions in linked.items():
        e = gaz.entries[entity_id]
        found.append(_Found(entity_id, _TYPES.get(e.type, "organization"), e.name, e.latin, True, mentions))
    for key, (name, mentions) in unlinked.items():
        found.append(_Found(f"person/~{key}", "person", name, None, False, mentions))
    for key, (name, mentions) in organizations.items():
        found.append(_Found(f"organization/~{key}", "organization", name, None, False, mentions))
    for key, (name, mentions) in places.items():
        found.append(_Found(f"location/~{key}", "location", name, None, False, mentions))
    for hit in find_dates(text, year):
        if spans.overlaps(hit.start, hit.end):
            continue
        existing = next((f for f in found if f.entity_id == f"date/{hit.iso}"), None)
        mention = Mention(hit.start, hit.end, hit.surface)
        if existing:
            existing.mentions.append(mention)
        else:
            found.append(_Found(f"date/{hit.iso}", "date", hit.iso, None, True, [mention]))
    found.sort(key=lambda f: min(m.start for m in f.mentions))
    return tuple(
        Entity(f.type, f.entity_id, f.name, tuple(sorted(f.mentions, key=lambda m: m.start)), f.latin, f.linked)
        for f in found
    )


def mentions_by_position(entities: Iterable[Entity]) -> list[tuple[Mention, Entity]]:
    """Every mention with its entity, sorted by position (for the quote stage)."""
    pairs = [(m, e) for e in entities for m in e.mentions]
    pairs.sort(key=lambda p: p[0].start)
    return pairs
