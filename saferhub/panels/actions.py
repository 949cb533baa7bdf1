"""State changes of panels: referrals, meetings, agendas, hearings, information shared and actions.

Each function is one transaction that writes its audit rows with the change.
Callers check permission first through `saferhub.policy` (`can_coordinate_panel`).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
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
    ReferralStatus,
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


def _check_referral(panel_type: PanelType, person: Any, fields: dict[str, Any]) -> None:
    if person is not None and person.partnership_id != panel_type.partnership_id:
        raise PanelError("The person belongs to another partnership.")
    if fields.get("basis") == "professional_judgement" and not fields.get("professional_judgement_reason", "").strip():
        raise PanelError("Give the reason for a referral on professional judgement.")


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
    _check_referral(panel_type, person, fields)
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
def submit_referral(
    user: Any,
    panel_type: PanelType,
    *,
    person: Any,
    people_involved: Iterable[tuple[Any, str]] = (),
    checklist: tuple[Any, dict[str, str], int] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> PanelReferral:
    """A member agency's online referral, dated today, waiting in the coordinator's queue.

    It has no panel case until accepted. `checklist` (template, cleaned answers, score): kept on the
    referral and recorded as an assessment on the panel case on acceptance. The repeat flag is
    computed now, the same way as for accepted referrals, so the coordinator sees it when reviewing.
    """
    if user.agency_id is None:
        raise PanelError("Only someone working for an agency can refer to a panel.")
    _check_referral(panel_type, person, fields)
    if person is not None and not fields.get("victim_gender"):
        fields["victim_gender"] = person.gender
    fields["referrer_name"] = (fields.get("referrer_name") or "").strip() or user.full_name
    if checklist is not None:
        template, answers, total = checklist
        fields.update(checklist_template=template, checklist_answers=answers, dash_score=total)
    referral = PanelReferral.objects.create(
        partnership_id=panel_type.partnership_id,
        panel_type=panel_type,
        person=person,
        referral_date=timezone.localdate(),
        referring_agency_id=user.agency_id,
        status=ReferralStatus.SUBMITTED,
        submitted_online=True,
        created_by=user,
        modified_by=user,
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
        detail={"panel_type": panel_type.code, "status": ReferralStatus.SUBMITTED, "repeat": referral.is_repeat},
    )
    return referral


def _awaiting_review(referral: PanelReferral) -> None:
    if referral.status != ReferralStatus.SUBMITTED:
        raise PanelError(f"This referral has already been {referral.get_status_display().split(' ')[0].lower()}.")


@transaction.atomic
def accept_referral(
    user: Any, referral: PanelReferral, *, same_person_as: Any = None, request: HttpRequest | None = None
) -> PanelReferral:
    """Put a submitted referral on the panel: onto the person's open panel case, or a new one.

    `same_person_as`: a person already known to the panel whom the referrer could not find; the
    referral (and the referrer's record of the person's part in an incident) moves to them, so the
    repeat rule sees their earlier referrals.
    """
    referral = PanelReferral.objects.select_for_update().select_related("panel_type").get(pk=referral.pk)
    _awaiting_review(referral)
    panel_type = referral.panel_type
    pairs = [(panel_type.pk, referral.person_id)]
    if same_person_as is not None and same_person_as.pk != referral.person_id:
        if same_person_as.partnership_id != panel_type.partnership_id:
            raise PanelError("The person belongs to another partnership.")
        involved = referral.people_involved.filter(person_id=referral.person_id)  # type: ignore[misc]  # None matches no row
        if referral.people_involved.filter(person=same_person_as).exists():
            involved.delete()
        else:
            involved.update(person=same_person_as)
        referral.person = same_person_as
        pairs.append((panel_type.pk, same_person_as.pk))
    panel_case = panel_case_for(user, panel_type, referral.person, referral.referral_date, request=request)
    if referral.checklist_answers and referral.checklist_template is not None:
        assessment = record_assessment(
            user,
            Case.objects.get(pk=panel_case.case_id),
            referral.checklist_template,
            referral.checklist_answers,
            person=referral.person,
            completed_at=referral.created_at,
            request=request,
        )
        referral.assessment, referral.dash_score = assessment, assessment.score
    referral.panel_case = panel_case
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_by, referral.decided_at, referral.modified_by = user, timezone.now(), user
    referral.save()
    recompute_repeats(pairs)
    referral.refresh_from_db(fields=["is_repeat", "repeat_of"])
    log.record(
        user,
        AuditAction.UPDATE,
        referral,
        request=request,
        partnership=panel_type.partnership,
        detail={"decision": ReferralStatus.ACCEPTED, "case": panel_case.case.reference, "repeat": referral.is_repeat},
    )
    return referral


@transaction.atomic
def return_referral(
    user: Any, referral: PanelReferral, *, reason: str, request: HttpRequest | None = None
) -> PanelReferral:
    """Send a submitted referral back to the referrer with the reason; it never counts as a referral."""
    referral = PanelReferral.objects.select_for_update().select_related("panel_type").get(pk=referral.pk)
    _awaiting_review(referral)
    if not reason.strip():
        raise PanelError("Give the reason for returning the referral.")
    referral.status, referral.return_reason = ReferralStatus.RETURNED, reason.strip()
    referral.decided_by, referral.decided_at, referral.modified_by = user, timezone.now(), user
    referral.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "modified_by", "modified_at"])
    recompute_repeats([(referral.panel_type_id, referral.person_id)])
    log.record(
        user,
        AuditAction.UPDATE,
        referral,
        request=request,
        partnership=referral.panel_type.partnership,
        detail={"decision": ReferralStatus.RETURNED},
    )
    return referral


@transaction.atomic
def update_referral(
    user: Any, referral: PanelReferral, *, changes: dict[str, Any], request: HttpRequest | None = None
) -> PanelReferral:
    """Correct a referral's details; the person's repeat flags are recomputed (the date may have moved)."""
    if referral.status == ReferralStatus.RETURNED:
        raise PanelError("A returned referral cannot be changed.")
    if "dash_score" in changes and referral.assessment_id and changes["dash_score"] != referral.dash_score:
        raise PanelError("The score comes from the risk checklist recorded with the referral.")
    merged = {name: getattr(referral, name) for name in ("basis", "professional_judgement_reason")} | changes
    _check_referral(referral.panel_type, referral.person, merged)
    changed = sorted(name for name, value in changes.items() if getattr(referral, name) != value)
    was_repeat = referral.is_repeat
    for name in changed:
        setattr(referral, name, changes[name])
    referral.modified_by = user
    referral.save()
    recompute_repeats([(referral.panel_type_id, referral.person_id)])
    referral.refresh_from_db(fields=["is_repeat", "repeat_of"])
    log.record(
        user,
        AuditAction.UPDATE,
        referral,
        request=request,
        partnership=referral.panel_type.partnership,
        detail={"fields": changed, "repeat": [was_repeat, referral.is_repeat]},
    )
    return referral


@transaction.atomic
def add_incident_person(
    user: Any, referral: PanelReferral, person: Any, role: str, request: HttpRequest | None = None
) -> IncidentPerson:
    """Someone involved in a serious incident, as victim, suspect or both."""
    if not referral.panel_type.is_sirm:
        raise PanelError("Only serious incident referrals record the people involved.")
    if referral.status == ReferralStatus.RETURNED:
        raise PanelError("A returned referral cannot be changed.")
    if person.partnership_id != referral.partnership_id:
        raise PanelError("The person belongs to another partnership.")
    if referral.people_involved.filter(person=person).exists():
        raise PanelError(f"{person.display_name} is already recorded as involved.")
    row = IncidentPerson.objects.create(referral=referral, person=person, role=role)
    log.record(
        user, AuditAction.UPDATE, referral, request=request, detail={"person_involved_added": person.pk, "role": role}
    )
    return row


@transaction.atomic
def remove_incident_person(user: Any, row: IncidentPerson, request: HttpRequest | None = None) -> None:
    referral = row.referral
    person_id = row.person_id
    row.delete()
    log.record(user, AuditAction.UPDATE, referral, request=request, detail={"person_involved_removed": person_id})


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
