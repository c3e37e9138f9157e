"""Places missing from the gazetteer, by what the text says of them.

- a geographic head noun: «شهر آکتائو» (the name stands alone), «دریاچه آرال» (the head is part of
  it), «کوه آرارات» (a feature named after a known place is a place of its own);
- an apposition: «دوشنبه، پایتخت تاجیکستان»;
- a destination: «عازم گروزنی»;
- «و» with a known place after a preposition: «در فضولی و زنگیلان».

Then the same name elsewhere in the article is the same place. The words are in
``streams/data/entities/places.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from streams.enrich.entities.data import read_entity_data, word_list
from streams.enrich.entities.scan import Linked, Scan, Unlinked, claim
from streams.enrich.entities.tokens import Token, word_starts
from streams.enrich.gazetteer import Gazetteer
from streams.enrich.persian import is_descriptive, is_inflected, is_verb, match_key, word_frequency
from streams.model import Mention

__all__ = ["PlaceWords", "find_places", "load_place_words", "place_word"]

# kinds of gazetteer places a geographic feature may be named after («کوه آرارات»، «رودخانه کرج»)
_NAMING_KINDS = frozenset({"city", "region", "province", "country"})
_APPOSITION_REACH = 12  # characters after the comma in which an apposition's word is looked for
_KNOWN_PLACE_REACH = 5  # tokens a known place's name may take after a preposition


@dataclass(frozen=True, slots=True)
class PlaceWords:
    named_with_head: frozenset[str]  # «دریاچه»، «کوه»: the head is part of the name
    place_heads: frozenset[str]      # «شهر»، «استان»: the name after the head stands alone
    appositions: tuple[str, ...]     # «پایتخت»: «X، پایتخت Y» says X is a place
    destinations: frozenset[str]     # «عازم»، «مقصد»
    prepositions: frozenset[str]     # «در»، «از»، «به»


@cache
def load_place_words() -> PlaceWords:
    doc = read_entity_data("places.yaml")
    return PlaceWords(
        named_with_head=frozenset(word_list(doc, "named_with_head")),
        place_heads=frozenset(word_list(doc, "place_heads")),
        appositions=word_list(doc, "appositions"),
        destinations=frozenset(word_list(doc, "destinations")),
        prepositions=frozenset(word_list(doc, "prepositions")),
    )


@dataclass(frozen=True, slots=True)
class KnownPlaces:
    """Where the linked places of the article start and end."""

    starts: frozenset[int]
    ends: frozenset[int]
    at: dict[int, tuple[str, Mention]]  # start offset → (entity id, mention)


def known_places(gaz: Gazetteer, linked: Linked) -> KnownPlaces:
    mentions = [(eid, m) for eid, ms in linked.items() if gaz.entries[eid].type == "location" for m in ms]
    return KnownPlaces(
        starts=frozenset(m.start for _, m in mentions),
        ends=frozenset(m.end for _, m in mentions),
        at={m.start: (eid, m) for eid, m in mentions},
    )


def find_places(scan: Scan, linked: Linked) -> Unlinked:
    """Unlinked places by match key. A known place that became part of a feature's name is unlinked."""
    words = load_place_words()
    known = known_places(scan.gaz, linked)
    found: Unlinked = {}
    tokens = scan.tokens
    for i, t in enumerate(tokens):
        w = t.text
        if w in words.named_with_head and _names_known_place(scan, i, known):
            _take_feature(scan, i, known, linked, found)
        elif w in words.named_with_head or w in words.place_heads:
            _take_after_head(scan, i, found, words)
        elif w in words.destinations and place_word(scan, i + 1):
            _take(scan, found, i + 1, i + 3 if place_word(scan, i + 2) else i + 2)
        elif w in words.prepositions and i + 2 < len(tokens):
            _take_apposed(scan, i, found, words)
            _take_listed(scan, i, known, found, words)
    _same_name_elsewhere(scan, found)
    return found


def _take(scan: Scan, found: Unlinked, first: int, j: int) -> None:
    """Tokens first … j-1 as a place's name, unless taken already."""
    start, end = scan.tokens[first].start, scan.tokens[j - 1].end
    if not scan.spans.overlaps(start, end):
        claim(found, scan, start, end)


def place_word(scan: Scan, j: int, *, strict: bool = True) -> bool:
    """Could token j be (part of) a place name missing from the gazetteer? Not a common word when strict."""
    if j >= len(scan.tokens):
        return False
    t = scan.tokens[j]
    return (_free_word(t, scan) and not _name_of_something_else(t.text, scan, strict)
            and not _grammatical(t.text, scan) and (not strict or word_frequency(t.text) is None))


def _free_word(t: Token, scan: Scan) -> bool:
    return t.is_word and not t.text.isdigit() and len(t.text) >= 3 and not scan.spans.overlaps(t.start, t.end)


def _name_of_something_else(word: str, scan: Scan, strict: bool) -> bool:
    """A function word (when strict), a role, an organization head or a first name."""
    lex = scan.lex
    return ((strict and word in lex.stopnames) or word in lex.role_heads or word in lex.org_heads
            or word in lex.first_names)


def _grammatical(word: str, scan: Scan) -> bool:
    """An adjective, an inflected word or a verb."""
    return (is_descriptive(word) or is_inflected(word) or is_verb(word)
            or word.startswith(scan.grammar.verb_prefixes))


def _names_known_place(scan: Scan, i: int, known: KnownPlaces) -> bool:
    """Is the head at token i followed at once by a known city, region, province or country?"""
    tokens = scan.tokens
    if i + 1 >= len(tokens) or tokens[i + 1].start not in known.at or tokens[i + 1].start - tokens[i].end > 1:
        return False
    return scan.gaz.entries[known.at[tokens[i + 1].start][0]].kind in _NAMING_KINDS


def _take_feature(scan: Scan, i: int, known: KnownPlaces, linked: Linked, found: Unlinked) -> None:
    """«کوه آرارات»، «رودخانه کرج»: the known place's mention becomes part of the feature's name."""
    t = scan.tokens[i]
    eid, m = known.at[scan.tokens[i + 1].start]
    linked[eid].remove(m)
    if not linked[eid]:
        del linked[eid]
    name = scan.text[t.start:m.end]
    found.setdefault(match_key(name), (name, []))[1].append(Mention(t.start, m.end, name))
    scan.spans.add(t.start, t.end)  # the place's own span is occupied already


def _take_after_head(scan: Scan, i: int, found: Unlinked, words: PlaceWords) -> None:
    """«شهر آکتائو»، «دریاچه آرال»: one or two unknown words right after the head, with no first
    name right after them."""
    tokens = scan.tokens
    j = i + 1
    while (j < len(tokens) and j - i <= 2 and place_word(scan, j)
           and tokens[j].start - tokens[j - 1].end <= 1):
        j += 1
    if j > i + 1 and (j >= len(tokens) or tokens[j].text not in scan.lex.first_names):
        _take(scan, found, i if tokens[i].text in words.named_with_head else i + 1, j)


def _take_apposed(scan: Scan, i: int, found: Unlinked, words: PlaceWords) -> None:
    """«در X، پایتخت ...»: one or two words, known words allowed (دوشنبه is also Monday)."""
    tokens = scan.tokens
    for width in (1, 2):
        k = i + 1 + width
        if k + 1 < len(tokens) and tokens[k].text == "،" and all(
                place_word(scan, i + 1 + w, strict=False) for w in range(width)):
            after = tokens[k + 1].start
            if scan.text[after:after + _APPOSITION_REACH].startswith(words.appositions):
                _take(scan, found, i + 1, k)
                return


def _take_listed(scan: Scan, i: int, known: KnownPlaces, found: Unlinked, words: PlaceWords) -> None:
    """«در X و L» and «در L و X»: an unknown word listed with a known place after a preposition."""
    tokens, conjunction = scan.tokens, scan.grammar.conjunction
    if (i + 3 < len(tokens) and tokens[i + 2].text == conjunction and tokens[i + 3].start in known.starts
            and place_word(scan, i + 1)):
        _take(scan, found, i + 1, i + 2)
    elif tokens[i + 1].start in known.starts:
        last = next((n for n in range(i + 1, min(i + 1 + _KNOWN_PLACE_REACH, len(tokens)))
                     if tokens[n].end in known.ends), None)
        if last is not None and _listed_after(scan, last, words):
            _take(scan, found, last + 2, last + 3)


def _listed_after(scan: Scan, last: int, words: PlaceWords) -> bool:
    """After the known place ending at token ``last``: «و» and one unknown word, then no other word
    (or a preposition)."""
    tokens = scan.tokens
    if last + 2 >= len(tokens) or tokens[last + 1].text != scan.grammar.conjunction:
        return False
    if not place_word(scan, last + 2):
        return False
    return last + 3 >= len(tokens) or not tokens[last + 3].is_word or tokens[last + 3].text in words.prepositions


def _same_name_elsewhere(scan: Scan, found: Unlinked) -> None:
    """The same name elsewhere in the article (not a common word taken on an apposition: دوشنبه)."""
    for name, mentions in found.values():
        if " " not in name and word_frequency(name) is not None:
            continue
        for start in word_starts(scan.text, name):
            end = start + len(name)
            if not scan.spans.overlaps(start, end):
                mentions.append(Mention(start, end, name))
                scan.spans.add(start, end)
