"""Rendering a report's result: JSON, HTML, XLSX and DOCX, each reproducible byte for byte.

JSON keeps the key order the report built (the order of the published format).
The Office formats are zip files: their document properties are set to a time
derived from the period (the period's last day, midnight UTC) and every zip entry
is rewritten with that time, so the same data and period give the same bytes.
"""

import datetime
import io
import json
import re
import zipfile
from collections.abc import Sequence, Set
from decimal import Decimal
from typing import Any

import docx
import openpyxl
from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from saferhub.core.dates import for_people
from saferhub.core.spreadsheets import neutralise, neutralise_row
from saferhub.reporting import document_layout
from saferhub.reporting.charts import table_chart
from saferhub.reporting.document_charts import add_docx_chart, add_xlsx_chart, table_chart_data
from saferhub.reporting.tables import Table

RIGHT = Alignment(horizontal="right")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(result: dict[str, Any]) -> bytes:
    return (json.dumps(result, indent=2, ensure_ascii=False, default=_json_default) + "\n").encode("utf-8")


def table_context(tables: list[Table]) -> list[dict[str, Any]]:
    """What templates/reporting/_tables.html needs for each table, chart included."""
    return [
        {
            "table": table,
            "rows": [[for_people(cell) for cell in row] for row in table.rows],
            "total": [for_people(cell) for cell in table.total] if table.total is not None else None,
            "numeric": table.numeric,
            "chart": table_chart(table),
        }
        for table in tables
    ]


def to_html(title: str, result: dict[str, Any], tables: list[Table], *, partnership: Any, publish: bool) -> bytes:
    """A standalone HTML document (for files written by the command or downloaded)."""
    html = render_to_string(
        "reporting/export.html",
        {
            "title": title,
            "result": result,
            "partnership": partnership,
            "period": result.get("period", {}),
            "publish": publish,
            "tables": table_context(tables),
        },
    )
    return html.encode("utf-8")


def fixed_time(date_to: datetime.date) -> datetime.datetime:
    return datetime.datetime(max(date_to.year, 1980), date_to.month, date_to.day)  # noqa: DTZ001 - naive UTC, as the formats store it


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


# A ZIP entry's timestamp holds 1980 to 2107 only; a period outside that is stamped at the nearest end.
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
ZIP_LATEST = (2107, 12, 31, 23, 59, 58)


def _zip_time(when: datetime.datetime) -> tuple[int, int, int, int, int, int]:
    stamp = tuple(when.timetuple()[:6])
    return min(max(stamp, ZIP_EARLIEST), ZIP_LATEST)  # type: ignore[return-value]


def _normalise_zip(data: bytes, when: datetime.datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(item.filename, date_time=_zip_time(when))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()


SHEET_NAME_LENGTH = 31  # Excel's limit
# Characters a sheet name cannot hold; an apostrophe cannot start or end one.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_LOOSE_ENDS = " ,;.-–—('\""


def _shorten(text: str, length: int) -> str:
    """At most `length` characters, cut at a word boundary where possible, with no dangling punctuation."""
    if len(text) > length:
        cut = text[:length]
        # Cut mid-word: drop the part-word rather than show "by quar" (unless it is the only word).
        if not text[length].isspace() and " " in cut:
            cut = cut[: cut.rindex(" ")]
        text = cut
    return text.rstrip(_LOOSE_ENDS).lstrip(" '")


def _sheet_title(caption: str, used: set[str], short: str = "") -> str:
    """A sheet name from the table's short name or caption: valid, readable and unique in the workbook."""
    base = _shorten(_NOT_IN_SHEET_NAMES.sub("", short or caption).strip(), SHEET_NAME_LENGTH) or "Table"
    title, number = base, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = _shorten(base, SHEET_NAME_LENGTH - len(suffix)) + suffix, number + 1
    used.add(title.lower())
    return title


def _xlsx_value(value: Any) -> Any:
    """A cell of a numeric column: a number stays a number, a blank is an empty cell, a marker ("<5") text."""
    if value == "":
        return None
    if isinstance(value, str):
        try:
            number = Decimal(value.replace(",", ""))
        except ArithmeticError:
            return value
        if not number.is_finite():
            return value
        return int(number) if number == number.to_integral_value() and "." not in value else number
    return value


def _xlsx_row(values: Sequence[Any], numeric: set[int], percent: Set[int] = frozenset()) -> list[Any]:
    """A row's cells: numbers as numbers (percentages as fractions), text a spreadsheet would run neutralised."""
    cells = [_xlsx_value(value) if index in numeric else for_people(value) for index, value in enumerate(values)]
    for index in percent:
        if (
            index < len(cells)
            and isinstance(cells[index], int | float | Decimal)
            and not isinstance(cells[index], bool)
        ):
            cells[index] = Decimal(str(cells[index])) / 100
    return neutralise_row(cells)


# A heading such as "Per cent of referrals (%)" or "Change (%)" marks a column of percentages.
_PERCENT_HEADING = re.compile(r"\(%\)|^per cent\b|%$", re.IGNORECASE)
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
MAX_COLUMN_WIDTH = 60


def _percent_columns(table: Table) -> set[int]:
    return {index for index in table.numeric if _PERCENT_HEADING.search(str(table.columns[index]))}


def _format_numbers(sheet: Any, numeric: set[int], percent: Set[int]) -> None:
    """Percentages shown as "45.2%", whole numbers with thousands separators, in the sheet's last row."""
    for index, cell in enumerate(sheet[sheet.max_row]):
        if index in percent and isinstance(cell.value, Decimal):
            cell.number_format = PERCENT_FORMAT
        elif index in numeric and isinstance(cell.value, int) and not isinstance(cell.value, bool):
            cell.number_format = COUNT_FORMAT


def _fit_columns(sheet: Any, first_row: int) -> None:
    """Each column as wide as its longest heading or value (from the table's heading row on), within reason."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), len(str(cell.value)))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), MAX_COLUMN_WIDTH)


def period_in_words(period: dict[str, Any]) -> str:
    """ "1 April 2026 to 30 June 2026" from the result's ISO period; what the result holds if it is not a date."""
    words = []
    for key in ("from", "to"):
        value = period.get(key, "")
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            words.append(str(value))
        else:
            words.append(f"{day.day} {day:%B %Y}")
    return " to ".join(words)


def _align(sheet: Any, numeric: set[int]) -> None:
    """Right-align the numeric columns of the last row, so a heading or a "<5" lines up with the numbers."""
    for index, cell in enumerate(sheet[sheet.max_row]):
        if index in numeric:
            cell.alignment = RIGHT


def _chart_beside(sheet: Any, table: Table, header_row: int) -> None:
    """The table's chart (the one HTML draws) as a native chart of its cells, to the right of the table."""
    chart = table_chart_data(table)
    if chart is None:
        return
    add_xlsx_chart(
        sheet,
        chart,
        header_row=header_row,
        first_row=header_row + 1,
        last_row=header_row + len(table.rows),
        label_column=1,
        value_columns=[table.charted_column + 1],
        anchor=f"{get_column_letter(len(table.columns) + 2)}{header_row}",
    )


def to_xlsx(title: str, result: dict[str, Any], tables: list[Table], *, date_to: datetime.date) -> bytes:
    return save_workbook(build_workbook(title, result, tables), title=title, date_to=date_to)


def build_workbook(title: str, result: dict[str, Any], tables: list[Table]) -> Any:
    """A sheet per table (caption, period, headings, rows, total, notes) with its chart beside it."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.caption, used, table.sheet_name))
        numeric = set(table.numeric)
        percent = _percent_columns(table)
        sheet.append([neutralise(table.caption)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([neutralise(f"{title}, {period_in_words(result.get('period', {}))}")])
        sheet.append([])
        sheet.append(neutralise_row(table.columns))
        header_row = sheet.max_row
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        _align(sheet, numeric)
        for row in table.rows:
            sheet.append(_xlsx_row(row, numeric, percent))
            _align(sheet, numeric)
            _format_numbers(sheet, numeric, percent)
        if table.total is not None:
            sheet.append(_xlsx_row(table.total, numeric, percent))
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            _align(sheet, numeric)
            _format_numbers(sheet, numeric, percent)
        # Widths from the heading row on: the caption and period lines may run across empty cells.
        _fit_columns(sheet, header_row)
        _chart_beside(sheet, table, header_row)
        for note in table.notes:
            sheet.append([neutralise(note)])
    return workbook


def save_workbook(workbook: Any, *, title: str, date_to: datetime.date) -> bytes:
    """The workbook's bytes with fixed properties and zip times: the same data give the same bytes."""
    when = fixed_time(date_to)
    workbook.properties.creator = "Saferhub"
    workbook.properties.lastModifiedBy = "Saferhub"
    workbook.properties.title = title
    workbook.properties.created = when
    workbook.properties.modified = when
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue(), when)


def to_docx(
    title: str,
    result: dict[str, Any],
    tables: list[Table],
    *,
    partnership: Any,
    date_to: datetime.date,
    marking: str = document_layout.OFFICIAL_SENSITIVE,
) -> bytes:
    """A4 portrait, the marking and partnership in the header, "Page N of M" below; each table then its chart."""
    document = docx.Document()
    section = document.sections[0]
    document_layout.a4(section)
    document_layout.header_and_footer(section, marking=marking, partnership_name=partnership.name)
    document.add_heading(title, level=1)
    document.add_paragraph(f"{partnership.name}. Period: {period_in_words(result.get('period', {}))}.")
    for table in tables:
        document.add_heading(table.caption, level=2)
        rows = [[for_people(cell) for cell in row] for row in table.rows]
        if table.total is not None:
            rows.append([for_people(cell) for cell in table.total])
        document_layout.add_table(document, [str(column) for column in table.columns], rows)
        chart = table_chart_data(table)
        if chart is not None:
            add_docx_chart(document, chart)
        for note in table.notes:
            document.add_paragraph(note)
    return document_layout.save(document, title=title, when=fixed_time(date_to))
