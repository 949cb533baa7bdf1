"""Several breakdowns of the same rows counted in one read: ``GROUP BY GROUPING SETS``.

A return that counts its period's rows by source, by crime type, by age band, by gender …
would otherwise read those rows once per breakdown. Here the ORM builds one query that
selects every breakdown's columns (with the joins it needs), and PostgreSQL groups it by
all the sets in a single pass. SQLite has no grouping sets: there each set is a ``GROUP BY``
of the same subquery, joined with ``UNION ALL`` (small databases only).
"""

from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import QuerySet

PREFIX = "gs_"


def grouped_counts(qs: QuerySet, sets: Mapping[str, Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """For each named set of {column: expression}, the rows' counts per distinct value(s).

    A column name used in several sets must stand for the same expression. Returns
    {set name: [{column: value, …, "count": n}, …]}, unordered.
    """
    columns: dict[str, Any] = {}
    for fields in sets.values():
        for name, expression in fields.items():
            columns.setdefault(name, expression)
    names = list(columns)
    inner = qs.order_by().annotate(**{PREFIX + n: e for n, e in columns.items()}).values(*[PREFIX + n for n in names])
    sql, params = inner.query.sql_with_params()
    quoted = {n: connection.ops.quote_name(PREFIX + n) for n in names}

    def mask(fields: Mapping[str, Any]) -> int:
        # GROUPING(a, b, …) sets a bit, leftmost column highest, for each column NOT grouped.
        return sum(1 << (len(names) - 1 - i) for i, n in enumerate(names) if n not in fields)

    if connection.vendor == "postgresql":
        grouping_sets = ", ".join("(" + ", ".join(quoted[n] for n in fields) + ")" for fields in sets.values())
        select = ", ".join(quoted[n] for n in names)
        query = (
            f"SELECT GROUPING({select}), {select}, COUNT(*) FROM ({sql}) AS grouped_rows "  # noqa: S608
            f"GROUP BY GROUPING SETS ({grouping_sets})"
        )
        query_params = list(params)
    else:
        selects = []
        for fields in sets.values():
            cols = ", ".join(quoted[n] if n in fields else "NULL" for n in names)
            group = ", ".join(quoted[n] for n in fields)
            selects.append(f"SELECT {mask(fields)}, {cols}, COUNT(*) FROM ({sql}) AS grouped_rows GROUP BY {group}")  # noqa: S608
        query = " UNION ALL ".join(selects)
        query_params = list(params) * len(selects)
    by_mask = {mask(fields): name for name, fields in sets.items()}
    result: dict[str, list[dict[str, Any]]] = {name: [] for name in sets}
    with connection.cursor() as cursor:
        cursor.execute(query, query_params)
        for row in cursor.fetchall():
            name = by_mask[row[0]]
            values = dict(zip(names, row[1:-1], strict=True))
            result[name].append({**{n: values[n] for n in sets[name]}, "count": row[-1]})
    return result
