"""Finding a person again: phonetic keys, trigram similarity and a ranking of likely matches.

Two measures, used together:

* **Phonetic keys.** Each name part (first name, last name, and each alias) has its
  Metaphone key (``jellyfish.metaphone``) stored in an indexed column, so "Smyth" finds
  "Smith" and "Kathryn" finds "Catherine" by an index lookup. The keys are written by
  ``Person.save``/``Alias.save`` and by ``PersonQuerySet.bulk_create``; migration
  ``people/0005`` filled them for the people recorded before.
* **Trigram similarity.** How many three-letter pieces two names share (0 to 1). On
  PostgreSQL this is ``pg_trgm``'s ``similarity()`` over the indexed search name of
  ``people.search`` (so "Glenmorow" finds "Glenmorrow"); on SQLite a Python copy of the
  same measure ranks the candidates found by key and by containment.

``similar_people(queryset, name, date_of_birth=None)`` returns ranked ``Match`` rows from
whatever queryset the caller may see (always pass one filtered by the policy), and
``likely_duplicates`` keeps those with the same date of birth and a name close enough
to be the same person. Both run a bounded number of queries (two).
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

import jellyfish
from django.db import connection, models
from django.db.models.expressions import Func, Value

from saferhub.people.search import SearchName, name_matches, normalise

KEY_LENGTH = 100
# Candidates fetched from the database before ranking; the caller's `limit` cuts the ranked list.
POOL_SIZE = 200
# Name similarity (0-1) from which two names with the same date of birth are taken for one person.
DUPLICATE_SIMILARITY = 0.45
# Weights of the ranking: the name's similarity counts most, a shared key and the date of birth add to it.
LAST_KEY_WEIGHT = 0.3
FIRST_KEY_WEIGHT = 0.2
DATE_OF_BIRTH_WEIGHT = 0.5

_WORD = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")


# Keys ------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The lower-case, unaccented words of a name ("O'Brien-Smith" gives o, brien, smith)."""
    return _WORD.findall(normalise(text or ""))


def phonetic_key(text: str) -> str:
    """The Metaphone key of a name part: one key per word, space-separated ("" when no letters)."""
    parts = [jellyfish.metaphone(w) for w in _LETTERS.findall(normalise(text or ""))]
    return " ".join(p for p in parts if p)[:KEY_LENGTH]


def name_keys(first_name: str, last_name: str) -> tuple[str, str]:
    return phonetic_key(first_name), phonetic_key(last_name)


def alias_keys(name: str) -> tuple[str, str]:
    """An alias is one free-text name: its first word is taken as a first name, the rest as the last name."""
    parts = (name or "").split()
    if len(parts) < 2:
        return "", phonetic_key(name)
    return phonetic_key(parts[0]), phonetic_key(" ".join(parts[1:]))


def _query_keys(name: str) -> set[str]:
    """Keys a search word may match: each word's, and the key of the whole name (double-barrelled names)."""
    keys = {phonetic_key(w) for w in words(name)}
    keys.add(phonetic_key(name))
    keys.discard("")
    return keys


# Trigram similarity (PostgreSQL's pg_trgm, and the same measure in Python) -----------


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams, as pg_trgm's ``similarity(a, b)``."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


class TrigramSimilarity(Func):
    """``similarity(name, text)`` of pg_trgm (the extension is created by migration people/0002)."""

    function = "SIMILARITY"
    output_field = models.FloatField()


class TrigramSimilar(Func):
    """``name %% text``: similar above pg_trgm's threshold, answered by the GIN index."""

    output_field = models.BooleanField()
    arg_joiner = " %% "
    template = "(%(expressions)s)"


# Ranking -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Match:
    """One candidate: the person, how close their name is and why they were found."""

    person: Any
    score: float
    name_similarity: float
    same_first_key: bool
    same_last_key: bool
    same_date_of_birth: bool
    matched_alias: str = ""

    @property
    def phonetic(self) -> bool:
        return self.same_first_key or self.same_last_key

    @property
    def reasons(self) -> list[str]:
        """Why the person is shown, in words for the page."""
        found = []
        if self.matched_alias:
            found.append(f"known as {self.matched_alias}")
        if self.same_last_key and self.same_first_key:
            found.append("name sounds the same")
        elif self.same_last_key:
            found.append("last name sounds the same")
        elif self.same_first_key:
            found.append("first name sounds the same")
        if self.name_similarity >= DUPLICATE_SIMILARITY:
            found.append("similar spelling")
        if self.same_date_of_birth:
            found.append("same date of birth")
        return found


def _key_condition(keys: set[str], prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}first_name_key__in": keys}) | models.Q(**{f"{prefix}last_name_key__in": keys})


def _candidates(queryset: models.QuerySet[Any], name: str, date_of_birth: datetime.date | None) -> list[Any]:
    """At most POOL_SIZE people close to `name` by key, by trigram or (SQLite) by containment."""
    keys = _query_keys(name)
    text = " ".join(words(name))
    condition = models.Q(pk__in=[])
    if keys:
        alias_people = _alias_model().objects.filter(_key_condition(keys)).values("person_id")
        condition |= _key_condition(keys) | models.Q(pk__in=alias_people)
    ordering: list[Any] = []
    if date_of_birth is not None:
        # The same date of birth lifts a weak match into the pool before others.
        ordering.append(models.Case(models.When(date_of_birth=date_of_birth, then=0), default=1))
    if connection.vendor == "postgresql" and text:
        condition |= models.Q(TrigramSimilar(SearchName(), Value(text)))
        qs = queryset.filter(condition).annotate(_similarity=TrigramSimilarity(SearchName(), Value(text)))
        ordering.append("-_similarity")
    else:
        for word in words(name):
            condition |= name_matches(word, connection.vendor)
        qs = queryset.filter(condition)
    qs = qs.order_by(*ordering, "pk").prefetch_related(models.Prefetch("aliases", to_attr="_match_aliases"))
    return list(qs[:POOL_SIZE])


def _alias_model() -> Any:
    from saferhub.people.models import Alias

    return Alias


def score(person: Any, name: str, date_of_birth: datetime.date | None = None) -> Match:
    """How close `person` (with `_match_aliases` or `aliases` loaded) is to `name` and the date of birth."""
    keys = _query_keys(name)
    first_key, last_key = name_keys(person.first_name, person.last_name)
    best = similarity(f"{person.first_name} {person.last_name}", name)
    same_first = bool(first_key) and first_key in keys
    same_last = bool(last_key) and last_key in keys
    matched_alias = ""
    aliases = getattr(person, "_match_aliases", None)
    for alias in aliases if aliases is not None else person.aliases.all():
        a_first, a_last = alias_keys(alias.name)
        alias_similarity = similarity(alias.name, name)
        alias_keys_match = (bool(a_last) and a_last in keys) or (bool(a_first) and a_first in keys)
        if alias_similarity > best or (alias_keys_match and not (same_first or same_last)):
            best = max(best, alias_similarity)
            matched_alias = alias.name
            same_first = same_first or (bool(a_first) and a_first in keys)
            same_last = same_last or (bool(a_last) and a_last in keys)
    same_dob = date_of_birth is not None and person.date_of_birth == date_of_birth
    total = (
        best
        + (LAST_KEY_WEIGHT if same_last else 0)
        + (FIRST_KEY_WEIGHT if same_first else 0)
        + (DATE_OF_BIRTH_WEIGHT if same_dob else 0)
    )
    return Match(
        person=person,
        score=round(total, 4),
        name_similarity=round(best, 4),
        same_first_key=same_first,
        same_last_key=same_last,
        same_date_of_birth=same_dob,
        matched_alias=matched_alias,
    )


def rank(people: Iterable[Any], name: str, date_of_birth: datetime.date | None = None) -> list[Match]:
    matches = [score(p, name, date_of_birth) for p in people]
    matches.sort(key=lambda m: (-m.score, m.person.last_name.lower(), m.person.first_name.lower(), m.person.pk))
    return matches


def similar_people(
    queryset: models.QuerySet[Any],
    name: str,
    date_of_birth: datetime.date | None = None,
    *,
    limit: int = 20,
) -> list[Match]:
    """People in `queryset` whose name (or an alias) is like `name`, best first.

    Found by phonetic key or trigram similarity (containment on SQLite); ranked by the
    name's trigram similarity, a shared first or last name key, and `date_of_birth` when
    given. `queryset` decides what may be seen: pass ``policy.visible_people(user)``.
    Two queries whatever the size of the index.
    """
    if not words(name):
        return []
    return rank(_candidates(queryset, name, date_of_birth), name, date_of_birth)[:limit]


def is_likely_duplicate(match: Match) -> bool:
    """Same date of birth, and a name that sounds the same or is spelt much the same."""
    if not match.same_date_of_birth:
        return False
    sounds_same = match.same_last_key and (match.same_first_key or match.name_similarity >= 0.3)
    return sounds_same or match.name_similarity >= DUPLICATE_SIMILARITY


def likely_duplicates(
    queryset: models.QuerySet[Any],
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    *,
    exclude: Sequence[int] = (),
    limit: int = 10,
) -> list[Match]:
    """People in `queryset` who are probably the person described: same date of birth, same or similar name."""
    name = f"{first_name} {last_name}".strip()
    if date_of_birth is None or not words(name):
        return []
    people = queryset.filter(date_of_birth=date_of_birth).exclude(pk__in=list(exclude))
    return [m for m in similar_people(people, name, date_of_birth, limit=POOL_SIZE) if is_likely_duplicate(m)][:limit]
