"""Set-wise writing on PostgreSQL: valid rows are streamed into a staging table with `COPY`,
then a kind writes them all with a few `INSERT … SELECT` statements.

A kind opts in by implementing `ImportKind.stage_columns()`, `stage_row()` and
`write_staged()`; other kinds (and every kind on SQLite) keep the batched path. Rows are
still parsed and checked one by one in Python first, so every message is exactly the
batched path's; only writing changes. The staging table also keeps each row's cells as
text, so that a kind can hand rows it does not write set-wise (for example those that
update an existing record) back to its `write_batch` with `Stage.replay()`.
"""

# SQL here is built from table and column names only; every value is a bound parameter.
# ruff: noqa: S608

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Model

if TYPE_CHECKING:
    from saferhub.imports.registry import ImportKind
    from saferhub.imports.runner import Row

# Rows buffered in memory before they are copied (the connection cannot query during a COPY).
COPY_BUFFER = 5000
_counter = itertools.count(1)


def supported() -> bool:
    return connection.vendor == "postgresql"


class Stage:
    """The staging table of one import run (a temporary table dropped at the end of the transaction)."""

    def __init__(self, kind: "ImportKind", columns: Sequence[tuple[str, str]]) -> None:
        self.kind = kind
        self.table = f"import_stage_{next(_counter)}"
        self.raw_columns = [column.name for column in kind.columns]
        self.columns = list(columns)
        self.rows = 0
        self._buffer: list[Sequence[Any]] = []
        # Set by the runner: writes the rows of these lines (rebuilt from their cells) through write_batch.
        self.replay: Callable[[Iterator[tuple[int, list[str]]]], None] = _no_replay
        definitions = ", ".join(
            ["line integer PRIMARY KEY"]
            + [f"raw_{index} text" for index in range(len(self.raw_columns))]
            + [f"{name} {sql_type}" for name, sql_type in self.columns]
        )
        self.execute(f"CREATE TEMPORARY TABLE {self.table} ({definitions}) ON COMMIT DROP")

    def add(self, row: "Row", values: Sequence[Any]) -> None:
        self._buffer.append((row.line, *(row.raw[name] for name in self.raw_columns), *values))
        if len(self._buffer) >= COPY_BUFFER:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        names = ", ".join(
            ["line"] + [f"raw_{index}" for index in range(len(self.raw_columns))] + [n for n, _ in self.columns]
        )
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
            for values in self._buffer:
                copy.write_row(values)
        self.rows += len(self._buffer)
        self._buffer = []

    def analyze(self) -> None:
        # Temporary tables are never analysed automatically: the planner needs their size.
        # Only the typed columns the kind's statements join and group on: statistics of the raw
        # cells (kept for replay) would cost most of the time and serve no plan.
        typed = [name for name, sql_type in self.columns if not sql_type.endswith("[]")]
        self.execute(f"ANALYZE {self.table} ({', '.join(['line', *typed])})")

    def replay_where(self, condition: str = "TRUE", params: Sequence[Any] = ()) -> None:
        """Write the staged rows matching `condition` (SQL on the staging table, alias `s`) through
        write_batch, in file order, reading them a block at a time."""
        raw = ", ".join(f"s.raw_{index}" for index in range(len(self.raw_columns)))
        sql = f"SELECT s.line, {raw} FROM {self.table} s WHERE ({condition}) AND s.line > %s ORDER BY s.line LIMIT %s"

        def rows() -> Iterator[tuple[int, list[str]]]:
            after = 0
            while True:
                with connection.cursor() as cursor:
                    cursor.execute(sql, [*params, after, COPY_BUFFER])
                    block = cursor.fetchall()
                if not block:
                    return
                for line, *cells in block:
                    yield line, cells
                after = block[-1][0]

        self.replay(rows())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.rowcount

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()


def _no_replay(rows: Iterator[tuple[int, list[str]]]) -> None:
    raise RuntimeError("the stage is not attached to a run")


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def id_sequence(model: type[Model]) -> str:
    """The SQL for the next id of `model` (its identity column's sequence)."""
    return f"nextval(pg_get_serial_sequence('{model._meta.db_table}', '{model._meta.pk.column}'))"  # type: ignore[union-attr]


# A column's SQL: an expression, or an expression with its parameters.
Expression = str | tuple[str, Sequence[Any]]


def param(value: Any) -> Expression:
    """A value bound as a parameter."""
    return ("%s", [value])


def insert_select(model: type[Model], columns: dict[str, Expression], source: str, params: Sequence[Any] = ()) -> int:
    """`INSERT INTO model's table (…) SELECT … source`: `columns` maps a column to its SQL expression;
    every other column gets the model field's default (`now()` for auto_now fields), so a field
    added to the model later needs no change here unless it has no default. `params` are the
    source's parameters."""
    names: list[str] = []
    exprs: list[str] = []
    values: list[Any] = []
    columns = dict(columns)
    for field in model._meta.concrete_fields:
        if field.column in columns:
            expression = columns.pop(field.column)
            sql, bound = (expression, ()) if isinstance(expression, str) else expression
            names.append(connection.ops.quote_name(field.column))
            exprs.append(sql)
            values.extend(bound)
            continue
        if field.primary_key:
            continue
        names.append(connection.ops.quote_name(field.column))
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            exprs.append("now()")
        elif field.has_default() or field.null or field.blank:
            exprs.append("%s")
            values.append(field.get_db_prep_save(field.get_default(), connection))
        else:
            raise ValueError(f"{model._meta.label}.{field.name} needs a value: it has no default")
    if columns:
        raise ValueError(f"{model._meta.label} has no column(s) {sorted(columns)}")
    sql = f"INSERT INTO {table(model)} ({', '.join(names)}) SELECT {', '.join(exprs)} {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
        return cursor.rowcount
