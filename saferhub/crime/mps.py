"""Import `police-recorded-crime`: the MPS wide tables of monthly counts, in the three published layouts.

Each cell becomes one count (area, major category, minor category, month). A file replaces
the counts for the areas and months it covers: cells it does not have for those areas and
months are removed (a revision may drop a category), cells it has are inserted or updated.
"""

import csv
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from saferhub.crime.areas import AreaResolver
from saferhub.crime.importing import (
    FileContext,
    FileImportKind,
    FileRejected,
    FileResult,
    Problems,
    Staging,
    execute,
    fetch,
    numbered,
    prepare_merge,
    text_stream,
)
from saferhub.crime.models import CrimeFile, Level, Publisher
from saferhub.imports.registry import Column, register

MONTH_COLUMN = re.compile(r"^(\d{4})(\d{2})$")
WARD_CODE = re.compile(r"^[EW]05\d{6}$")
NAME_LENGTH = 120


@dataclass(frozen=True)
class Layout:
    slug: str
    title: str
    level: str
    # The fixed columns (lower case) and what each holds.
    columns: dict[str, str]


LAYOUTS = [
    Layout(
        "borough-older",
        "MPS borough level, older layout",
        Level.BOROUGH,
        {"borough": "borough", "major category": "major", "minor category": "minor"},
    ),
    Layout(
        "borough",
        "MPS borough level",
        Level.BOROUGH,
        {"majortext": "major", "minortext": "minor", "boroughname": "borough"},
    ),
    Layout(
        "ward",
        "MPS ward level",
        Level.WARD,
        {
            "majortext": "major",
            "minortext": "minor",
            "wardname": "ward_name",
            "wardcode": "ward_code",
            "lookup_boroughname": "borough",
        },
    ),
]

STAGE_COLUMNS = [
    ("line", "integer"),
    ("area_code", "varchar(60)"),
    ("area_name", "varchar(120)"),
    ("authority_code", "varchar(60)"),
    ("ranked", "boolean"),
    ("major", "varchar(120)"),
    ("minor", "varchar(120)"),
    ("month", "date"),
    ("count", "integer"),
]
TABLE = "crime_recordedcrime"
KEY = ("area_code", "major", "minor", "month")


def month_of(column: str) -> datetime.date | None:
    match = MONTH_COLUMN.match(column)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def recognise(  # noqa: C901 - each way a header can be wrong, named
    header: list[str], problems: Problems
) -> tuple[Layout, list[tuple[int, datetime.date]]] | None:
    """The layout and the month columns (index, month) named by a header row, or None with problems reported."""
    names = [name.strip() for name in header]
    lower = [name.lower() for name in names]
    fixed = {name for name in lower if month_of(name) is None}
    layout = next((candidate for candidate in LAYOUTS if set(candidate.columns) == fixed), None)
    if layout is None:
        best = max(LAYOUTS, key=lambda candidate: len(set(candidate.columns) & fixed))
        expected = ", ".join(best.columns)
        for name in names:
            if name.lower() not in best.columns and month_of(name) is None:
                problems(
                    1, name or "(blank)", f"unknown column: the {best.title} layout has {expected} and YYYYMM months"
                )
        for name in best.columns:
            if name not in fixed:
                problems(1, name, f"required column is missing for the {best.title} layout")
        if not problems.any:
            problems(1, None, "the header is not one of the MPS layouts")
        return None
    seen: set[str] = set()
    months = []
    for index, name in enumerate(lower):
        if name in seen:
            problems(1, names[index], "the column appears more than once")
        seen.add(name)
        month = month_of(name)
        if month is not None:
            months.append((index, month))
    if not months:
        problems(1, None, "no month columns (YYYYMM) in the header")
    return None if problems.any else (layout, months)


class RecordedCrimeImport(FileImportKind):
    def __init__(self) -> None:
        super().__init__(
            slug="police-recorded-crime",
            title="Police recorded crime (MPS borough and ward tables)",
            description=(
                "The Metropolitan Police's monthly recorded crime tables as published on the London Datastore: "
                "borough level (older or current layout) or ward level, one column per month. Several files may be "
                "imported at once; a later file replaces the months it covers."
            ),
            columns=(
                Column("majortext", True, help="major category (Major Category in the older layout)"),
                Column("minortext", True, help="minor category (Minor Category in the older layout)"),
                Column("boroughname", help="borough (Borough in the older layout; LookUp_BoroughName for wards)"),
                Column("wardname", help="ward name (ward layout)"),
                Column("wardcode", help="ONS ward code (ward layout)"),
                Column("YYYYMM", True, help="one column per month: the count, a whole number"),
            ),
        )

    def import_file(
        self, ctx: FileContext, handle: IO[bytes], source: CrimeFile, problems: Problems, result: FileResult
    ) -> None:
        reader = csv.reader(text_stream(handle))
        header = next(reader, None)
        if header is None:
            problems(1, None, "the file is empty: a header row is needed")
            raise FileRejected
        recognised = recognise(header, problems)
        if recognised is None:
            raise FileRejected
        layout, months = recognised
        ctx.layout = layout.slug
        ctx.first_month = min(month for _, month in months)
        ctx.last_month = max(month for _, month in months)
        resolver = AreaResolver()
        stage = Staging("crime_stage_counts", STAGE_COLUMNS)
        stage.create()
        stage.fill(self._cells(ctx, reader, header, layout, months, resolver, problems))
        if problems.any:
            raise FileRejected
        stage.index(*KEY)
        for first, second, area, major, minor in fetch(
            f"SELECT MIN(line), MAX(line), MIN(area_name), major, minor FROM {stage.name} "  # noqa: S608 - our own names
            "GROUP BY area_code, major, minor HAVING COUNT(DISTINCT line) > 1 ORDER BY 1 LIMIT 100"
        ):
            problems(second, None, f"{area}, {major}, {minor} is also on line {first}: each belongs on one row")
        if problems.any:
            raise FileRejected
        self._merge(ctx, source, layout, stage, result)
        pseudo = sorted(resolver.pseudo_seen)
        if pseudo:
            result.notes.append("kept but never ranked (not local authorities): " + ", ".join(pseudo))
        stage.drop()

    def _cells(  # noqa: C901 - every check of a row, each reported with its column
        self,
        ctx: FileContext,
        reader: Any,
        header: list[str],
        layout: Layout,
        months: list[tuple[int, datetime.date]],
        resolver: AreaResolver,
        problems: Problems,
    ) -> Iterator[tuple[Any, ...]]:
        index = {
            layout.columns[name.strip().lower()]: i for i, name in enumerate(header) if month_of(name.strip()) is None
        }
        column_name = {i: name.strip() for i, name in enumerate(header)}
        for line, cells in numbered(reader):
            ctx.line = line
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems(line, None, f"expected {len(header)} values, one per header column, but found {len(cells)}")
                continue
            ctx.rows += 1
            values = {role: cells[i].strip() for role, i in index.items()}
            row_ok = True
            for role in ("major", "minor", "borough"):
                if not values[role]:
                    problems(line, column_name[index[role]], "a value is required")
                    row_ok = False
                elif len(values[role]) > NAME_LENGTH:
                    problems(line, column_name[index[role]], f"at most {NAME_LENGTH} characters")
                    row_ok = False
            authority = resolver.authority(values["borough"]) if values["borough"] else None
            if values["borough"] and authority is None:
                problems(
                    line,
                    column_name[index["borough"]],
                    f"'{values['borough']}' is neither a London borough nor an area the MPS publishes beside them",
                )
                row_ok = False
            if layout.level == Level.WARD:
                if not WARD_CODE.match(values["ward_code"]):
                    problems(line, column_name[index["ward_code"]], "not an ONS ward code (E05 and six digits)")
                    row_ok = False
                if not values["ward_name"]:
                    problems(line, column_name[index["ward_name"]], "a value is required")
                    row_ok = False
                area = (values["ward_code"], values["ward_name"][:NAME_LENGTH])
            elif authority is not None:
                area = (authority.code, authority.name)
            counts = []
            for i, month in months:
                text = cells[i].strip()
                if not text.isdigit():
                    what = "blank" if not text else f"'{text}'"
                    problems(line, column_name[i], f"{what} is not a count: a whole number, 0 or more, is needed")
                    row_ok = False
                    continue
                counts.append((month, int(text)))
            if not row_ok or problems.any or authority is None:
                continue
            for month, count in counts:
                yield (
                    line,
                    area[0],
                    area[1],
                    authority.code,
                    authority.ranked and layout.level == Level.BOROUGH,
                    values["major"],
                    values["minor"],
                    month,
                    count,
                )

    def _merge(self, ctx: FileContext, source: CrimeFile, layout: Layout, stage: Staging, result: FileResult) -> None:
        scope = "t.partnership_id = %s AND t.publisher = %s AND t.level = %s"
        params = [ctx.partnership.pk, Publisher.MPS, layout.level]
        same_cell = " AND ".join(f"s.{column} = t.{column}" for column in KEY)
        prepare_merge(TABLE)
        # Cells of the covered areas and months that this file no longer has: the revision drops them.
        # Cells of the covered areas and months that this file no longer has: the revision drops them.
        result.removed = execute(
            f"DELETE FROM {TABLE} WHERE id IN (SELECT t.id FROM {TABLE} AS t "  # noqa: S608 - our own names
            f"JOIN (SELECT DISTINCT area_code, month FROM {stage.name}) AS c "
            "ON c.area_code = t.area_code AND c.month = t.month "
            f"LEFT JOIN {stage.name} AS s ON {same_cell} WHERE {scope} AND s.line IS NULL)",
            params,
        )
        result.updated = execute(
            f"UPDATE {TABLE} AS t SET count = s.count, source_id = %s, area_name = s.area_name, "  # noqa: S608
            f"authority_code = s.authority_code, ranked = s.ranked FROM {stage.name} AS s "
            f"WHERE {scope} AND {same_cell} AND t.count <> s.count",
            [source.pk, *params],
        )
        result.created = execute(
            f"INSERT INTO {TABLE} (partnership_id, publisher, level, area_code, area_name, authority_code, "  # noqa: S608
            "ranked, major, minor, month, count, source_id) "
            "SELECT %s, %s, %s, s.area_code, s.area_name, s.authority_code, s.ranked, s.major, s.minor, s.month, "
            f"s.count, %s FROM {stage.name} AS s WHERE NOT EXISTS (SELECT 1 FROM {TABLE} AS t WHERE {scope} "
            f"AND {same_cell})",
            [*params, source.pk, *params],
        )
        result.unchanged = stage.count - result.created - result.updated


register(RecordedCrimeImport())
