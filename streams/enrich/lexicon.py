"""Word lists the entity and quote stages read: role phrases, titles, first names, speech verbs.

All of it is data in ``streams/data``; this module only loads and normalizes it, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from streams.enrich.matcher import PhraseMatcher
from streams.enrich.persian import normalize_phrase
from streams.resources import data_path

__all__ = ["Lexicon", "load_lexicon"]


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


def _norm_all(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_phrase(str(v)) for v in (values or []) if v))


# First names that are written joined to another to make one (سیدمحسن، امیرحسین، احمدعلی، محمدجواد).
_COMPOUNDING = ("سید", "میر", "محمد", "امیر", "علی", "احمد", "حسین", "حسن", "رضا", "مهدی", "غلام", "ابو")


def _with_compounds(names: list[str]) -> frozenset[str]:
    """The first names, and those written joined to one of the compounding ones (سیدمحسن، احمدعلی):
    a few thousand more entries, so a test stays one set lookup."""
    base = set(names)
    return frozenset(base | {p + n for p in _COMPOUNDING for n in base if len(n) >= 3})


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
        first_names=_with_compounds(_lines("first_names.txt")),
        stopnames=frozenset(_lines("stopnames.txt")),
        speech_forms=speech,
        speech=PhraseMatcher((form, form) for form in speech),
        indirect_markers=_norm_all(verbs_doc.get("indirect_markers")),
        statement_nouns=_norm_all(verbs_doc.get("statement_nouns")),
        office_heads=_norm_all(verbs_doc.get("office_heads")),
        org_heads=frozenset(_norm_all(orgs_doc.get("heads"))),
        org_head_firsts=frozenset(h.split(" ")[0] for h in _norm_all(orgs_doc.get("heads"))),
        sport_cues=PhraseMatcher((c, c) for c in _norm_all(orgs_doc.get("sport_cues"))),
        org_stop=frozenset(_norm_all(orgs_doc.get("stop"))),
        org_strict=frozenset(_norm_all(orgs_doc.get("strict_heads"))),
    )
