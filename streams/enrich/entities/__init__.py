"""Entity extraction: people, organizations, places and dates, linked to the gazetteer."""

from streams.enrich.entities.dates import DateHit, find_dates
from streams.enrich.entities.finders import Token, extract_entities, mentions_by_position, tokenize

__all__ = ["DateHit", "Token", "extract_entities", "find_dates", "mentions_by_position", "tokenize"]
