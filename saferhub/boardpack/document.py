"""The board pack as a DOCX in the shape of the board papers (seeds 000 and 001).

A4 pages; the protective marking at the top of every page (OFFICIAL-SENSITIVE for the
full pack, OFFICIAL for the publishable variant, whose small numbers are suppressed); the
partnership's name and "Page N of M" at the foot. A cover sheet (meeting, title, report
of, period, summary, recommendations), a contents list, then each section with its
heading, what it was built from, how its RAG ratings are set where it has them, and its
tables (header rows repeated on every page). The same contents give the same bytes.
"""

import datetime
import io
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from saferhub.boardpack.contents import section_tables
from saferhub.reporting.outputs import _normalise_zip, fixed_time
from saferhub.reporting.tables import Table

FULL_MARKING = "OFFICIAL-SENSITIVE"
PUBLIC_MARKING = "OFFICIAL"
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


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _page_setup(document: Any, partnership_name: str, publish: bool) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking(publish)).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{marking(publish)}. {partnership_name}. Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


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


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


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
    _repeat_header(grid.rows[0])
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
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    _page_setup(document, result.get("partnership", ""), publish)
    _cover(document, result, publish)
    _contents(document, result)
    for number, entry in enumerate(result.get("sections", []), start=1):
        _section(document, entry, number, result["period"], publish)
    properties = document.core_properties
    properties.author = "Saferhub"
    properties.last_modified_by = "Saferhub"
    properties.title = f"{result.get('title', '')}, {result.get('period_label', '')}"
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue(), when)
