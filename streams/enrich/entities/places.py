"""Places missing from the gazetteer, by what the text says of them.

- a geographic head noun: «شهر آکتائو» (the name stands alone), «دریاچه آرال» (the head is part of
  it), «کوه آرارات» (a feature named after a known place is a place of its own);
- an apposition: «دوشنبه، پایتخت تاجیکستان»;
- a destination: «عازم گروزنی»;
- «و» with a known place after a preposition: «در فضولی و زنگیلان»;
- a list that goes on from a known place or a head: «شهرستان‌های فیروزکوه و دماوند»، «کلیبر، اهر و ورزقان»;
- a constituency: «نماینده مردم ملکان»، «نماینده مردم بندر لنگه، بستک و پارسیان»;
- a name in «» after a head: «روستای «جباتا الخشب»»;
- a compass adjective after a known region: «زنگزور شرقی».

Then the same name elsewhere in the article is the same place. Before that, known place names that
name something else here (a club, a competition, a village, a common word) are read again
(``place_senses.py``). The words are in ``streams/data/entities/places.yaml``.
"""

from __future__ import annotations

from streams.enrich.entities.grammar import verbal
from streams.enrich.entities.place_lists import (
    PLURAL_PARTS,
    KnownPlaces,
    PlaceArticle,
    after_a_group,
    go_on,
    go_on_from_known,
    known_places,
    take,
    take_constituency,
    take_included,
    take_named_group,
)
from streams.enrich.entities.place_senses import reread_places
from streams.enrich.entities.place_words import PlaceWords, load_place_words, place_word
from streams.enrich.entities.scan import Linked, Scan, Unlinked, claim
from streams.enrich.entities.tokens import word_starts
from streams.enrich.persian import is_descriptive, match_key, word_frequency
from streams.model import Mention

__all__ = ["PlaceWords", "find_places", "load_place_words", "place_word"]

# kinds of gazetteer places a geographic feature may be named after («کوه آرارات»، «رودخانه کرج»)
_NAMING_KINDS = frozenset({"city", "region", "province", "country"})
_APPOSITION_REACH = 12  # characters after the comma in which an apposition's word is looked for
_KNOWN_PLACE_REACH = 5  # tokens a known place's name may take after a preposition
_QUOTED_WORDS = 3  # words of a name in «» after a head
_REGION_KINDS = frozenset({"region", "province", "conflict-zone"})
_COPULA = "ست"  # «آسیاست»: «است» after a vowel
_VOWELS = ("ا", "و")


def find_places(scan: Scan, linked: Linked) -> Unlinked:
    """Unlinked places by match key. A known place that became part of a feature's name, or that names
    something else here, is unlinked."""
    words = load_place_words()
    found: Unlinked = {}
    _copula_forms(scan, linked)
    reread_places(scan, linked, found, words)
    known = known_places(scan.gaz, linked)
    art = PlaceArticle(scan, words, known, found)
    firsts = words.two_word_firsts
    for i, t in enumerate(scan.tokens):
        w = t.text
        if w in words.named_with_head and _names_known_place(scan, i, known):
            _take_feature(scan, i, known, linked, found)
        elif (w in words.named_with_head or w in words.place_heads) and not _figurative(scan, i, words):
            _take_after_head(art, i)
        elif w in words.destinations and place_word(scan, i + 1):
            take(scan, found, i + 1, i + 3 if place_word(scan, i + 2) else i + 2)
        elif not (w in firsts and _two_word_cue(art, i)) and w in words.prepositions and i + 2 < len(scan.tokens):
            _take_apposed(scan, i, found, words)
            _take_listed(scan, i, known, found, words)
        if t.start in known.at:
            go_on_from_known(art, i)
    _compass_regions(art, linked)
    _same_name_elsewhere(scan, found)
    return found


def _two_word_cue(art: PlaceArticle, i: int) -> bool:
    """«از جمله» after a group of places, «نماینده مردم»: the places after them; was it one?"""
    tokens, words = art.scan.tokens, art.words
    if i + 2 >= len(tokens):
        return False
    phrase = f"{tokens[i].text} {tokens[i + 1].text}"
    if phrase == words.including and after_a_group(art, i):
        take_included(art, i + 2)
        return True
    if phrase in words.constituency:
        take_constituency(art, i + 2)
        return True
    return False


def _copula_forms(scan: Scan, linked: Linked) -> None:
    """«تیم‌های آسیاست»: a known place's name ending in a vowel, with «است» joined to it, names the place."""
    for t in scan.tokens:
        stem = t.text[:-len(_COPULA)]
        if (not t.text.endswith(_COPULA) or not stem.endswith(_VOWELS) or len(stem) < 3
                or scan.spans.overlaps(t.start, t.end)):
            continue
        places = [e.id for e in scan.gaz.lookup(stem) if e.type == "location"]
        if places:
            eid = next((p for p in places if p in linked), places[0])
            linked.setdefault(eid, []).append(Mention(t.start, t.start + len(stem), stem))
            scan.spans.add(t.start, t.end)


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


def _figurative(scan: Scan, i: int, words: PlaceWords) -> bool:
    """«از سد اسلاویا گذشت»: a head after «از» with a verb of getting past soon after is no place."""
    verbs = words.figurative_heads.get(scan.tokens[i].text)
    if not verbs or i == 0 or scan.tokens[i - 1].text != "از":
        return False
    return any(t.text in verbs for t in scan.tokens[i + 1:i + 6])


def _take_after_head(art: PlaceArticle, i: int) -> None:
    """«شهر آکتائو»، «دریاچه آرال»: one or two unknown words right after the head, with no first
    name right after them; a name in «» after the head; then a list going on from it."""
    scan, words = art.scan, art.words
    tokens = scan.tokens
    if i + 1 < len(tokens) and tokens[i + 1].text in PLURAL_PARTS:
        i += 1  # «شهرستان های»: the head's plural ending written apart
    if _take_quoted(art, i) or (tokens[i].text.endswith(tuple(PLURAL_PARTS)) and take_named_group(art, i)):
        return
    j = i + 1
    while (j < len(tokens) and j - i <= 2 and place_word(scan, j)
           and tokens[j].start - tokens[j - 1].end <= 1):
        j += 1
    if j > i + 1 and (j >= len(tokens) or tokens[j].text not in scan.lex.first_names):
        take(scan, art.found, i if tokens[i].text in words.named_with_head else i + 1, j)
        go_on(art, j - 1, "relaxed", dash=True)


def _take_quoted(art: PlaceArticle, i: int) -> bool:
    """«روستای «جباتا الخشب»»، «ارتفاعات راهبردی «جبل الشیخ»»: the name in «» after a head (and an
    adjective), unless it holds a verb."""
    tokens, scan = art.scan.tokens, art.scan
    k = i + 1
    if k < len(tokens) and tokens[k].text != "«" and is_adjective_word(scan, k):
        k += 1
    if k >= len(tokens) or tokens[k].text != "«":
        return False
    close = next((n for n in range(k + 1, min(k + 2 + _QUOTED_WORDS, len(tokens))) if tokens[n].text == "»"), None)
    if close is None or close == k + 1:
        return False
    if not all(tokens[n].is_word and not verbal(tokens, n, scan.grammar) for n in range(k + 1, close)):
        return False
    take(scan, art.found, k + 1, close)
    return True


def is_adjective_word(scan: Scan, k: int) -> bool:
    return scan.tokens[k].is_word and is_descriptive(scan.tokens[k].text)


def _take_apposed(scan: Scan, i: int, found: Unlinked, words: PlaceWords) -> None:
    """«در X، پایتخت ...»: one or two words, known words allowed (دوشنبه is also Monday)."""
    tokens = scan.tokens
    for width in (1, 2):
        k = i + 1 + width
        if k + 1 < len(tokens) and tokens[k].text == "،" and all(
                place_word(scan, i + 1 + w, strict=False) for w in range(width)):
            after = tokens[k + 1].start
            if scan.text[after:after + _APPOSITION_REACH].startswith(words.appositions):
                take(scan, found, i + 1, k)
                return


def _take_listed(scan: Scan, i: int, known: KnownPlaces, found: Unlinked, words: PlaceWords) -> None:
    """«در X و L» and «در L و X»: an unknown word listed with a known place after a preposition."""
    tokens, conjunction = scan.tokens, scan.grammar.conjunction
    if (i + 3 < len(tokens) and tokens[i + 2].text == conjunction and tokens[i + 3].start in known.starts
            and place_word(scan, i + 1)):
        take(scan, found, i + 1, i + 2)
    elif tokens[i + 1].start in known.starts:
        last = next((n for n in range(i + 1, min(i + 1 + _KNOWN_PLACE_REACH, len(tokens)))
                     if tokens[n].end in known.ends), None)
        if last is not None and _listed_after(scan, last, words):
            take(scan, found, last + 2, last + 3)


def _listed_after(scan: Scan, last: int, words: PlaceWords) -> bool:
    """After the known place ending at token ``last``: «و» and one unknown word, then no other word
    (or a preposition)."""
    tokens = scan.tokens
    if last + 2 >= len(tokens) or tokens[last + 1].text != scan.grammar.conjunction:
        return False
    if not place_word(scan, last + 2):
        return False
    return last + 3 >= len(tokens) or not tokens[last + 3].is_word or tokens[last + 3].text in words.prepositions


def _compass_regions(art: PlaceArticle, linked: Linked) -> None:
    """«زنگزور شرقی»: a known region and a compass adjective right after it are a region of their own."""
    scan = art.scan
    for j, t in enumerate(scan.tokens):
        if j == 0 or t.text not in art.words.compass_adjectives or t.start - scan.tokens[j - 1].end != 1:
            continue
        hit = art.known.by_end.get(scan.tokens[j - 1].end)
        if hit is None or scan.gaz.entries[hit[0]].kind not in _REGION_KINDS or hit[1] not in linked.get(hit[0], []):
            continue
        eid, m = hit
        linked[eid].remove(m)
        if not linked[eid]:
            del linked[eid]
        claim(art.found, scan, m.start, t.end)


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
