"""The board pack as a DOCX in the shape of the board papers (seeds 000 and 001).

The shared page of every Saferhub document (`reporting.document_layout`): A4, the protective
marking in the header (OFFICIAL-SENSITIVE for the full pack, OFFICIAL for the publishable
variant, whose small numbers are suppressed) with the partnership's name, "Page N of M" at the
foot. A cover sheet (meeting, title, report
of, period, summary, recommendations), a contents list, then each section with its
heading, what it was built from, how its RAG ratings are set where it has them, and its
tables (header rows repeated on every page), each followed by its chart (`reporting.document_charts`).
The same contents give the same bytes.
"""

import datetime
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from saferhub.boardpack.contents import section_tables
from saferhub.reporting.document_charts import add_docx_chart, table_chart_data
from saferhub.reporting.document_layout import OFFICIAL, OFFICIAL_SENSITIVE, new_document, repeat_header_row, save
from saferhub.reporting.outputs import fixed_time
from saferhub.reporting.tables import Table

FULL_MARKING = OFFICIAL_SENSITIVE
PUBLIC_MARKING = OFFICIAL
SUPPRESSION_NOTE = (
    "For publication: counts from 1 to 4 are shown as “<5”, and a further count or total is hidden where it "
    "would reveal them; percentages on those rows are shown as “[c]”."
)


def marking(publish: bool) -> str:
    return PUBLIC_MARKING if publish else FULL_MARKING


def long_date(value: str | None) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def _paragraphs(document: Any, text: str) -> None:
    """Text as typed: a paragraph per blank-line-separated block, lines kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    if not blocks:
        document.add_paragraph("None.")
    for block in blocks:
        paragraph = document.add_paragraph()
        for index, line in enumerate(block.split("\n")):
            if index:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(line)


def _cover(document: Any, result: dict[str, Any], publish: bool) -> None:
    meeting = result.get("meeting") or {}
    document.add_paragraph(result.get("partnership", "")).runs[0].bold = True
    if meeting.get("title"):
        document.add_paragraph(meeting["title"])
    if meeting.get("date"):
        document.add_paragraph(long_date(meeting["date"]))
    document.add_heading(result.get("title", ""), level=0)
    rows = [
        ("Title", result.get("title", "")),
        ("Report of", result.get("report_of", "") or "Not given"),
        (
            "Period",
            f"{result['period_label']}: {long_date(result['period']['from'])} to {long_date(result['period']['to'])}",
        ),
        ("Status", f"{str(result.get('status', '')).capitalize()}, version {result.get('version', 1)}"),
        ("Protective marking", marking(publish)),
    ]
    grid = document.add_table(rows=len(rows), cols=2)
    grid.style = "Table Grid"
    for index, (label, value) in enumerate(rows):
        grid.cell(index, 0).text = label
        grid.cell(index, 0).paragraphs[0].runs[0].bold = True
        grid.cell(index, 1).text = str(value)
    document.add_heading("Summary", level=1)
    _paragraphs(document, result.get("summary", ""))
    document.add_heading("Recommendations", level=1)
    _paragraphs(document, result.get("recommendations", ""))
    if publish:
        document.add_paragraph(SUPPRESSION_NOTE)


def _contents(document: Any, result: dict[str, Any]) -> None:
    document.add_page_break()
    document.add_heading("Contents", level=1)
    for number, entry in enumerate(result.get("sections", []), start=1):
        document.add_paragraph(f"{number}. {entry['title']}")
    if not result.get("sections"):
        document.add_paragraph("This pack has no sections.")


def _table(document: Any, table: Table) -> None:
    document.add_heading(table.caption, level=3)
    if not table.rows:
        document.add_paragraph("None in this period.")
        return
    rows = [list(table.columns), *[list(row) for row in table.rows]]
    if table.total is not None:
        rows.append(list(table.total))
    grid = document.add_table(rows=len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    numeric = set(table.numeric)
    repeat_header_row(grid)
    for r, row in enumerate(rows):
        bold = r == 0 or (table.total is not None and r == len(rows) - 1)
        for c, value in enumerate(row):
            paragraph = grid.cell(r, c).paragraphs[0]
            run = paragraph.add_run("" if value is None else str(value))
            run.bold = bold
            if c in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in table.notes:
        document.add_paragraph(note)
    chart = table_chart_data(table)
    if chart is not None:
        # The chart beside its table: the same figures, drawn (suppressed cells have no bar).
        add_docx_chart(document, chart)


def _section(document: Any, entry: dict[str, Any], number: int, period: dict[str, str], publish: bool) -> None:
    document.add_page_break()
    document.add_heading(f"{number}. {entry['title']}", level=1)
    document.add_paragraph(
        f"Built from the {entry['report']} return for {long_date(period['from'])} to {long_date(period['to'])}."
    )
    if entry.get("figures") is None:
        document.add_paragraph(f"Not available: {entry.get('unavailable', 'no figures')}")
        return
    if entry.get("rag_explained"):
        paragraph = document.add_paragraph()
        paragraph.add_run("How the RAG ratings are set. ").bold = True
        paragraph.add_run(entry["rag_explained"])
    for table in section_tables(entry, number, publish=publish):
        _table(document, table)


def render_docx(result: dict[str, Any], *, publish: bool) -> bytes:
    """The pack's DOCX from its contents (the board-pack JSON), byte for byte the same for the same contents."""
    when = fixed_time(datetime.date.fromisoformat(result["period"]["to"]))
    document = new_document(marking(publish), partnership_name=result.get("partnership", ""), font_size=11)
    _cover(document, result, publish)
    _contents(document, result)
    for number, entry in enumerate(result.get("sections", []), start=1):
        _section(document, entry, number, result["period"], publish)
    return save(document, title=f"{result.get('title', '')}, {result.get('period_label', '')}", when=when)
