"""Queries the import kinds share."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def by_external_ref(queryset: QuerySet[M], refs: Iterable[str]) -> QuerySet[M]:
    """The records whose external_ref is one of `refs`.

    External references are unique through partial indexes (`WHERE external_ref <> ''`).
    PostgreSQL uses such an index for `IN (...)` only when the query repeats its condition
    (it cannot prove it for a list of more than 100 values): without it, every batch of an
    import read the whole table.
    """
    return queryset.filter(external_ref__in=list(refs)).exclude(external_ref="")
