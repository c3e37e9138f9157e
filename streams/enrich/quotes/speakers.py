"""Who speaks before a speech verb. The clause before the verb is read by a list of rules, first
match wins: a pronoun subject, a person named, the office of a role, the holder of a role, a
statement continued, «این مقام»، «این نهاد», a statement naming no one, a pronoun near the start,
any person or organization named, an office named."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from streams.enrich.quotes.pronouns import resolve_pronoun
from streams.enrich.quotes.reading import Memory, Pair, Reading, speaker_of
from streams.enrich.quotes.roles import office_named, one_holder, role_holder
from streams.model import Speaker

__all__ = ["RULES", "Clause", "Rule", "read_clause", "speaker_in"]


@dataclass(frozen=True)
class Clause:
    """The text before a speech verb, after any «به گزارش ...،» lead-in."""

    begin: int
    text: str
    words: list[str]
    actors: list[Pair]   # persons and organizations named in it, in order
    persons: list[Pair]

    @property
    def named(self) -> frozenset[str]:
        return frozenset(e.name for _, e in self.persons)

    def names_anaphor(self, first: str, second: frozenset[str], within: int = 4) -> bool:
        """Does ``first`` followed by one of ``second`` stand among the clause's first words, with no
        actor named before it («در بیانیه این وزارتخانه»)?"""
        if self.actors:
            return self.opens_with(first, second)
        words = self.words[:within]
        return any(w == first and nxt in second for w, nxt in itertools.pairwise(words))

    def opens_with(self, first: str, second: frozenset[str]) -> bool:
        """Does the clause open with ``first`` followed by one of ``second`` («این مقام»)?"""
        return len(self.words) >= 2 and self.words[0] == first and self.words[1] in second


Rule = Callable[[Clause, Reading, Memory], Speaker | None]


def read_clause(reading: Reading, start: int, end: int) -> Clause:
    skip = reading.words.attribution.match(reading.text, start, end)
    begin = skip.end() if skip else start
    actors = reading.actors.between(begin, end)
    text = reading.text[begin:end]
    return Clause(begin, text, text.split(), actors, [p for p in actors if p[1].type == "person"])


def pronoun_subject(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«وی درباره غیبت آزمون افزود»: a pronoun opening the clause is its subject, whoever the clause
    names after it."""
    if clause.words[:1] and clause.words[0] in reading.words.pronouns:
        return resolve_pronoun(reading, memory, clause.begin, clause.named)
    return None


def named_person(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«سرگئی لاوروف وزیر خارجه روسیه گفت»: the first person the clause names."""
    return speaker_of(clause.persons[0][1], "person") if clause.persons else None


def office_of_role(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«دفتر رئیس‌جمهور ... اعلام کرد»: the office of a role speaks for the one person holding it."""
    if not reading.roles or clause.words[:1] != [reading.words.office]:
        return None
    rest = clause.text.split(maxsplit=1)[1] if len(clause.words) > 1 else ""
    return one_holder(rest, reading, head_word=False)


def holder_of_role(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«مدیرکل آژانس بین‌المللی انرژی اتمی گفت»: the person of the article who holds the role."""
    return role_holder(clause.text, reading) if reading.roles else None


def statement_continued(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«در ادامه این بیانیه آمده است»: the statement's issuer speaks on."""
    if memory.last_statement is None:
        return None
    this, nouns = reading.words.demonstrative, reading.lex.statement_nouns
    for word, following in zip(clause.words, clause.words[1:], strict=False):
        if word == this and following.startswith(nouns):
            return memory.last_statement
    return None


def person_anaphor(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«این مقام محلی تصریح کرد»، «این نماینده مجلس ادامه داد»، «این جراح ادامه داد»: the person just
    introduced or heard (after «این», a person noun of the list or any role word of the lexicon)."""
    if (clause.opens_with(reading.words.demonstrative, reading.words.person_anaphors)
            or clause.opens_with(reading.words.demonstrative, reading.lex.role_heads)):
        return resolve_pronoun(reading, memory, clause.begin, clause.named)
    return None


def organization_anaphor(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«این نهاد وابسته به سازمان ملل ...»، «در بیانیه این وزارتخانه آمده است»: the organization last
    quoted, else the one named before the clause, not the one named in it."""
    if not clause.names_anaphor(reading.words.demonstrative, reading.words.organization_anaphors):
        return None
    if memory.last_org is not None:
        return memory.last_org
    before = reading.organizations.last_before(clause.begin)
    return speaker_of(before[1], "organization") if before is not None else None


_STATEMENT_REACH = 600  # characters back to the body that issued a statement


def statement_of_body(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«در این بیانیه آمده است»، «در اطلاعیه‌ای آمده است» naming no one: the organization named last
    before it, in the sentences that announced the statement («وزارت کشور ... با انتشار بیانیه‌ای ...»).
    Not a clause whose subject is an office («سرمربی آبی‌پوشان در نشست خبری گفت»), nor an outlet
    that only credits the report («به گزارش خبرآنلاین، ...»)."""
    if clause.actors or not any(w.startswith(reading.lex.statement_nouns) for w in clause.words[:4]):
        return None
    if clause.words[:1] and clause.words[0] in reading.lex.role_heads:
        return None
    before = reading.organizations.last_before(clause.begin)
    if before is None or clause.begin - before[0].end > _STATEMENT_REACH:
        return None
    credit = reading.words.attribution.match(reading.text, reading.sentence_start(0, before[0].start))
    if credit is not None and credit.end() >= before[0].end:
        return None
    return speaker_of(before[1], "organization")


def pronoun_near_start(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«سپس وی گفت»: a pronoun among the first three words."""
    if reading.words.pronouns.isdisjoint(clause.words[:3]):
        return None
    return resolve_pronoun(reading, memory, clause.begin)


def any_actor(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """The first person or organization the clause names."""
    if not clause.actors:
        return None
    entity = clause.actors[0][1]
    return speaker_of(entity, entity.type)


def office_at_start(clause: Clause, reading: Reading, memory: Memory) -> Speaker | None:
    """«وزارت خارجه روسیه اعلام کرد» with no entity found: the office as an unlinked organization."""
    return office_named(clause.words, reading.words)


RULES: tuple[Rule, ...] = (
    pronoun_subject,
    named_person,
    office_of_role,
    holder_of_role,
    statement_continued,
    person_anaphor,
    organization_anaphor,
    statement_of_body,
    pronoun_near_start,
    any_actor,
    office_at_start,
)


def speaker_in(reading: Reading, memory: Memory, start: int, end: int,
               rules: tuple[Rule, ...] = RULES) -> Speaker | None:
    """The speaker of the clause [start, end) by the first rule that finds one."""
    clause = read_clause(reading, start, end)
    for rule in rules:
        found = rule(clause, reading, memory)
        if found is not None:
            return found
    return None
