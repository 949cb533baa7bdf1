"""Meetings and their agendas: scheduling, building, reordering, cancelling, attendance."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import CaseStatus
from saferhub.core.versioning import bump_version, claim_version
from saferhub.panels.actions.common import PanelError
from saferhub.panels.models import (
    AgendaReason,
    Attendance,
    Hearing,
    Meeting,
    MeetingAgency,
    MeetingStatus,
    PanelCase,
    PanelReferral,
    PanelType,
)


@transaction.atomic
def schedule_meeting(
    user: Any,
    panel_type: PanelType,
    *,
    date: datetime.date,
    location: str = "",
    chair: str = "",
    request: HttpRequest | None = None,
) -> Meeting:
    """A meeting with the panel's member agencies invited."""
    if Meeting.objects.filter(panel_type=panel_type, date=date).exists():
        raise PanelError(f"There is already a {panel_type.name} meeting on {date:%-d %B %Y}.")
    meeting = Meeting.objects.create(
        partnership_id=panel_type.partnership_id,
        panel_type=panel_type,
        date=date,
        location=location.strip(),
        chair=chair.strip(),
        created_by=user if getattr(user, "pk", None) else None,
        modified_by=user if getattr(user, "pk", None) else None,
    )
    MeetingAgency.objects.bulk_create(
        MeetingAgency(meeting=meeting, agency=agency) for agency in panel_type.member_agencies.live()
    )
    log.record(user, AuditAction.CREATE, meeting, request=request, partnership=panel_type.partnership)
    return meeting


def agenda_candidates(meeting: Meeting) -> list[tuple[PanelCase, str]]:
    """Open cases of the panel type that this meeting should hear, with the reason, in agenda order:
    new referrals (never heard), repeat referrals received since the last hearing, then cases due review.
    A case already listed for this or another meeting not yet held is left out."""
    listed_elsewhere = Hearing.objects.filter(panel_case=OuterRef("pk"), meeting__status=MeetingStatus.SCHEDULED)
    cases = (
        PanelCase.objects.filter(panel_type=meeting.panel_type)
        .exclude(case__status=CaseStatus.CLOSED)
        .filter(case__archived_at__isnull=True)
        .annotate(
            listed=Exists(listed_elsewhere),
            heard_before=Exists(Hearing.objects.filter(panel_case=OuterRef("pk")).heard()),
            repeat_since=Exists(
                PanelReferral.objects.filter(
                    panel_case=OuterRef("pk"), is_repeat=True, heard_on__isnull=True, referral_date__lte=meeting.date
                )
            ),
            referred=Exists(PanelReferral.objects.filter(panel_case=OuterRef("pk"), referral_date__lte=meeting.date)),
        )
        .filter(listed=False)
        .select_related("case")
        .order_by("case__opened_on", "pk")
    )
    new: list[tuple[PanelCase, str]] = []
    repeats: list[tuple[PanelCase, str]] = []
    reviews: list[tuple[PanelCase, str]] = []
    for panel_case in cases:
        if panel_case.repeat_since:
            repeats.append((panel_case, AgendaReason.REPEAT))
        elif not panel_case.heard_before and panel_case.referred:
            new.append((panel_case, AgendaReason.NEW))
        elif panel_case.review_due_on is not None and panel_case.review_due_on <= meeting.date:
            reviews.append((panel_case, AgendaReason.REVIEW))
    return new + repeats + reviews


@transaction.atomic
def build_agenda(user: Any, meeting: Meeting, request: HttpRequest | None = None) -> list[Hearing]:
    """Add the cases the meeting should hear to its agenda (cases already on it stay where they are)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError("The agenda can only be built before the meeting is held.")
    position = max((h.position for h in meeting.hearings.all()), default=0)
    added = []
    for panel_case, reason in agenda_candidates(meeting):
        position += 1
        first = not Hearing.objects.filter(panel_case=panel_case).heard().exists()
        added.append(
            Hearing.objects.create(
                meeting=meeting, panel_case=panel_case, position=position, reason=reason, is_new=first
            )
        )
    if added:
        bump_version(meeting)
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agenda_added": len(added)})
    return added


@transaction.atomic
def list_case(user: Any, meeting: Meeting, panel_case: PanelCase, request: HttpRequest | None = None) -> Hearing:
    """Put one case on a meeting's agenda, last (building the agenda adds every case due; this adds one).

    A new case if the panel has never heard it, otherwise a review. A case already listed for a
    meeting not yet held stays there.
    """
    meeting = Meeting.objects.select_for_update().select_related("panel_type").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError("A case can only be added to the agenda of a meeting not yet held.")
    if panel_case.panel_type_id != meeting.panel_type_id:
        raise PanelError(f"This case is not one of {meeting.panel_type.name}'s cases.")
    listed = (
        Hearing.objects.filter(panel_case=panel_case, meeting__status=MeetingStatus.SCHEDULED)
        .select_related("meeting")
        .first()
    )
    if listed is not None:
        raise PanelError(f"This case is already on the agenda of the meeting of {listed.meeting.date:%-d %B %Y}.")
    position = max(meeting.hearings.values_list("position", flat=True), default=0) + 1
    first = not Hearing.objects.filter(panel_case=panel_case).heard().exists()
    hearing = Hearing.objects.create(
        meeting=meeting,
        panel_case=panel_case,
        position=position,
        reason=AgendaReason.NEW if first else AgendaReason.REVIEW,
        is_new=first,
    )
    bump_version(meeting)
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agenda_listed": panel_case.case.reference})
    return hearing


@transaction.atomic
def remove_from_agenda(user: Any, hearing: Hearing, request: HttpRequest | None = None) -> None:
    if hearing.outcome or hearing.information.exists() or hearing.agreed_actions.exists():
        raise PanelError("This case has been heard: it cannot be taken off the agenda.")
    meeting = hearing.meeting
    reference = hearing.panel_case.case.reference
    hearing.delete()
    bump_version(meeting)
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agenda_removed": reference})


def _reorderable(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError("The agenda can only be changed before the meeting is held.")


@transaction.atomic
def move_hearing(user: Any, hearing: Hearing, step: int, request: HttpRequest | None = None) -> None:
    """Move a case one place up (-1) or down (+1) the agenda; positions are renumbered 1, 2, 3..."""
    meeting = Meeting.objects.select_for_update().get(pk=hearing.meeting_id)
    _reorderable(meeting)
    hearings = list(meeting.hearings.select_related("panel_case__case").order_by("position", "pk"))
    index = next(i for i, h in enumerate(hearings) if h.pk == hearing.pk)
    target = index + step
    if not 0 <= target < len(hearings):
        raise PanelError("That case is already at the " + ("top" if step < 0 else "bottom") + " of the agenda.")
    hearings[index], hearings[target] = hearings[target], hearings[index]
    changed = []
    for position, row in enumerate(hearings, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    Hearing.objects.bulk_update(changed, ["position"])
    bump_version(meeting)
    log.record(
        user,
        AuditAction.UPDATE,
        meeting,
        request=request,
        detail={"agenda_moved": hearing.panel_case.case.reference, "to_position": target + 1},
    )


@transaction.atomic
def cancel_meeting(user: Any, meeting: Meeting, *, reason: str, request: HttpRequest | None = None) -> Meeting:
    """Cancel a meeting not yet held: its listed cases go back to waiting for a meeting, and
    a cancelled meeting opens no panel summaries (policy)."""
    meeting = Meeting.objects.select_for_update().select_related("panel_type").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError(f"This meeting is already {meeting.get_status_display().lower()}.")
    if not reason.strip():
        raise PanelError("Give the reason for cancelling the meeting.")
    hearings = meeting.hearings.select_related("panel_case__case")
    recorded = hearings.filter(~Q(outcome="") | Q(information__isnull=False) | Q(agreed_actions__isnull=False))
    if recorded.exists():
        raise PanelError("Something has been recorded at this meeting: record it as held instead.")
    references = [h.panel_case.case.reference for h in hearings]
    hearings.delete()
    meeting.status, meeting.cancellation_reason, meeting.modified_by = MeetingStatus.CANCELLED, reason.strip(), user
    meeting.save(update_fields=["status", "cancellation_reason", "modified_by", "modified_at"])
    bump_version(meeting)
    log.record(
        user,
        AuditAction.UPDATE,
        meeting,
        request=request,
        reason=reason.strip(),
        detail={"status": MeetingStatus.CANCELLED, "agenda_removed": references},
    )
    return meeting


@transaction.atomic
def add_meeting_agency(user: Any, meeting: Meeting, agency: Any, request: HttpRequest | None = None) -> MeetingAgency:
    if agency.partnership_id != meeting.partnership_id:
        raise PanelError("That agency belongs to another partnership.")
    row, created = MeetingAgency.objects.get_or_create(meeting=meeting, agency=agency)
    if created:
        bump_version(meeting)
        log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agency_added": agency.name})
    return row


@transaction.atomic
def record_attendance(
    user: Any,
    meeting: Meeting,
    attendance: dict[int, tuple[str, str]],
    request: HttpRequest | None = None,
    *,
    expected_version: int | None = None,
) -> None:
    """attendance: MeetingAgency pk -> (attendance, representative).

    With `expected_version` (the attendance form), refuses with StaleEdit when someone saved it since.
    """
    if expected_version is not None:
        claim_version(meeting, expected_version, modified_by=user)
    rows = {row.pk: row for row in meeting.attendance.all()}
    changed = []
    for pk, (status, representative) in attendance.items():
        row = rows.get(pk)
        if row is None or status not in Attendance.values:
            raise PanelError("Attendance can only be recorded for the agencies invited to this meeting.")
        if (row.attendance, row.representative) != (status, representative.strip()):
            row.attendance, row.representative = status, representative.strip()
            changed.append(row)
    MeetingAgency.objects.bulk_update(changed, ["attendance", "representative", "modified_at"])
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"attendance_changed": len(changed)})


def open_at_holding(meeting: Meeting, hearings: Any, today: Any) -> list[str]:
    """What is still open if the meeting is recorded as held now: a date still to come, cases not heard.

    `hearings` are the agenda items the user may see (a restricted case is counted only for those named on it).
    """
    found = []
    if meeting.date > today:
        found.append(f"The meeting is dated {meeting.date.day} {meeting.date:%B %Y}, which has not come yet.")
    unheard = hearings.filter(outcome="").count()
    if unheard:
        found.append(
            f"{unheard} case{'s' if unheard != 1 else ''} on the agenda ha{'ve' if unheard != 1 else 's'} no outcome recorded."
        )
    return found


@transaction.atomic
def mark_held(
    user: Any,
    meeting: Meeting,
    request: HttpRequest | None = None,
    *,
    still_open: list[str] | None = None,
    reason: str = "",
) -> Meeting:
    """Record the meeting as held; `still_open` (what `open_at_holding` found) and the user's reason go in the audit."""
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError(f"This meeting is already {meeting.get_status_display().lower()}.")
    meeting.status = MeetingStatus.HELD
    meeting.modified_by = user
    meeting.save(update_fields=["status", "modified_by", "modified_at"])
    bump_version(meeting)
    detail: dict[str, Any] = {"status": MeetingStatus.HELD}
    if still_open:
        detail["still_open"] = still_open
    log.record(user, AuditAction.UPDATE, meeting, request=request, reason=reason, detail=detail)
    return meeting
