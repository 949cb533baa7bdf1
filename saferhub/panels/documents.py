"""Agenda and minutes of a meeting as Word documents (DOCX)."""

import io
from typing import Any

import docx

from saferhub.panels.models import Attendance, Hearing, Meeting


def _document(title: str, meeting: Meeting) -> Any:
    document = docx.Document()
    document.add_heading(title, level=1)
    details = [f"Date: {meeting.date:%A %-d %B %Y}"]
    if meeting.location:
        details.append(f"Where: {meeting.location}")
    if meeting.chair:
        details.append(f"Chair: {meeting.chair}")
    for line in details:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.author = "Saferhub"
    properties.last_modified_by = "Saferhub"
    properties.title = title
    return document


def _grid(document: Any, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def _bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _who(hearing: Hearing) -> str:
    person = hearing.panel_case.person
    return person.display_name if person is not None else "Not recorded"


def agenda_docx(meeting: Meeting, hearings: list[Hearing]) -> bytes:
    document = _document(f"{meeting.panel_type.name}: agenda", meeting)
    agencies = [row.agency.name for row in meeting.attendance.all()]
    if agencies:
        document.add_heading("Agencies invited", level=2)
        document.add_paragraph(", ".join(agencies))
    document.add_heading("Cases to be heard", level=2)
    if not hearings:
        document.add_paragraph("No cases are listed yet.")
        return _bytes(document)
    rows = [["No.", "Case", "Person", "Reason on the agenda"]]
    rows += [
        [str(number), h.panel_case.case.reference, _who(h), h.get_reason_display()]
        for number, h in enumerate(hearings, start=1)
    ]
    _grid(document, rows)
    document.add_paragraph(
        "Agencies: research each case in your own records before the meeting and bring what is relevant and "
        "proportionate to share. This agenda is confidential."
    )
    return _bytes(document)


def minutes_docx(meeting: Meeting, hearings: list[Hearing], *, include_shared: bool) -> bytes:
    """Decisions and actions; the information agencies shared only when the coordinator includes it."""
    document = _document(f"{meeting.panel_type.name}: minutes", meeting)
    present = [r for r in meeting.attendance.all() if r.attendance == Attendance.ATTENDED]
    apologies = [r for r in meeting.attendance.all() if r.attendance == Attendance.APOLOGIES]
    document.add_heading("Attendance", level=2)
    document.add_paragraph("Present: " + (", ".join(_attendee(r) for r in present) or "not recorded") + ".")
    if apologies:
        document.add_paragraph("Apologies: " + ", ".join(r.agency.name for r in apologies) + ".")
    for number, hearing in enumerate(hearings, start=1):
        document.add_heading(f"{number}. {hearing.panel_case.case.reference}: {_who(hearing)}", level=2)
        document.add_paragraph(f"On the agenda as: {hearing.get_reason_display()}.")
        if include_shared:
            for item in hearing.information.all():
                document.add_paragraph(
                    f"{item.agency.name} shared ({item.get_lawful_basis_display()}): {item.information}"
                )
        if hearing.risks:
            document.add_paragraph(f"Risks: {hearing.risks}")
        if hearing.decisions:
            document.add_paragraph(f"Decisions: {hearing.decisions}")
        document.add_paragraph(f"Outcome: {hearing.get_outcome_display() or 'not heard'}.")
        agreed = list(hearing.agreed_actions.all())
        if agreed:
            rows = [["Action", "Owner", "Agency", "Due"]]
            rows += [
                [a.action.title, str(a.action.owner), a.owner_agency.name, f"{a.action.due_on:%-d %b %Y}"]
                for a in agreed
            ]
            _grid(document, rows)
    return _bytes(document)


def _attendee(row: Any) -> str:
    return f"{row.agency.name} ({row.representative})" if row.representative else row.agency.name
