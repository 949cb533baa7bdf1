"""A letter as an A4 Word document: marking and partnership in the header (with its logo), "Page N of M" in the
footer, the date and address block, the heading, then the merged body."""

import datetime
import logging
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from saferhub.letters.models import PartnershipBranding
from saferhub.letters.values import long_date
from saferhub.reporting import document_layout

logger = logging.getLogger(__name__)


def blocks(text: str) -> list[tuple[str, str]]:
    """The body as (kind, text) blocks: "heading", "bullet" or "paragraph". Empty blocks are dropped, and so
    is a heading with nothing under it (a section whose merge field was empty for this case)."""
    parsed: list[tuple[str, str]] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            parsed.append(("heading", lines[0][3:].strip()))
            lines = lines[1:]
        if lines and all(line.lstrip().startswith("- ") for line in lines):
            parsed.extend(("bullet", line.lstrip()[2:].strip()) for line in lines)
        elif lines:
            parsed.append(("paragraph", "\n".join(lines)))
    kept = []
    for index, (kind, value) in enumerate(parsed):
        following = parsed[index + 1][0] if index + 1 < len(parsed) else None
        if kind == "heading" and following in (None, "heading"):
            continue
        kept.append((kind, value))
    return kept


def _logo(document: Any, branding: PartnershipBranding) -> None:
    if not branding.logo:
        return
    header = document.sections[0].header
    paragraph = header.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    try:
        with branding.logo.open("rb") as handle:
            paragraph.add_run().add_picture(handle, height=Mm(15))
    except (OSError, ValueError) as exc:  # a missing or unreadable file: the letter goes without the logo
        logger.warning("Logo of partnership %s not added: %s", branding.partnership_id, exc)


def _lines(document: Any, text: str) -> None:
    """One paragraph, its lines kept apart by line breaks (an address block, a signature)."""
    paragraph = document.add_paragraph()
    for number, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if number:
            run.add_break()
        run.add_text(line)


def build(
    *,
    branding: PartnershipBranding,
    marking: str,
    subject: str,
    body: str,
    recipient_name: str,
    recipient_address: str,
    reference: str,
    issued_on: datetime.date,
) -> Any:
    document = document_layout.new_document(marking, partnership_name=branding.display_name, font_size=11)
    _logo(document, branding)
    sender = [branding.display_name, branding.address, branding.phone, branding.email]
    sender_paragraph = "\n".join(line for line in sender if line)
    _lines(document, sender_paragraph)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(long_date(issued_on)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    address = "\n".join(line for line in [recipient_name, recipient_address] if line)
    if address:
        _lines(document, address)
    document.add_paragraph(f"Our reference: {reference}")
    document.add_heading(subject, level=1)
    for kind, value in blocks(body):
        if kind == "heading":
            document.add_heading(value, level=2)
        elif kind == "bullet":
            document.add_paragraph(value, style="List Bullet")
        else:
            _lines(document, value)
    return document
