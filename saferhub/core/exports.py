"""Every list to CSV and XLSX: one mechanism, given the list's queryset and its columns.

A list page passes the queryset it shows (already narrowed by the policy and the page's
filters, in the page's order) and its columns; ``export_response`` answers
``?download=csv`` or ``?download=xlsx`` with the whole list, not one page of it.

- CSV follows the interchange rules (``INTERCHANGE.md``): UTF-8, a header row of
  snake_case names, codes rather than labels, dates as ``YYYY-MM-DD``, blank for
  nothing; it streams row by row, so memory does not grow with the list.
- XLSX is for people: a heading row of labels, labels rather than codes, real dates
  (shown as "4 December 2026"); written in openpyxl's write-only mode to a temporary
  file, which is then streamed.
- Every cell passes through ``core.spreadsheets.neutralise`` (no formulas run).
- Every export is audited as an export (what, format, the filters) before it is sent.
- An export holds at most ``MAX_ROWS`` rows (what a worksheet holds).
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import openpyxl
from django.db import models, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from openpyxl.styles import Font

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.spreadsheets import neutralise

FORMATS = ("csv", "xlsx")
PARAM = "download"
MAX_ROWS = 1_048_000
CHUNK = 2000
XLSX_DATE = "d mmmm yyyy"
XLSX_DATETIME = "d mmmm yyyy hh:mm"


def _follow(obj: Any, path: str) -> Any:
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj() if callable(obj) else obj


@dataclass(frozen=True)
class Column:
    """One column: its CSV name, its XLSX heading, and how a row gives its code and its label.

    ``code`` gives the CSV value (a code, a date, a number); ``label`` the XLSX value (the
    label people read); without ``label`` both are the same.
    """

    name: str
    heading: str
    code: Callable[[Any], Any]
    label: Callable[[Any], Any] | None = None

    def csv_value(self, row: Any) -> str:
        value = self.code(row)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return (
                timezone.localtime(value).isoformat(timespec="seconds")
                if timezone.is_aware(value)
                else value.isoformat()
            )
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(neutralise(str(value)))

    def xlsx_value(self, row: Any) -> Any:
        value = (self.label or self.code)(row)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.date | int | float):
            return value
        return neutralise(str(value))


def field(name: str, heading: str, path: str | None = None) -> Column:
    """A column read from a model field path (``status``, ``owning_team__name``).

    A field with choices gives its code to CSV and its label to XLSX; a foreign key to a
    reference code (anything with ``code`` and ``label``) likewise.
    """
    path = path or name

    def code(row: Any) -> Any:
        value = _follow(row, path)
        if isinstance(value, models.Model):
            return getattr(value, "code", None) or str(value)
        return value

    def label(row: Any) -> Any:
        *head, last = path.split("__")
        owner = _follow(row, "__".join(head)) if head else row
        if owner is None:
            return None
        display = getattr(owner, f"get_{last}_display", None)
        if display is not None:
            return display()
        value = getattr(owner, last)
        if isinstance(value, models.Model):
            return getattr(value, "label", None) or str(value)
        return value

    return Column(name, heading, code, label)


def computed(name: str, heading: str, value: Callable[[Any], Any], label: Callable[[Any], Any] | None = None) -> Column:
    return Column(name, heading, value, label)


def wanted_format(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the request asks for a download of the list, else None."""
    fmt = request.GET.get(PARAM, "")
    return fmt if fmt in FORMATS else None


def export_links(request: HttpRequest, **extra: str) -> dict[str, str]:
    """The list's current URL with ``download=csv`` and ``download=xlsx``: filters kept, page dropped.

    `extra` names which list of a page with several (``list="meetings"``)."""
    links = {}
    for fmt in FORMATS:
        query = request.GET.copy()
        for param in ("page", "after", "before", PARAM, *extra):
            query.pop(param, None)
        query.update(extra)
        query[PARAM] = fmt
        links[fmt] = f"{request.path}?{query.urlencode()}"
    return links


def _rows(queryset: Iterable[Any]) -> Iterator[Any]:
    if isinstance(queryset, models.QuerySet):
        yield from queryset[:MAX_ROWS].iterator(chunk_size=CHUNK)
    else:
        yield from list(queryset)[:MAX_ROWS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.name for column in columns])
    for row in _rows(rows):
        yield writer.writerow([column.csv_value(row) for column in columns])


def _xlsx_file(rows: Iterable[Any], columns: Sequence[Column], title: str) -> Any:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = openpyxl.cell.WriteOnlyCell(sheet, value=column.heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(rows):
        cells = []
        for column in columns:
            value = column.xlsx_value(row)
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = XLSX_DATETIME
            elif isinstance(value, datetime.date):
                cell.number_format = XLSX_DATE
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(handle)
    handle.seek(0)
    return handle


def export_response(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    name: str,
    title: str,
    fmt: str | None = None,
) -> HttpResponse:
    """The list as a CSV or XLSX download, audited as an export. `name` is the file's stem (``cases``)."""
    fmt = fmt or wanted_format(request) or "csv"
    filters = {key: value for key, value in request.GET.items() if key not in (PARAM, "page", "after", "before")}
    with transaction.atomic():
        log.record(
            request.user, AuditAction.EXPORT, request=request, detail={"what": name, "format": fmt, "filters": filters}
        )
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_stream(rows, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            _xlsx_file(rows, columns, title),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "no-store"
    # Typed as the list views' own return type: they answer with a page or with this download.
    return cast(HttpResponse, response)


def export_parts(
    request: HttpRequest,
    base: models.QuerySet,
    parts: Sequence[models.QuerySet],
    ordering: Sequence[str],
    columns: Sequence[Column],
    *,
    refine: Any = None,
    name: str,
    title: str,
) -> HttpResponse:
    """A keyset list's download: the union of the policy's parts (after the list's filters), in list order."""
    from saferhub.core.keyset import union_queryset

    rows = union_queryset(base, parts, refine).order_by(*ordering)
    return export_response(request, rows, columns, name=name, title=title)
