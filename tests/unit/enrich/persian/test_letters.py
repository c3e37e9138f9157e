"""Table tests for letters and invisible characters (``fix_characters``, ``clean_zwnj``). «_» stands for a ZWNJ."""

from __future__ import annotations

import pytest

from streams.enrich.persian import clean_zwnj, normalize_phrase
from tests.unit.enrich.persian.tables import z


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("كتاب عربي", "کتاب عربی"),
        ("موسى", "موسی"),
        ("مدرسة", "مدرسه"),
        ("آیةالله", "آیت_الله"),
        ("آیة الله", "آیت الله"),
        ("خارجۀ روسیه", "خارجه روسیه"),
        ("خارجهٔ روسیه", "خارجه روسیه"),
        ("أحمد و تأکید", "احمد و تأکید"),
        ("إسلام و ٱلله", "اسلام و الله"),
        ("مؤسسه", "مؤسسه"),
        ("آمد", "آمد"),
        ("ا\u0653مد", "آمد"),  # madda written as a combining mark
        ("ﻛﺘﺎﺏ", "کتاب"),  # presentation forms
        ("مجدداً کلَبجَر", "مجددا کلبجر"),
        ("شدّت", "شدت"),
        ("سلامـــت", "سلامت"),
    ],
)
def test_fix_characters(text_in: str, text_out: str) -> None:
    """Arabic letters, ۀ/ة, hamza seats, diacritics and kashida to the canonical form."""
    assert normalize_phrase(text_in) == z(text_out)


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("خبر\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", "خبر"),
        ("خ\u200bبر\ufeff", "خبر"),
        ("خ\x00ب\x07ر\x1b", "خبر"),
        ("خبر\u00adها", "خبرها"),
        ("می\u200dرود", "می_رود"),
        ("_خبر_", "خبر"),
        ("می__رود", "می_رود"),
        ("کشور_ها", "کشورها"),
        ("قره_ باغ", "قره باغ"),
        ("۵_تا", "۵تا"),
        ("خبر\u00a0فوری\u2009امروز", "خبر فوری امروز"),
    ],
)
def test_invisible_characters(text_in: str, text_out: str) -> None:
    """Bidi controls, zero-width characters, nulls and useless ZWNJs are removed."""
    assert normalize_phrase(z(text_in)) == z(text_out)


def test_zwnj_cleanup_on_its_own() -> None:
    """clean_zwnj keeps only ZWNJs between a forward- and a back-joining letter."""
    assert clean_zwnj(z("_کشور_ها و می__رود _و")) == z("کشورها و می_رود و")
