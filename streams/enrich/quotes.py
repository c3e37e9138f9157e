"""The ``extract_quotes`` stage: what was said, by whom, with which verb.

Persian agency copy introduces speech with a verb and a colon: «X گفت: «...»», «وی افزود: «...»»,
«دفتر X در بیانیه‌ای نوشت: «...»», or «X گفت: ...» with no quote marks. The speaker is the first
person named in the clause before the verb (after any «به گزارش ...،» attribution), a pronoun
resolved to the last speaker or person, an office resolved to its head, or an organization.
Indirect speech («به گفته وی، ...», «X گفت که ...») is kept as ``indirect``. A name or a term inside
«» is never a quote: only speech after a speech verb counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.enrich.entities import mentions_by_position
from streams.enrich.gazetteer import role_keys_of, squash_key
from streams.enrich.lexicon import Lexicon
from streams.model import Entity, Mention, Quote, Speaker

__all__ = ["extract_quotes", "stated_role_keys"]

_PRONOUNS = ("وی", "او", "ایشان")
_OPENERS = {"«": "»", '"': '"', "“": "”"}
_SENTENCE_END = re.compile(r"[.!؟?]\s|\n")
_ATTRIBUTION = re.compile(r"^\s*(?:به گزارش|به نقل از|طبق گزارش)[^،,:]{0,120}[،,]\s*")
_ORG_HEADS = ("وزارت", "سازمان", "دفتر", "ستاد", "ارتش", "پلیس", "دولت", "شورای", "کمیته", "اداره",
              "نهاد", "مجلس", "کاخ", "سفارت", "کنسولگری", "فرماندهی", "قرارگاه", "حزب", "جنبش", "گروه",
              "دبیرخانه", "کمیسیون", "بانک", "شرکت", "باشگاه", "فدراسیون", "اتحادیه", "دادستانی")
_ORG_STOP = frozenset({"در", "روز", "با", "نیز", "هم", "امروز", "دیروز", "طی", "ضمن", "به", "از", "که", "این"})
_ORG_ANAPHORS = frozenset({"نهاد", "سازمان", "وزارتخانه", "مرکز", "دفتر", "نهادها", "گروه", "ستاد", "شورا",
                           "کمیته", "ارتش", "جنبش", "حزب", "شرکت", "باشگاه", "فدراسیون", "آژانس", "هیئت"})
# «این مقام ...»: nouns for a person that refer back like a pronoun
_PERSON_ANAPHORS = frozenset({"مقام", "نماینده", "وزیر", "دیپلمات", "سیاستمدار", "فرمانده", "مدیر", "سخنگو",
                              "مسئول", "استاندار", "فرماندار", "سفیر", "مربی", "سرمربی", "بازیکن", "کارشناس",
                              "اقتصاددان", "پزشک", "نویسنده", "چهره", "رهبر", "مقام‌", "معاون", "عضو"})
_MAX_QUOTE = 6000
_MIN_WORDS_INDIRECT = 3


@dataclass
class _State:
    last_speaker: Speaker | None = None
    last_org: Speaker | None = None
    last_statement: Speaker | None = None  # who issued the last «بیانیه»، «اطلاعیه» ...
    floor: int = 0  # where the previous quote ended


_AFTER_VERB = re.compile(r"\s*(:|که(?![\w\u200c]))")


def _speech_verbs(text: str, lex: Lexicon) -> list[tuple[int, int, str, str]]:
    """(verb start, end of the colon or «که», verb, ':' or 'که') for every speech verb that
    introduces speech; one multi-pattern pass, then a look at what follows each verb."""
    out = []
    for m in lex.speech.find(text):
        after = _AFTER_VERB.match(text, m.end)
        if after:
            out.append((m.start, after.end(), text[m.start:m.end], after.group(1)))
    return out


def _closing(text: str, open_at: int) -> int:
    """Index of the mark closing the quote opened at ``open_at`` (nesting-aware, linear), or -1."""
    opener = text[open_at]
    closer = _OPENERS[opener]
    depth = 0
    limit = min(len(text), open_at + _MAX_QUOTE)
    i = open_at
    while i < limit:
        ch = text[i]
        if opener != closer and ch == opener:
            depth += 1
        elif ch == closer and (i != open_at):
            depth -= 1
            if depth <= 0:
                return i
        elif opener == closer and i == open_at:
            depth = 1
        if ch == "\n" and i + 1 < len(text) and text[i + 1] == "\n" and depth <= 1 and opener == closer:
            return -1
        i += 1
    return -1


# «X از این توافق استقبال کرد و Y ... نوشت:» — a finite verb and «و» start a new clause
_COORDINATED = re.compile(r"(?<![\w\u200c])(?:کرد|کردند|شد|شدند|است|بود|بودند|داد|دادند|خواند|خواندند|"
                          r"گرفت|گرفتند|نمود|ساخت|داشت|رفت|آمد|گفت|افزود|دانست)[،,]?\s+و\s+")


def _clause_starts(text: str, verb_at: int, floor: int) -> tuple[int, int]:
    """(narrow, wide) starts of the clause that ends at the verb: the wide one follows the last
    sentence end or the floor (the end of the previous quote); the narrow one also follows a
    coordinated finite verb, where a second subject may start."""
    start = floor
    for m in _SENTENCE_END.finditer(text, floor, verb_at):
        start = m.end()
    narrow = start
    for m in _COORDINATED.finditer(text, start, verb_at):
        narrow = m.end()
    return narrow, start


_ROLE_END = re.compile(r"[،,.؛:«»()\n]")


def stated_role_keys(text: str, person: Entity, lex: Lexicon) -> tuple[str, ...]:
    """Role keys for a person the gazetteer does not know, from the role the text puts next to a
    mention: «هادی حق‌شناس، استاندار گیلان،» or «استاندار گیلان، هادی حق‌شناس» → استاندار گیلان."""
    roles = lex.roles.find(text)
    starts = {m.start: m for m in roles}
    ends = {m.end: m for m in roles}
    for mention in person.mentions:
        after = re.match(r"[ ]*[،,]?[ ]*", text[mention.end:mention.end + 4])
        at = mention.end + (after.end() if after else 0)
        if at in starts:
            stop = _ROLE_END.search(text, at, at + 120)
            return _role_keys(text[at:stop.start() if stop else at + 120])
        before = text[max(0, mention.start - 3):mention.start].rstrip(" ،,")
        end = mention.start - (len(text[max(0, mention.start - 3):mention.start]) - len(before))
        if end in ends:
            return _role_keys(text[ends[end].start:end])
    return ()


def _role_keys(role: str) -> tuple[str, ...]:
    return role_keys_of(" ".join(role.split()[:8]), one_word=True)


def _role_prefixes(clause: str, lex: Lexicon | None) -> list[str]:
    """Keys to look roles up by: the role phrase at the clause's start, then its first word."""
    text = clause.strip()
    out = []
    if lex is not None and text.split(maxsplit=1)[:1] and text.split(maxsplit=1)[0] in lex.role_heads:
        at_start = [m for m in lex.roles.find(text) if m.start == 0]
        if at_start:
            out.append(squash_key(text[:at_start[0].end].replace("امور ", "")))
    head = text.split(maxsplit=1)[0] if text else ""
    if len(head) > 3:
        out.append(squash_key(head))
    return out


def _one_holder(clause: str, roles: dict[str, tuple[str, ...]], entities: dict[str, Entity], lex: Lexicon | None,
                *, head_word: bool = True) -> Speaker | None:
    """The one person of the article whose role begins with the role phrase the clause opens with
    (or, with ``head_word``, its first word); None when nobody or several hold it."""
    prefixes = _role_prefixes(clause, lex)
    holders: set[str] = set()
    for prefix in prefixes if head_word else prefixes[:1]:
        holders = {eid for eid, keys in roles.items() if any(k.startswith(prefix) for k in keys)}
        if holders:
            break
    e = entities.get(next(iter(holders))) if len(holders) == 1 else None
    return Speaker(e.id if e.linked else None, e.name, "person") if e is not None else None


def _by_role(clause: str, roles: dict[str, tuple[str, ...]], entities: dict[str, Entity],
             lex: Lexicon | None = None) -> Speaker | None:
    """A clause naming a role («وزیر امور خارجه روسیه ... گفت») speaks for the person of the
    article who holds it."""
    key = squash_key(clause.replace("امور ", ""))
    best: tuple[int, int, Entity] | None = None
    for entity_id, role_keys in roles.items():
        for rk in role_keys:
            at = key.find(rk)
            if at != -1 and (best is None or (at, -len(rk)) < (best[0], best[1])):
                best = (at, -len(rk), entities[entity_id])
    if best is None:
        # «رئیس جمهور نیز ... تصریح کرد»، «سخنگوی دستگاه دیپلماسی گفت»
        return _one_holder(clause, roles, entities, lex)
    e = best[2]
    return Speaker(e.id if e.linked else None, e.name, "person")


def _speaker_in(text: str, start: int, end: int, pairs: list[tuple[Mention, Entity]],
                state: _State, lex: Lexicon, roles: dict[str, tuple[str, ...]] | None = None) -> Speaker | None:
    clause = text[start:end]
    skip = _ATTRIBUTION.match(clause)
    begin = start + (skip.end() if skip else 0)
    in_clause = [(m, e) for m, e in pairs if begin <= m.start < end and e.type in ("person", "organization")]
    persons = [(m, e) for m, e in in_clause if e.type == "person"]
    if text[begin:end].split()[:1] in (["وی"], ["او"], ["ایشان"]):
        # «وی درباره غیبت آزمون افزود»: the pronoun is the subject, whoever the clause names after it
        resolved = _pronoun(text, begin, pairs, state, {e.name for _, e in persons})
        if resolved is not None:
            return resolved
    if persons:
        e = persons[0][1]
        return Speaker(e.id if e.linked else None, e.name, "person")
    words = text[begin:end].split()
    if roles and words[:1] == ["دفتر"]:
        # «دفتر رئیس‌جمهور ... اعلام کرد»: the office of a role speaks for the one person holding it
        rest = text[begin:end].split(maxsplit=1)[1] if len(words) > 1 else ""
        holder = _one_holder(rest, roles, {e.id: e for _, e in pairs}, lex, head_word=False)
        if holder is not None:
            return holder
    if roles:
        by_role = _by_role(text[begin:end], roles, {e.id: e for _, e in pairs}, lex)
        if by_role is not None:
            return by_role
    # «در ادامه این بیانیه آمده است»: the statement's issuer speaks on
    for k in range(len(words) - 1):
        if words[k] == "این" and any(words[k + 1].startswith(n) for n in lex.statement_nouns) \
                and state.last_statement is not None:
            return state.last_statement
    if len(words) >= 2 and words[0] == "این" and words[1] in _PERSON_ANAPHORS:
        # «این مقام محلی تصریح کرد»، «این نماینده مجلس ادامه داد»: the person just introduced or heard
        resolved = _pronoun(text, begin, pairs, state, {e.name for _, e in persons})
        if resolved is not None:
            return resolved
    if len(words) >= 2 and words[0] == "این" and words[1] in _ORG_ANAPHORS:
        if state.last_org is not None:
            return state.last_org
        # «این نهاد وابسته به سازمان ملل»: the organization named before, not the one in the clause
        before = [(m, e) for m, e in pairs if m.start < begin and e.type == "organization"]
        if before:
            e = before[-1][1]
            return Speaker(e.id if e.linked else None, e.name, "organization")
    if any(p in words[:3] for p in _PRONOUNS):
        resolved = _pronoun(text, begin, pairs, state)
        if resolved is not None:
            return resolved
    if in_clause:
        e = in_clause[0][1]
        return Speaker(e.id if e.linked else None, e.name, e.type)
    return _office(words)


def _pronoun(text: str, begin: int, pairs: list[tuple[Mention, Entity]], state: _State,
             named: set[str] | None = None) -> Speaker | None:
    """وی/او: a person made the subject of a sentence since the last quote («حسین راغفر ... معتقد است
    ... . وی گفت:»), else the last speaker, else the last person named; never a person the clause
    itself names («وی درباره غیبت آزمون افزود» is not آزمون)."""
    named = named or set()
    since = [(m, e) for m, e in pairs if state.floor <= m.start < begin and e.type == "person" and e.name not in named]
    if since:
        sentence_start = state.floor
        for end in _SENTENCE_END.finditer(text, state.floor, since[-1][0].start):
            sentence_start = end.end()
        subject = next(((m, e) for m, e in since if m.start >= sentence_start), None)
        if subject is not None and _subject_position(text, sentence_start, subject[0].start):
            e = subject[1]
            return Speaker(e.id if e.linked else None, e.name, "person")
    if state.last_speaker is not None and state.last_speaker.name not in named:
        return state.last_speaker
    before = [(m, e) for m, e in pairs if m.start < begin and e.type == "person" and e.name not in named]
    if before:
        e = before[-1][1]
        return Speaker(e.id if e.linked else None, e.name, "person")
    return None


def _subject_position(text: str, sentence_start: int, at: int) -> bool:
    """Is ``at`` where a sentence's subject stands: its first words, after any «به گزارش ...،»?"""
    lead = text[sentence_start:at]
    skip = _ATTRIBUTION.match(lead)
    lead = lead[skip.end():] if skip else lead
    return len(lead.replace("«", " ").split()) <= 2


def _office(words: list[str]) -> Speaker | None:
    """An unlinked office or organization named at the clause start («وزارت خارجه روسیه»)."""
    if not words or words[0] not in _ORG_HEADS:
        return None
    name: list[str] = []
    for w in words[:6]:
        if w in _ORG_STOP or w.startswith(("بیانیه", "اطلاعیه", "پیام")):
            break
        name.append(w.strip("،,"))
    if len(name) < 2:
        return None
    return Speaker(None, " ".join(name), "organization")


def _direct_text(text: str, after: int) -> tuple[str, int] | None:
    """The quoted text after a colon, with the offset where it ends."""
    i = after
    while i < len(text) and text[i] in " \u200c\n":
        i += 1
    if i >= len(text):
        return None
    if "\n" in text[after:i] and text[i] not in _OPENERS:
        return None  # «... گفت:» closing a paragraph introduces only quoted speech
    if text[i] in _OPENERS:
        close = _closing(text, i)
        if close == -1:
            end = text.find("\n\n", i)
            end = len(text) if end == -1 else end
            return text[i + 1:end].strip(), end
        return text[i + 1:close].strip(), close + 1
    end = text.find("\n", i)
    end = len(text) if end == -1 else end
    return text[i:end].strip(), end


def _indirect_text(text: str, after: int) -> tuple[str, int]:
    end_match = _SENTENCE_END.search(text, after)
    end = end_match.start() + 1 if end_match else len(text)
    return text[after:end].strip(" .،\n"), end


_MARKERS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _marker_pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    pat = _MARKERS.get(markers)
    if pat is None:
        alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
        pat = _MARKERS[markers] = re.compile(rf"(?<![\w\u200c])({alternatives})\s+")
    return pat


def _by_marker(text: str, pairs: list[tuple[Mention, Entity]], known: list[Quote],
               lex: Lexicon, taken: list[tuple[int, int]]) -> list[Quote]:
    """«به گفته X، ...» — indirect speech whose speaker comes right after the marker."""
    out: list[Quote] = []
    for m in _marker_pattern(lex.indirect_markers).finditer(text):
        marker = m.group(1)
        comma = text.find("،", m.end(), m.end() + 80)
        if comma == -1 or any(s <= m.start() < e for s, e in taken):
            continue
        who = text[m.end():comma].strip()
        speaker: Speaker | None = None
        if who in _PRONOUNS:
            prior = [q for q in (*known, *out) if q.start < m.start() and q.speaker is not None
                     and q.speaker.type == "person"]
            prior.sort(key=lambda q: q.start)
            speaker = prior[-1].speaker if prior else None
            if speaker is None:
                before = [(mm, e) for mm, e in pairs if mm.start < m.start() and e.type == "person"]
                if before:
                    e = before[-1][1]
                    speaker = Speaker(e.id if e.linked else None, e.name)
        else:
            inside = [(mm, e) for mm, e in pairs if m.end() <= mm.start < comma and e.type != "date"]
            if inside:
                e = inside[0][1]
                speaker = Speaker(e.id if e.linked else None, e.name, e.type)
        if speaker is None:
            continue
        said, _ = _indirect_text(text, comma + 1)
        if len(said.split()) >= _MIN_WORDS_INDIRECT:
            out.append(Quote(said, speaker, marker, "indirect", m.start()))
    return out


def extract_quotes(text: str, entities: tuple[Entity, ...], lex: Lexicon,
                   roles: dict[str, tuple[str, ...]] | None = None) -> tuple[Quote, ...]:
    """Direct and indirect quotes of an article's joined text, in order, with speakers.

    ``roles`` maps the ids of persons mentioned in the article to their role keys (see
    :meth:`Gazetteer.role_keys`), so a clause that names only a role finds its speaker."""
    pairs = mentions_by_position(entities)
    state = _State()
    quotes: list[Quote] = []
    taken: list[tuple[int, int]] = []
    floor = 0
    for verb_at, verb_end, verb, mark in _speech_verbs(text, lex):
        if any(s <= verb_at < e for s, e in taken):
            continue
        state.floor = floor
        narrow, wide = _clause_starts(text, verb_at, floor)
        speaker = _speaker_in(text, narrow, verb_at, pairs, state, lex, roles)
        if speaker is None and narrow != wide:
            speaker = _speaker_in(text, wide, verb_at, pairs, state, lex, roles)
        if mark == ":":
            got = _direct_text(text, verb_end)
            if got is None or not got[0]:
                continue
            said, end = got
            kind = "direct"
        else:
            said, end = _indirect_text(text, verb_end)
            if len(said.split()) < _MIN_WORDS_INDIRECT:
                continue
            kind = "indirect"
        quotes.append(Quote(said, speaker, verb, kind, verb_at))  # type: ignore[arg-type]
        taken.append((verb_end, end))
        floor = max(floor, end)
        if speaker is not None and any(n in text[narrow:verb_at] for n in lex.statement_nouns):
            state.last_statement = speaker
        if speaker is not None and speaker.type == "person":
            state.last_speaker = speaker
        elif speaker is not None and speaker.type == "organization":
            state.last_org = speaker
    # «به گفته وی» resolves against the speakers known at its position
    quotes.extend(_by_marker(text, pairs, quotes, lex, taken))
    quotes.sort(key=lambda q: q.start)
    return tuple(quotes)
