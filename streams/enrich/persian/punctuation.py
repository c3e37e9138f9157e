"""Punctuation and spaces: Persian marks in Persian context, and the spacing around them.

Example:
    >>> collapse_spaces(fix_punctuation("چرا ? گفت:«نه»"))
    'چرا؟ گفت: «نه»'
"""

from __future__ import annotations

import re

from streams.enrich.persian.letters import LETTERS, PERSIAN_DIGITS

__all__ = ["fix_punctuation", "collapse_spaces"]

_CTX = f"{LETTERS}{PERSIAN_DIGITS}«»"
# Run only when the mark occurs at all: most Persian copy has none.
_LATIN_MARKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (",", re.compile(f"(?<=[{_CTX}]) ?,(?![0-9])|,(?= ?[{LETTERS}«])"), "،"),
    (";", re.compile(f"(?<=[{_CTX}]) ?;|;(?= ?[{LETTERS}«])"), "؛"),
    ("?", re.compile(f"(?<=[{_CTX}]) ?\\?"), "؟"),
)
# Each pattern starts on a character it consumes, so the scan between matches stays in C.
_SPACING: tuple[tuple[re.Pattern[str], str], ...] = (
    # no space before closing marks, none after opening ones ("..." keeps its space: «و ...»; a
    # point before a digit may open a number: « .5» is not pulled onto the word before it)
    (re.compile(r" +(?=[،؛؟!:»)\]]|\.(?![.0-9۰-۹]))"), ""),
    (re.compile(r"([«(\[]) +"), r"\1"),
    # one space after Persian punctuation, after ! : . before a Persian word, around guillemets
    (re.compile(r"([،؛؟])(?=[^\s،؛؟!.:»)\]…])"), r"\1 "),
    (re.compile(f"([!:])(?=[{LETTERS}«])|(?<=[{LETTERS}]{{2}})(\\.)(?=[{LETTERS}«])"), r"\1\2 "),
    (re.compile(f"»(?=[{LETTERS}{PERSIAN_DIGITS}])"), "» "),
    (re.compile(f"([{LETTERS}{PERSIAN_DIGITS}])«"), r"\1 «"),
)
_SPACE_RUN = re.compile(r" {2,}")


def fix_punctuation(text: str) -> str:
    """Persian ، ؛ ؟ in Persian context; no space before ، . ؛ ؟ ! : », one after them.

    >>> fix_punctuation("آرام ، صلح آمیز,باثبات ?گفت:«نه» .")
    'آرام، صلح آمیز، باثبات؟ گفت: «نه».'
    >>> fix_punctuation("« سلام » و ... Hello, world?")
    '«سلام» و ... Hello, world?'
    """
    for mark, pattern, repl in _LATIN_MARKS:
        if mark in text:
            text = pattern.sub(repl, text)
    for pattern, repl in _SPACING:
        text = pattern.sub(repl, text)
    return text


def collapse_spaces(text: str) -> str:
    """Runs of spaces to one; lines trimmed.

    >>> collapse_spaces("  سلام   دنیا \\n  خبر ")
    'سلام دنیا\\nخبر'
    """
    text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        return "\n".join(line.strip(" ") for line in text.split("\n"))
    return text.strip(" ")
