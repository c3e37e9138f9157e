"""Organizations missing from the gazetteer: a head noun and the words that name it.

«وزارت بهداشت»، «ارتش لبنان»، «حزب نان و آزادی». The name runs over the words after the head
until punctuation, a function word, a verb or a role word (at most six words); a place inside it
belongs to it («وزارت بهداشت غزه»), and a named body under another ends it («ستاد حقوق بشر قوه
قضاییه»). Head nouns, stop words and strict heads are in ``streams/data/organizations.yaml`` (the
Lexicon); the words around a name in ``streams/data/entities/organizations.yaml``.
"""

from __future__ import annotations

from typing import Literal

from streams.enrich.entities.org_conjunctions import and_continues
from streams.enrich.entities.org_words import (
    OrganizationWords,
    adjacent,
    describes,
    load_organization_words,
    org_word,
    past,
)
from streams.enrich.entities.scan import Linked, Scan, Unlinked, claim
from streams.enrich.entities.tokens import Token
from streams.enrich.persian import ZWNJ, is_descriptive, is_inflected, word_frequency

__all__ = ["and_continues", "describes", "entity_fit", "find_organizations", "head_at", "load_organization_words",
           "org_word", "organization_at"]

_MAX_WORDS = 6  # words after the head

Span = tuple[int, int]
EntityAt = dict[int, tuple[int, int, str]]  # start offset → (start, end, entity id) of linked mentions
Fit = Literal["inside", "closes", "outside"]


def find_organizations(scan: Scan, linked: Linked) -> Unlinked:
    """Unlinked organizations by match key. Linked mentions that became part of one are removed."""
    words = load_organization_words()
    entity_at = _entities_by_start(linked)
    found: Unlinked = {}
    absorbed: set[Span] = set()
    foreign_bodies(scan, linked, entity_at, found, absorbed)
    tokens, head_firsts = scan.tokens, scan.lex.org_head_firsts
    i = 0
    while i < len(tokens):
        if tokens[i].text not in head_firsts:
            i += 1
            continue
        name = organization_at(scan, i, entity_at, words)
        if name is None:
            i += 1
            continue
        j, inner = name
        claim(found, scan, tokens[i].start, tokens[j - 1].end, proper_name(scan, i, j, words))
        absorbed.update(inner)
        i = j
    _drop_absorbed(linked, absorbed)
    return found


def foreign_bodies(scan: Scan, linked: Linked, entity_at: EntityAt, found: Unlinked, absorbed: set[Span]) -> None:
    """«وزارت کشور گرجستان»، «وزارت کشور آلمان»: a state body the gazetteer knows (its own country's),
    named with another country right after it, is that country's body: a new organization."""
    text = scan.text
    for eid, mentions in list(linked.items()):
        entry = scan.gaz.entries.get(eid)
        if entry is None or entry.kind != "government-body":
            continue
        for m in mentions:
            place = entity_at.get(m.end + 1)
            if place is None or text[m.end] != " " or scan.gaz.entries[place[2]].kind not in ("country", "capital"):
                continue
            if scan.gaz.entries[place[2]].country == entry.country and entry.country:
                continue  # «وزارت کشور ایران» is the body the gazetteer means
            claim(found, scan, m.start, place[1])
            absorbed.update({(m.start, m.end), (place[0], place[1])})


def proper_name(scan: Scan, i: int, j: int, words: OrganizationWords) -> str | None:
    """The name within an organization's mention at tokens i … j-1, when the head and its adjectives
    only describe it: «روزنامه پرتغالی رکورد» → رکورد، «باشگاه بنفیکا» → بنفیکا، «شرکت چینی چری» → چری،
    «هواپیمایی پگاسوس» → پگاسوس; None when the mention is the name («وزارت نیرو»، «سازمان ملی
    استاندارد»)."""
    tokens = scan.tokens
    k, generic = _past_head(tokens, i, j, words)
    while k < j - 1 and (tokens[k].text in scan.gaz.demonyms or (generic and is_descriptive(tokens[k].text))):
        k += 1
    if k == i + 1 and not generic and not _unknown_words(tokens[k:j]):
        return None
    name = scan.text[tokens[k].start:tokens[j - 1].end].strip("«» ") if k < j else ""
    return name or None


def _past_head(tokens: list[Token], i: int, j: int, words: OrganizationWords) -> tuple[int, bool]:
    """The index after the head at i, and whether the head only describes (a generic head)."""
    if i + 1 < j and f"{tokens[i].text} {tokens[i + 1].text}" in words.generic_heads:
        return i + 2, True
    return i + 1, tokens[i].text in words.generic_heads


def _unknown_words(rest: list[Token]) -> bool:
    """Words no lexicon knows, after a head: the organization's own name («شرکت توانیر»)."""
    return bool(rest) and all(word_frequency(t.text) is None and not is_descriptive(t.text) for t in rest)


def _entities_by_start(linked: Linked) -> EntityAt:
    located = {(m.start, m.end): eid for eid, ms in linked.items() for m in ms}
    return {start: (start, end, eid) for (start, end), eid in located.items()}


def _drop_absorbed(linked: Linked, absorbed: set[Span]) -> None:
    for eid in list(linked):
        linked[eid] = [m for m in linked[eid] if (m.start, m.end) not in absorbed]
        if not linked[eid]:
            del linked[eid]


def organization_at(scan: Scan, i: int, entity_at: EntityAt, words: OrganizationWords
                    ) -> tuple[int, list[Span]] | None:
    """An organization's name at token i: the index after it and the linked mentions inside it."""
    head = head_at(scan, i, words)
    if not head or " ".join(t.text for t in scan.tokens[i:i + 2]) in words.boards:
        return None
    j, count, inner = name_extent(scan, i, head, entity_at, words)
    j, count = seat_extent(scan, i, j, count, entity_at, words, inner)
    while j - 1 > i + head and scan.tokens[j - 1].text in words.trailing:  # «سازمان ... مستقر در»
        j -= 1
        count -= 1
    needed = 2 if scan.tokens[i].text in scan.lex.org_strict and head == 1 else 1
    # an adjective of nationality inside («باشگاه گرجستانی») describes too, though it is linked
    naming = [span for span in inner if scan.text[span[0]:span[1]] not in scan.gaz.demonyms]
    if count < needed or (not naming and describes(scan.tokens[i + head:j], words, scan.gaz.demonyms)):
        return None
    return j, inner


def head_at(scan: Scan, i: int, words: OrganizationWords) -> int:
    """Tokens of an organization head at i (two-word heads too) that may open a name; 0 if none."""
    tokens, heads = scan.tokens, scan.lex.org_heads
    if i + 1 < len(tokens) and f"{tokens[i].text} {tokens[i + 1].text}" in heads:
        head = 2  # the longer head wins: «هیئت نمایندگی»، «اداره کل»
    elif tokens[i].text in heads:
        head = 1
    else:
        return 0
    if scan.spans.overlaps(tokens[i].start, tokens[i + head - 1].end):
        return 0
    return 0 if i > 0 and tokens[i - 1].text in words.determiners else head


def name_extent(scan: Scan, i: int, head: int, entity_at: EntityAt, words: OrganizationWords
                ) -> tuple[int, int, list[Span]]:
    """How far the name after the head at i runs: the index after it, its word count, the linked
    mentions inside it."""
    tokens = scan.tokens
    j, count, inner, placed = i + head, 0, [], False
    generic = _past_head(tokens, i, i + head + 1, words)[1]  # «روزنامه اصفهان زیبا» runs past its place
    while j < len(tokens) and count < _MAX_WORDS and adjacent(scan.text, tokens, j):
        entity = entity_at.get(tokens[j].start)
        if entity is not None:
            fit = entity_fit(scan, i, j, count, entity[2], words)
            if fit == "outside":
                break
            inner.append((entity[0], entity[1]))
            placed = scan.text[entity[0]:entity[1]] not in scan.gaz.demonyms  # «روزنامه پرتغالی رکورد» runs on
            j, count = past(tokens, j, entity[1]), count + 1
            if fit == "closes":
                break
            continue
        step = _step(scan, i, head, j, entity_at, words) if count else None
        if step is not None:
            j, count, done = step[0], count + 2, step[2]
            inner.extend(step[1])
            if done:
                break
        elif placed and not generic:
            break  # a place ends a name: «بانک توسعه اوراسیا آمادگی ...»، «سازمان جهاد کشاورزی خوزستان ممنوع ...»
        elif _continues(scan, j, count, entity_at, words):
            j, count = j + 1, count + 1
        else:
            if _closes_with_nation(scan, j, count, words):
                j, count = j + 1, count + 1
            break
    return j, count, inner


def _closes_with_nation(scan: Scan, j: int, count: int, words: OrganizationWords) -> bool:
    """«سازمان بازرسی کل کشور»: «کشور» after a name, with nothing after it that could go on with it."""
    return bool(count) and scan.tokens[j].text == words.nation and not org_word(scan, j + 1)


def _continues(scan: Scan, j: int, count: int, entity_at: EntityAt, words: OrganizationWords) -> bool:
    """A plain word at token j goes on with the name: a name word that starts no statement about the
    body, the preposition a task noun governs («کمیته حمایت از روزنامه‌نگاران»), or an adjective that
    usually ends a name but here leads to the body's place («شرکت آب منطقه‌ای اصفهان»)."""
    tokens = scan.tokens
    if org_word(scan, j) and not _object_after_name(tokens, j, count):
        return True
    if not count or j + 1 >= len(tokens) or not adjacent(scan.text, tokens, j + 1):
        return False
    if f"{tokens[j - 1].text} {tokens[j].text}" in words.governing_nouns:
        return org_word(scan, j + 1)
    place = entity_at.get(tokens[j + 1].start)
    return (place is not None and is_descriptive(tokens[j].text) and tokens[j].text in scan.lex.org_stop
            and scan.gaz.entries[place[2]].type == "location" and scan.text[place[0]:place[1]] not in scan.gaz.demonyms)


def _step(scan: Scan, i: int, head: int, j: int, entity_at: EntityAt, words: OrganizationWords
          ) -> tuple[int, list[Span], bool] | None:
    """Words at token j that continue a name already begun, other than a plain word: the body a unit
    belongs to (which ends the name), the body's jurisdiction, «و» and what it joins. (the index after
    them, the linked mentions inside, whether the name ends there); else None."""
    tokens = scan.tokens
    if _opens_unit(tokens, i, head, words) and (parent := _parent_at(scan, j, entity_at, words)):
        return parent[0], parent[1], True
    if end := _jurisdiction_end(scan, j, entity_at, words):
        return end, [(tokens[j + 1].start, tokens[end - 1].end)], False
    if end := and_continues(scan, j, entity_at, words):
        return end, [], False
    return None


def _object_after_name(tokens: list[Token], j: int, count: int) -> bool:
    """«هواپیمایی پگاسوس پروازهای خود را ...»، «شرکت چری کارخانه‌ای ساخت»: after a proper name no
    lexicon knows, a plural or an indefinite noun starts what the sentence says of the body. A known
    noun in ezafe after a vowel («فضای» in «شورای عالی فضای مجازی») is no such name."""
    before = tokens[j - 1].text
    if not count or word_frequency(before) is not None:
        return False
    if before.endswith(("ای", "وی")) and word_frequency(before[:-1]) is not None:
        return False
    word = tokens[j].text
    return is_inflected(word) or word.endswith(ZWNJ + "ای")


def seat_extent(scan: Scan, i: int, j: int, count: int, entity_at: EntityAt, words: OrganizationWords,
                inner: list[Span]) -> tuple[int, int]:
    """A mission's seat belongs to its name: «سفارت ایتالیا در تهران»، «هیئت نمایندگی اتحادیه اروپا در
    گرجستان»، «کمیساریای عالی ... در امور پناهندگان». After a seat head, «در» and a place (or «در
    امور» and a word or two) continue the name."""
    tokens = scan.tokens
    if not count or tokens[i].text not in words.seat_heads or j + 1 >= len(tokens):
        return j, count
    if tokens[j].text != words.seat_preposition or not adjacent(scan.text, tokens, j + 1):
        return j, count
    entity = entity_at.get(tokens[j + 1].start)
    if entity is not None and scan.gaz.entries[entity[2]].type == "location":
        inner.append((entity[0], entity[1]))
        return past(tokens, j + 1, entity[1]), count + 2
    if tokens[j + 1].text == words.affairs:
        k = j + 2
        while k < len(tokens) and k < j + 4 and adjacent(scan.text, tokens, k) and org_word(scan, k):
            k += 1
        if k > j + 2:
            return k, count + k - j
    return j, count


def entity_fit(scan: Scan, i: int, j: int, count: int, entity_id: str, words: OrganizationWords) -> Fit:
    """How a linked entity at token j relates to the name opened at i: a place is ``inside`` it; a
    named body under another ``closes`` it and belongs to it, except after a strict head or a
    description («هیئت مذاکره‌کننده حماس»، «گروه تروریستی داعش»); anything else is ``outside``."""
    entry = scan.gaz.entries.get(entity_id)
    if entry is None:
        return "outside"
    if entry.type == "organization" and not count and j - i == 2 and scan.tokens[i].text in words.seat_heads:
        return "closes"  # «هیئت نمایندگی اتحادیه اروپا»: a mission of the body named right after its head
    if (entry.type == "organization" and count and not (count == 1 and scan.tokens[j - 1].text.endswith(
            words.describing_endings))
            and (scan.tokens[i].text not in scan.lex.org_strict or scan.tokens[i].text in words.subunit_heads)):
        return "closes"  # «کمیته سیاست پولی بانک مرکزی ترکیه»: a unit of the body named after it too
    return "inside" if entry.type == "location" else "outside"


def _opens_unit(tokens: list[Token], i: int, head: int, words: OrganizationWords) -> bool:
    return " ".join(t.text for t in tokens[i:i + head]) in words.subunit_heads


def _parent_at(scan: Scan, j: int, entity_at: EntityAt, words: OrganizationWords
               ) -> tuple[int, list[Span]] | None:
    """The body a unit belongs to, named at token j by a head word: the index after its name and the
    linked mentions inside it; None when no head opens a name there, or the head is a medium's
    («کمیسیون ارتباطات گرجستان شبکه تلویزیونی ...»: a channel is no unit's parent)."""
    head = head_at(scan, j, words)
    if not head or _past_head(scan.tokens, j, j + head + 1, words)[1]:
        return None
    end, _, inner = name_extent(scan, j, head, entity_at, words)
    return end, inner


def _jurisdiction_end(scan: Scan, j: int, entity_at: EntityAt, words: OrganizationWords) -> int:
    """«استان گیلان» at token j, after a body's name: the index after the place; else 0."""
    tokens = scan.tokens
    if tokens[j].text not in words.jurisdictions or j + 1 >= len(tokens) or not adjacent(scan.text, tokens, j + 1):
        return 0
    entity = entity_at.get(tokens[j + 1].start)
    if entity is None or scan.gaz.entries[entity[2]].type != "location":
        return 0
    return past(tokens, j + 1, entity[1])
