"""The dashboard's own layouts: a standalone web page and an A4 Word document for the board paper.

The Word document is A4 landscape (the summary table is wide), carries the protective
marking in its header and page numbers in its footer, and is reproducible byte for byte
like every return (fixed document times).
"""

import datetime
import io
from typing import Any

import docx
from django.template.loader import render_to_string
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from saferhub.core.spreadsheets import neutralise_row
from saferhub.crime import dashboard, geography, maps
from saferhub.crime.report import GLOSSARY, month_text, rag_text, rank_text
from saferhub.reporting import document_layout
from saferhub.reporting.charts import bar_chart
from saferhub.reporting.document_charts import Chart, Series, add_docx_chart, add_xlsx_chart
from saferhub.reporting.outputs import build_workbook, fixed_time, save_workbook

MARKING = document_layout.OFFICIAL  # published figures only
# The generic workbook writes caption, period and a blank row above the headings.
XLSX_HEADER_ROW = 4
MAP_WIDTH = Mm(160)
RAG_COLOURS = {"green": "00703C", "amber": "F47738", "red": "D4351C"}


def _summary_chart(result: dict[str, Any]) -> Any:
    rows = [*result["groups"], result["total"]]
    bars = [(group["name"], group["rolling_year"]["count"]) for group in result["groups"]]
    listing = "; ".join(f"{name}: {value}" for name, value in bars)
    return (
        bar_chart(
            "Crimes in the rolling year by crime group",
            f"Bar chart of crimes in the rolling year by crime group. {listing}.",
            bars,
            "summary",
        )
        if rows
        else None
    )


def to_html(report: Any) -> bytes:
    from saferhub.crime.views import dashboard_context, stop_search_context

    context = dashboard_context(report.result)
    if report.result["area"]["code"] in (report.partnership.areas or []):
        context.update(stop_search_context(report.partnership, _last(report)))
    context.update(maps.map_sections(report.partnership, report.result, _last(report)))
    context.update(partnership=report.partnership, title=report.title, summary_chart=_summary_chart(report.result))
    return render_to_string("crime/export.html", context).encode("utf-8")


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document: Any, columns: list[str], rows: list[list[Any]], widths: list[float] | None = None) -> Any:
    grid = document_layout.add_table(document, columns, rows)
    if widths:
        for row in grid.rows:
            for c, width in enumerate(widths):
                row.cells[c].width = Mm(width)
    return grid


def summary_chart(result: dict[str, Any]) -> Chart | None:
    """Each group's rolling year beside the year before it (all crime left out: it would dwarf the groups)."""
    groups = result["groups"]
    if not groups:
        return None
    listing = "; ".join(
        f"{group['name']}: {group['rolling_year']['count']} (a year before {group['rolling_year']['previous']})"
        for group in groups
    )
    return Chart(
        kind="bar",
        title="Crimes in the rolling year and the year before, by crime group",
        description=f"Bar chart of crimes in the rolling year against the year before, by crime group. {listing}.",
        categories=[group["name"] for group in groups],
        series=[
            Series("Rolling year", [group["rolling_year"]["count"] for group in groups]),
            Series("A year before", [group["rolling_year"]["previous"] for group in groups]),
        ],
        value_axis="Crimes",
    )


def ward_chart(result: dict[str, Any]) -> Chart | None:
    wards = result.get("wards") or []
    if not wards:
        return None
    return Chart(
        kind="bar",
        title="Crimes in the rolling year by ward",
        description="Bar chart of crimes in the rolling year by ward. "
        + "; ".join(f"{ward['name']}: {ward['rolling_year']}" for ward in wards)
        + ".",
        categories=[ward["name"] for ward in wards],
        series=[Series("Rolling year", [ward["rolling_year"] for ward in wards])],
        value_axis="Crimes",
    )


def trend_charts(report: Any) -> list[tuple[str, list[dict[str, Any]], Chart]]:
    """(row name, its 36 months, the line chart with exceptions marked) for every row of the dashboard."""
    result = report.result
    names = [group["name"] for group in [*result["groups"], result["total"]]]
    last = datetime.date.fromisoformat(f"{result['last_month']}-01")
    series = dashboard.trends(report.partnership, result["area"]["code"], last, names)
    out = []
    for name in names:
        points = series[name]
        exceptions = [f"{month_text(p['month'])} {p['exception']}" for p in points if p["exception"]]
        chart = Chart(
            kind="line",
            title=f"{name}: monthly counts, {len(points)} months to {month_text(result['last_month'])}",
            description=(
                f"Line chart of monthly counts. Unusually high or low months: "
                f"{', '.join(exceptions) if exceptions else 'none'}. "
                + "; ".join(f"{month_text(p['month'])}: {p['count']}" for p in points)
                + "."
            ),
            categories=[_short_month(p["month"]) for p in points],
            series=[Series(name, [p["count"] for p in points])],
            marks=[p["exception"] for p in points],
            value_axis="Crimes",
        )
        out.append((name, points, chart))
    return out


def _short_month(month: str) -> str:
    return datetime.date.fromisoformat(f"{month}-01").strftime("%b %Y")


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}%"


def to_docx(report: Any) -> bytes:
    result = report.result
    document = docx.Document()
    section = document.sections[0]
    document_layout.a4(section, landscape=True, margin=15)
    document_layout.header_and_footer(section, marking=MARKING, partnership_name=report.partnership.name)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)

    area, last = result["area"]["name"], month_text(result["last_month"])
    document.add_heading(f"Crime dashboard: {area}, to {last}", level=1)
    total = result["total"]
    population = result.get("population")
    document.add_paragraph(
        f"{report.partnership.name}. Police recorded crime (Metropolitan Police Service). Recent quarter "
        f"{month_text(total['recent_quarter']['from'])} to {month_text(total['recent_quarter']['to'])}, rolling year "
        f"{month_text(total['rolling_year']['from'])} to {month_text(total['rolling_year']['to'])}, each against the "
        "same months a year "
        "before. "
        + (
            f"Rates per 1,000 {population['measure']} ({population['year']})."
            if population
            else "No population held: no rates or ranks."
        )
    )
    document.add_heading("Summary dashboard", level=2)
    rows = [*result["groups"], total]
    recent = [month_text(item["month"]) for item in total["months"][-3:][::-1]]
    grid = _table(
        document,
        [
            "Crime group",
            "RAG",
            "Recent quarter",
            "Change",
            "Rolling year",
            "Change",
            "Rate per 1,000",
            "London rank",
            "Peer rank",
            *recent,
            "Positive / negative factors",
        ],
        [
            [
                group["name"],
                rag_text(group["rag"]),
                group["recent_quarter"]["count"],
                _percent(group["recent_quarter"]["change_percent"]),
                group["rolling_year"]["count"],
                _percent(group["rolling_year"]["change_percent"]),
                group["rate_per_1000"] if group["rate_per_1000"] is not None else "n/a",
                rank_text(group["area_rank"]),
                rank_text(group["peer_rank"]),
                *[
                    f"{item['count']} ({item['exception']})" if item["exception"] else item["count"]
                    for item in group["months"][-3:][::-1]
                ],
                "\n".join(group["factors"]),
            ]
            for group in rows
        ],
    )
    for r, group in enumerate(rows, start=1):
        if group["rag"] in RAG_COLOURS:
            _shade(grid.cell(r, 1), RAG_COLOURS[group["rag"]])
            for run in grid.cell(r, 1).paragraphs[0].runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                run.bold = True
    chart = summary_chart(result)
    if chart is not None:
        add_docx_chart(document, chart)
    commentary = [group for group in rows if group.get("commentary")]
    if commentary:
        document.add_heading("Commentary", level=2)
        for group in commentary:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{group['name']}: ").bold = True
            paragraph.add_run(group["commentary"])
    if result.get("wards"):
        document.add_heading("Wards: crimes in the rolling year", level=2)
        _table(
            document,
            ["Ward", "ONS code", "Rolling year", "A year before", "Change"],
            [
                [ward["name"], ward["code"], ward["rolling_year"], ward["previous"], _percent(ward["change_percent"])]
                for ward in result["wards"]
            ],
        )
        wards = ward_chart(result)
        if wards is not None:
            add_docx_chart(document, wards)
    _maps_section(document, maps.map_data(report.partnership, result, _last(report)))
    _stop_search_section(document, _stop_search(report))
    _trends_section(document, trend_charts(report))
    document.add_heading("Glossary", level=2)
    _table(document, ["Term", "Explanation"], [list(item) for item in GLOSSARY], widths=[40, 220])
    return document_layout.save(document, title=f"Crime dashboard: {area}, to {last}", when=fixed_time(report.date_to))


def _maps_section(document: Any, found: list[maps.MapData]) -> None:
    """Each map as a picture (its alt text lists every value), with the same numbers in a table after it."""
    for item in found:
        document.add_heading(item.title, level=2)
        paragraph = document.add_paragraph()
        shape = paragraph.add_run().add_picture(io.BytesIO(maps.map_png(item.title, item.shapes, item.values)),
                                                width=MAP_WIDTH)  # fmt: skip
        shape._inline.docPr.set("title", item.title)
        shape._inline.docPr.set("descr", f"{item.title}. {item.description}")
        _table(document, [item.area_heading, item.what], [[name, _map_value(value)] for name, value in item.rows])


def _map_value(value: Any) -> Any:
    return "no data" if value is None else value


def _maps_sheet(book: Any, found: list[maps.MapData]) -> None:
    """A sheet per map: its table, and the map as a picture beside it."""
    from openpyxl.drawing.image import Image

    for item in found:
        sheet = book.create_sheet("Ward map" if item.key == "ward_map" else "LSOA hotspots")
        sheet.append([item.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        sheet.append([item.area_heading, item.what])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for name, value in item.rows:
            sheet.append(neutralise_row([name, _map_value(value)]))
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 24
        picture = Image(io.BytesIO(maps.map_png(item.title, item.shapes, item.values)))
        picture.width, picture.height = picture.width * 0.5, picture.height * 0.5
        sheet.add_image(picture, "D3")


def _last(report: Any) -> datetime.date:
    return datetime.date.fromisoformat(f"{report.result['last_month']}-01")


def _stop_search(report: Any) -> dict[str, Any] | None:
    """Only for the partnership's own area: the wards are the partnership's."""
    if report.result["area"]["code"] not in (report.partnership.areas or []):
        return None
    return geography.searches_by_ward(report.partnership, _last(report))


def stop_search_chart(searches: dict[str, Any]) -> Chart:
    wards = searches["wards"]
    return Chart(
        kind="bar",
        title="Stop and search by ward in the rolling year",
        description="Bar chart of stop and search by ward. "
        + "; ".join(f"{ward['name']}: {ward['searches']}" for ward in wards)
        + ".",
        categories=[ward["name"] for ward in wards],
        series=[Series("Searches", [ward["searches"] for ward in wards])],
        value_axis="Searches",
    )


def stop_search_note(searches: dict[str, Any]) -> str:
    return (
        f"data.police.uk stop and search, {month_text(searches['from'])} to {month_text(searches['to'])} "
        f"({searches['months_held']} of 12 months held), placed in wards by the location published; searches "
        "with no location or outside the partnership's wards are not counted here."
    )


STOP_SEARCH_COLUMNS = ["Ward", "Searches", "Of which arrests"]


def _stop_search_section(document: Any, searches: dict[str, Any] | None) -> None:
    if searches is None:
        return
    document.add_heading("Stop and search by ward", level=2)
    document.add_paragraph(stop_search_note(searches))
    _table(
        document,
        STOP_SEARCH_COLUMNS,
        [[ward["name"], ward["searches"], ward["arrests"]] for ward in searches["wards"]],
    )
    add_docx_chart(document, stop_search_chart(searches))


def _trends_section(document: Any, trends: list[tuple[str, list[dict[str, Any]], Chart]]) -> None:
    """A line chart per row with its exceptions marked, then the months in one table."""
    if not trends:
        return
    document.add_heading("Trends: monthly counts over 36 months", level=2)
    for name, _, chart in trends:
        document.add_heading(name, level=3)
        add_docx_chart(document, chart)
    document.add_heading("Monthly counts over 36 months", level=3)
    months = trends[0][1]
    _table(
        document,
        ["Month", *[name for name, _, _ in trends]],
        [
            [month_text(point["month"]), *[_month_cell(points[index]) for _, points, _ in trends]]
            for index, point in enumerate(months)
        ],
    )


def _month_cell(point: dict[str, Any]) -> Any:
    return f"{point['count']} ({point['exception']})" if point["exception"] else point["count"]


def to_xlsx(report: Any) -> bytes:
    """The generic sheets (the ward table's chart beside it), the summary's chart and a sheet of trends."""
    result = report.result
    book = build_workbook(report.title, result, report.tables)
    chart = summary_chart(result)
    if chart is not None:
        sheet = book["Summary"]
        add_xlsx_chart(
            sheet,
            chart,
            header_row=XLSX_HEADER_ROW,
            first_row=XLSX_HEADER_ROW + 1,
            last_row=XLSX_HEADER_ROW + len(result["groups"]),
            label_column=1,
            value_columns=[6, 7],  # rolling year, a year before
            anchor=f"N{XLSX_HEADER_ROW}",
        )
    searches = _stop_search(report)
    if searches is not None:
        _stop_search_sheet(book.create_sheet("Stop and search"), searches)
    _maps_sheet(book, maps.map_data(report.partnership, result, _last(report)))
    _trends_sheet(book.create_sheet("Trends"), trend_charts(report))
    return save_workbook(book, title=report.title, date_to=report.date_to)


def _stop_search_sheet(sheet: Any, searches: dict[str, Any]) -> None:
    sheet.append(["Stop and search by ward in the rolling year"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([stop_search_note(searches)])
    sheet.append([])
    sheet.append(STOP_SEARCH_COLUMNS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for ward in searches["wards"]:
        sheet.append(neutralise_row([ward["name"], ward["searches"], ward["arrests"]]))
    sheet.column_dimensions["A"].width = 40
    add_xlsx_chart(
        sheet,
        stop_search_chart(searches),
        header_row=XLSX_HEADER_ROW,
        first_row=XLSX_HEADER_ROW + 1,
        last_row=XLSX_HEADER_ROW + len(searches["wards"]),
        label_column=1,
        value_columns=[2],
        anchor=f"E{XLSX_HEADER_ROW}",
    )


def _trends_sheet(sheet: Any, trends: list[tuple[str, list[dict[str, Any]], Chart]]) -> None:
    """Months down, rows of the dashboard across; a line chart per row of the dashboard beside them."""
    sheet.append(["Monthly counts over 36 months (exceptions in the columns headed Exception)"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(neutralise_row(["Month", *[name for name, _, _ in trends]]))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    months = trends[0][1] if trends else []
    for index, point in enumerate(months):
        sheet.append([month_text(point["month"]), *[points[index]["count"] for _, points, _ in trends]])
    sheet.column_dimensions["A"].width = 18
    header = 3
    for number, (_, _, chart) in enumerate(trends):
        add_xlsx_chart(
            sheet,
            chart,
            header_row=header,
            first_row=header + 1,
            last_row=header + len(months),
            label_column=1,
            value_columns=[number + 2],
            anchor=f"{get_column_letter(len(trends) + 3)}{header + number * 16}",
        )


RENDERERS = {"html": to_html, "docx": to_docx, "xlsx": to_xlsx}
