"""«وی»، «او»، «این مقام»: the person a pronoun refers to."""

from __future__ import annotations

import pytest

from streams.enrich.quotes.pronouns import resolve_pronoun
from streams.enrich.quotes.reading import Memory, read_article
from streams.model import Speaker
from tests.unit.enrich.quotes.article import LEX, entities_in

ALI = Speaker("person/ali-rezaei", "علی رضایی")


@pytest.mark.parametrize("text,floor,last_speaker,named,expected", [
    # a person made the subject of a sentence since the floor
    ("علی رضایی گفت. مریم احمدی معتقد است. وی", 14, ALI, (), "مریم احمدی"),
    ("به گزارش ایرنا، مریم احمدی معتقد است. وی", 0, ALI, (), "مریم احمدی"),
    # … not one named later in its sentence: the last speaker
    ("علی رضایی گفت. دیروز نشستی با حضور مریم احمدی بود. وی", 14, ALI, (), "علی رضایی"),
    # … nor one named before the floor (inside the last quote)
    ("علی رضایی گفت: «مریم احمدی آمد.» وی", 32, ALI, (), "علی رضایی"),
    # never a person the clause names itself
    ("علی رضایی گفت. حسن کریمی آمد. وی", 14, ALI, ("حسن کریمی",), "علی رضایی"),
    ("علی رضایی گفت. حسن کریمی آمد. وی", 14, ALI, ("حسن کریمی", "علی رضایی"), None),
    # no speaker yet: the last person named
    ("دیروز نشستی با حضور مریم احمدی بود. وی", 0, None, (), "مریم احمدی"),
    ("دیروز نشستی بود. وی", 0, None, (), None),
])
def test_resolve_pronoun(text: str, floor: int, last_speaker: Speaker | None, named: tuple[str, ...],
                         expected: str | None) -> None:
    """A pronoun at the end of the text: a new subject, else the last speaker, else the last person."""
    reading = read_article(text, entities_in(text), LEX, None)
    found = resolve_pronoun(reading, Memory(last_speaker=last_speaker, floor=floor), text.rindex("وی"), named)
    assert (found.name if found else None) == expected
