"""Keyset pagination over a union of indexed parts: page 20 costs what page 1 costs.

A list is described by its *parts* (from ``saferhub.policy``: each part is one ground
of visibility, such as "owned by my team" or "shared with my agency", served by its
own index). A page is read in two steps:

1. each part, refined by the list's filters, gives the ids of its first ``per_page + 1``
   rows after the cursor, in the list's order (PostgreSQL: one ``(… LIMIT n)`` per part,
   joined with ``UNION``);
2. the rows with those ids are fetched by key in the same order, and the first
   ``per_page + 1`` are kept (the extra one only tells whether there is a next page).

So a user who sees a million rows reads at most ``parts × (per_page + 1)`` ids, and
no page ever counts or skips rows. SQLite cannot order or limit the parts of a
compound query; there the union of the parts is filtered and ordered as one query.

The cursor is the ordering values of the last (or first) row shown, in the URL as
``?after=`` or ``?before=``. It only positions the reader inside rows they may already
see, so it needs no signature; a cursor that does not parse shows the first page.
Ordering fields must be non-null and end with the primary key, so the order is total.
"""

import base64
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F, Model, Q, QuerySet
from django.http import QueryDict

# A list's filters, applied to one part. It may return several querysets instead of one: a
# filter that is an OR of two differently indexed conditions (a search of titles or of
# people's names) is better read as two parts than as one OR, which the planner cannot index.
Refine = Callable[[Any], Any]
_QS = TypeVar("_QS", bound=QuerySet)
KEY_PREFIX = "keyset_"


def refined(parts: Sequence[QuerySet], refine: Refine | None) -> list[QuerySet]:
    """The parts after the list's filters (a filter may split a part in several)."""
    result: list[QuerySet] = []
    for part in parts:
        out = refine(part) if refine else part
        result.extend(out if isinstance(out, list | tuple) else [out])
    return result


def union_ids(parts: Sequence[QuerySet], refine: Refine | None = None) -> QuerySet:
    """The ids of the rows in any part (after `refine`), as one ``UNION`` of small indexed queries."""
    selects = [part.order_by().values("pk") for part in refined(parts, refine)]
    if len(selects) == 1:
        return selects[0]
    return selects[0].union(*selects[1:])


def capped_count(parts: Sequence[QuerySet], cap: int, refine: Refine | None = None) -> int:
    """How many rows the parts hold, counting no further than `cap`: each part reads at most `cap` ids.

    For dashboards ("more than 1,000"): an exact count of a million visible rows costs what
    reading them does. On SQLite the count is exact up to the cap as well, in one query.
    """
    if not parts:
        return 0
    selects = [part.order_by().values("pk") for part in refined(parts, refine)]
    if connection.features.supports_slicing_ordering_in_compound:
        selects = [select[:cap] for select in selects]
    union = selects[0] if len(selects) == 1 else selects[0].union(*selects[1:])
    return min(union.count(), cap)


def union_queryset(base: _QS, parts: Sequence[QuerySet], refine: Refine | None = None) -> _QS:
    """`base` restricted to the rows of the parts: what a list or a count is built on."""
    if not parts:
        return base.none()
    return base.filter(pk__in=union_ids(parts, refine))


def _field(model: type[Model], path: str) -> Any:
    """The model field at the end of a lookup path such as ``referral__received_at``."""
    names = path.split("__")
    for name in names[:-1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    last = names[-1]
    return model._meta.pk if last == "pk" else model._meta.get_field(last)


@dataclass(frozen=True)
class Key:
    path: str
    descending: bool

    @classmethod
    def parse(cls, term: str) -> "Key":
        return cls(term.lstrip("-"), term.startswith("-"))

    def term(self, reverse: bool = False) -> str:
        return f"{'-' if self.descending != reverse else ''}{self.path}"


def encode_cursor(values: Sequence[Any]) -> str:
    # Datetimes keep their microseconds: DjangoJSONEncoder rounds them to milliseconds, and a
    # cursor a little before the last row shown would show that row again on the next page.
    values = [value.isoformat() if isinstance(value, datetime.datetime) else value for value in values]
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(model: type[Model], keys: Sequence[Key], token: str) -> list[Any] | None:
    """The ordering values in a cursor, typed by their fields; None when it does not parse."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            return None
        values = []
        for key, value in zip(keys, raw, strict=True):
            if value is None:
                return None
            values.append(_field(model, key.path).to_python(value))
        return values
    except (ValueError, TypeError, ValidationError, FieldDoesNotExist, json.JSONDecodeError):
        return None


def after(keys: Sequence[Key], values: Sequence[Any], reverse: bool = False) -> Q:
    """Rows strictly after `values` in the order of `keys` (before them when `reverse`).

    Spelled out as ``a > x OR (a = x AND b > y) …``, with ``a >= x`` beside it so the
    database can start an index range on the first key.
    """
    condition = Q()
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        forward = key.descending == reverse
        lookup = "gt" if forward else "lt"
        condition |= equal & Q(**{f"{key.path}__{lookup}": value})
        equal &= Q(**{key.path: value})
    first, value = keys[0], values[0]
    bound = Q(**{f"{first.path}__{'gte' if first.descending == reverse else 'lte'}": value})
    return bound & condition


@dataclass
class KeysetPage:
    """One page of a list: ``object_list`` plus links to the previous and next pages (no page numbers)."""

    object_list: list[Any]
    next_cursor: str | None
    previous_cursor: str | None
    query: QueryDict = field(default_factory=QueryDict)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def _link(self, name: str, cursor: str | None) -> str:
        query = self.query.copy()
        for param in ("after", "before", "page"):
            query.pop(param, None)
        if cursor is not None:
            query[name] = cursor
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def next_url(self) -> str:
        return self._link("after", self.next_cursor)

    @property
    def previous_url(self) -> str:
        return self._link("before", self.previous_cursor)


class KeysetPaginator:
    """Pages of `base` restricted to the union of `parts`, in `ordering`, `per_page` at a time.

    ``base`` carries what the page shows (``select_related``, annotations); ``parts`` come
    from the policy; ``refine`` applies the list's filters to every part.
    """

    def __init__(
        self,
        base: QuerySet,
        parts: Sequence[QuerySet],
        ordering: Sequence[str],
        per_page: int = 25,
        refine: Refine | None = None,
    ) -> None:
        self.base = base
        self.parts = list(parts)
        self.keys = [Key.parse(term) for term in ordering]
        if self.keys[-1].path not in {"pk", "id"}:
            raise ValueError("A keyset ordering ends with the primary key, so every row has its own place.")
        self.per_page = per_page
        self.refine = refine

    def _ids(self, cursor: list[Any] | None, reverse: bool) -> QuerySet:
        terms = [key.term(reverse) for key in self.keys]
        limit = self.per_page + 1
        selects = []
        for qs in refined(self.parts, self.refine):
            if cursor is not None:
                qs = qs.filter(after(self.keys, cursor, reverse))
            selects.append(qs.order_by(*terms).values("pk")[:limit])
        if len(selects) == 1:
            return selects[0]
        return selects[0].union(*selects[1:])

    def _rows(self, cursor: list[Any] | None, reverse: bool) -> list[Any]:
        terms = [key.term(reverse) for key in self.keys]
        limit = self.per_page + 1
        if not self.parts:
            return []
        if connection.features.supports_slicing_ordering_in_compound:
            # The ids are read first, then the rows by key: as one statement, a page that joins
            # many tables (more than join_collapse_limit) lets the planner join them all first.
            ids = [row["pk"] for row in self._ids(cursor, reverse)]
            rows = self.base.filter(pk__in=ids)
        else:
            # SQLite: one ordered query over the union (small databases only).
            rows = union_queryset(self.base, self.parts, self.refine)
            if cursor is not None:
                rows = rows.filter(after(self.keys, cursor, reverse))
        annotations = {f"{KEY_PREFIX}{i}": F(key.path) for i, key in enumerate(self.keys)}
        return list(rows.annotate(**annotations).order_by(*terms)[:limit])

    def _cursor(self, row: Any) -> str:
        return encode_cursor([getattr(row, f"{KEY_PREFIX}{i}") for i in range(len(self.keys))])

    def page(self, params: QueryDict) -> KeysetPage:
        """The page the request's ``after`` or ``before`` cursor points at (the first page without one)."""
        model = self.base.model
        before_token, after_token = params.get("before"), params.get("after")
        before = decode_cursor(model, self.keys, before_token) if isinstance(before_token, str) else None
        after_values = decode_cursor(model, self.keys, after_token) if isinstance(after_token, str) else None
        if before is not None:
            rows = self._rows(before, reverse=True)
            more_before = len(rows) > self.per_page
            rows = list(reversed(rows[: self.per_page]))
            # We came back from a later page, so there is one after this.
            next_cursor = self._cursor(rows[-1]) if rows else None
            previous_cursor = self._cursor(rows[0]) if rows and more_before else None
        else:
            rows = self._rows(after_values, reverse=False)
            more_after = len(rows) > self.per_page
            rows = rows[: self.per_page]
            next_cursor = self._cursor(rows[-1]) if rows and more_after else None
            previous_cursor = self._cursor(rows[0]) if rows and after_values is not None else None
        return KeysetPage(rows, next_cursor, previous_cursor, params)
