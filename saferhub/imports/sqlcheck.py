"""Checking a file set-wise on PostgreSQL: the cells are copied as text into a staging table and
checked there, so that good rows never pass through Python.

Each parser of `saferhub.imports.fields` carries an `sql` rule that says, in SQL, what the cell's
value is and whether the cell *may* be wrong. The rules are deliberately wary: a row they cannot
vouch for (any rule or the kind's `stage_suspects()` flags it, it holds a character that is not
printable ASCII, or its number of cells is wrong) is a *suspect*, and suspects alone are parsed
and checked by the very Python code of the batched path, which writes the messages. So every
message is the batched path's own (same text, same order, same count) and only rows that are
wrong, or unusual, cost Python time. A rule that cannot be expressed in SQL (a parser without
`sql`) makes every non-blank cell of its column a suspect: slow, never wrong.

The valid rows' typed values (`v_<column>`) are then computed in SQL, the suspects' that passed
are added from Python (`ImportKind.stage_row`), and the kind writes them all set-wise.
"""

# SQL here is built from column names, literals of the run's own values (dates, numbers and
# reference codes, quoted by `literal`) and table names; cells only ever arrive through COPY.
# ruff: noqa: S608

import datetime
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from saferhub.imports.registry import Column, ImportKind
    from saferhub.imports.runner import ImportContext
    from saferhub.imports.staging import Stage

# What str.strip() removes from ASCII text (suspects alone may hold other characters).
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
COPY_BUFFER = 5000
_counter = itertools.count(1)


def literal(value: Any) -> str:
    """A SQL literal of a value the run itself chose (never a cell of the file)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    text = str(value)
    if all(" " <= char <= "~" for char in text):
        return "'" + text.replace("'", "''") + "'"
    return "E'" + "".join(f"\\x{ord(c):02x}" if ord(c) < 0x80 else c for c in text).replace("'", "''") + "'"


TRIM_CHARS = literal(WHITESPACE)


def plain(text: str) -> bool:
    """Printable ASCII (with tabs and line ends): text whose every rule SQL applies exactly as Python does."""
    return text.isascii() and "\x7f" not in text


@dataclass
class Cell:
    """One column of the file as the SQL rules see it."""

    column: "Column"
    index: int
    # Table aliases and the trimmed text of this cell (`t_<name>`) in the checking query.
    alias: str
    stage: str
    trimmed: str = ""
    joins: list[str] = field(default_factory=list)
    # Extra typed outputs (name suffix -> SQL) beside `v_<name>`, and helper values for `bad`
    # (`h_<name>_<suffix>`), both computed beside the joins.
    extra: dict[str, str] = field(default_factory=dict)
    helpers: dict[str, str] = field(default_factory=dict)
    # The raw cell (`s.raw_<i>` of the staging table) of a column by name, and whether it is in the file.
    raw_of: Callable[[str], str | None] = lambda name: None

    @property
    def name(self) -> str:
        return self.column.name


class Rule:
    """What a parser accepts, in SQL. `value` is the typed value of a non-blank cell; `bad` is true
    when the cell may be wrong (then the row is checked in Python)."""

    sql_type = "text"

    def prepare(self, ctx: "ImportContext", cell: Cell) -> None:
        """Create lookup tables and joins (called once per run, after the file is staged)."""

    def value(self, cell: Cell) -> str:
        return cell.trimmed

    def bad(self, cell: Cell) -> str:
        return "FALSE"


class Text(Rule):
    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def bad(self, cell: Cell) -> str:
        return f"char_length({cell.trimmed}) > {self.max_length}"


ISO_DATE = r"'^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'"


class Date(Rule):
    """YYYY-MM-DD between 1900 and a year ahead; `not_future`: not after today (the run's day)."""

    sql_type = "date"

    def __init__(self, not_future: bool = False) -> None:
        self.not_future = not_future

    def prepare(self, ctx: "ImportContext", cell: Cell) -> None:
        # Each distinct text is parsed once: a file holds a few thousand days, in a million rows.
        t = "d.t"
        last_day = f"extract(day FROM make_date(substr({t}, 1, 4)::int, substr({t}, 6, 2)::int, 1) + interval '1 month - 1 day')"
        parsed = (
            f"CASE WHEN {t} ~ {ISO_DATE} AND {t} >= '1900' THEN "
            f"CASE WHEN substr({t}, 9, 2)::int <= {last_day} THEN {t}::date END END"
        )
        distinct_texts(cell, parsed)

    def value(self, cell: Cell) -> str:
        return f"{cell.alias}.value"

    def bad(self, cell: Cell) -> str:
        from saferhub.imports import fields

        v = f"v_{cell.name}"
        latest = _today() if self.not_future else fields.latest_date()
        return f"{v} IS NULL OR {v} < {literal(fields.EARLIEST_DATE)} OR {v} > {literal(latest)}"


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def distinct_texts(cell: Cell, parsed: str) -> None:
    """A table of the column's distinct trimmed texts (`d.t` in `parsed`) with their values, joined as the cell's alias."""
    table = f"{cell.stage}_{cell.alias}"
    _execute(
        f"""CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS
        SELECT d.t AS key, {parsed} AS value
        FROM (SELECT DISTINCT btrim(s.raw_{cell.index}, {TRIM_CHARS}) AS t FROM {cell.stage} s WHERE s.shape IS NULL) d
        WHERE d.t <> ''"""
    )
    _execute(f"ANALYZE {table}")
    cell.joins.append(f"LEFT JOIN {table} {cell.alias} ON {cell.alias}.key = {cell.trimmed}")


class Integer(Rule):
    sql_type = "integer"

    def __init__(self, minimum: int | None, maximum: int | None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def value(self, cell: Cell) -> str:
        return f"CASE WHEN {cell.trimmed} ~ '^[0-9]{{1,9}}$' THEN {cell.trimmed}::integer END"

    def bad(self, cell: Cell) -> str:
        v = f"v_{cell.name}"
        checks = [f"{v} IS NULL"]
        if self.minimum is not None:
            checks.append(f"{v} < {int(self.minimum)}")
        if self.maximum is not None:
            checks.append(f"{v} > {int(self.maximum)}")
        return " OR ".join(checks)


class Choice(Rule):
    """One of fixed values, any case (the value is lower-cased); `boolean`: yes/no as true/false."""

    def __init__(self, values: Sequence[str], boolean: bool = False) -> None:
        self.values, self.boolean = tuple(values), boolean
        self.sql_type = "boolean" if boolean else "text"

    def value(self, cell: Cell) -> str:
        return f"(lower({cell.trimmed}) = 'yes')" if self.boolean else f"lower({cell.trimmed})"

    def bad(self, cell: Cell) -> str:
        return f"lower({cell.trimmed}) NOT IN ({', '.join(literal(v) for v in self.values)})"


def _code_table(ctx: "ImportContext", name: str, code_list: str) -> None:
    """A lookup of the list's codes: exact keys, and case-folded keys that fold to one code only."""
    known = ctx.codes(code_list)
    folded: dict[str, list[Any]] = {}
    for key, reference in known.items():
        folded.setdefault(key.casefold(), []).append(reference)
    rows = [(key, True, ref.pk, ref.code, ref.label) for key, ref in known.items()]
    rows += [(key, False, refs[0].pk, refs[0].code, refs[0].label) for key, refs in folded.items() if len(refs) == 1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {name} (key text, exact boolean, id bigint, code text, label text, "
            "PRIMARY KEY (exact, key)) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY {name} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ANALYZE {name}")


class Code(Rule):
    """A code of the partnership's list, matched exactly, else ignoring case when one code matches.
    Adds `v_<name>__code` and `v_<name>__label`."""

    sql_type = "bigint"

    def __init__(self, code_list: str) -> None:
        self.code_list = code_list

    def prepare(self, ctx: "ImportContext", cell: Cell) -> None:
        table = f"{cell.stage}_{cell.alias}"
        _code_table(ctx, table, self.code_list)
        a = cell.alias
        cell.joins += [
            f"LEFT JOIN {table} {a}e ON {a}e.exact AND {a}e.key = {cell.trimmed}",
            f"LEFT JOIN {table} {a}f ON NOT {a}f.exact AND {a}f.key = lower({cell.trimmed})",
        ]
        cell.extra["code"] = f"coalesce({a}e.code, {a}f.code)"
        cell.extra["label"] = f"coalesce({a}e.label, {a}f.label)"

    def value(self, cell: Cell) -> str:
        return f"coalesce({cell.alias}e.id, {cell.alias}f.id)"

    def bad(self, cell: Cell) -> str:
        return f"v_{cell.name} IS NULL"


class Codes(Rule):
    """Several codes separated by `separator`: the ids in file order without repeats."""

    sql_type = "bigint[]"

    def __init__(self, code_list: str, separator: str) -> None:
        self.code_list, self.separator = code_list, separator

    def prepare(self, ctx: "ImportContext", cell: Cell) -> None:
        table = f"{cell.stage}_{cell.alias}"
        _code_table(ctx, table, self.code_list)
        a = cell.alias
        part = f"btrim(u.part, {TRIM_CHARS})"
        # Each distinct cell text is resolved once (a file repeats a few combinations of codes).
        _execute(
            f"""CREATE TEMPORARY TABLE {table}_texts ON COMMIT DROP AS
            SELECT d.t AS key, x.ids, x.missing
            FROM (SELECT DISTINCT btrim(s.raw_{cell.index}, {TRIM_CHARS}) AS t FROM {cell.stage} s
                  WHERE s.shape IS NULL) d
            CROSS JOIN LATERAL (
                SELECT array_agg(p.id ORDER BY p.n) FILTER (WHERE p.id IS NOT NULL) AS ids,
                       coalesce(bool_or(p.id IS NULL), FALSE) AS missing
                FROM (SELECT coalesce(e.id, f.id) AS id, min(u.n) AS n
                      FROM unnest(string_to_array(d.t, {literal(self.separator)})) WITH ORDINALITY u(part, n)
                      LEFT JOIN {table} e ON e.exact AND e.key = {part}
                      LEFT JOIN {table} f ON NOT f.exact AND f.key = lower({part})
                      WHERE {part} <> ''
                      GROUP BY 1) p
            ) x
            WHERE d.t <> ''"""
        )
        _execute(f"ANALYZE {table}_texts")
        cell.joins.append(f"LEFT JOIN {table}_texts {a} ON {a}.key = {cell.trimmed}")
        cell.helpers["missing"] = f"{a}.missing"

    def value(self, cell: Cell) -> str:
        return f"coalesce({cell.alias}.ids, '{{}}'::bigint[])"

    def bad(self, cell: Cell) -> str:
        return f"h_{cell.name}_missing"


class Organisation(Rule):
    """An organisation of the partnership by name (any case; the first made when several match).
    Unknown names are created beforehand, in the order the file first names them, by the
    column's own parser (so only when the run may create them, exactly as it would).
    `group_column`: that column names its group, checked when `check_group`."""

    sql_type = "bigint"

    def __init__(self, group_column: str | None, check_group: bool = False) -> None:
        self.group_column, self.check_group = group_column, check_group

    def prepare(self, ctx: "ImportContext", cell: Cell) -> None:
        from saferhub.accounts.models import Agency
        from saferhub.imports.registry import CellError

        agencies = connection.ops.quote_name(Agency._meta.db_table)
        raw = f"s.raw_{cell.index}"
        trimmed = f"btrim({raw}, {TRIM_CHARS})"
        group_raw = (cell.raw_of(self.group_column) if self.group_column else None) or "''::text"
        with connection.cursor() as cursor:
            # Names not yet known, each with the first row naming it (its group cell as written).
            cursor.execute(
                f"""SELECT min(s.line), (array_agg({raw} ORDER BY s.line))[1],
                           (array_agg({group_raw} ORDER BY s.line))[1]
                FROM {cell.stage} s
                WHERE s.plain AND s.shape IS NULL AND {trimmed} <> '' AND NOT EXISTS (
                    SELECT 1 FROM {agencies} g WHERE g.partnership_id = %s AND upper(g.name) = upper({trimmed}))
                GROUP BY upper({trimmed}) ORDER BY 1""",
                [ctx.partnership.pk],
            )
            unknown = cursor.fetchall()
        for _line, text, group_text in unknown:
            raw_row = {self.group_column: group_text or ""} if self.group_column else {}
            try:
                cell.column.parse(text.strip(WHITESPACE), ctx, raw_row)
            except CellError:
                pass  # the row is a suspect: Python reports it
        table = f"{cell.stage}_{cell.alias}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS
                SELECT DISTINCT ON (upper(a.name)) upper(a.name) AS key, a.id, coalesce(p.name, a.name) AS actual
                FROM {agencies} a LEFT JOIN {agencies} p ON p.id = a.parent_id
                WHERE a.partnership_id = %s ORDER BY upper(a.name), a.id""",
                [ctx.partnership.pk],
            )
            cursor.execute(f"ANALYZE {table}")
        cell.joins.append(f"LEFT JOIN {table} {cell.alias} ON {cell.alias}.key = upper({cell.trimmed})")
        cell.helpers["actual"] = f"{cell.alias}.actual"

    def value(self, cell: Cell) -> str:
        return f"{cell.alias}.id"

    def bad(self, cell: Cell) -> str:
        checks = [f"char_length({cell.trimmed}) > 200", f"v_{cell.name} IS NULL"]
        if self.check_group and self.group_column and cell.raw_of(self.group_column):
            group, actual = f"t_{self.group_column}", f"h_{cell.name}_actual"
            checks.append(f"({group} <> '' AND ({actual} !~ '^[ -~]*$' OR lower({actual}) <> lower({group})))")
        return " OR ".join(checks)


# The run ----------------------------------------------------------------------------------------


class RawStage:
    """Every row of the file as text, copied as it is read: `line`, `plain` (printable ASCII only),
    `shape` (the number of cells when it is not the header's, the cells then left empty) and
    `raw_<i>` for each of the kind's columns in its order ('' for a column the header leaves out)."""

    def __init__(self, kind: "ImportKind", names: list[str]) -> None:
        self.kind = kind
        self.table = f"import_raw_{next(_counter)}"
        self.columns = [column.name for column in kind.columns]
        positions = {name: index for index, name in enumerate(names)}
        self.order = [positions.get(name) for name in self.columns]
        self.identity = self.order == list(range(len(names)))
        self.width = len(names)
        self.rows = 0
        self._buffer: list[tuple[Any, ...]] = []
        # Rows holding a NUL character (PostgreSQL stores none), checked in Python: kept here.
        self.held: dict[int, list[str]] = {}
        definitions = ", ".join(
            ["line integer PRIMARY KEY", "plain boolean", "shape integer"]
            + [f"raw_{index} text" for index in range(len(self.columns))]
        )
        _execute(f"CREATE TEMPORARY TABLE {self.table} ({definitions}) ON COMMIT DROP")

    def add(self, line: int, cells: list[str]) -> None:
        if len(cells) != self.width:
            self._buffer.append((line, False, len(cells), *([None] * len(self.columns))))
        else:
            joined = "".join(cells)
            if "\x00" in joined:
                self.held[line] = cells
                return
            values = cells if self.identity else [cells[i] if i is not None else "" for i in self.order]
            self._buffer.append((line, plain(joined), None, *values))
        if len(self._buffer) >= COPY_BUFFER:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {self.table} FROM STDIN") as copy:
            for values in self._buffer:
                copy.write_row(values)
        self.rows += len(self._buffer)
        self._buffer = []


def checking_query(ctx: "ImportContext", kind: "ImportKind", raw: RawStage, present: frozenset[str]) -> str:
    """The SELECT giving every staged row with its trimmed cells (`t_<column>`), typed values
    (`v_<column>`, blank cells NULL) and `suspect` flag, in three layers: trimmed text, values
    beside the lookups' joins, then the flag."""
    positions = {name: index for index, name in enumerate(raw.columns)}

    def raw_of(name: str) -> str | None:
        return f"s.raw_{positions[name]}" if name in present and name in positions else None

    values, helpers, bad, joins = [], [], [], []
    for index, column in enumerate(kind.columns):
        name, t = column.name, f"t_{column.name}"
        cell = Cell(column=column, index=index, alias=f"c{index}", stage=raw.table, trimmed=t, raw_of=raw_of)
        rule = getattr(column.parse, "sql", None)
        if name not in present:
            # A column the header leaves out (never a required one: the header check refuses that).
            values.append(f"NULL::{rule.sql_type if rule is not None else 'text'} AS v_{name}")
            values += [f"NULL::text AS v_{name}__{suffix}" for suffix in _extras(rule)]
            continue
        if rule is not None:
            rule.prepare(ctx, cell)
        value = rule.value(cell) if rule is not None else "NULL"
        values.append(f"CASE WHEN {t} <> '' THEN {value} END AS v_{name}")
        values += [f"CASE WHEN {t} <> '' THEN {sql} END AS v_{name}__{suffix}" for suffix, sql in cell.extra.items()]
        helpers += [f"{sql} AS h_{name}_{suffix}" for suffix, sql in cell.helpers.items()]
        joins += cell.joins
        cell_bad = rule.bad(cell) if rule is not None else "TRUE"
        required = literal(column.required)
        bad.append(f"coalesce(({t} = '' AND {required}) OR ({t} <> '' AND ({cell_bad}) IS NOT FALSE), TRUE)")
    trims = [f"btrim(s.raw_{index}, {TRIM_CHARS}) AS t_{name}" for index, name in enumerate(raw.columns)]
    cells = ", ".join(f"s.raw_{index}" for index in range(len(raw.columns)))
    layer1 = f"SELECT s.line, s.plain, s.shape, {cells}, {', '.join(trims)} FROM {raw.table} s"
    # OFFSET 0 keeps each layer a subquery of its own: flattened, every use of a trimmed cell or a
    # typed value would compute it again (a date's value is used four times).
    layer2 = f"SELECT a.*, {', '.join(values + helpers)} FROM ({layer1} OFFSET 0) a {' '.join(joins)} OFFSET 0"
    suspects = [f"({sql}) IS TRUE" for sql in kind.stage_suspects(ctx)]
    flag = " OR ".join(["shape IS NOT NULL", "NOT plain", *bad, *suspects])
    return f"SELECT b.*, ({flag}) AS suspect FROM ({layer2}) b"


def _extras(rule: Rule | None) -> list[str]:
    return ["code", "label"] if isinstance(rule, Code) else []


def stage_checked(ctx: "ImportContext", kind: "ImportKind", raw: RawStage, stage: "Stage") -> str:
    """Check the staged text in one pass: valid rows go, typed by `kind.stage_sql()`, into `stage`;
    suspects into a table of their own, whose name is returned."""
    raw.flush()
    # The planner needs the row count; statistics of every raw cell would only cost time.
    _execute(f"ANALYZE {raw.table} (line)")
    checking = checking_query(ctx, kind, raw, ctx.present_columns)
    typed = kind.stage_sql(ctx) or ()
    cells = [f"raw_{index}" for index in range(len(raw.columns))]
    suspects = f"{raw.table}_suspects"
    _execute(
        f"CREATE TEMPORARY TABLE {suspects} (line integer PRIMARY KEY, shape integer, "
        f"{', '.join(f'{name} text' for name in cells)}) ON COMMIT DROP"
    )
    names = ", ".join(["line", *cells, *(name for name, _ in stage.columns)])
    _execute(
        f"""WITH checked AS MATERIALIZED ({checking}),
        valid AS (INSERT INTO {stage.table} ({names})
                  SELECT line, {", ".join(cells)}, {", ".join(typed)} FROM checked WHERE NOT suspect)
        INSERT INTO {suspects} SELECT line, shape, {", ".join(cells)} FROM checked WHERE suspect"""
    )
    return suspects


def suspects(table: str, raw_columns: int) -> Iterator[tuple[int, int | None, list[str]]]:
    """The suspect rows (line, shape, cells) in file order, a block at a time."""
    names = ", ".join(f"raw_{index}" for index in range(raw_columns))
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT line, shape, {names} FROM {table} WHERE line > %s ORDER BY line LIMIT %s",
                [after, COPY_BUFFER],
            )
            block = cursor.fetchall()
        if not block:
            return
        for line, shape, *cells in block:
            yield line, shape, cells
        after = block[-1][0]


def _execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def fingerprint(present: frozenset[str]) -> str:
    """SQL of the hex SHA-256 of `json.dumps({column: trimmed cell}, sort_keys=True)` over the file's
    columns, as Python computes it for a row of printable ASCII (suspects are fingerprinted in Python)."""
    parts = [f"{literal(json.dumps(name) + ': ')} || to_json(t_{name})::text" for name in sorted(present)]
    body = " || ', ' || ".join(parts) if parts else "''"
    return f"encode(sha256(convert_to('{{' || {body} || '}}', 'UTF8')), 'hex')"
