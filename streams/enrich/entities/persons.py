"""People missing from the gazetteer, found by context; then their surname alone names them too.

- a first name and a surname (:mod:`.person_names`) with evidence around them (:mod:`.person_context`):
  a role phrase or a title, «», a speech verb after the name or at the end of its sentence;
- a quoted name of unknown first name followed by a role: «مالک شریعتی نیاسر» نماینده تهران;
- a single name after a title or in apposition, before a role: «مولوی عبدالکبیر، وزیر مهاجرین».
"""

from __future__ import annotations

from streams.enrich.entities.grammar import clause_initial
from streams.enrich.entities.person_context import (
    COMMAS,
    Cues,
    find_cues,
    has_person_context,
    has_strong_context,
    role_follows,
)
from streams.enrich.entities.person_names import PersonWords, load_person_words, name_at, surname_shape
from streams.enrich.entities.scan import Scan, Unlinked, claim
from streams.enrich.entities.tokens import Token
from streams.enrich.lexicon import Lexicon
from streams.enrich.persian import is_descriptive, is_inflected, is_noun, is_verb, word_frequency
from streams.model import Mention

__all__ = ["find_persons", "surnames_of"]

_QUOTED_WORDS = (2, 3)  # words of a quoted name with no known first name


def find_persons(scan: Scan) -> Unlinked:
    """Unlinked people by match key, each with every mention (full name, then surname alone)."""
    cues = find_cues(scan.text, scan.lex)
    words = load_person_words()
    found: Unlinked = {}
    _named_people(scan, cues, words, found)
    _shaped_names(scan, cues, words, found)
    _quoted_names(scan, cues, found)
    _single_names(scan, cues, found)
    _surname_mentions(scan, found)
    return found


def _named_people(scan: Scan, cues: Cues, words: PersonWords, found: Unlinked) -> None:
    tokens, spans, first_names = scan.tokens, scan.spans, scan.lex.first_names
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.text not in first_names or spans.overlaps(tok.start, tok.end):
            i += 1
            continue
        j = person_at(scan, i, cues, words)
        if j > i:
            claim(found, scan, tok.start, tokens[j - 1].end)
            i = j
        else:
            i += 1


def person_at(scan: Scan, i: int, cues: Cues, words: PersonWords) -> int:
    """The index after a person's name at token i that the context confirms; else i."""
    tokens = scan.tokens
    j = name_at(tokens, i, scan.lex, words, cues.role_starts)
    if j == i or scan.spans.overlaps(tokens[i].start, tokens[j - 1].end):
        return i
    return j if has_person_context(scan, i, j, cues, words) else i


def _shaped_names(scan: Scan, cues: Cues, words: PersonWords, found: Unlinked) -> None:
    """A given name no list has, or one that is an everyday word too (قربان، امید), before a word
    shaped like a surname (شویلی، اوغلو، یان...), with a role, a title or a speech verb beside them:
    «قربان قربانف، سرمربی ...»، «آویخای ادرعی سخنگوی ...»."""
    tokens = scan.tokens
    for i in range(len(tokens) - 1):
        first, last = tokens[i], tokens[i + 1]
        if last.start - first.end != 1 or not _may_open_name(first.text, scan.lex, words):
            continue
        shaped, apposed = _pair_cues(scan, i, cues, words)
        if not (shaped or apposed) or not (first.is_word and last.is_word) \
                or scan.spans.overlaps(first.start, last.end):
            continue
        if (shaped and _shaped_pair(scan, first, last, words) and has_strong_context(scan, i, i + 2, cues)) \
                or (apposed and _apposed_pair(scan, i, cues, words)):
            claim(found, scan, first.start, last.end)


def _may_open_name(word: str, lex: Lexicon, words: PersonWords) -> bool:
    """A given name (listed, an everyday word listed as one too), no word of the lexicon, or a noun that
    may be a given name before a telling surname."""
    return (word in lex.first_names or word in words.ambiguous_first_names or word_frequency(word) is None
            or _noun_as_given_name(word, lex))


def _pair_cues(scan: Scan, i: int, cues: Cues, words: PersonWords) -> tuple[bool, bool]:
    """The cheap tests of the pair at token i: whether its second word ends like a surname, and
    whether a comma and a role follow the pair."""
    tokens = scan.tokens
    word = tokens[i + 1].text
    shaped = word.endswith(words.surname_endings) or (word.endswith(words.weak_endings)
                                                       and word_frequency(word) is None)
    apposed = i + 3 < len(tokens) and tokens[i + 2].text in COMMAS and tokens[i + 3].start in cues.role_starts
    return shaped, apposed


def _shaped_pair(scan: Scan, first: Token, last: Token, words: PersonWords) -> bool:
    """A given name (listed, or everyday-word, or no word at all before a telling ending) and a word
    shaped like a surname."""
    shape = surname_shape(last.text, words)
    if shape is None:
        return False
    listed = first.text in words.ambiguous_first_names or first.text in scan.lex.first_names
    return listed or (shape == "strong" and (unknown_given_name(first.text, scan.lex)
                                             or _noun_as_given_name(first.text, scan.lex)))


def _noun_as_given_name(word: str, lex: Lexicon) -> bool:
    """Many given names are everyday nouns too (جلیل، عادل، کریم): before a telling surname (صیادی‌نژاد،
    باقرزاده‌پور) and with a role or speech beside them, such a noun opens a name. Never a role word, a
    title, a head noun or a word that names no person."""
    return (len(word) >= 3 and is_noun(word) and word not in lex.role_heads and word not in lex.titles
            and word not in lex.stopnames and word not in lex.org_heads)


def _apposed_pair(scan: Scan, i: int, cues: Cues, words: PersonWords) -> bool:
    """«کریستوف برنارد، نماینده سازمان ملل»، «علیرضا دبیر، رئیس فدراسیون کشتی»: two name words opening a
    clause, then a comma and a role: the role's holder is named. The first word is a given name (an
    everyday word too, such as قربان) or a word no lexicon knows; the second is no verb (it may be a
    role word: دبیر)."""
    tokens, lex = scan.tokens, scan.lex
    first, last = tokens[i], tokens[i + 1]
    if not first.is_word or not last.is_word or not _pair_words(first.text, last.text, lex, words):
        return False
    if not clause_initial(scan.text, tokens, i, scan.grammar) and not (i and tokens[i - 1].text in COMMAS):
        return False
    return role_follows(tokens, i + 2, cues, COMMAS) and i + 2 < len(tokens) and tokens[i + 2].text in COMMAS


def _pair_words(first: str, last: str, lex: Lexicon, words: PersonWords) -> bool:
    """A given name (listed, or no word of the lexicon) and a second word that is no verb; an
    adjective but «فرهمند» (no relational ـی) may be a surname after a given name no list holds."""
    if is_verb(last) or not (lex.is_name_token(last) or last in lex.role_heads):
        return False
    unknown = unknown_given_name(first, lex)
    if not (first in lex.first_names or first in words.ambiguous_first_names or unknown):
        return False
    return not (is_descriptive(last) and (last.endswith("ی") or not unknown))


def unknown_given_name(word: str, lex: Lexicon) -> bool:
    """A word that may be a given name no list has: no word of the lexicon, no description."""
    return (lex.is_name_token(word) and word_frequency(word) is None and not is_descriptive(word)
            and not is_inflected(word))


def _quoted_names(scan: Scan, cues: Cues, found: Unlinked) -> None:
    tokens = scan.tokens
    for i, tok in enumerate(tokens):
        if tok.text != "«":
            continue
        j = quoted_name_end(scan.text, tokens, i, scan.lex)
        if j and role_follows(tokens, j + 1, cues, COMMAS):
            start, end = tokens[i + 1].start, tokens[j - 1].end
            if not scan.spans.overlaps(start, end):
                claim(found, scan, start, end)


def quoted_name_end(text: str, tokens: list[Token], i: int, lex: Lexicon) -> int:
    """The index of the closing » of a quotation at token i holding two or three name words; else 0.
    A word that is also a function word may open or continue the name, not end it («ناصر ولی زاده»)."""
    j = i + 1
    while (j < len(tokens) and j - i <= 4 and tokens[j].is_word and _quoted_name_word(tokens, j, lex)
           and "\n" not in text[tokens[j - 1].end:tokens[j].start]):
        j += 1
    if j < len(tokens) and tokens[j].text == "»" and j - i - 1 in _QUOTED_WORDS:
        return j
    return 0


def _quoted_name_word(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    word = tokens[j].text
    if lex.is_name_token(word):
        return True
    last = j + 1 >= len(tokens) or tokens[j + 1].text == "»"
    return not last and len(word) > 1 and word not in lex.role_heads and word not in lex.titles


def _single_names(scan: Scan, cues: Cues, found: Unlinked) -> None:
    tokens, titles = scan.tokens, scan.lex.titles
    for i in range(1, len(tokens) - 2):
        before = tokens[i - 1].text
        if before not in titles and not (before in COMMAS and tokens[i + 1].text in COMMAS):
            continue
        tok = tokens[i]
        if lone_name(tok, scan) and role_follows(tokens, i + 1, cues, COMMAS):
            claim(found, scan, tok.start, tok.end)


def lone_name(tok: Token, scan: Scan) -> bool:
    """Can this one word, after a title or between commas, be a person's whole name? A rare word, not
    a description, nor a word the Lexicon says is no name."""
    return (tok.is_word and word_frequency(tok.text) is None and not is_descriptive(tok.text)
            and scan.lex.is_name_token(tok.text) and not scan.spans.overlaps(tok.start, tok.end))


def surnames_of(name: str, lex: Lexicon) -> set[str]:
    """The words that name this person alone: the last word, and the first word of a two-word
    surname («شریعتی» of «مالک شریعتی نیاسر»); not first names or words under three letters."""
    words = name.split()
    firsts = next((k for k, w in enumerate(words) if w not in lex.first_names), len(words))
    surnames = {words[-1]} | ({words[firsts]} if len(words) - firsts == 2 else set())
    return {s for s in surnames if len(s) >= 3 and s not in lex.first_names}


def _surname_mentions(scan: Scan, found: Unlinked) -> None:
    """The surname alone, once the full name has been introduced."""
    tokens, spans, stopnames = scan.tokens, scan.spans, scan.lex.stopnames
    for name, mentions in list(found.values()):
        surnames = surnames_of(name, scan.lex)
        if not surnames:
            continue
        for k, t in enumerate(tokens):
            if t.text not in surnames or spans.overlaps(t.start, t.end):
                continue
            # a surname that is also a common word («اسلامی») counts only as a clause's subject
            if t.text in stopnames and not clause_initial(scan.text, tokens, k, scan.grammar):
                continue
            mentions.append(Mention(t.start, t.end, t.text))
            spans.add(t.start, t.end)
