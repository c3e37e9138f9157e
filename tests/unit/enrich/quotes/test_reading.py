"""The article indexed by position: mentions, sentence starts and clause starts."""

from __future__ import annotations

import random

import pytest

from streams.enrich.quotes.marks import SENTENCE_END
from streams.enrich.quotes.reading import Mentions, RoleKeys, read_article
from streams.model import Entity, Mention
from tests.unit.enrich.quotes.article import LEX


def _mentions(names: str) -> Mentions:
    """One mention a letter, at the letter's index: "aab" → a@0, a@1, b@2."""
    return Mentions([(Mention(i, i + 1, n), Entity("person", n, n, (Mention(i, i + 1, n),)))
                     for i, n in enumerate(names) if n != "."])


@pytest.mark.parametrize("names,pos,skip,expected", [
    ("abc", 2, "", 1),
    ("abc", 0, "", None),
    ("aab", 3, "b", 1),
    ("aaab", 4, "ab", None),
    ("caab", 4, "ab", 0),
    ("cabab", 5, "ab", 0),
    ("a.b", 2, "", 0),     # no mention at 1: the last one starting before 2
])
def test_last_before(names: str, pos: int, skip: str, expected: int | None) -> None:
    """The last mention before a position whose name is not skipped."""
    found = _mentions(names).last_before(pos, set(skip))
    assert (found[0].start if found else None) == expected


@pytest.mark.parametrize("names,pos,skip,expected", [
    ("abc", 1, "", 1),
    ("abc", 3, "", None),
    ("aab", 0, "a", 2),
    ("abab", 0, "ab", None),
    ("ababc", 0, "ab", 4),
    ("a.b", 1, "", 2),
])
def test_first_from(names: str, pos: int, skip: str, expected: int | None) -> None:
    """The first mention at or after a position whose name is not skipped."""
    found = _mentions(names).first_from(pos, set(skip))
    assert (found[0].start if found else None) == expected


def test_between() -> None:
    """The mentions starting in [begin, end), and the first of them."""
    mentions = _mentions("ab.cd")
    assert [m.start for m, _ in mentions.between(1, 4)] == [1, 3]
    assert mentions.first_between(2, 4) == mentions.pairs[2] and mentions.first_between(2, 3) is None


def _scanned(text: str, floor: int, at: int) -> int:
    """The sentence start as a scan from the floor finds it."""
    start = floor
    for m in SENTENCE_END.finditer(text, floor, at):
        start = m.end()
    return start


@pytest.mark.parametrize("text,floor,at,expected", [
    ("الف. ب", 0, 6, 5),
    ("الف. ب", 4, 6, 4),   # the stop is before the floor, its space after: no sentence end seen
    ("الف.\nب", 4, 6, 5),  # a newline alone is a sentence end
    ("الف ب", 2, 5, 2),
    ("الف. ب. ج", 0, 6, 5),
])
def test_sentence_start(text: str, floor: int, at: int, expected: int) -> None:
    """Where the sentence holding a position starts, never before the floor."""
    reading = read_article(text, (), LEX, None)
    assert reading.sentence_start(floor, at) == expected == _scanned(text, floor, at)


def test_sentence_start_agrees_with_a_scan() -> None:
    """On random texts of stops, spaces and newlines, the indexed answer is the scanned one."""
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("اب .؟!\n") for _ in range(rng.randint(1, 30)))
        reading = read_article(text, (), LEX, None)
        for _ in range(10):
            floor = rng.randint(0, len(text))
            at = rng.randint(floor, len(text))
            assert reading.sentence_start(floor, at) == _scanned(text, floor, at), (text, floor, at)


@pytest.mark.parametrize("text,narrow,wide", [
    ("علی استقبال کرد و حسن نوشت", "حسن نوشت", "علی استقبال کرد و حسن نوشت"),
    ("علی آمد. حسن استقبال کرد، و رضا نوشت", "رضا نوشت", "حسن استقبال کرد، و رضا نوشت"),
    ("علی رسید و حسن نوشت", "علی رسید و حسن نوشت", "علی رسید و حسن نوشت"),  # «رسید» is not listed
    ("علی استقبال کرد و. حسن نوشت", "حسن نوشت", "حسن نوشت"),
])
def test_clause_starts(text: str, narrow: str, wide: str) -> None:
    """The wide clause follows the last sentence end, the narrow one also a coordinated verb."""
    reading = read_article(text, (), LEX, None)
    got = reading.clause_starts(len(text), 0)
    assert (text[got[0]:], text[got[1]:]) == (narrow, wide)


ROLES = {"ali": ("وزیرکشور", "وزیر"), "hasan": ("وزیرکشورایران", "وزیرکشور"), "maryam": ("سخنگویدولت",)}


@pytest.mark.parametrize("text,holder", [
    ("اووزیرکشورگفت", "ali"),              # one key at the earliest place, held first by ali
    ("وزیرکشورایرانگفت", "hasan"),          # the longest key there
    ("سخنگویدولتووزیرکشور", "maryam"),      # the earliest key
    ("مدیرگفت", None),
])
def test_role_keys_earliest(text: str, holder: str | None) -> None:
    """The holder of the key found earliest in a clause's key, the longest there, held first."""
    assert RoleKeys(ROLES).earliest(text) == holder


@pytest.mark.parametrize("prefix,holders", [
    ("وزیرکشورا", {"hasan"}),
    ("وزیر", {"ali", "hasan"}),
    ("سخنگو", {"maryam"}),
    ("مدیر", set()),
    ("", {"maryam", "ali"}),  # every key starts with "": the first two holders in key order
])
def test_role_keys_holders(prefix: str, holders: set[str]) -> None:
    """Persons holding a key that starts with a prefix, two at most."""
    assert RoleKeys(ROLES).holders(prefix) == holders


def test_role_keys_earliest_agrees_with_a_pass_per_key() -> None:
    """On random keys and texts, one automaton pass finds what a find per key finds."""
    rng = random.Random(3)
    for _ in range(300):
        roles = {f"p{i}": tuple("".join(rng.choice("ابپ") for _ in range(rng.randint(1, 4))) for _ in range(2))
                 for i in range(rng.randint(1, 5))}
        text = "".join(rng.choice("ابپت") for _ in range(rng.randint(0, 12)))
        best: tuple[int, int, str] | None = None
        for holder, keys in roles.items():
            for key in keys:
                at = text.find(key)
                if at != -1 and (best is None or (at, -len(key)) < best[:2]):
                    best = (at, -len(key), holder)
        assert RoleKeys(roles).earliest(text) == (best[2] if best else None), (roles, text)
