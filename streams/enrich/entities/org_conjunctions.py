"""«و» inside an organization's name («حزب قانون و عدالت»، «وزارت صنعت، معدن و تجارت»، «وزارت کار و
امور اجتماعی ارمنستان»), not between two names («وزارت بهداشت و سازمان ...»)."""

from __future__ import annotations

from streams.enrich.entities.grammar import verbal
from streams.enrich.entities.org_words import OrganizationWords, adjacent, org_word
from streams.enrich.entities.scan import Scan
from streams.enrich.persian import ZWNJ

__all__ = ["and_continues"]

_CLOSERS = frozenset({"،", ",", ".", "؛", "»", ")"})  # punctuation that closes a name after «و Y»
_LIST_COMMAS = frozenset({"،", ","})
_MAX_ITEMS = 4  # fields listed before «و» in a name («صنعت، معدن و تجارت»)
_TO_PLACE = 4  # words after «و» that may lead to the body's place («و امور اجتماعی ارمنستان»)
EntityAt = dict[int, tuple[int, int, str]]  # start offset → (start, end, entity id) of linked mentions


def and_continues(scan: Scan, j: int, entity_at: EntityAt, words: OrganizationWords) -> int:
    """Where «و Y» (or «، X، Y و Z», a list of fields) at token j ends when it belongs to the name
    («حزب قانون و عدالت»، «مرکز مبادله ارز و طلای ایران»، «اتاق بازرگانی، صنایع، معادن و کشاورزی»،
    «وزارت کار و امور اجتماعی ارمنستان»); else 0.

    Each item is a plain word (not an entity, not another head, not a given name). After «و», Y either
    closes the name before punctuation, or is in ezafe (ـی) with the rest of the name after it, or
    the name runs on from Y to a place (the body's country or province) within two words.
    """
    tokens = scan.tokens
    k = j
    while k + 1 < len(tokens) and tokens[k].text in _LIST_COMMAS and k - j < 2 * _MAX_ITEMS:
        if not _plain(scan, k + 1, entity_at):
            return 0
        k += 2
    if k + 1 >= len(tokens) or tokens[k].text != scan.grammar.conjunction:
        return 0
    if _plain(scan, k + 1, entity_at):
        if k + 2 >= len(tokens) or tokens[k + 2].text in _CLOSERS:
            return k + 2
        if _says(scan, k + 2) and not tokens[k + 1].text.endswith(ZWNJ + "ها"):  # not «گروه خوراکی‌ها و آشامیدنی‌ها»
            return k + 2
        if tokens[k + 1].text.endswith(words.ezafe_ending) and (tokens[k + 2].start in entity_at
                                                               or org_word(scan, k + 2)):
            return k + 2
    return _runs_to_a_place(scan, k + 1, entity_at, words)


def _says(scan: Scan, k: int) -> bool:
    """Token k opens what the sentence says of a name before it: a verb or a speech word («سازمان غذا و
    دارو اعلام کرد»، «حزب عدالت و توسعه گفت»)."""
    return scan.tokens[k].text in scan.lex.speech_forms or verbal(scan.tokens, k, scan.grammar)


def _runs_to_a_place(scan: Scan, y: int, entity_at: EntityAt, words: OrganizationWords) -> int:
    """«و امور اجتماعی ارمنستان»، «و مهاجرین خارجی استانداری خراسان رضوی»، «و درمان مجلس»، «و انکولوژی
    دانشگاه ...»: words from token y on (no verb, no entity, no given name) that reach, within a
    few words, a known place or the body a unit belongs to (a known organization or a head noun):
    the index of that place or body; else 0."""
    tokens, lex = scan.tokens, scan.lex
    if tokens[y].text in lex.org_heads:
        return 0  # «وزارت جهاد کشاورزی و سازمان توسعه تجارت ایران»: two names
    for ahead in range(y, min(len(tokens), y + _TO_PLACE)):
        entity = entity_at.get(tokens[ahead].start)
        if entity is not None:
            kind = scan.gaz.entries[entity[2]].type
            named = scan.text[entity[0]:entity[1]] not in scan.gaz.demonyms  # «ایرانی» describes
            return ahead if ahead > y and kind in ("location", "organization") and named else 0
        t = tokens[ahead]
        if ahead > y and t.text in lex.org_heads and tokens[ahead - 1].text not in words.determiners:
            return ahead  # not «وزارت نیرو و دو شرکت ...»
        if (not t.is_word or t.text in lex.first_names or t.text == scan.grammar.conjunction
                or verbal(tokens, ahead, scan.grammar) or not adjacent(scan.text, tokens, ahead)):
            return 0
    return 0


def _plain(scan: Scan, k: int, entity_at: EntityAt) -> bool:
    t, lex = scan.tokens[k], scan.lex
    return (org_word(scan, k) and t.text not in lex.org_heads and t.start not in entity_at
            and t.text not in lex.first_names)
