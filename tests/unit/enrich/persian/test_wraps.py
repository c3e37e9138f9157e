"""Table tests for hard wraps and paragraphs (``wraps.join_hard_wraps``). «_» stands for a ZWNJ."""

from __future__ import annotations

import pytest

from streams.enrich.persian import fix_characters, join_hard_wraps, normalize_text
from tests.unit.enrich.persian.tables import SEED, z


def test_seed_hard_wraps() -> None:
    """On the seed: the kicker and title stay apart, wrapped lines and mid-sentence blank lines join."""
    paragraphs = normalize_text(SEED.read_text(encoding="utf-8")).split("\n\n")
    assert paragraphs[0] == "لاوروف:"
    assert paragraphs[1] == "مسائل زیادی در قره باغ باید حل شود"
    assert paragraphs[2].startswith("وزیر خارجه روسیه در زمینه")
    assert "در منطقه قره باغ پایان" in paragraphs[3]
    assert any("در حال حاضر شاهد آن هستیم." in p for p in paragraphs)
    assert any("چندین منطقه به باکو واگذار شد" in p for p in paragraphs)
    assert any(z("همکاری_های منطقه_ای و صلح پایدار") in p for p in paragraphs)
    assert all("\n" not in p and p == p.strip() for p in paragraphs)
    assert len(paragraphs) == 13


WRAPPED = "ب" * 70


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        (f"{WRAPPED} قره\nباغ پایان یافت.", f"{WRAPPED} قره باغ پایان یافت."),
        (f"{WRAPPED} در حال حاضر\n\nشاهد آن هستیم.", f"{WRAPPED} در حال حاضر شاهد آن هستیم."),
        (f"لاوروف:\n\n{WRAPPED} خبر.", f"لاوروف:\n\n{WRAPPED} خبر."),
        (f"تیتر بدون نقطه\n\n{WRAPPED} خبر.", f"تیتر بدون نقطه\n\n{WRAPPED} خبر."),
        (f"تیتر کوتاه\n{WRAPPED} خبر.", f"تیتر کوتاه\n\n{WRAPPED} خبر."),
        (f"{WRAPPED} پایان.\n\n{WRAPPED} آغاز.", f"{WRAPPED} پایان.\n\n{WRAPPED} آغاز."),
        (f"{WRAPPED} و\n\n- بند بعدی", f"{WRAPPED} و\n\n- بند بعدی"),
        ("یک\n \n\n  دو", "یک\n\nدو"),
        ("بند اول.\r\nبند دوم.", "بند اول.\n\nبند دوم."),
        ("ب" * 300 + ".\n" + "پ" * 300 + ".", "ب" * 300 + ".\n\n" + "پ" * 300 + "."),
    ],
)
def test_join_hard_wraps(text_in: str, text_out: str) -> None:
    """Wrapped lines join with a space; short lines, blank lines after a sentence end stay breaks."""
    assert join_hard_wraps(fix_characters(text_in)) == text_out


@pytest.mark.parametrize(
    "text",
    [
        "ا" * 70 + "\nب\n\nپ",  # a paragraph reads wider than its last line did
        "ا" * 30 + "\n" + "ب" * 40 + "\n\nپ",
        f"{WRAPPED}\nب\n\n{WRAPPED} پ\n\nت",
    ],
)
def test_paragraphs_read_again_stay_as_they_are(text: str) -> None:
    """Joined paragraphs, read again, are joined no further."""
    once = join_hard_wraps(text)
    assert join_hard_wraps(once) == once


def test_restored_zwnjs_and_added_spaces_do_not_change_the_reading() -> None:
    """A paragraph reads as wide with the ZWNJs and spaces normalization adds later as without them."""
    para = "ب" * 35
    text = f"{para}\n\nپ"
    assert join_hard_wraps(text) == text
    widened = para[:10] + "\u200c" + para[10:20] + " " + para[20:]
    assert join_hard_wraps(f"{widened}\n\nپ") == f"{widened}\n\nپ"


def test_a_line_that_leaves_guillemets_open_is_a_wrap() -> None:
    """«در مقابل، «علی مدنی⏎زاده» وزیر ...»: the short line is cut inside a name, not a paragraph's end."""
    wrapped = "ب" * 70
    text = f"{wrapped} پایان.\nدر مقابل، «علی مدنی\nزاده» وزیر امور اقتصادی گفت.\n{wrapped} پایان."
    assert "«علی مدنی زاده»" in normalize_text(text)
