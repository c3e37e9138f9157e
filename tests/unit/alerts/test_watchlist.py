"""Tracked figures: resolving them, replaying the compacted topic, matching enriched documents."""

from __future__ import annotations

from typing import Any

import pytest

from streams.alerts.watchlist import (
    Figure,
    FigureMatcher,
    WatchlistError,
    custom_figure,
    fold_watchlist,
    resolve_figure,
)
from streams.enrich.gazetteer import Gazetteer, parse_gazetteer

ZWNJ = "\u200c"

GAZETTEER_YAML = """
- id: person/sergey-lavrov
  type: person
  name: سرگئی لاوروف
  latin: Sergey Lavrov
  aliases: [لاوروف]
  short: [لاوروف]
  role: وزیر امور خارجه روسیه
- id: organization/un
  type: organization
  name: سازمان ملل متحد
  aliases: [سازمان ملل]
- id: location/russia
  type: location
  name: روسیه
- id: person/ali-rezaei
  type: person
  name: علی رضایی
- id: person/ali-rezaei-2
  type: person
  name: علی رضایی
"""


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return parse_gazetteer(GAZETTEER_YAML)


def _doc(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "isna-1", "kicker": "", "title": "", "lead": "", "body": "",
                            "entities": [], "quotes": []}
    return {**base, **parts}


LAVROV = {"type": "person", "id": "person/sergey-lavrov", "name": "سرگئی لاوروف",
          "mentions": ["لاوروف", "سرگئی لاوروف"], "count": 3, "linked": True}
SPEAKER = {"id": "person/sergey-lavrov", "name": "سرگئی لاوروف", "type": "person"}


@pytest.mark.parametrize("query", ["person/sergey-lavrov", "سرگئی لاوروف", "لاوروف", "Sergey Lavrov"])
def test_resolve_by_id_or_any_name(gazetteer: Gazetteer, query: str) -> None:
    """An id, the canonical name, an alias or the Latin name resolve to the same gazetteer figure."""
    fig = resolve_figure(gazetteer, query)
    assert (fig.id, fig.type, fig.source) == ("person/sergey-lavrov", "person", "gazetteer")
    assert "لاوروف" in fig.aliases and fig.added_at


def test_resolve_refuses_places_unknown_and_ambiguous_names(gazetteer: Gazetteer) -> None:
    """Only persons and organizations; an unknown name points to --name; two entities need the id."""
    with pytest.raises(WatchlistError, match="only persons and organizations"):
        resolve_figure(gazetteer, "location/russia")
    with pytest.raises(WatchlistError, match="--name"):
        resolve_figure(gazetteer, "کسی که نیست")
    with pytest.raises(WatchlistError, match="ambiguous"):
        resolve_figure(gazetteer, "علی رضایی")


def test_custom_figure_id_is_stable_across_spellings() -> None:
    """A free-form figure's id comes from its normalized name: ي/ی and spacing do not make a second one."""
    a = custom_figure("هانتر بايدن", ["بایدن پسر", "هانتر بايدن"])
    b = custom_figure(" هانتر  بایدن ")
    assert a.id == b.id == "name/هانتر-بایدن"
    assert a.aliases == ("بایدن پسر",) and a.source == "custom"
    with pytest.raises(WatchlistError):
        custom_figure("  ")


def test_fold_replays_the_compacted_topic() -> None:
    """The last value per key wins, a tombstone deletes, unreadable records are skipped."""
    a = custom_figure("الف بی")
    b = Figure("person/x", "ایکس", "person")
    records = [(a.id.encode(), a.to_bytes()), (b.id.encode(), b.to_bytes()), (b"junk", b"{not json"),
               (a.id.encode(), None), (None, b.to_bytes()),
               (b.id.encode(), Figure("person/x", "ایکس۲", "person").to_bytes())]
    folded = fold_watchlist(records)
    assert list(folded) == ["person/x"] and folded["person/x"].name == "ایکس۲"


def test_linked_figure_quoted_wins_over_mentioned(gazetteer: Gazetteer) -> None:
    """A gazetteer figure who is a quote's speaker is a 'quote' match (direct quote preferred)."""
    doc = _doc(entities=[LAVROV], quotes=[
        {"text": "نقل غیرمستقیم", "speaker": SPEAKER, "verb": "گفت", "kind": "indirect"},
        {"text": "ثبات برقرار شد", "speaker": SPEAKER, "verb": "گفت", "kind": "direct"},
    ])
    (hit,) = FigureMatcher([resolve_figure(gazetteer, "person/sergey-lavrov")]).match(doc)
    assert (hit.kind, hit.quote, hit.surface) == ("quote", "ثبات برقرار شد", "لاوروف")


def test_linked_figure_mentioned_only(gazetteer: Gazetteer) -> None:
    """An entity with the figure's id and no quote of theirs is a 'mention' with its surface form."""
    un = {"type": "organization", "id": "organization/un", "name": "سازمان ملل متحد", "mentions": ["سازمان ملل"]}
    doc = _doc(entities=[LAVROV, un], quotes=[{"text": "x", "speaker": SPEAKER, "verb": "گفت", "kind": "direct"}])
    matcher = FigureMatcher([resolve_figure(gazetteer, "organization/un"), resolve_figure(gazetteer, "لاوروف")])
    hits = {h.figure.id: h for h in matcher.match(doc)}
    assert hits["organization/un"].kind == "mention" and hits["organization/un"].surface == "سازمان ملل"
    assert hits["person/sergey-lavrov"].kind == "quote"


def test_nothing_matches_an_unrelated_document(gazetteer: Gazetteer) -> None:
    """No entity, speaker or phrase of a tracked figure: no match."""
    doc = _doc(title="بارش برف در تهران", body="امروز برف بارید.")
    assert FigureMatcher([resolve_figure(gazetteer, "لاوروف"), custom_figure("هانتر بایدن")]).match(doc) == []
    assert FigureMatcher([]).match(doc) == []


def test_custom_figure_matched_as_speaker() -> None:
    """A free-form figure whose name is a quote's speaker (unlinked) is a 'quote'."""
    speaker = {"id": None, "name": "هانتر بایدن", "type": "person"}
    doc = _doc(quotes=[{"text": "من بی‌گناهم", "speaker": speaker, "verb": "گفت", "kind": "direct"}])
    (hit,) = FigureMatcher([custom_figure("هانتر بایدن")]).match(doc)
    assert (hit.kind, hit.quote) == ("quote", "من بی‌گناهم")


@pytest.mark.parametrize("written", ["هانتر بایدن", f"هانتر{ZWNJ}بایدن", "هانتربایدن", "بایدن پسر"])
def test_custom_figure_matched_as_a_phrase_in_the_text(written: str) -> None:
    """A free-form name or alias found in the text, however the space between its words is written."""
    doc = _doc(body=f"به گزارش رویترز، {written} روز دوشنبه در دادگاه حاضر شد.")
    (hit,) = FigureMatcher([custom_figure("هانتر بایدن", ["بایدن پسر"])]).match(doc)
    assert hit.kind == "mention" and hit.surface == written


def test_custom_phrase_needs_word_boundaries() -> None:
    """A name inside a longer word is not a mention."""
    doc = _doc(body="مهرانه کاری نکرد.")
    assert FigureMatcher([custom_figure("مهران")]).match(doc) == []
