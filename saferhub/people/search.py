"""Name search: people first, by a trigram index, then whatever the caller may see.

On PostgreSQL a person's names are matched through ``saferhub_search_name(first, last)``:
lower-case and without accents, indexed with a ``pg_trgm`` GIN index (migration
``people/0002``). A word matches a name that contains it, or one close enough to it
by trigram word similarity, so a misspelt name ("Glenmorow") still finds the person.
SQLite keeps a simple path: case-insensitive containment, no spelling tolerance.
"""

import unicodedata
from typing import Any

from django.db import models
from django.db.models.expressions import Func, Value

SEARCH_FUNCTION = "saferhub_search_name"


def normalise(word: str) -> str:
    """Lower-case and without accents, as the database's search name is."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


class SearchName(Func):
    """A person's "first last" name, lower-case and unaccented: the expression the trigram index is built on."""

    output_field = models.CharField()

    def __init__(self, first: str = "first_name", last: str = "last_name") -> None:
        super().__init__(models.F(first), models.F(last))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        return super().as_sql(compiler, connection, function=SEARCH_FUNCTION, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="LOWER(COALESCE(%(expressions)s, ''))",
            arg_joiner=", '') || ' ' || COALESCE(",
            **extra,
        )


class WordSimilar(Func):
    """``name %> word``: the word is close to some part of the name (pg_trgm word similarity, GIN-indexed)."""

    output_field = models.BooleanField()
    arg_joiner = " %%> "
    template = "(%(expressions)s)"


class Contains(Func):
    """``name LIKE '%word%'``, escaped; GIN-indexed by pg_trgm as well."""

    output_field = models.BooleanField()
    template = "(%(expressions)s)"
    arg_joiner = " LIKE "


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_matches(word: str, vendor: str) -> models.Q:
    """People whose names hold `word`, or (PostgreSQL) something close to it, as a condition on Person."""
    if vendor != "postgresql":
        return models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word)
    word = normalise(word)
    contains = Contains(SearchName(), Value(_like_pattern(word)))
    if len(word) < 3:
        # Too short for trigrams to tell a misspelling from noise.
        return models.Q(contains)
    return models.Q(contains) | models.Q(WordSimilar(SearchName(), Value(word)))
