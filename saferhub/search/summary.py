"""A case's summary and chronology: what a court bundle or a subject access request needs, as the viewer may see it.

Built once (``build``) and rendered twice: as a printable page (``casework/summary.html``,
whose print stylesheet drops the navigation and repeats the marking on every page) and as
a Word document (A4, protective marking, "Page N of M": ``reporting.document_layout``).

What the viewer may not see stays out: linked cases they cannot open, contact details
confidential to the teams that own the person's cases, and the names of the users a
restricted case is restricted to.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from saferhub import policy
from saferhub.cases.models import Action, Case, CaseLink, CaseShare, Note, Referral, StageLog
from saferhub.reporting.document_layout import OFFICIAL_SENSITIVE, add_table, new_document, save

MARKING = OFFICIAL_SENSITIVE


@dataclass
class Entry:
    """One line of the chronology."""

    at: datetime.datetime
    kind: str
    text: str
    by: str = ""


@dataclass
class PersonPart:
    name: str
    role: str
    born: datetime.date | None
    contacts: list[str] = field(default_factory=list)
    confidential_withheld: bool = False


@dataclass
class Summary:
    case: Case
    marking: str
    produced_at: datetime.datetime
    details: list[tuple[str, str]]
    people: list[PersonPart]
    chronology: list[Entry]
    links: list[str]
    attachments: list[str]


def _date(value: datetime.date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


def _name(user: Any) -> str:
    return str(user) if user is not None else ""


def _details(case: Case) -> list[tuple[str, str]]:
    return [
        ("Reference", case.reference),
        ("Title", case.title),
        ("Case type", case.case_type.name),
        ("Status", case.get_status_display()),
        ("Risk level", case.get_risk_level_display()),
        ("Owning team", str(case.owning_team)),
        ("Assigned to", _name(case.assigned_to) or "Nobody"),
        ("Opened", _date(case.opened_on)),
        ("Closed", _date(case.closed_on) if case.closed_on else "Open"),
        ("Restricted", "Yes: only named users may see it" if case.restricted else "No"),
        ("Summary", case.summary or "None recorded"),
    ]


def _people(user: Any, case: Case) -> list[PersonPart]:
    parts = []
    participants = case.participants.select_related("person").prefetch_related("person__contact_details")
    for participant in participants.order_by("role", "pk"):
        person = participant.person
        confidential_ok = policy.can_see_confidential_contacts(user, person)
        contacts = list(person.contact_details.all())
        parts.append(
            PersonPart(
                name=person.display_name,
                role=participant.get_role_display(),
                born=person.date_of_birth,
                contacts=[str(c) for c in contacts if confidential_ok or not c.confidential],
                confidential_withheld=not confidential_ok and any(c.confidential for c in contacts),
            )
        )
    return parts


def _chronology(case: Case) -> list[Entry]:
    entries = [
        Entry(n.created_at, "Note", n.text, _name(n.created_by))
        for n in Note.objects.filter(case=case).select_related("created_by")
    ]
    for stage in StageLog.objects.filter(case=case).select_related("by"):
        change = f"Status {stage.get_from_status_display().lower() or 'new'} to {stage.get_to_status_display().lower()}"
        entries.append(
            Entry(stage.at, "Status", f"{change}{': ' + stage.reason if stage.reason else ''}", _name(stage.by))
        )
    for action in Action.objects.filter(case=case).select_related("owner", "created_by"):
        entries.append(
            Entry(
                action.created_at,
                "Action",
                f"{action.title} (for {_name(action.owner)}, due {_date(action.due_on)}, {action.get_status_display().lower()})",
                _name(action.created_by),
            )
        )
        if action.completed_at:
            entries.append(Entry(action.completed_at, "Action", f"{action.title}: done", _name(action.owner)))
    for referral in Referral.objects.filter(case=case).select_related("to_team"):
        entries.append(
            Entry(
                referral.received_at,
                "Referral",
                f"Referral {referral.pk} from {referral.source_display} to {referral.to_team}: {referral.reason}",
            )
        )
    for share in CaseShare.objects.filter(case=case).select_related("agency", "team", "created_by"):
        entries.append(
            Entry(
                share.created_at,
                "Sharing",
                f"Shared with {share.agency or share.team} for {share.purpose} ({share.get_lawful_basis_display()})",
                _name(share.created_by),
            )
        )
    entries.extend(_attachment_entries(case))
    return sorted(entries, key=lambda e: e.at)


def _attachment_entries(case: Case) -> list[Entry]:
    from saferhub.search.models import Attachment

    return [
        Entry(a.created_at, "Attachment", f"{a.filename} added", _name(a.uploaded_by))
        for a in Attachment.objects.filter(case=case).select_related("uploaded_by")
    ]


def _links(user: Any, case: Case) -> list[str]:
    """Links to cases the viewer may open; the others are left out without a trace."""
    links = list(CaseLink.objects.filter(models.Q(from_case=case) | models.Q(to_case=case)))
    other_ids = {link.to_case_id if link.from_case_id == case.pk else link.from_case_id for link in links}
    visible = policy.visible_cases(user).filter(pk__in=other_ids).order_by("reference")
    return [f"{other.reference}: {other.title}" for other in visible]


def build(user: Any, case: Case) -> Summary:
    from saferhub.search.models import Attachment

    return Summary(
        case=case,
        marking=MARKING,
        produced_at=timezone.now(),
        details=_details(case),
        people=_people(user, case),
        chronology=_chronology(case),
        links=_links(user, case),
        attachments=[a.filename for a in Attachment.objects.filter(case=case).order_by("created_at", "pk")],
    )


def _when(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%-d %B %Y %H:%M}"


def to_docx(summary: Summary, *, produced_by: Any) -> bytes:
    case = summary.case
    document = new_document(summary.marking, partnership_name=case.partnership.name)
    document.add_heading(f"Case summary and chronology: {case.reference}", level=1)
    document.add_paragraph(f"Produced by {produced_by} on {_when(summary.produced_at)} from Saferhub.")
    document.add_heading("Case details", level=2)
    add_table(document, ["Detail", "Value"], [list(row) for row in summary.details])
    document.add_heading("People", level=2)
    if summary.people:
        rows = []
        for part in summary.people:
            contacts = "; ".join(part.contacts) or "None recorded"
            if part.confidential_withheld:
                contacts += " (confidential details withheld)"
            rows.append([part.name, part.role, _date(part.born), contacts])
        add_table(document, ["Name", "Role", "Date of birth", "Contact details"], rows)
    else:
        document.add_paragraph("Nobody is recorded on this case.")
    document.add_heading("Chronology", level=2)
    if summary.chronology:
        add_table(
            document,
            ["When", "What", "Entry", "By"],
            [[_when(e.at), e.kind, e.text, e.by] for e in summary.chronology],
        )
    else:
        document.add_paragraph("Nothing has been recorded yet.")
    if summary.links:
        document.add_heading("Linked cases", level=2)
        for link in summary.links:
            document.add_paragraph(link, style="List Bullet")
    if summary.attachments:
        document.add_heading("Attachments", level=2)
        for name in summary.attachments:
            document.add_paragraph(name, style="List Bullet")
    return save(document, title=f"Case summary {case.reference}", when=summary.produced_at)
