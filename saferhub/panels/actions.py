"""State changes of panels: referrals, meetings, agendas, hearings, information shared and actions.

Each function is one transaction that writes its audit rows with the change.
Callers check permission first through `saferhub.policy` (`can_coordinate_panel`).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from saferhub.assessments.actions import record_assessment
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Action, Case, CaseStatus, ParticipantRole
from saferhub.panels.models import (
    AgendaReason,
    Attendance,
    Hearing,
    HearingAction,
    HearingOutcome,
    IncidentPerson,
    Meeting,
    MeetingAgency,
    MeetingStatus,
    PanelCase,
    PanelKind,
    PanelReferral,
    PanelType,
    SharedInformation,
)
from saferhub.panels.repeats import recompute_repeats


class PanelError(Exception):
    """A change the panel's rules do not allow; the message says why."""


def _participant_role(panel_type: PanelType) -> str:
    return (
        ParticipantRole.DIRECT_VICTIM
        if panel_type.kind in (PanelKind.DA_MARAC, PanelKind.CS_MARAC)
        else ParticipantRole.SUBJECT
    )


def owning_team(panel_type: PanelType, user: Any = None) -> Any:
    team = panel_type.coordinating_team or getattr(user, "team", None)
    if team is None:
        raise PanelError(
            f"{panel_type.name} has no coordinating team: a panel coordinator sets it on the panel type's settings."
        )
    return team


def _title(panel_type: PanelType, person: Any) -> str:
    return f"{panel_type.name}: {person.display_name}" if person is not None else f"{panel_type.name} referral"


def panel_case_for(
    user: Any, panel_type: PanelType, person: Any, opened_on: datetime.date, *, request: HttpRequest | None = None
) -> PanelCase:
    """The person's open panel case of this type, or a new one owned by the coordinating team."""
    if person is not None:
        existing = (
            PanelCase.objects.select_related("case")
            .filter(panel_type=panel_type, person=person)
            .exclude(case__status=CaseStatus.CLOSED)
            .order_by("-case__opened_on", "-pk")
            .first()
        )
        if existing is not None:
            return existing
    case = case_actions.create_case(
        user,
        case_type=panel_type.case_type,
        owning_team=owning_team(panel_type, user),
        title=_title(panel_type, person),
        opened_on=opened_on,
        request=request,
    )
    if person is not None:
        case_actions.add_participant(user, case, person, _participant_role(panel_type), request=request)
    return PanelCase.objects.create(
        case=case, partnership_id=panel_type.partnership_id, panel_type=panel_type, person=person
    )


@transaction.atomic
def create_referral(
    user: Any,
    panel_type: PanelType,
    *,
    person: Any,
    referral_date: datetime.date,
    referring_agency: Any,
    people_involved: Iterable[tuple[Any, str]] = (),
    checklist: tuple[Any, dict[str, str]] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> PanelReferral:
    """Record a referral on the person's panel case (opened if needed) and flag it if it is a repeat.

    `checklist` (template, answers): the risk checklist answered with the referral, recorded on
    the panel case through the assessments app; its score becomes the referral's score.
    """
    if person is not None and person.partnership_id != panel_type.partnership_id:
        raise PanelError("The person belongs to another partnership.")
    if fields.get("basis") == "professional_judgement" and not fields.get("professional_judgement_reason", "").strip():
        raise PanelError("Give the reason for a referral on professional judgement.")
    if person is not None and not fields.get("victim_gender"):
        fields["victim_gender"] = person.gender
    panel_case = panel_case_for(user, panel_type, person, referral_date, request=request)
    if checklist is not None:
        template, answers = checklist
        assessment = record_assessment(
            user, Case.objects.get(pk=panel_case.case_id), template, answers, person=person, request=request
        )
        fields.update(assessment=assessment, dash_score=assessment.score)
    referral = PanelReferral.objects.create(
        partnership_id=panel_type.partnership_id,
        panel_type=panel_type,
        panel_case=panel_case,
        person=person,
        referral_date=referral_date,
        referring_agency=referring_agency,
        created_by=user if getattr(user, "pk", None) else None,
        modified_by=user if getattr(user, "pk", None) else None,
        **fields,
    )
    for involved, role in people_involved:
        IncidentPerson.objects.create(referral=referral, person=involved, role=role)
    recompute_repeats([(panel_type.pk, getattr(person, "pk", None))])
    referral.refresh_from_db(fields=["is_repeat", "repeat_of"])
    log.record(
        user,
        AuditAction.CREATE,
        referral,
        request=request,
        partnership=panel_type.partnership,
        detail={"panel_type": panel_type.code, "case": panel_case.case.reference, "repeat": referral.is_repeat},
    )
    return referral


@transaction.atomic
def update_panel_type(
    user: Any,
    panel_type: PanelType,
    *,
    changes: dict[str, Any],
    agencies: Any = None,
    request: HttpRequest | None = None,
) -> PanelType:
    for name, value in changes.items():
        setattr(panel_type, name, value)
    panel_type.save()
    if agencies is not None:
        panel_type.member_agencies.set(agencies)
    log.record(user, AuditAction.UPDATE, panel_type, request=request, detail={"fields": sorted(changes)})
    return panel_type


# Meetings --------------------------------------------------------------------


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
        raise PanelError(f"There is already a {panel_type.name} meeting on {date:%d %B %Y}.")
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
    new, repeats, reviews = [], [], []
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
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agenda_added": len(added)})
    return added


@transaction.atomic
def remove_from_agenda(user: Any, hearing: Hearing, request: HttpRequest | None = None) -> None:
    if hearing.outcome or hearing.information.exists() or hearing.agreed_actions.exists():
        raise PanelError("This case has been heard: it cannot be taken off the agenda.")
    meeting = hearing.meeting
    reference = hearing.panel_case.case.reference
    hearing.delete()
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agenda_removed": reference})


@transaction.atomic
def add_meeting_agency(user: Any, meeting: Meeting, agency: Any, request: HttpRequest | None = None) -> MeetingAgency:
    if agency.partnership_id != meeting.partnership_id:
        raise PanelError("That agency belongs to another partnership.")
    row, created = MeetingAgency.objects.get_or_create(meeting=meeting, agency=agency)
    if created:
        log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"agency_added": agency.name})
    return row


@transaction.atomic
def record_attendance(
    user: Any, meeting: Meeting, attendance: dict[int, tuple[str, str]], request: HttpRequest | None = None
) -> None:
    """attendance: MeetingAgency pk -> (attendance, representative)."""
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


@transaction.atomic
def mark_held(user: Any, meeting: Meeting, request: HttpRequest | None = None) -> Meeting:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError(f"This meeting is already {meeting.get_status_display().lower()}.")
    meeting.status = MeetingStatus.HELD
    meeting.modified_by = user
    meeting.save(update_fields=["status", "modified_by", "modified_at"])
    log.record(user, AuditAction.UPDATE, meeting, request=request, detail={"status": MeetingStatus.HELD})
    return meeting


# Hearings --------------------------------------------------------------------


@transaction.atomic
def share_information(
    user: Any,
    hearing: Hearing,
    *,
    agency: Any,
    information: str,
    lawful_basis: str,
    request: HttpRequest | None = None,
) -> SharedInformation:
    if not information.strip():
        raise PanelError("Enter the information the agency shared.")
    row = SharedInformation.objects.create(
        hearing=hearing, agency=agency, information=information.strip(), lawful_basis=lawful_basis, recorded_by=user
    )
    case = hearing.panel_case.case
    log.record(
        user,
        AuditAction.SHARE,
        case,
        request=request,
        detail={"meeting": hearing.meeting_id, "agency": agency.name, "lawful_basis": lawful_basis},
    )
    return row


@transaction.atomic
def agree_action(
    user: Any,
    hearing: Hearing,
    *,
    title: str,
    owner: Any,
    owner_agency: Any,
    due_on: datetime.date,
    request: HttpRequest | None = None,
) -> HearingAction:
    """A `cases.Action` on the panel case (so it shows on the owner's home page) and the agency owning it."""
    if owner.agency_id != owner_agency.pk:
        raise PanelError(f"{owner} does not work for {owner_agency.name}.")
    action = case_actions.add_action(
        user, hearing.panel_case.case, title=title.strip(), owner=owner, due_on=due_on, request=request
    )
    return HearingAction.objects.create(hearing=hearing, action=action, owner_agency=owner_agency)


@transaction.atomic
def record_outcome(
    user: Any,
    hearing: Hearing,
    *,
    outcome: str,
    risks: str = "",
    decisions: str = "",
    review_due_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Hearing:
    """Record what the meeting decided; closing closes the panel case, reviewing sets when it is due back."""
    if outcome not in HearingOutcome.values:
        raise PanelError("Choose whether the case is reviewed again or closed.")
    panel_case = hearing.panel_case
    case = Case.objects.get(pk=panel_case.case_id)
    meeting = hearing.meeting
    hearing.outcome, hearing.risks, hearing.decisions = outcome, risks.strip(), decisions.strip()
    hearing.save(update_fields=["outcome", "risks", "decisions", "modified_at"])
    PanelReferral.objects.filter(panel_case=panel_case, heard_on__isnull=True, referral_date__lte=meeting.date).update(
        heard_on=meeting.date
    )
    if outcome == HearingOutcome.CLOSED:
        panel_case.review_due_on = None
        if case.status != CaseStatus.CLOSED:
            case_actions.change_status(
                user,
                case,
                CaseStatus.CLOSED,
                expected_version=case.version,
                closure_reason="risk_reduced",
                reason=f"Closed at {meeting}",
                on=meeting.date,
                request=request,
            )
    else:
        panel_case.review_due_on = review_due_on or meeting.date + datetime.timedelta(
            days=meeting.panel_type.review_interval_days
        )
    panel_case.save(update_fields=["review_due_on", "modified_at"])
    log.record(
        user,
        AuditAction.UPDATE,
        hearing,
        request=request,
        partnership=meeting.panel_type.partnership,
        detail={"outcome": outcome, "case": case.reference},
    )
    return hearing


def overdue_panel_actions(partnership: Any, today: datetime.date | None = None) -> Any:
    """Open panel actions past their due date, oldest first, for the coordinator."""
    return (
        HearingAction.objects.filter(
            hearing__meeting__partnership=partnership,
            action__in=Action.objects.overdue(today or timezone.localdate()),
        )
        .select_related("action", "action__owner", "action__case", "owner_agency", "hearing__meeting__panel_type")
        .order_by("action__due_on", "pk")
    )
