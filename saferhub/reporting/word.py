"""The shared layout of Saferhub's Word documents: A4, the protective marking in the header, "Page N of M"
in the footer, and reproducible bytes (fixed document times, normalised ZIP entries).

    document = a4_document("OFFICIAL")            # or landscape=True for wide tables
    ... add headings, paragraphs and tables ...
    data = finish(document, title="…", when=fixed_time(day))
"""

import io
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from saferhub.reporting.outputs import _normalise_zip


def add_field(paragraph: Any, instruction: str) -> None:
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


def a4_document(marking: str, *, landscape: bool = False, margin_mm: int = 15, font_size: int = 9) -> Any:
    """A new A4 document with `marking` centred in bold in the header and "MARKING   Page N of M" in the footer."""
    document = docx.Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(margin_mm))
    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{marking}   Page ")
    add_field(footer, "PAGE")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES")
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(font_size)
    return document


def finish(document: Any, *, title: str, when: Any) -> bytes:
    """The document's bytes, with fixed properties and times so the same content gives the same bytes."""
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
