"""Table tests for punctuation and spaces (``punctuation.fix_punctuation``, ``collapse_spaces``)."""

from __future__ import annotations

import pytest

from streams.enrich.persian import collapse_spaces, fix_punctuation, normalize_phrase


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("زندگی آرام ، صلح آمیز", "زندگی آرام، صلح آمیز"),
        ("«نیکل پاشینیان» ، نخست", "«نیکل پاشینیان»، نخست"),
        ("روسیه,ارمنستان", "روسیه، ارمنستان"),
        ("گفت:«نه»", "گفت: «نه»"),
        ("چرا ?", "چرا؟"),
        ("اول ;دوم", "اول؛ دوم"),
        ("« سلام »", "«سلام»"),
        ("پایان .شروع", "پایان. شروع"),
        ("و ...", "و ..."),
        ("ج.ا.ا", "ج.ا.ا"),
        ("Hello, world?", "Hello, world?"),
        ("کلمه«نقل»است", "کلمه «نقل» است"),
        ("رشد .5 درصد", "رشد .۵ درصد"),  # a point before a digit may open a number: left where it is
    ],
)
def test_fix_punctuation(text_in: str, text_out: str) -> None:
    """Persian punctuation in Persian context, no space before it, one after."""
    assert normalize_phrase(text_in) == text_out


def test_fix_punctuation_on_its_own() -> None:
    """fix_punctuation alone fixes spacing around marks."""
    assert fix_punctuation("آرام ، صلح") == "آرام، صلح"


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("  سلام   دنیا ", "سلام دنیا"),
        ("خط اول  \n   خط دوم", "خط اول\nخط دوم"),
        ("بند\n\n  بند", "بند\n\nبند"),
        ("   ", ""),
    ],
)
def test_collapse_spaces(text_in: str, text_out: str) -> None:
    """Runs of spaces become one and every line is trimmed; line breaks stay."""
    assert collapse_spaces(text_in) == text_out
