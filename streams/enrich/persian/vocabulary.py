"""The words ZWNJ restoration knows: hazm's word list and verb stems, with our own overrides.

Read once, on first use (:func:`vocabulary`); everything here is frozen afterwards.

Example:
    >>> vocabulary().compounds["آتشبس"]
    'آتش\u200cبس'
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from streams.enrich.persian.letters import ZWNJ, clean_zwnj, fix_characters
from streams.enrich.persian.wordlists import Affixes, affixes, word_list
from streams.resources import data_path

__all__ = ["Vocabulary", "vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    known: frozenset[str]  # words to leave alone as written
    untagged: frozenset[str]  # hazm's untagged entries: fine as stems, not proof a word is right
    frequency: Mapping[str, int]  # of tagged words, to weigh two readings of one spelling
    compounds: Mapping[str, str]  # joined spelling → spelling with its ZWNJs
    adjectives: frozenset[str]
    nouns: frozenset[str]  # read first as nouns: tagged N and not ADV (آب، جهاد، دارو; not آماده، مستقل)
    verb_tails: frozenset[str]  # what follows می/نمی in a verb form
    participles: frozenset[str]  # past stem + ه, also negated
    affixes: Affixes
    causative_forms: frozenset[str] = frozenset()  # خشکاند، رویاندند: verbs, not X + «اند»
    first_names: frozenset[str] = frozenset()  # for Azerbaijani surnames: کریم‌اف، حسن‌اف


@dataclass(slots=True)
class _WordList:
    """hazm's ``words.dat``, as it is read (filled once, then only read)."""

    tagged: dict[str, int]  # word → frequency
    spellings: dict[str, tuple[int, int, str]]  # joined → (tagged?, frequency, ZWNJ spelling)
    adjectives: set[str]
    nouns: set[str]
    untagged: set[str]  # mixes real words with misspellings such as میشود


def _hazm_data(name: str) -> str:
    # Located without importing hazm, whose import pulls in nltk and takes a second.
    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("hazm is not installed")
    return (Path(next(iter(spec.submodule_search_locations))) / "data" / name).read_text(encoding="utf-8")


def _first_names() -> list[str]:
    path = data_path("first_names.txt")
    if not path.is_file():
        return []
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and " " not in line:
            names.append(fix_characters(line))
    return names


def _read_words() -> _WordList:
    words = _WordList({}, {}, set(), set(), set())
    # fix_characters turns the file's tabs into spaces; entries hold no spaces of their own.
    for line in fix_characters(_hazm_data("words.dat")).split("\n"):
        parts = line.split(" ")
        if len(parts) != 3:
            continue
        word, freq, tags = clean_zwnj(parts[0]), int(parts[1]), parts[2]
        is_tagged = tags != "0"
        if is_tagged:
            words.tagged[word] = max(freq, words.tagged.get(word, 0))
            readings = tags.split(",")
            if "AJ" in readings:
                words.adjectives.add(word)
            if "N" in readings and "ADV" not in readings:
                words.nouns.add(word)
        elif ZWNJ not in word:
            words.untagged.add(word)
        if ZWNJ in word:
            joined = word.replace(ZWNJ, "")
            words.spellings[joined] = max(words.spellings.get(joined, (-1, -1, "")), (int(is_tagged), freq, word))
    return words


def _compounds(words: _WordList, keep: set[str], kept_stem_endings: tuple[str, ...]) -> dict[str, str]:
    """Joined spelling → ZWNJ spelling, for the words whose joined spelling is no word of its own."""
    # A joined spelling the lexicon tags as a word is a spelling in use (همچنین، پنجشنبه، همزمان):
    # text that has it is correct as written, however common the ZWNJ spelling is.
    compounds = {
        joined: word for joined, (_, _freq, word) in words.spellings.items() if joined not in words.tagged
    }
    for word in word_list("compounds.txt"):
        compounds[word.replace(ZWNJ, "")] = word
    for word in keep:
        compounds.pop(word, None)
    kept = (set(words.tagged) - set(compounds)) | keep
    for joined in list(compounds):
        for ending in kept_stem_endings:
            stem = joined[: -len(ending)]
            if joined.endswith(ending) and len(stem) > 2 and stem in kept and stem not in compounds:
                del compounds[joined]  # پاسخگویی follows پاسخگو, بیشترین follows بیشتر: written joined
                break
    return compounds


def _verb_forms(aff: Affixes) -> tuple[set[str], set[str], set[str]]:
    """(what may follow می/نمی, participles, past stems) from hazm's verb stems."""
    tails: set[str] = set(aff.impersonal_tails)
    participles: set[str] = set()
    pasts: set[str] = set()
    for line in fix_characters(_hazm_data("verbs.dat")).split("\n"):
        if "#" not in line:
            continue
        past, presents = line.split("#", 1)
        past = past.strip()
        for present in presents.replace(" یا ", " ").split():  # «یا»: two present stems of one verb
            stems = [present] + ([present + "ی"] if present[-1] in "اوآ" else [])
            tails.update(stem + end for stem in stems for end in aff.present_persons)
        if past:
            pasts.add(past)
            tails.update(past + end for end in aff.past_persons)
            tails.add(past + "ه")
            participles.update((past + "ه", "ن" + past + "ه"))
    return tails, participles, pasts


def _causative_forms(words: _WordList, pasts: set[str], aff: Affixes) -> frozenset[str]:
    """Past forms of the causative verbs (خشکاندن، رویاندن): their stem ends in «اند», which reads
    as the word «are» after an adjective or a ی (خشک‌اند، روی‌اند) but is the verb as written."""
    stems = {p for p in pasts if p.endswith("اند")}
    stems |= {w[:-1] for w in (*words.tagged, *words.untagged) if w.endswith("اندن") and len(w) > 5}
    return frozenset(stem + end for stem in stems for end in aff.past_persons)


@cache
def vocabulary() -> Vocabulary:
    """hazm's word list and verb stems, plus our own overrides; read once."""
    aff = affixes()
    words = _read_words()
    keep = set(word_list("keep_joined.txt"))
    compounds = _compounds(words, keep, aff.kept_stem_endings)
    tails, participles, pasts = _verb_forms(aff)
    causatives = _causative_forms(words, pasts, aff)
    return Vocabulary(
        known=frozenset((set(words.tagged) - set(compounds)) | keep),
        untagged=frozenset(words.untagged - set(words.tagged) - set(compounds)),
        frequency=words.tagged,
        compounds=compounds,
        adjectives=frozenset(words.adjectives),
        nouns=frozenset(words.nouns),
        verb_tails=frozenset(tails | causatives),  # می‌خشکاند
        participles=frozenset(participles),
        affixes=aff,
        causative_forms=causatives,
        first_names=frozenset(_first_names()),
    )
