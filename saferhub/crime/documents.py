"""The dashboard's own layouts: a standalone web page and an A4 Word document for the board paper.

The Word document is A4 landscape (the summary table is wide), carries the protective
marking in its header and page numbers in its footer, and is reproducible byte for byte
like every return (fixed document times).
"""

from typing import Any

from django.template.loader import render_to_string
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor

from saferhub.crime.report import GLOSSARY, month_text, rag_text, rank_text
from saferhub.reporting.charts import bar_chart
from saferhub.reporting.outputs import fixed_time
from saferhub.reporting.word import a4_document, finish

MARKING = "OFFICIAL"
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
    from saferhub.crime.views import dashboard_context

    context = dashboard_context(report.result)
    context.update(partnership=report.partnership, title=report.title, summary_chart=_summary_chart(report.result))
    return render_to_string("crime/export.html", context).encode("utf-8")


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document: Any, columns: list[str], rows: list[list[Any]], widths: list[float] | None = None) -> Any:
    grid = document.add_table(rows=len(rows) + 1, cols=len(columns))
    grid.style = "Table Grid"
    for c, heading in enumerate(columns):
        cell = grid.cell(0, c)
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            grid.cell(r, c).text = "" if value is None else str(value)
    if widths:
        for row in grid.rows:
            for c, width in enumerate(widths):
                row.cells[c].width = Mm(width)
    return grid


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}%"


def to_docx(report: Any) -> bytes:
    result = report.result
    when = fixed_time(report.date_to)
    document = a4_document(MARKING, landscape=True)

    area, last = result["area"]["name"], month_text(result["last_month"])
    document.add_heading(f"Crime dashboard: {area}, to {last}", level=1)
    total = result["total"]
    population = result.get("population")
    document.add_paragraph(
        f"{report.partnership.name}. Police recorded crime (Metropolitan Police Service). Recent quarter "
        f"{total['recent_quarter']['from']} to {total['recent_quarter']['to']}, rolling year "
        f"{total['rolling_year']['from']} to {total['rolling_year']['to']}, each against the same months a year "
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
    document.add_heading("Glossary", level=2)
    _table(document, ["Term", "Explanation"], [list(item) for item in GLOSSARY], widths=[40, 220])
    return finish(document, title=f"Crime dashboard: {area}, to {last}", when=when)


RENDERERS = {"html": to_html, "docx": to_docx}
