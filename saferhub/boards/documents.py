"""A meeting's agenda and minutes as A4 Word documents, in the shape of the partnership board's papers
(seed 003): the agenda's order of business, and minutes with those present, apologies, each item's minute
with its "RESOLVED" decisions, matters arising from earlier meetings and the future work programme.

Two versions of each: the published one (marked OFFICIAL) shows a restricted item as "Item N: restricted"
and nothing of it; the full one (marked OFFICIAL-SENSITIVE, not for publication) is for the board's members
and secretariat. Their file names differ, so one is never mistaken for the other.
"""

from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from saferhub.boards.models import BoardAction
from saferhub.boards.record import ItemView, MeetingRecord
from saferhub.policy import BOARD_FULL as FULL
from saferhub.reporting.document_layout import new_document, save
from saferhub.reporting.outputs import fixed_time

MARKINGS = {FULL: "OFFICIAL-SENSITIVE: NOT FOR PUBLICATION", "published": "OFFICIAL"}
SUFFIXES = {FULL: "full-not-for-publication", "published": "published"}


def long_date(day: Any) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"


def clock(value: Any) -> str:
    return f"{value:%H:%M}" if value is not None else ""


def filename(record: MeetingRecord, document: str) -> str:
    """For example `partnership-board-2026-10-14-minutes-published.docx`."""
    board = slugify(record.meeting.board.name)[:60] or "board"
    return f"{board}-{record.day.isoformat()}-{document}-{SUFFIXES[record.variant]}.docx"


def _grid(document: Any, rows: list[list[str]], header: bool = True) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
            if header and r == 0:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True


def _heading(document: Any, record: MeetingRecord, what: str) -> None:
    meeting = record.meeting
    local = timezone.localtime(meeting.starts_at)
    document.add_heading(meeting.board.name, level=1)
    document.add_paragraph(
        f"{what}. {long_date(local.date())} at {clock(local)}" + (f", {meeting.place}" if meeting.place else "")
    )
    if not record.full:
        document.add_paragraph("Published version: items exempt from publication are shown as restricted and left out.")
    else:
        document.add_paragraph("Full version for the board's members and secretariat: not for publication.")


def _action_line(action: BoardAction) -> str:
    due = f", due {short_date(action.due_on)}" if action.due_on else ""
    raised = short_date(timezone.localtime(action.meeting.starts_at).date())
    state = action.get_status_display()
    if action.completed_on:
        state = f"Done on {short_date(action.completed_on)}"
    update = f" Update: {action.update}" if action.update else ""
    return f"{action.text} (owner {action.owner}{due}; raised {raised}; {state}).{update}"


def agenda_docx(record: MeetingRecord) -> bytes:
    document = new_document(MARKINGS[record.variant], partnership_name=record.meeting.board.partnership.name)
    _heading(document, record, "Agenda")
    chair = next((m for m in record.members if m.role == "chair"), None)
    if chair is not None:
        document.add_paragraph(f"Chair: {chair}")
    members = [m for m in record.members if m.role != "secretariat"]
    if members:
        document.add_heading("Board members", level=2)
        _grid(
            document,
            [["Member", "Organisation", "Role"]]
            + [[m.name, m.organisation_name, m.get_role_display()] for m in members],
        )
    document.add_heading("Order of business", level=2)
    rows = [["Item", "Title", "Presented by", "Time", "Papers"]]
    for view in record.items:
        if view.item is None:
            rows.append([str(view.number), f"Item {view.number}: restricted", "", "", ""])
            continue
        item = view.item
        papers = "; ".join(paper.title for paper in item.papers.all()) or "Verbal update"
        time = f"{item.minutes_allotted} min" if item.minutes_allotted else ""
        title = item.title + (" (restricted: not for publication)" if item.restricted else "")
        rows.append([str(item.number), title, item.owner, time, papers])
    if len(rows) == 1:
        rows.append(["", "No items on the agenda yet", "", "", ""])
    _grid(document, rows)
    if record.matters_arising:
        document.add_heading("Matters arising: actions carried from earlier meetings", level=2)
        for action in record.matters_arising:
            document.add_paragraph(_action_line(action), style="List Bullet")
    if record.forward:
        document.add_heading("Future work programme", level=2)
        for forward in record.forward:
            planned = (
                short_date(timezone.localtime(forward.meeting.starts_at).date()) if forward.meeting else "to be set"
            )
            owner = f" ({forward.owner})" if forward.owner else ""
            document.add_paragraph(f"{forward.title}{owner}: {planned}", style="List Bullet")
    when = fixed_time(record.day)
    return save(document, title=f"{record.meeting.board.name}: agenda, {short_date(record.day)}", when=when)


def _attendance(document: Any, record: MeetingRecord) -> None:
    document.add_heading("Present", level=2)
    if record.present:
        _grid(
            document,
            [["Member", "Organisation"]]
            + [
                [
                    f"{row.member.name} ({row.member.get_role_display()})"
                    + (f", represented by {row.substitute}" if row.substitute else ""),
                    row.member.organisation_name,
                ]
                for row in record.present
            ],
        )
    else:
        document.add_paragraph("No attendance recorded.")
    if record.apologies:
        document.add_heading("Apologies for absence", level=2)
        for row in record.apologies:
            document.add_paragraph(f"{row.member.name}, {row.member.organisation_name}", style="List Bullet")


def _minute(document: Any, view: ItemView) -> None:
    """One item's minute: its heading, text, "RESOLVED" decisions and actions (or "Item N: restricted")."""
    if view.item is None:
        document.add_heading(f"Item {view.number}: restricted", level=2)
        return
    item = view.item
    document.add_heading(f"{item.number}. {item.title.upper()}", level=2)
    if item.restricted:
        document.add_paragraph(f"Restricted: not for publication ({item.restriction_reason}).")
    for paragraph in [p for p in item.minutes.split("\n\n") if p.strip()]:
        document.add_paragraph(paragraph.strip())
    for decision in view.decisions:
        line = document.add_paragraph()
        line.add_run("RESOLVED: ").bold = True
        line.add_run(decision.text)
    for action in view.actions:
        document.add_paragraph(f"ACTION: {_action_line(action)}", style="List Bullet")


def minutes_docx(record: MeetingRecord) -> bytes:
    document = new_document(MARKINGS[record.variant], partnership_name=record.meeting.board.partnership.name)
    _heading(document, record, "Minutes")
    _attendance(document, record)
    document.add_heading("Matters arising", level=2)
    if record.matters_arising:
        for action in record.matters_arising:
            document.add_paragraph(_action_line(action), style="List Bullet")
    else:
        document.add_paragraph("No actions carried from earlier meetings.")
    for view in record.items:
        _minute(document, view)
    loose = [a for a in record.actions if a.item_id is None]
    if loose:
        document.add_heading("Other actions agreed", level=2)
        for action in loose:
            document.add_paragraph(_action_line(action), style="List Bullet")
    if record.meeting.finished_at:
        document.add_paragraph(f"The meeting finished at {clock(record.meeting.finished_at)}.")
    when = fixed_time(record.day)
    return save(document, title=f"{record.meeting.board.name}: minutes, {short_date(record.day)}", when=when)
