"""The lexicon: word lists loaded once from streams/data, and the quote words compiled from them."""

from __future__ import annotations

import pytest

from streams.enrich.lexicon import load_lexicon

LEX = load_lexicon()
WORDS = LEX.quotes


def test_the_lexicon_is_loaded_once() -> None:
    """Every stage shares one lexicon."""
    assert load_lexicon() is LEX


@pytest.mark.parametrize("name", ["سیدمحسن", "امیرحسین", "محمدجواد", "محسن"])
def test_first_names_joined_to_a_compounding_one(name: str) -> None:
    """A first name written joined to a compounding one (سید، امیر، محمد ...) is a first name."""
    assert name in LEX.first_names


@pytest.mark.parametrize("text,lead_in", [
    ("به گزارش خبرگزاری فارس، وی گفت", "به گزارش خبرگزاری فارس، "),
    ("به نقل از رسانه‌ها، او گفت", "به نقل از رسانه‌ها، "),
    ("  طبق گزارش ایرنا، وی گفت", "  طبق گزارش ایرنا، "),
    ("به گزارش خبرگزاری فارس وی گفت", None),     # no comma: not a lead-in
    ("وی به گزارش فارس، گفت", None),             # only at the start
])
def test_attribution(text: str, lead_in: str | None) -> None:
    """A lead-in naming a report's source, at the start of a clause, up to its comma."""
    m = WORDS.attribution.match(text)
    assert (m.group() if m else None) == lead_in


@pytest.mark.parametrize("text,mark", [(": «", ":"), ("  :", ":"), (" که ما", "که"), (" کهنه", None), ("، گفت", None)])
def test_after_verb(text: str, mark: str | None) -> None:
    """A colon or a complementizer after a verb makes it introduce speech."""
    m = WORDS.after_verb.match(text)
    assert (m.group(1) if m else None) == mark


@pytest.mark.parametrize("text,found", [
    ("استقبال کرد و ترامپ", "کرد و "),
    ("استقبال کرد، و ترامپ", "کرد، و "),
    ("آمدند و رفتند", None),                   # «آمدند» is not listed
    ("پیکرد و ترامپ", None),                   # a verb is a word of its own
])
def test_coordinated(text: str, found: str | None) -> None:
    """A finite verb and «و» where a second subject may start."""
    m = WORDS.coordinated.search(text)
    assert (m.group() if m else None) == found


@pytest.mark.parametrize("text,marker", [
    ("به گفته وی، ", "به گفته"),
    ("بنا به گفته وی، ", "بنا به گفته"),        # the longest marker wins
    ("از نظر او، ", "از نظر"),
    ("آنچه به گفته", None),                   # a marker is followed by a space
])
def test_indirect_marker(text: str, marker: str | None) -> None:
    """«به گفته» and the like, the marker in group 1."""
    m = WORDS.indirect_marker.search(text)
    assert (m.group(1) if m else None) == marker


def test_quote_words() -> None:
    """The single words and lists the speaker rules read."""
    assert WORDS.pronouns == {"وی", "او", "ایشان"}
    assert (WORDS.demonstrative, WORDS.office, WORDS.role_fillers) == ("این", "دفتر", ("امور",))
    assert {"مقام", "وزیر"} <= WORDS.person_anaphors and {"نهاد", "سازمان"} <= WORDS.organization_anaphors
    assert "وزارت" in WORDS.office_name_heads and "در" in WORDS.office_name_stops
    assert WORDS.office_name_ends == ("بیانیه", "اطلاعیه", "پیام")
