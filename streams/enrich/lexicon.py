"""Word lists the entity and quote stages read: role phrases, titles, first names, speech verbs,
and the words that resolve a quote's speaker.

All of it is data in ``streams/data``; this module only loads and normalizes it, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from streams.enrich.matcher import PhraseMatcher
from streams.enrich.persian import normalize_phrase
from streams.resources import data_path

__all__ = ["Lexicon", "QuoteWords", "load_lexicon"]


def _yaml(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data_path(name).read_text(encoding="utf-8"), Loader=loader) or {}


def _lines(name: str) -> list[str]:
    out = []
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(normalize_phrase(line))
    return out


def _first_column(name: str) -> list[str]:
    """The first column of a tab-separated list (the other columns describe the entry)."""
    out = []
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        first = line.split("#", 1)[0].split("\t", 1)[0].strip()
        if first:
            out.append(normalize_phrase(first))
    return out


def _norm_all(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_phrase(str(v)) for v in (values or []) if v))


def _with_compounds(names: list[str], compounding: list[str]) -> frozenset[str]:
    """The first names, and those written joined to one of the compounding ones (سیدمحسن، احمدعلی):
    a few thousand more entries, so a test stays one set lookup."""
    base = set(names)
    return frozenset(base | {p + n for p in compounding for n in base if len(n) >= 3})


@dataclass(frozen=True)
class QuoteWords:
    """What the quote stage reads besides the speech verbs (``streams/data/quotes/``), compiled once."""

    pronouns: frozenset[str]
    attribution: re.Pattern[str]       # «به گزارش ...،» before a clause's subject, matched at a position
    after_verb: re.Pattern[str]        # the colon or complementizer that makes a verb introduce speech
    coordinated: re.Pattern[str]       # «... کرد و »: a second subject may start after it
    indirect_marker: re.Pattern[str]   # «به گفته » and the like, the marker in group 1
    demonstrative: str
    person_anaphors: frozenset[str]
    organization_anaphors: frozenset[str]
    office: str
    role_fillers: tuple[str, ...]
    office_name_heads: frozenset[str]
    office_name_stops: frozenset[str]
    office_name_ends: tuple[str, ...]  # prefixes of the word that ends an office's name


def _either(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


def _quote_words(verbs_doc: Any, indirect_markers: tuple[str, ...]) -> QuoteWords:
    speakers, offices = _yaml("quotes/speakers.yaml"), _yaml("quotes/offices.yaml")
    clauses = _yaml("quotes/clauses.yaml")
    complementizers = _norm_all(verbs_doc.get("complementizer"))
    markers = tuple(sorted(indirect_markers, key=len, reverse=True))  # the longest marker wins
    return QuoteWords(
        pronouns=frozenset(_norm_all(speakers.get("pronouns"))),
        attribution=re.compile(rf"\s*(?:{_either(_norm_all(speakers.get('attributions')))})[^،,:]{{0,120}}[،,]\s*"),
        after_verb=re.compile(rf"\s*(:|(?:{_either(complementizers)})(?![\w\u200c]))"),
        coordinated=re.compile(rf"(?<![\w\u200c])(?:{_either(_norm_all(clauses.get('finite_verbs')))})[،,]?\s+"
                               rf"{re.escape(normalize_phrase(str(clauses['conjunction'])))}\s+"),
        indirect_marker=re.compile(rf"(?<![\w\u200c])({_either(markers)})\s+"),
        demonstrative=normalize_phrase(str(speakers["demonstrative"])),
        person_anaphors=frozenset(_norm_all(speakers.get("person_anaphors"))),
        organization_anaphors=frozenset(_norm_all(speakers.get("organization_anaphors"))),
        office=normalize_phrase(str(speakers["office"])),
        role_fillers=_norm_all(speakers.get("role_fillers")),
        office_name_heads=frozenset(_norm_all(offices.get("heads"))),
        office_name_stops=frozenset(_norm_all(offices.get("stop"))),
        office_name_ends=_norm_all(offices.get("statement_prefixes")),
    )


@dataclass(frozen=True)
class Lexicon:
    titles: frozenset[str]
    roles: PhraseMatcher[str]
    role_heads: frozenset[str]
    first_names: frozenset[str]
    stopnames: frozenset[str]
    speech_forms: dict[str, str]  # surface form → lemma
    speech: PhraseMatcher[str]    # payload: the form as listed
    indirect_markers: tuple[str, ...]
    statement_nouns: tuple[str, ...]
    quotes: QuoteWords
    office_heads: tuple[str, ...]
    org_heads: frozenset[str]
    org_stop: frozenset[str]
    org_strict: frozenset[str]
    org_head_firsts: frozenset[str] = frozenset()  # first words of org_heads: a quick test per token
    sport_cues: PhraseMatcher[str] | None = None  # words of sports copy: club names that are common words

    def is_name_token(self, token: str) -> bool:
        """Could this token be part of a person's name (not a function word, verb, or role word)?"""
        return (
            token not in self.stopnames
            and token not in self.role_heads
            and token not in self.titles
            and not token.isdigit()
            and len(token) > 1
        )


@cache
def load_lexicon() -> Lexicon:
    roles_doc = _yaml("roles.yaml")
    verbs_doc = _yaml("speech_verbs.yaml")
    roles = _norm_all(roles_doc.get("roles"))
    titles = _norm_all(roles_doc.get("titles"))
    speech: dict[str, str] = {}
    for verb in verbs_doc.get("verbs") or []:
        lemma = normalize_phrase(str(verb.get("lemma", "")))
        for form in verb.get("forms") or []:
            speech[normalize_phrase(str(form))] = lemma
    heads = frozenset(r.split(" ")[0] for r in roles)
    orgs_doc = _yaml("organizations.yaml")
    return Lexicon(
        titles=frozenset(titles),
        roles=PhraseMatcher((r, r) for r in roles),
        role_heads=heads,
        first_names=_with_compounds(_lines("first_names.txt") + _first_column("names/given_names.tsv"),
                                    _lines("names/compounding_first_names.txt")),
        stopnames=frozenset(_lines("stopnames.txt")),
        speech_forms=speech,
        speech=PhraseMatcher((form, form) for form in speech),
        indirect_markers=_norm_all(verbs_doc.get("indirect_markers")),
        statement_nouns=_norm_all(verbs_doc.get("statement_nouns")),
        quotes=_quote_words(verbs_doc, _norm_all(verbs_doc.get("indirect_markers"))),
        office_heads=_norm_all(verbs_doc.get("office_heads")),
        org_heads=frozenset(_norm_all(orgs_doc.get("heads"))),
        org_head_firsts=frozenset(h.split(" ")[0] for h in _norm_all(orgs_doc.get("heads"))),
        sport_cues=PhraseMatcher((c, c) for c in _norm_all(orgs_doc.get("sport_cues"))),
        org_stop=frozenset(_norm_all(orgs_doc.get("stop"))),
        org_strict=frozenset(_norm_all(orgs_doc.get("strict_heads"))),
    )
