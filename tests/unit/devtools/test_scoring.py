"""Scoring a document against gold: counts per field and the kind each miss is filed under."""

from __future__ import annotations

from streams.devtools.scoring import Miss, Score, score_entities, score_quotes, score_sources


def _names(_: str) -> tuple[str, ...]:
    return ()


def _entity(name: str, etype: str = "organization", linked: bool = False) -> dict:
    return {"type": etype, "id": f"{etype}/{name}", "name": name, "mentions": [name], "linked": linked}


def test_missed_organization_is_filed_by_head_word() -> None:
    """An organization the gazetteer lacks is filed under its head word, so one fix can address the kind."""
    score, misses = Score(), []  # type: ignore[var-annotated]
    score_entities("a", "organizations", ["وزارت کشاورزی ترکیه"], [], "organization", _names, lambda n: False,
                   score, misses)
    assert (score.tp, score.fn) == (0, 1)
    assert misses == [Miss("a", "organizations", "organizations missed, not in the gazetteer, head «وزارت»",
                           "وزارت کشاورزی ترکیه")]


def test_boundary_and_type_confusion_are_their_own_kinds() -> None:
    """A name found cut short, or found as another type, is not filed as a plain miss."""
    score, misses = Score(), []  # type: ignore[var-annotated]
    found = [_entity("وزارت کشاورزی"), _entity("ارتش پاکستان", "location")]
    score_entities("a", "organizations", ["وزارت کشاورزی ترکیه", "ارتش پاکستان"], found, "organization", _names,
                   lambda n: False, score, misses)
    kinds = [m.kind for m in misses]
    assert "organizations missed: boundary" in kinds
    assert "organizations missed: found as location" in kinds
    assert "organizations extra: boundary" in kinds


def _quote(text: str, speaker: str | None, kind: str = "direct", stype: str = "person") -> dict:
    return {"text": text, "kind": kind, "verb": "گفت",
            "speaker": None if speaker is None else {"id": None, "name": speaker, "type": stype}}


def test_quotes_are_scored_by_gold_kind_and_extras_by_their_own() -> None:
    """A colon quote counts under colon; a wrong speaker is a miss and an extra; a short unmatched «» is
    filed as a short extra (a scare quote, most likely)."""
    scores = {"direct": Score(), "colon": Score(), "headline": Score()}
    links, misses = Score(), []  # type: ignore[var-annotated]
    gold = [{"speaker": "علی رضایی", "text": "ایران آماده است", "kind": "colon"},
            {"speaker": "علی رضایی", "text": "ما مذاکره می‌کنیم", "kind": "direct"}]
    predicted = [_quote("ایران آماده است که ...", "علی رضایی", "colon"),
                 _quote("ما مذاکره می‌کنیم", "وزارت خارجه", stype="organization"),
                 _quote("خط قرمز", None)]
    score_quotes("a", gold, predicted, _names, scores, links, misses)
    assert (scores["colon"].tp, scores["colon"].fp, scores["colon"].fn) == (1, 0, 0)
    assert (scores["direct"].tp, scores["direct"].fp, scores["direct"].fn) == (0, 2, 1)
    kinds = {m.kind for m in misses}
    assert kinds == {"direct quote speaker wrong: an organization", "direct quote extra (short)"}


def test_sources_count_names_and_roles_apart() -> None:
    """A credited outlet found with the wrong role is found (recall) but its role is wrong."""
    score, roles, misses = Score(), Score(), []  # type: ignore[var-annotated]
    predicted = [{"entity": _entity("ایرنا"), "role": "citing"}]
    score_sources("a", [{"name": "ایرنا", "role": "reporting"}, {"name": "رویترز", "role": "citing"}], predicted,
                  _names, score, roles, misses)
    assert (score.tp, score.fn, roles.tp, roles.fp) == (1, 1, 0, 1)
