"""Quotes: direct and indirect speech, the verb that introduced it, and who said it.

``marks`` finds quoted spans and where speech ends, ``verbs`` the speech verbs, ``reading`` indexes an
article's mentions and clauses by position, ``speakers`` (with ``pronouns`` and ``roles``) resolves
who speaks, ``markers`` reads «به گفته X،», and ``extract`` composes them into ``extract_quotes``.
"""

from streams.enrich.quotes.extract import extract_quotes
from streams.enrich.quotes.roles import head_role_keys, stated_role_keys

__all__ = ["extract_quotes", "head_role_keys", "stated_role_keys"]
