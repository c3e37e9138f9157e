"""Entity extraction: people, organizations, places and dates, linked to the gazetteer.

``extract_entities`` (extract.py) runs the steps in order; each claims text the later ones leave alone:

    linking.py         gazetteer names, short forms, surnames of people introduced in full, clubs
    persons.py         people missing from the gazetteer, found by context
      person_names.py    where a name starts and how far it runs (first names, surname words)
      person_context.py  the evidence around it: title, role, «», speech verb
    merge.py           findings reconciled with the links (other transliterations, name prefixes)
    organizations.py   a head noun and the words that name it
      org_words.py       which words continue a name, which only describe a body
      org_conjunctions.py  «و» inside a name («سازمان غذا و دارو») or between two names
    places.py          a geographic head, an apposition, a destination, a name in «» after a head
      place_lists.py     a list with known places, after a plural head, «از جمله», a constituency
      place_senses.py    known place names that name a club, a competition, a village, a common word
      place_words.py     the words around places, and what a place name's token may be
    dates.py           Jalali and Gregorian dates → ISO
    tokens.py, grammar.py, scan.py   tokens and spans, function words and verb shapes, one article's state

Where the words are (data, not code; loaded once):

    a person title or role phrase       streams/data/roles.yaml (titles, roles)
    a first name                        streams/data/first_names.txt
    a word never part of a name         streams/data/stopnames.txt
    a speech verb                       streams/data/speech_verbs.yaml
    an organization head noun           streams/data/organizations.yaml (heads; strict_heads, stop)
    words around an organization name   streams/data/entities/organizations.yaml
    a compound-surname tail («نژاد»)    streams/data/entities/persons.yaml
    a place head («شهر»، «دریاچه»)      streams/data/entities/places.yaml (and club, competition,
                                        village heads, cues of a place)
    function words, light verbs         streams/data/entities/grammar.yaml
    a month name                        streams/data/entities/months.yaml

A new kind of cue for a finder is a small predicate next to the others in its module (each takes
the tokens and an index and answers one question), tested on a table of strings.
"""

from streams.enrich.entities.dates import DateHit, find_dates
from streams.enrich.entities.extract import extract_entities, mentions_by_position
from streams.enrich.entities.tokens import Token, tokenize

__all__ = ["DateHit", "Token", "extract_entities", "find_dates", "mentions_by_position", "tokenize"]
