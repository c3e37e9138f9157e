"""The evidence that a name candidate is a person: a title or a role next to it, «», a speech verb.

Titles and role phrases come from ``streams/data/roles.yaml``, speech verbs from
``streams/data/speech_verbs.yaml`` (both read by the Lexicon).
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.enrich.entities.grammar import Grammar
from streams.enrich.entities.person_names import PersonWords
from streams.enrich.entities.scan import Scan
from streams.enrich.entities.tokens import Token
from streams.enrich.lexicon import Lexicon
from streams.enrich.persian import ZWNJ, is_adjective, is_inflected, is_verb, word_frequency

__all__ = ["COMMAS", "Cues", "find_cues", "has_person_context", "has_strong_context", "role_follows",
           "unknown_surname"]

COMMAS = frozenset({"،", ","})
_BEFORE_ROLE = COMMAS | {"»"}  # «علی محمدی، سخنگوی ...»، «علی محمدی» سخنگوی ...
_SENTENCE_BREAKS = frozenset({".", "،", ",", "؛", "»", "!", "؟"})  # after these a subject may start
_SENTENCE_ENDS = frozenset({".", "؟", "!"})
_SPEECH_REACH = 30  # tokens from a subject to its sentence's speech verb
_ROLE_REACH = 6     # tokens from a role phrase to the name it introduces
_ROLE_NOT_ACROSS = (".", "؟", ":")


@dataclass(frozen=True, slots=True)
class Cues:
    """Where role phrases start and end, and where speech verbs start, in one article."""

    role_starts: frozenset[int]
    role_ends: frozenset[int]
    speech_at: frozenset[int]


def find_cues(text: str, lex: Lexicon) -> Cues:
    roles = lex.roles.find(text)
    return Cues(
        role_starts=frozenset(m.start for m in roles),
        role_ends=frozenset(m.end for m in roles),
        speech_at=frozenset(m.start for m in lex.speech.find(text)),
    )


def has_person_context(scan: Scan, i: int, j: int, cues: Cues, words: PersonWords) -> bool:
    """A name candidate (tokens i … j-1) counts only with evidence around it."""
    tokens, lex = scan.tokens, scan.lex
    return (after_title(tokens, i, lex)
            or quoted(tokens, i, j)
            or role_follows(tokens, j, cues, _BEFORE_ROLE)
            or unknown_surname(tokens, i, j, lex, words, scan.grammar)
            or speech_follows(tokens, j, lex)
            or subject_of_speech(scan.text, tokens, i, j, cues)
            or role_precedes(scan.text, tokens, i, cues))


def has_strong_context(scan: Scan, i: int, j: int, cues: Cues) -> bool:
    """Evidence that does not rest on the words themselves being unknown: a title, «», a role, a
    speech verb after the name or ending its sentence, a role before it."""
    tokens, lex = scan.tokens, scan.lex
    return (after_title(tokens, i, lex)
            or quoted(tokens, i, j)
            or role_follows(tokens, j, cues, _BEFORE_ROLE)
            or speech_follows(tokens, j, lex)
            or subject_of_speech(scan.text, tokens, i, j, cues)
            or role_precedes(scan.text, tokens, i, cues))


def after_title(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """«آقای علی محمدی»، «دکتر علی محمدی»."""
    return i > 0 and tokens[i - 1].text in lex.titles


def quoted(tokens: list[Token], i: int, j: int) -> bool:
    """The candidate is the whole of a quotation: «علی محمدی»."""
    return i > 0 and tokens[i - 1].text == "«" and j < len(tokens) and tokens[j].text == "»"


def role_follows(tokens: list[Token], k: int, cues: Cues, skippable: frozenset[str]) -> bool:
    """Does a role phrase start at token k, or right after one skippable mark there?
    «علی محمدی استاندار گیلان»، «علی محمدی، سخنگوی ...»."""
    if k < len(tokens) and tokens[k].text in skippable:
        k += 1
    return k < len(tokens) and tokens[k].start in cues.role_starts


def unknown_surname(tokens: list[Token], i: int, j: int, lex: Lexicon, words: PersonWords,
                    grammar: Grammar) -> bool:
    """A first name and a surname that is no word of the lexicon (ترابی، ترزاسکوفسکی)."""
    surnames = [t.text for t in tokens[i:j] if t.text not in lex.first_names]
    return bool(surnames) and all(unknown_word(s, words, grammar) for s in surnames)


def unknown_word(word: str, words: PersonWords, grammar: Grammar) -> bool:
    """Not a word of the lexicon, an adjective, a verb or a plural; a ZWNJ only before a surname tail."""
    return (word_frequency(word) is None and not is_adjective(word) and not is_verb(word)
            and (ZWNJ not in word or word.rsplit(ZWNJ, 1)[1] in words.surname_tails)
            and not (word.endswith(grammar.plural_endings) and is_inflected(word)))


def speech_follows(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """A speech verb (one or two words) right after the name: «علی محمدی گفت»."""
    if j >= len(tokens):
        return False
    nxt = tokens[j].text
    two = nxt + (" " + tokens[j + 1].text if j + 1 < len(tokens) else "")
    return nxt in lex.speech_forms or two in lex.speech_forms


def subject_of_speech(text: str, tokens: list[Token], i: int, j: int, cues: Cues) -> bool:
    """The subject of a sentence that ends in a speech verb: «علی محمدی روز یکشنبه در نشست ... گفت:»."""
    if not (i == 0 or tokens[i - 1].text in _SENTENCE_BREAKS or "\n" in text[tokens[i - 1].end:tokens[i].start]):
        return False
    for t in tokens[j:j + _SPEECH_REACH]:
        if t.text in _SENTENCE_ENDS:
            return False
        if t.start in cues.speech_at:
            return True
    return False


def role_precedes(text: str, tokens: list[Token], i: int, cues: Cues) -> bool:
    """A role phrase (possibly with its country or organization and a comma) a few tokens before,
    in the same sentence: «استاندار گیلان، کیوان محمدزاده»."""
    start = tokens[i].start
    for t in tokens[max(0, i - _ROLE_REACH):i]:
        if t.end in cues.role_ends:
            between = text[t.end:start]
            if not any(mark in between for mark in _ROLE_NOT_ACROSS):
                return True
    return False
