"""Quoted spans and where speech ends."""

from __future__ import annotations

import pytest

from streams.enrich.quotes.marks import MAX_QUOTE, Spans, closing, direct_text, indirect_text


@pytest.mark.parametrize("text,tail", [
    ("«الف»", "»"),
    ("«الف «ب» ج» د", "» د"),               # nested marks close in pairs
    ("«الف «ب» ج", None),                   # the outer one never closes
    ("“الف” ب", "” ب"),
    ('"الف" ب', '" ب'),
    ('"الف\n\nب" ج', None),                # a straight quote left open at a paragraph break
    ("«الف\n\nب» ج", "» ج"),                # «» may span paragraphs
    ("«" + "ا" * MAX_QUOTE + "»", None),    # too long: a mark left open
    ("«" + "ا" * (MAX_QUOTE - 2) + "»", "»"),
])
def test_closing(text: str, tail: str | None) -> None:
    """The index of the closing mark (the text from there is ``tail``), or -1."""
    at = closing(text, 0)
    assert (text[at:] if at != -1 else None) == tail


@pytest.mark.parametrize("text,said,rest", [
    ("گفت: «ما آماده‌ایم.» و رفت", "ما آماده‌ایم.", " و رفت"),
    ("گفت: ما آماده‌ایم.\nبند بعد", "ما آماده‌ایم.", "\nبند بعد"),     # no marks: to the end of the line
    ("گفت: «ما آماده‌ایم\n\nبند بعد", "ما آماده‌ایم", "\n\nبند بعد"),  # unclosed: to the end of the paragraph
    ("گفت:\n\n«ما آماده‌ایم.»", "ما آماده‌ایم.", ""),               # a quote may open the next paragraph
    ("گفت:\n\nبند بعد", None, None),                                # … plain text may not
    ("گفت:  ", None, None),
])
def test_direct_text(text: str, said: str | None, rest: str | None) -> None:
    """Direct speech after a colon: a quoted span, or the rest of the line; ``rest`` follows it."""
    got = direct_text(text, text.index(":") + 1)
    assert ((got[0], text[got[1]:]) if got else (None, None)) == (said, rest)


@pytest.mark.parametrize("text,said,rest", [
    ("گفت که ما آماده‌ایم. بعد", "ما آماده‌ایم", " بعد"),
    ("گفت که ما آماده‌ایم\nبعد", "ما آماده‌ایم", "بعد"),
    ("گفت که ما آماده‌ایم", "ما آماده‌ایم", ""),
])
def test_indirect_text(text: str, said: str, rest: str) -> None:
    """Reported speech runs to the end of its sentence."""
    got, end = indirect_text(text, text.index("که") + 2)
    assert (got, text[end:]) == (said, rest)


def test_spans_cover_positions_asked_in_order() -> None:
    """A position is covered when a span added before holds it, in whatever order spans were added."""
    spans = Spans([(10, 20)])
    assert [spans.covers(p) for p in (0, 10, 19)] == [False, True, True]
    spans.add(30, 40)
    spans.add(25, 26)
    assert [spans.covers(p) for p in (20, 25, 26, 35, 40)] == [False, True, False, True, False]


def test_spans_answer_a_position_asked_out_of_order() -> None:
    """Asking about an earlier position still gets the right answer."""
    spans = Spans([(10, 20), (30, 40)])
    assert spans.covers(35) and spans.covers(15) and not spans.covers(25)
