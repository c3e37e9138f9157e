"""Table tests for digits (``digits.fix_digits``)."""

from __future__ import annotations

import pytest

from streams.enrich.persian import fix_characters, fix_digits


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("در 9 نوامبر 2020", "در ۹ نوامبر ۲۰۲۰"),
        ("٣ نفر", "۳ نفر"),
        ("رشد 3.5 درصد", "رشد ۳٫۵ درصد"),
        ("1,200 نفر", "۱٬۲۰۰ نفر"),
        ("50% آرا", "۵۰٪ آرا"),
        ("تاریخ 1400/02/03", "تاریخ ۱۴۰۰/۰۲/۰۳"),
        ("ویروس COVID-19 و جنگنده F-35", "ویروس COVID-19 و جنگنده F-35"),
        ("سایت https://irna.ir/news/85012345", "سایت https://irna.ir/news/85012345"),
        # a token ends at a Persian letter or mark, where punctuation spacing may put a space
        ("4ز«D", "۴ز«D"),
        ("0،a", "۰،a"),
        ("iPhone15ها", "iPhone15ها"),
        ("a٠;0", "a۰;۰"),  # a ; after a Persian digit becomes ؛ and a space: the token ends there
        ("COVID-19;x", "COVID-19;x"),
    ],
)
def test_fix_digits(text_in: str, text_out: str) -> None:
    """One digit form (Persian), except numbers inside Latin tokens."""
    assert fix_digits(fix_characters(text_in)) == text_out
