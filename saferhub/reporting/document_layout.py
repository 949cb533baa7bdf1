"""The page of every Word document Saferhub writes: A4, protective marking, "Page N of M".

Shared by the generic return layout (``outputs.to_docx``), the crime dashboard and the board
pack, so a board paper assembled from several of them looks like one document.
"""

import datetime
import io
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
A4 = (Mm(210), Mm(297))


def a4(section: Any, *, landscape: bool = False, margin: float = 20) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(margin))


def field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word fills it in when the document is opened or printed."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def header_and_footer(section: Any, *, marking: str, partnership_name: str = "") -> None:
    """The marking (bold) and the partnership in the header; the marking and "Page N of M" in the footer."""
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking).bold = True
    if partnership_name:
        header.add_run(f"   {partnership_name}")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{marking}   Page ")
    field(footer, "PAGE")
    footer.add_run(" of ")
    field(footer, "NUMPAGES")


def new_document(
    marking: str, *, partnership_name: str = "", landscape: bool = False, margin: float = 20, font_size: int = 0
) -> Any:
    """A new A4 document with the marking and partnership in its header and "Page N of M" in its footer."""
    document = docx.Document()
    section = document.sections[0]
    a4(section, landscape=landscape, margin=margin)
    header_and_footer(section, marking=marking, partnership_name=partnership_name)
    if font_size:
        document.styles["Normal"].font.size = Pt(font_size)
    return document


def repeat_header_row(table: Any) -> None:
    """The first row repeats at the top of every page the table runs onto (and marks it as headings)."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def add_table(document: Any, columns: list[str], rows: list[list[Any]]) -> Any:
    """A grid with a bold heading row that repeats on each page."""
    grid = document.add_table(rows=len(rows) + 1, cols=len(columns))
    grid.style = "Table Grid"
    for c, heading in enumerate(columns):
        cell = grid.cell(0, c)
        cell.text = str(heading)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            grid.cell(r, c).text = "" if value is None else str(value)
    repeat_header_row(grid)
    return grid


def save(document: Any, *, title: str, when: datetime.datetime) -> bytes:
    """The document's bytes with fixed properties and zip times, so the same data give the same bytes."""
    from saferhub.reporting.outputs import _normalise_zip

    properties = document.core_properties
    properties.author = "Saferhub"
    properties.last_modified_by = "Saferhub"
    properties.title = title
    properties.created = when
    properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue(), when)
