"""Imports `police-street-crime`, `police-outcomes` and `police-stop-search`: data.police.uk monthly CSVs.

Rows are attributed to wards through the partnership's LSOA lookup (2011 and 2021 LSOA
codes). A row with no location (no LSOA) or no Crime ID is kept; a row placed in an LSOA
outside the partnership's areas is skipped and counted. A file replaces the rows of the
force and months it covers, so a re-published month revises the old one and the same file
twice changes nothing. A row is identified by its Crime ID, or else by a digest of its
content and its occurrence among identical rows.

On PostgreSQL the file goes to a staging table by `COPY … (FORMAT csv)` unparsed, is checked
set-wise (every problem with its line), typed and keyed in one statement and merged with
three; elsewhere the same happens row by row in Python.
"""

import csv
import datetime
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import DataError, connection

from saferhub.crime import geography, lookup
from saferhub.crime.importing import (
    CHUNK,
    FileContext,
    FileImportKind,
    FileRejected,
    FileResult,
    Problems,
    Staging,
    execute,
    fetch,
    is_postgres,
    numbered,
    prepare_merge,
    text_stream,
)
from saferhub.crime.models import Boundary, CrimeFile
from saferhub.imports.registry import Column, register

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
NUMBER = re.compile(r"^-?\d{1,3}(\.\d+)?$")
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Field:
    header: str
    name: str
    kind: str = "text"  # text, month, degrees, datetime
    length: int = 200
    required: bool = False


@dataclass(frozen=True)
class PoliceLayout:
    slug: str
    title: str
    table: str
    fields: tuple[Field, ...]
    # Whether rows carry an LSOA (and so a ward and the skip rule) and a Crime ID.
    located: bool = True

    @property
    def headers(self) -> dict[str, Field]:
        return {field.header.lower(): field for field in self.fields}


COMMON = (
    Field("Crime ID", "crime_id", length=80),
    Field("Month", "month", "month", required=True),
    Field("Reported by", "reported_by", length=100),
    Field("Falls within", "falls_within", length=100, required=True),
    Field("Longitude", "longitude", "degrees"),
    Field("Latitude", "latitude", "degrees"),
    Field("Location", "location", length=200),
    Field("LSOA code", "lsoa_code", length=12),
    Field("LSOA name", "lsoa_name", length=100),
)
STREET = PoliceLayout(
    "police-street-crime",
    "Street-level crime (data.police.uk)",
    "crime_streetcrime",
    (
        *COMMON,
        Field("Crime type", "crime_type", length=100, required=True),
        Field("Last outcome category", "last_outcome", length=200),
        Field("Context", "context", length=10000),
    ),
)
OUTCOMES = PoliceLayout(
    "police-outcomes",
    "Crime outcomes (data.police.uk)",
    "crime_crimeoutcome",
    (*COMMON, Field("Outcome type", "outcome_type", length=200, required=True)),
)
STOP_SEARCH = PoliceLayout(
    "police-stop-search",
    "Stop and search (data.police.uk)",
    "crime_stopsearch",
    (
        Field("Type", "search_type", length=60, required=True),
        Field("Date", "searched_at", "datetime", required=True),
        Field("Part of a policing operation", "part_of_operation", length=10),
        Field("Policing operation", "operation", length=200),
        Field("Latitude", "latitude", "degrees"),
        Field("Longitude", "longitude", "degrees"),
        Field("Gender", "gender", length=30),
        Field("Age range", "age_range", length=30),
        Field("Self-defined ethnicity", "self_defined_ethnicity", length=200),
        Field("Officer-defined ethnicity", "officer_defined_ethnicity", length=60),
        Field("Legislation", "legislation", length=200),
        Field("Object of search", "object_of_search", length=200),
        Field("Outcome", "outcome", length=200),
        Field("Outcome linked to object of search", "outcome_linked", length=10),
        Field("Removal of more than just outer clothing", "removal_of_clothing", length=10),
    ),
    located=False,
)
# The force of a stop-and-search file, which has no "Falls within" column, comes from its published name.
FORCE_IN_NAME = re.compile(r"^\d{4}-\d{2}-(?P<force>[a-z0-9-]+?)-stop-and-search", re.IGNORECASE)


def _sql_type(field: Field) -> str:
    return {"month": "date", "degrees": "numeric(9,6)", "datetime": "timestamp with time zone"}.get(field.kind, "text")


def _parse(field: Field, text: str) -> Any:
    """The typed value of a cell (checked already)."""
    if field.kind == "month":
        return datetime.date(int(text[:4]), int(text[5:7]), 1)
    if field.kind == "degrees":
        return Decimal(text).quantize(Decimal("0.000001")) if text else None
    if field.kind == "datetime":
        return datetime.datetime.fromisoformat(text)
    return text


def _problem(field: Field, text: str) -> str | None:
    if not text:
        return "a value is required" if field.required else None
    if field.kind == "month" and not MONTH.match(text):
        return f"'{text}' is not a month: use YYYY-MM"
    if field.kind == "degrees":
        try:
            value = Decimal(text)
        except InvalidOperation:
            return f"'{text}' is not a number of degrees"
        if not value.is_finite() or abs(value) > 180:
            return f"'{text}' is not a number of degrees"
    if field.kind == "datetime":
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return f"'{text}' is not a date and time (YYYY-MM-DDTHH:MM:SS+00:00)"
        if moment.tzinfo is None:
            return f"'{text}' has no time zone: the published files give one (+00:00)"
    if len(text) > field.length:
        return f"at most {field.length} characters"
    return None


class PoliceImport(FileImportKind):
    layout: PoliceLayout

    def __init__(self, layout: PoliceLayout) -> None:
        super().__init__(
            slug=layout.slug,
            title=layout.title,
            description=(
                "A monthly CSV from data.police.uk as published. Rows are placed in wards through the LSOA lookup; "
                "rows with no location or no Crime ID are kept; rows outside the partnership's areas are skipped. "
                "A later file for the same force and month replaces it."
            ),
            columns=tuple(Column(field.header.lower(), field.required) for field in layout.fields),
        )
        self.layout = layout

    @property
    def output_columns(self) -> list[tuple[str, str]]:
        extra = (
            [("row_key", "varchar(80)"), ("ward_code", "varchar(12)")]
            if self.layout.located
            else [
                ("row_key", "varchar(80)"),
                ("falls_within", "varchar(100)"),
                ("month", "date"),
            ]
        )
        return [(field.name, _sql_type(field)) for field in self.layout.fields] + extra

    def import_file(
        self, ctx: FileContext, handle: IO[bytes], source: CrimeFile, problems: Problems, result: FileResult
    ) -> None:
        ctx.layout = self.layout.slug
        first = handle.readline()
        header_text = first.decode("utf-8-sig", errors="replace")
        header = next(csv.reader([header_text]), None)
        if not header or not any(name.strip() for name in header):
            problems(1, None, "the file is empty: a header row is needed")
            raise FileRejected
        fields = self._read_header(header, problems)
        force = ""
        if not self.layout.located:
            match = FORCE_IN_NAME.match(ctx.filename)
            force = match.group("force").replace("-", " ").title() if match else ""
        keyed = Staging("crime_stage_keyed", self.output_columns)
        keyed.create()
        if is_postgres():
            self._stage_postgres(ctx, handle, fields, keyed, problems, result, force)
        else:
            handle.seek(0)
            reader = csv.reader(text_stream(handle))
            next(reader)
            keyed.fill(self._rows_python(ctx, reader, fields, problems, result, force))
        if problems.any:
            raise FileRejected
        keyed.index("falls_within", "month", "row_key")
        self._merge(ctx, source, keyed, result)
        months = fetch(f"SELECT MIN(month), MAX(month), COUNT(*) FROM {keyed.name}")  # noqa: S608 - our own name
        ctx.first_month, ctx.last_month, ctx.rows = months[0][0], months[0][1], months[0][2] or 0
        if isinstance(ctx.first_month, str):  # SQLite gives text
            ctx.first_month = datetime.date.fromisoformat(ctx.first_month)
            ctx.last_month = datetime.date.fromisoformat(ctx.last_month)
        keyed.drop()
        if not self.layout.located and ctx.first_month is not None:
            result.notes.append(_placed_note(ctx.partnership, (ctx.first_month, ctx.last_month)))

    def _read_header(self, header: list[str], problems: Problems) -> list[Field]:
        known = self.layout.headers
        fields: list[Field] = []
        seen: set[str] = set()
        for name in header:
            key = name.strip().lower()
            if key not in known:
                problems(
                    1,
                    name.strip() or "(blank)",
                    f"unknown column (the {self.layout.title} columns are: "
                    f"{', '.join(field.header for field in self.layout.fields)})",
                )
            elif key in seen:
                problems(1, name.strip(), "the column appears more than once")
            else:
                fields.append(known[key])
            seen.add(key)
        for field in self.layout.fields:
            if field.required and field.header.lower() not in seen:
                problems(1, field.header, "required column is missing from the header row")
        if problems.any:
            raise FileRejected
        return fields

    # --- elsewhere than PostgreSQL: row by row -------------------------------------------------------
    def _rows_python(
        self,
        ctx: FileContext,
        reader: Any,
        fields: list[Field],
        problems: Problems,
        result: FileResult,
        force: str,
    ) -> Iterator[tuple[Any, ...]]:
        wards = lookup.ward_codes_by_lsoa(ctx.partnership) if self.layout.located else {}
        occurrences: dict[tuple[str, str, str], int] = {}
        names = [field.name for field in self.layout.fields]
        for line, cells in numbered(reader):
            ctx.line = line
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(fields):
                problems(line, None, f"expected {len(fields)} values, one per header column, but found {len(cells)}")
                continue
            raw = {field.name: cell.strip() for field, cell in zip(fields, cells, strict=True)}
            bad = False
            for field in fields:
                message = _problem(field, raw[field.name])
                if message:
                    problems(line, field.header, message)
                    bad = True
            if bad or problems.any:
                continue
            ward = ""
            if self.layout.located and raw.get("lsoa_code"):
                found = wards.get(raw["lsoa_code"])
                if found is None:
                    result.skipped += 1
                    continue
                ward = found
            values = [_parse(field, raw.get(field.name, "")) for field in self.layout.fields]
            month = raw["month"] if self.layout.located else raw["searched_at"][:7]
            falls_within = raw["falls_within"] if self.layout.located else force
            base = (
                raw.get("crime_id")
                or hashlib.md5(  # noqa: S324 - a digest for identity, not security
                    "|".join(raw.get(name, "") for name in names).encode()
                ).hexdigest()
            )
            key = (falls_within, month, base)
            occurrences[key] = occurrences.get(key, 0) + 1
            row_key = base if occurrences[key] == 1 else f"{base}:{occurrences[key]}"
            extra: list[Any] = (
                [row_key, ward]
                if self.layout.located
                else [
                    row_key,
                    falls_within,
                    datetime.date(int(month[:4]), int(month[5:7]), 1),
                ]
            )
            yield (*values, *extra)

    # --- PostgreSQL: COPY the file as it is, check and type set-wise ---------------------------------
    def _stage_postgres(  # noqa: C901 - one set-wise check per column kind
        self,
        ctx: FileContext,
        handle: IO[bytes],
        fields: list[Field],
        keyed: Staging,
        problems: Problems,
        result: FileResult,
        force: str,
    ) -> None:
        raw = Staging(
            "crime_stage_raw",
            [("line", "bigint generated always as identity")] + [(field.name, "text") for field in fields],
        )
        raw.create()
        try:
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    f"COPY {raw.name} ({', '.join(field.name for field in fields)}) FROM STDIN (FORMAT csv)"
                ) as copy,
            ):
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    copy.write(chunk)
        except DataError as exc:
            problems(_copy_line(exc), None, _copy_message(exc))
            raise FileRejected from exc
        except Exception as exc:  # psycopg's own errors come through unwrapped from copy()
            if exc.__class__.__module__.startswith("psycopg"):
                problems(_copy_line(exc), None, _copy_message(exc))
                raise FileRejected from exc
            raise
        # Every check of every cell in one pass over the staged file; the header was read before COPY,
        # so data row n is on line n + 1.
        checks = ", ".join(
            f"({_literal(field.header)}, CASE WHEN {condition} THEN {message} END)"
            for field in fields
            for condition, message in _checks(field)
        )
        # One cheap scan finds the rows with any problem; only those are taken apart cell by cell.
        any_problem = " OR ".join(f"({condition})" for field in fields for condition, _ in _checks(field))
        bad_rows = f"(SELECT * FROM {raw.name} r WHERE {any_problem} ORDER BY r.line LIMIT {MAX_PROBLEMS})"  # noqa: S608
        for line, column, text in fetch(
            f"SELECT r.line + 1, v.col, v.msg FROM {bad_rows} r "  # noqa: S608 - our own SQL
            f"CROSS JOIN LATERAL (VALUES {checks}) AS v(col, msg) "
            f"WHERE v.msg IS NOT NULL ORDER BY r.line LIMIT {MAX_PROBLEMS}"
        ):
            problems(line, column, text)
        if problems.any:
            raise FileRejected
        self._key_postgres(ctx, raw, fields, keyed, result, force)
        raw.drop()

    def _key_postgres(
        self, ctx: FileContext, raw: Staging, fields: list[Field], keyed: Staging, result: FileResult, force: str
    ) -> None:
        """Type, place and key the staged rows in one statement; rows outside the partnership are left behind."""
        present = {field.name for field in fields}

        def typed(field: Field) -> str:
            if field.name not in present:
                return "NULL" if field.kind != "text" else "''"
            value = f"nullif(btrim(k.{field.name}), '')"
            if field.kind == "month":
                return f"to_date({value} || '-01', 'YYYY-MM-DD')"
            if field.kind == "degrees":
                return f"round({value}::numeric, 6)"
            if field.kind == "datetime":
                return f"{value}::timestamptz"
            return f"coalesce(btrim(k.{field.name}), '')"

        names = [field.name for field in self.layout.fields]
        digest = (
            "md5(concat_ws('|', "
            + ", ".join(f"coalesce(btrim(r.{name}), '')" if name in present else "''" for name in names)
            + "))"
        )
        base = f"coalesce(nullif(btrim(r.crime_id), ''), {digest})" if "crime_id" in present else digest
        lsoa = "coalesce(btrim(r.lsoa_code), '')" if "lsoa_code" in present else "''"
        params: list[Any] = []
        if self.layout.located:
            falls_within, month = "btrim(r.falls_within)", "btrim(r.month)"
            join, params = lookup.lsoa_join_sql(ctx.partnership, lsoa)
            ward, where = "coalesce(g.ward_code, '')", f"WHERE {lsoa} = '' OR g.code IS NOT NULL"
            extra = ["k.ward_code"]
        else:
            # No force column in a stop-and-search file: the file's name gives it (a literal of our own making).
            falls_within, month = _literal(force), "substr(btrim(r.searched_at), 1, 7)"
            join, ward, where = "", "''", ""
            extra = ["k.falls_within_key", "to_date(k.month_text || '-01', 'YYYY-MM-DD')"]
        inner = (
            f"SELECT r.*, {ward} AS ward_code, {falls_within} AS falls_within_key, {month} AS month_text, "  # noqa: S608
            f"{base} AS base, row_number() OVER (PARTITION BY {falls_within}, {month}, {base} ORDER BY r.line) AS rn "
            f"FROM {raw.name} r {join} {where}"
        )
        typed_columns = [typed(field) for field in self.layout.fields]
        row_key = "k.base || CASE WHEN k.rn > 1 THEN ':' || k.rn ELSE '' END"
        execute(
            f"INSERT INTO {keyed.name} ({', '.join(keyed.names)}) "  # noqa: S608 - our own SQL
            f"SELECT {', '.join([*typed_columns, row_key, *extra])} FROM ({inner}) AS k",
            params,
        )
        if self.layout.located:
            staged = fetch(f"SELECT COUNT(*) FROM {raw.name}")[0][0]  # noqa: S608 - our own name
            kept = fetch(f"SELECT COUNT(*) FROM {keyed.name}")[0][0]  # noqa: S608 - our own name
            result.skipped = staged - kept

    def _merge(self, ctx: FileContext, source: CrimeFile, keyed: Staging, result: FileResult) -> None:
        table = self.layout.table
        value_columns = [name for name in keyed.names if name not in ("row_key", "falls_within", "month")]
        key = ("falls_within", "month", "row_key")
        same_row = " AND ".join(f"s.{column} = t.{column}" for column in key)
        scope = "t.partnership_id = %s"
        params = [ctx.partnership.pk]
        prepare_merge(table)
        result.removed = execute(
            f"DELETE FROM {table} WHERE id IN (SELECT t.id FROM {table} AS t "  # noqa: S608 - our own SQL
            f"JOIN (SELECT DISTINCT falls_within, month FROM {keyed.name}) AS c "
            "ON c.falls_within = t.falls_within AND c.month = t.month "
            f"LEFT JOIN {keyed.name} AS s ON {same_row} WHERE {scope} AND s.row_key IS NULL)",
            params,
        )
        differs = " OR ".join(f"t.{name} IS DISTINCT FROM s.{name}" for name in value_columns)
        if not is_postgres():
            differs = " OR ".join(f"t.{name} IS NOT s.{name}" for name in value_columns)
        assignments = ", ".join(f"{name} = s.{name}" for name in value_columns)
        result.updated = execute(
            f"UPDATE {table} AS t SET {assignments}, source_id = %s FROM {keyed.name} AS s "  # noqa: S608
            f"WHERE {scope} AND {same_row} AND ({differs})",
            [source.pk, *params],
        )
        columns = ", ".join(keyed.names)
        result.created = execute(
            f"INSERT INTO {table} (partnership_id, source_id, {columns}) "  # noqa: S608 - our own SQL
            f"SELECT %s, %s, {', '.join(f's.{name}' for name in keyed.names)} FROM {keyed.name} AS s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {scope} AND {same_row})",
            [ctx.partnership.pk, source.pk, *params],
        )
        total = fetch(f"SELECT COUNT(*) FROM {keyed.name}")[0][0]  # noqa: S608 - our own name
        result.unchanged = total - result.created - result.updated


def _placed_note(partnership: Any, months: tuple[datetime.date, datetime.date]) -> str:
    """Stop and search has coordinates only: place the file's months in wards by the boundaries held."""
    if not Boundary.objects.filter(partnership=partnership, level="ward").exists():
        return "No ward boundaries are imported yet (import boundaries): searches are not placed in wards."
    placed = geography.place_stop_searches(partnership, months)
    return (
        f"{placed.in_ward} of {placed.searches} searches with a location placed in a ward; "
        f"{placed.outside} lie outside every ward boundary and are kept with no ward."
    )


def _literal(text: str) -> str:
    """A SQL string literal of a column header or force name (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


MONTH_PATTERN = "'^[0-9]{4}-(0[1-9]|1[0-2])$'"
DEGREES_PATTERN = "'^-?((1[0-7][0-9]|[0-9]{1,2})(\\.[0-9]+)?|180(\\.0+)?)$'"
DATETIME_PATTERN = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:?[0-9]{2}|Z)$'"


def _checks(field: Field) -> list[tuple[str, str]]:
    """(condition, message) pairs in SQL for one column, the same rules as `_problem`.

    Each condition tests the cell as written first and trims it only when that fails: on
    millions of sound rows the trimming is never done.
    """
    raw, value = f"r.{field.name}", f"btrim(r.{field.name})"
    quoted = "'''' || " + value + " || ''''"
    out = []
    if field.required:
        # Only a cell starting with a space or control character can be blank once trimmed.
        out.append((f"({raw} IS NULL OR {raw} = '' OR (ascii({raw}) <= 32 AND {value} = ''))", "'a value is required'"))

    def pattern(regex: str, message: str) -> None:
        out.append((f"{raw} !~ {regex} AND {value} !~ {regex} AND {value} <> ''", f"{quoted} || {message}"))

    if field.kind == "month":
        pattern(MONTH_PATTERN, "' is not a month: use YYYY-MM'")
    elif field.kind == "degrees":
        pattern(DEGREES_PATTERN, "' is not a number of degrees'")
    elif field.kind == "datetime":
        pattern(DATETIME_PATTERN, "' has no time zone or is not a date and time (YYYY-MM-DDTHH:MM:SS+00:00)'")
    else:
        out.append(
            (
                f"length({raw}) > {field.length} AND length({value}) > {field.length}",
                f"'at most {field.length} characters'",
            )
        )
    return out


def _copy_line(exc: Exception) -> int:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) + 1 if match else 1


def _copy_message(exc: Exception) -> str:
    first = str(exc).splitlines()[0] if str(exc) else "the file could not be read"
    if "invalid byte sequence" in first:
        return "the file is not UTF-8 text: save it as 'CSV UTF-8' and try again"
    if "missing data" in first or "extra data" in first:
        return "the number of values does not match the header row"
    return f"the file could not be read as CSV ({first})"


register(PoliceImport(STREET))
register(PoliceImport(OUTCOMES))
register(PoliceImport(STOP_SEARCH))
