"""Known place names that name something else here: read again before the place finders run.

- inside a longer word: «نیم‌کره شمالی» is no mention of North Korea;
- a competition's: «لیگ قهرمانان اروپا»، «رقابت‌های قهرمانی آسیا»;
- a club's: «تیم فوتبال قره‌باغ آغدام»، «دینامو تفلیس»، «اسلاویا پراگ» in sports copy; a club named
  after its town is named so through the article («سرمربی قره‌باغ»), except where the text puts
  something in the town («در آغدام»);
- a village named after a larger place: «روستای قره‌باغ» is a village of its own, and the one the
  article means when it names «قره‌باغ» again;
- a name that is a common word too (``homographs`` in the gazetteer: «دبی» flow, «پرو» pro): a place
  only where a preposition, a place head, a cue («دولت»، «امیر»، «شمال»), a title or a list with
  another place says so;
- a nationality adjective that describes an organization («روزنامه پرتغالی رکورد»، «بانک آلمانی»)
  still names the country, though the organization took its words; one that is the surname of a
  person the article names is theirs («ائتلاف سودانی» of محمد شیاع السودانی).
"""

from __future__ import annotations

from typing import Literal

from streams.enrich.entities.linking import sports_copy
from streams.enrich.entities.place_words import PlaceWords, common_word, place_word
from streams.enrich.entities.scan import Linked, Scan, Unlinked
from streams.enrich.gazetteer import GazetteerEntry
from streams.enrich.persian import match_key
from streams.model import Mention

__all__ = ["reread_places"]

_LARGER_THAN_A_VILLAGE = frozenset({"country", "region", "province", "conflict-zone"})
_TOWNS = frozenset({"city", "capital"})
_LOCATIVE = "در"  # «در آغدام»: the town itself, even in an article about its club
_TITLE_REACH = 3  # tokens before a name in which a title («وزیر امور خارجه») says it names a country
_LIST_MARKS = frozenset({"،", ",", "و"})
_ARABIC_ARTICLE = "ال"

Located = tuple[str, Mention, int]  # entity id, mention, index of its first token
Reading = Literal["place", "club", "village", "other"]


def reread_places(scan: Scan, linked: Linked, found: Unlinked, words: PlaceWords) -> None:
    """Unlink the mentions of known places that name something else; a village named after a larger
    place becomes a place of its own in ``found``."""
    _describing_demonyms(scan, linked)
    located = _located(scan, linked)
    if not located:
        return
    drop: set[tuple[str, Mention]] = set()
    clubs: set[tuple[str, str]] = set()  # (entity id, name key) of a club named after a place
    villages: set[tuple[str, str]] = set()
    club_ends: set[int] = set()
    context = _Context(scan, linked, words, located)
    for eid, m, i in sorted(located, key=lambda x: x[1].start):
        reading = context.reading(eid, m, i, club_ends)
        if reading == "club":
            clubs.add((eid, match_key(m.surface)))
            club_ends.add(m.end)
        elif reading == "village":
            villages.add((eid, match_key(m.surface)))
        if reading in ("club", "other"):
            drop.add((eid, m))
    for eid, m, i in sorted(located, key=lambda x: x[1].start):
        # the same name again («سرمربی قره‌باغ»), not another («قره‌باغ کوهستانی»); a home town after it
        named = (eid, match_key(m.surface))
        if (named in clubs and (i <= 0 or scan.tokens[i - 1].text != _LOCATIVE)) or (
                m.start - 1 in club_ends and scan.gaz.entries[eid].kind != "country"):
            drop.add((eid, m))
            club_ends.add(m.end)
        elif named in villages:
            drop.add((eid, m))
            found.setdefault(named[1], (m.surface, []))[1].append(m)
    drop |= _unsupported_homographs(scan, [x for x in located if (x[0], x[1]) not in drop], words)
    drop |= _eponyms(scan, linked, located)
    _unlink(linked, drop)


class _Context:
    """What a mention of a known place names, by the words around it."""

    def __init__(self, scan: Scan, linked: Linked, words: PlaceWords, located: list[Located]) -> None:
        self.scan, self.linked, self.words = scan, linked, words
        self._sports: bool | None = None  # sports copy? asked only when a name could be a club's
        self.places_at = {m.start for eid, m, _ in located if scan.gaz.entries[eid].kind != "country"}

    def sports(self) -> bool:
        if self._sports is None:
            self._sports = sports_copy(self.scan, self.linked)
        return self._sports

    def reading(self, eid: str, m: Mention, i: int, club_ends: set[int]) -> Reading:
        """«place», or what else the mention names: a «club», a «village», something «other»."""
        scan, words = self.scan, self.words
        entry = scan.gaz.entries[eid]
        if i < 0 or _in_competition(scan, i, words):
            return "other"
        frame = _club_frame(scan, i, entry, words)
        if frame == "club" or (entry.kind != "country" and m.start - 1 in club_ends):
            return "club"  # «تیم فوتبال قره‌باغ آغدام»: the town after the club's name is in it
        if frame == "team":
            return "other"
        if _village_frame(scan, i, entry, words):
            return "village"
        if entry.kind in _TOWNS and (_club_word_around(scan, i, m, words)
                                     or (_after_unknown_word(scan, i, words) and self.sports())):
            return "other"
        if entry.kind != "country" and self._place_after(m) and self.sports():
            return "club"  # «قره‌باغ آغدام» in sports copy: a club and its home town
        return "place"

    def _place_after(self, m: Mention) -> bool:
        """Is a town's or region's name right after the mention («قره‌باغ آغدام»)?"""
        return m.end + 1 in self.places_at and self.scan.text[m.end] == " "


def _located(scan: Scan, linked: Linked) -> list[Located]:
    """Mentions of known places with the index of their first token (-1 when one starts inside a word)."""
    mentions = [(eid, m) for eid, ms in linked.items() if scan.gaz.entries[eid].type == "location" for m in ms]
    if not mentions:
        return []
    index = {t.start: k for k, t in enumerate(scan.tokens)}
    return [(eid, m, index.get(m.start, -1)) for eid, m in mentions]


def _unlink(linked: Linked, drop: set[tuple[str, Mention]]) -> None:
    for eid in {eid for eid, _ in drop}:
        linked[eid] = [m for m in linked[eid] if (eid, m) not in drop]
        if not linked[eid]:
            del linked[eid]


def _before(scan: Scan, i: int, back: int) -> str | None:
    """The text of the token ``back`` places before token i, if any."""
    return scan.tokens[i - back].text if i - back >= 0 else None


def _in_competition(scan: Scan, i: int, words: PlaceWords) -> bool:
    """«قهرمانی آسیا»، «لیگ قهرمانان اروپا»: an event right before, or a competition's head and one of
    its words («قهرمانان»، «برتر»); a bare «لیگ یونان» is the country's league."""
    before = _before(scan, i, 1)
    return before in words.competition_events or (
        before in words.competition_words and _before(scan, i, 2) in words.competition_heads)


def _club_frame(scan: Scan, i: int, entry: GazetteerEntry, words: PlaceWords) -> Literal["club", "team", None]:
    """«باشگاه کپنهاگ»، «تیم فوتبال قره‌باغ»، «سرمربی قره‌باغ»: a club named after the town, so named
    through the article;
    «تیم تهران»: a team (perhaps the province's), this once. A country's name is its national team's."""
    if entry.kind == "country":
        return None
    before = _before(scan, i, 1)
    if (before in words.club_naming_heads or before in words.club_roles
            or (before in words.club_sports and _before(scan, i, 2) in words.club_heads)):
        return "club"
    return "team" if before in words.club_heads else None


def _village_frame(scan: Scan, i: int, entry: GazetteerEntry, words: PlaceWords) -> bool:
    """«روستای قره‌باغ»: a village head before the name of something larger than a village."""
    return entry.kind in _LARGER_THAN_A_VILLAGE and _before(scan, i, 1) in words.village_heads


def _club_word_around(scan: Scan, i: int, m: Mention, words: PlaceWords) -> bool:
    """«دینامو تفلیس»، «منچستر یونایتد»."""
    if _before(scan, i, 1) in words.clubs_before_city:
        return True
    k = i
    while k + 1 < len(scan.tokens) and scan.tokens[k].end < m.end:
        k += 1
    return k + 1 < len(scan.tokens) and scan.tokens[k + 1].text in words.clubs_after_city


def _after_unknown_word(scan: Scan, i: int, words: PlaceWords) -> bool:
    """«اسلاویا پراگ»: a town right after a name-like word no list knows (in sports copy: a club's name)."""
    if i == 0 or scan.tokens[i].start - scan.tokens[i - 1].end != 1:
        return False
    prev = scan.tokens[i - 1].text
    return place_word(scan, i - 1) and prev not in words.place_heads and prev not in words.prepositions


def _unsupported_homographs(scan: Scan, located: list[Located], words: PlaceWords) -> set[tuple[str, Mention]]:
    """Mentions by a name that is a common word too, of places no mention of which the text supports."""
    by_entity: dict[str, list[Located]] = {}
    for x in located:
        by_entity.setdefault(x[0], []).append(x)
    drop: set[tuple[str, Mention]] = set()
    ends = {m.end for _, m, _ in located}
    starts = {m.start for _, m, _ in located}
    for eid, mentions in by_entity.items():
        homographs = {match_key(h) for h in scan.gaz.entries[eid].homographs}
        if not homographs:
            continue
        weak = [(e, m) for e, m, _ in mentions if match_key(m.surface) in homographs]
        if weak and not any(match_key(m.surface) not in homographs or _supported(scan, i, m, words, starts, ends)
                            for _, m, i in mentions):
            drop.update(weak)
    return drop


def _supported(scan: Scan, i: int, m: Mention, words: PlaceWords, starts: set[int], ends: set[int]) -> bool:
    """Does the text around a mention say it names a place: a word before it, or a list with another place?"""
    return i >= 0 and (_cue_before(scan, i, words) or _listed_with_a_place(scan, i, m, starts, ends))


def _cue_before(scan: Scan, i: int, words: PlaceWords) -> bool:
    """A preposition, a place head, a cue («دولت»، «شمال») or a destination right before; a title near."""
    before = _before(scan, i, 1)
    if before is not None and (before in words.prepositions or before in words.place_heads
                               or before in words.place_cues or before in words.destinations):
        return True
    return any(_before(scan, i, b) in scan.lex.role_heads for b in range(1, _TITLE_REACH + 1))


def _listed_with_a_place(scan: Scan, i: int, m: Mention, starts: set[int], ends: set[int]) -> bool:
    """«قطر و عمان»، «عمان، قطر»: «و» or a comma between the mention and another known place."""
    tokens = scan.tokens
    if _before(scan, i, 1) in _LIST_MARKS and i >= 2 and tokens[i - 2].end in ends:
        return True
    k = next((n for n in range(i, len(tokens)) if tokens[n].end >= m.end), len(tokens) - 1)
    return k + 2 < len(tokens) and tokens[k + 1].text in _LIST_MARKS and tokens[k + 2].start in starts


def _eponyms(scan: Scan, linked: Linked, located: list[Located]) -> set[tuple[str, Mention]]:
    """«ائتلاف سودانی»: an adjective of nationality that is the surname of a person the article names
    (with or without the Arabic «ال»: السودانی) is derived from the person, not the country."""
    adjectives = [(eid, m) for eid, m, _ in located if m.surface in scan.gaz.demonyms]
    if not adjectives:
        return set()
    surnames: set[str] = set()
    for eid in linked:
        if scan.gaz.entries[eid].type == "person":
            for name in scan.gaz.names_of(eid):
                last = name.split()[-1]
                surnames.update((last, last.removeprefix(_ARABIC_ARTICLE)))
    return {(eid, m) for eid, m in adjectives if m.surface in surnames}


def _describing_demonyms(scan: Scan, linked: Linked) -> None:
    """«روزنامه پرتغالی رکورد»، «بانک آلمانی «کومرتس‌بانک»»: a nationality adjective between an
    organization's head word and its proper name describes the organization and names the country
    (the organization took its span). «ائتلاف سودانی پیشتاز است» is a coalition named after a man."""
    tokens, gaz = scan.tokens, scan.gaz
    for k in range(1, len(tokens) - 1):
        t = tokens[k]
        if t.text not in gaz.demonyms or tokens[k - 1].text not in scan.lex.org_heads:
            continue
        name = tokens[k + 1]
        if name.text != "«" and not (name.is_word and not common_word(name.text)):
            continue
        hits = [h for h in gaz.matcher.find(t.text) if h.start == 0 and h.end == len(t.text)]
        if not hits:
            continue
        eid = hits[0].payloads[0].entity_id
        mention = Mention(t.start, t.end, t.text)
        if mention not in linked.get(eid, []):
            linked.setdefault(eid, []).append(mention)
