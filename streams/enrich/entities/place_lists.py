"""Places named in a list with others: after a known place, a plural head, «از جمله», a constituency.

«کلیبر، اهر و ورزقان»، «روستاهای طیبه، طیردبا و زوطر»، «شهرهای دیگر از جمله باتومی و کوتایسی»،
«نماینده مردم بندر لنگه، بستک و پارسیان». A list is one when «و» closes it; how name-like an item
must be depends on what opened the list (:data:`Level`). Also the state the place finders share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from streams.enrich.entities.grammar import verbal
from streams.enrich.entities.place_words import PlaceWords, common_word, free_name_word, place_word
from streams.enrich.entities.scan import Linked, Scan, Unlinked, claim
from streams.enrich.gazetteer import Gazetteer
from streams.enrich.persian import is_verb
from streams.model import Mention

__all__ = ["KnownPlaces", "PlaceArticle", "after_a_group", "go_on", "go_on_from_known", "known_places", "take",
           "take_constituency", "take_included", "take_named_group"]

_GROUP_REACH = 4  # words between a group of places («شهرهای دیگر») and «از جمله»
PLURAL_PARTS = frozenset({"ها", "های"})  # «شهرستان های»: a plural written apart in messy copy
_SEPARATORS = frozenset({"،", ","})
_ARTICLE = "ال"  # «عیتا الجبل»: an Arabic name's second word


@dataclass(frozen=True, slots=True)
class KnownPlaces:
    """Where the linked places of the article start and end."""

    starts: frozenset[int]
    ends: frozenset[int]
    at: dict[int, tuple[str, Mention]]  # start offset → (entity id, mention)
    by_end: dict[int, tuple[str, Mention]]  # end offset → (entity id, mention)


def known_places(gaz: Gazetteer, linked: Linked) -> KnownPlaces:
    mentions = [(eid, m) for eid, ms in linked.items() if gaz.entries[eid].type == "location" for m in ms]
    return KnownPlaces(
        starts=frozenset(m.start for _, m in mentions),
        ends=frozenset(m.end for _, m in mentions),
        at={m.start: (eid, m) for eid, m in mentions},
        by_end={m.end: (eid, m) for eid, m in mentions},
    )


@dataclass(frozen=True, slots=True)
class PlaceArticle:
    """What the cues of one article look at: its scan, words, known places and findings so far."""

    scan: Scan
    words: PlaceWords
    known: KnownPlaces
    found: Unlinked
    walked: StrictWalk = field(default_factory=lambda: StrictWalk(frozenset(), -1))


@dataclass(slots=True)
class StrictWalk:
    """The known places the last strict list walk went through, and the claims made when it ended."""

    through: frozenset[int]
    added: int


def take(scan: Scan, found: Unlinked, first: int, j: int) -> None:
    """Tokens first … j-1 as a place's name, unless taken already."""
    start, end = scan.tokens[first].start, scan.tokens[j - 1].end
    if not scan.spans.overlaps(start, end):
        claim(found, scan, start, end)


Level = Literal["strict", "relaxed", "loose", "any"]


def _candidate(scan: Scan, j: int, level: Level) -> bool:
    """Could token j be a place's name in a list: not a common word (strict), or a known word too
    (relaxed: a head said what the list holds), or shaped like a plural or an adjective too (loose:
    a constituency, «ملکان»), or anything but a function word, a title or a verb (any: among other
    names after a plural head, «طیبه» pure, a given name too)."""
    if level in ("strict", "relaxed"):
        return place_word(scan, j, strict=level == "strict")
    if j >= len(scan.tokens) or not free_name_word(scan.tokens[j], scan):
        return False
    w, lex = scan.tokens[j].text, scan.lex
    if level == "loose" and (common_word(w) or w in lex.first_names):
        return False
    return not (w in lex.stopnames or w in lex.role_heads or w in lex.org_heads or is_verb(w)
                or w.startswith(scan.grammar.verb_prefixes))


def _item_end(scan: Scan, first: int, level: Level) -> int | None:
    """The index after a list item starting at token ``first``: one word, or two when the second is an
    Arabic name's («عیتا الجبل»)."""
    if not _candidate(scan, first, level):
        return None
    tokens = scan.tokens
    nxt = first + 1
    if (nxt < len(tokens) and tokens[nxt].text.startswith(_ARTICLE) and len(tokens[nxt].text) > 3
            and tokens[nxt].start - tokens[first].end == 1 and free_name_word(tokens[nxt], scan)):
        return nxt + 1
    return nxt


def _list_ends(art: PlaceArticle, end: int, level: Level) -> bool:
    """After a list's last item: punctuation, «و» or a preposition; after a head, also any word that
    cannot make the item the first of a longer name (a function word, a common word, a verb)."""
    scan = art.scan
    tokens = scan.tokens
    if end >= len(tokens) or not tokens[end].is_word:
        return True
    w = tokens[end].text
    if w == scan.grammar.conjunction or w in art.words.prepositions:
        return True
    return level != "strict" and (w in scan.lex.stopnames or common_word(w) or verbal(tokens, end, scan.grammar))


def _known_item_end(art: PlaceArticle, first: int) -> int | None:
    """The index of the last token of a known place starting at token ``first``."""
    hit = art.known.at.get(art.scan.tokens[first].start)
    if hit is None:
        return None
    k = first
    while k + 1 < len(art.scan.tokens) and art.scan.tokens[k + 1].end <= hit[1].end:
        k += 1
    return k


def go_on(art: PlaceArticle, k: int, level: Level, *, dash: bool = False, at_least: int = 1) -> frozenset[int]:
    """The items of a list after the item ending at token k: «، Y»، «و Y» (and «- Y» after a head).
    A list is one only if «و» (or the dash) joins an item: «X، Y» alone may be two clauses; and it
    has ``at_least`` items after the first. Returns the first tokens of the known places passed."""
    scan = art.scan
    tokens, conjunction = scan.tokens, scan.grammar.conjunction
    pending: list[tuple[int, int]] = []
    through: list[int] = []
    joined, count = False, 0
    while k + 2 < len(tokens):
        sep = tokens[k + 1].text
        if not (sep in _SEPARATORS or sep == conjunction or (dash and sep == "-")):
            break
        first = k + 2
        known_end = _known_item_end(art, first)
        end = known_end + 1 if known_end is not None else _item_end(scan, first, level)
        if end is None:
            break
        if known_end is None:
            pending.append((first, end))
        else:
            through.append(first)
        joined = joined or sep not in _SEPARATORS
        k, count = end - 1, count + 1
    if pending and joined and count >= at_least and _list_ends(art, pending[-1][1], level):
        for first, end in pending:
            take(scan, art.found, first, end)
    return frozenset(through)


def take_named_group(art: PlaceArticle, i: int) -> bool:
    """«روستاهای طیبه، طیردبا و زوطر»: after a plural head, a list closed by «و» in which one name at
    least is no common word names places only, common words («طیبه» pure) among them."""
    scan = art.scan
    items = _items_closed_by_and(art, i)
    unknown = [(a, b) for a, b in items if scan.tokens[a].start not in art.known.at]
    if not (len(items) >= 2 and any(place_word(scan, a) for a, _ in unknown)
            and _list_ends(art, items[-1][1], "relaxed")):
        return False
    for a, b in unknown:
        take(scan, art.found, a, b)
    return True


def _items_closed_by_and(art: PlaceArticle, i: int) -> list[tuple[int, int]]:
    """The items (token ranges) of a list «A، B و C» after token i, or none unless «و» closes it."""
    scan = art.scan
    tokens = scan.tokens
    items: list[tuple[int, int]] = []
    k, closed = i, False
    while k + 1 < len(tokens):
        known_end = _known_item_end(art, k + 1)
        end = known_end + 1 if known_end is not None else _item_end(scan, k + 1, "any")
        if end is None:
            return []
        items.append((k + 1, end))
        if closed or end >= len(tokens):
            break
        closed = tokens[end].text == scan.grammar.conjunction
        if not closed and tokens[end].text not in _SEPARATORS:
            break
        k = end
    return items if closed else []


def go_on_from_known(art: PlaceArticle, i: int) -> None:
    """A list going on from the known place at token i; after a head the items may be known words.
    Out of a place's context (a preposition, a head, an earlier item) «X و Y» is too little to tell
    a place from a company or a person («روسیه و گازپروم»): three items at least."""
    k = _known_item_end(art, i)
    if k is None:
        return
    if _after_head(art, i):
        go_on(art, k, "relaxed")
        return
    walked = art.walked
    if i in walked.through and walked.added == art.scan.spans.added:
        # a strict walk went through this place and nothing was claimed since: from here it would
        # pass the same items and take none it did not (walking again made a long list quadratic)
        return
    before = art.scan.tokens[i - 1].text if i > 0 else ""
    in_context = before in art.words.prepositions or before in _SEPARATORS
    walked.through = go_on(art, k, "strict", at_least=1 if in_context else 2)
    walked.added = art.scan.spans.added


def _after_head(art: PlaceArticle, i: int) -> bool:
    """Is token i right after a place head («شهرستان‌های»، messy «شهرستان های»)?"""
    tokens, heads = art.scan.tokens, art.words.place_heads
    if i > 1 and tokens[i - 1].text in PLURAL_PARTS:
        i -= 1
    return i > 0 and tokens[i - 1].text in heads


def after_a_group(art: PlaceArticle, i: int) -> bool:
    """Is «از جمله» at token i a few words after a group of places, with no punctuation between?"""
    tokens = art.scan.tokens
    for k in range(i - 1, max(-1, i - 1 - _GROUP_REACH), -1):
        if not tokens[k].is_word:
            return False
        if tokens[k].text in art.words.place_groups or tokens[k].text in art.words.place_heads:
            return True
    return False


def take_included(art: PlaceArticle, p: int) -> None:
    """«شهرهای دیگر از جمله باتومی و کوتایسی»: the places of the group from token p on."""
    _take_list_from(art, p, "relaxed")


def take_constituency(art: PlaceArticle, p: int) -> None:
    """«نماینده مردم ملکان»، «نماینده مردم بندر لنگه، بستک و پارسیان»: the towns after the phrase."""
    _take_list_from(art, p, "loose")


def _take_list_from(art: PlaceArticle, p: int, level: Level) -> None:
    """The list whose first item is at token p, read at ``level``: a known place, or words that end
    as an item does, then the items after it."""
    known_end = _known_item_end(art, p)
    if known_end is None:
        end = _item_end(art.scan, p, level)
        if end is None or not (_list_ends(art, end, level) or art.scan.tokens[end].text in _SEPARATORS):
            return
        take(art.scan, art.found, p, end)
        known_end = end - 1
    go_on(art, known_end, level)


