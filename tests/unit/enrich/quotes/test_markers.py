"""«به گفته X، ...»: indirect speech after a marker, its speaker named after it or resolved."""

from __future__ import annotations

import pytest

from tests.unit.enrich.quotes.article import quotes_in

FIRST = "علی رضایی گفت: «مریم احمدی هم آمد.»\n\n"


@pytest.mark.parametrize("text,expected", [
    # «به گفته وی» is the last person quoted, not the last person named (مریم, inside the quote)
    (FIRST + "به گفته وی، مذاکرات ادامه خواهد داشت.", [("علی رضایی", "گفت"), ("علی رضایی", "به گفته")]),
    # with nobody quoted before it, the last person named
    ("مریم احمدی به شهر آمد. به گفته وی، مذاکرات ادامه خواهد داشت.", [("مریم احمدی", "به گفته")]),
    # a later marker sees the speaker of an earlier marker, whoever was named since
    ("به گفته حسن کریمی، مریم احمدی به شهر آمد. به گفته وی، نتیجه مثبت است.",
     [("حسن کریمی", "به گفته"), ("حسن کریمی", "به گفته")]),
    # of a speech verb's quote and a marker's quote, the later one
    ("علی رضایی گفت: «کار ادامه دارد.» به گفته حسن کریمی، مذاکرات ادامه خواهد داشت. به گفته وی، نتیجه مثبت است.",
     [("علی رضایی", "گفت"), ("حسن کریمی", "به گفته"), ("حسن کریمی", "به گفته")]),
    ("به گفته حسن کریمی، مذاکرات ادامه خواهد داشت. علی رضایی گفت: «کار ادامه دارد.» به گفته وی، نتیجه مثبت است.",
     [("حسن کریمی", "به گفته"), ("علی رضایی", "گفت"), ("علی رضایی", "به گفته")]),
    # a named speaker, a person or an organization, right after the marker; the longest marker wins
    ("به گفته علی رضایی، مذاکرات ادامه خواهد داشت.", [("علی رضایی", "به گفته")]),
    ("بنا به گفته یونیسف، کودکان در خطر هستند.", [("یونیسف", "بنا به گفته")]),
    ("از نظر سازمان ملل، این توافق کافی نیست.", [("سازمان ملل", "از نظر")]),
], ids=["pronoun-last-quoted", "pronoun-last-named", "pronoun-earlier-marker", "verb-then-marker",
        "marker-then-verb", "named-person", "longest-marker", "organization"])
def test_marker_speakers(text: str, expected: list[tuple[str, str]]) -> None:
    """The marker's speaker: named after it, or «وی» resolved to the last person quoted or named."""
    assert [(q.speaker.name if q.speaker else None, q.verb) for q in quotes_in(text)] == expected


@pytest.mark.parametrize("text", [
    "به گفته منابع آگاه، مذاکرات ادامه خواهد داشت.",             # nobody known after the marker
    "به گفته علی رضایی، بله.",                                    # too short to be a statement
    "به گفته علی رضایی مذاکرات ادامه خواهد داشت.",               # no comma after the name
    "مریم احمدی گفت: «به گفته علی رضایی، مذاکرات ادامه دارد.»",  # inside a quote already read
    "به گفته وی، مذاکرات ادامه خواهد داشت.",                      # a pronoun with nobody before it
], ids=["nobody-known", "too-short", "no-comma", "inside-a-quote", "pronoun-alone"])
def test_markers_without_a_quote(text: str) -> None:
    """No marker quote without a speaker, a comma, enough words, or outside the speech already read."""
    assert [q for q in quotes_in(text) if q.verb != "گفت"] == []


def test_a_marker_quote_is_indirect_speech_to_the_end_of_the_sentence() -> None:
    """The said text runs from the comma to the end of the sentence."""
    (q,) = quotes_in("به گفته علی رضایی، مذاکرات ادامه خواهد داشت. این جمله جداست.")
    assert (q.text, q.kind, q.start) == ("مذاکرات ادامه خواهد داشت", "indirect", 0)
