"""Referrals: recorded by the coordinator, submitted online by agencies, accepted or returned, corrected."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.assessments.actions import record_assessment
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Case
from saferhub.core.versioning import claim_version
from saferhub.panels.actions.common import PanelError, panel_case_for
from saferhub.panels.models import (
    IncidentPerson,
    PanelReferral,
    PanelType,
    ReferralStatus,
)
from saferhub.panels.repeats import recompute_repeats


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
    user: Any,
    referral: PanelReferral,
    *,
    changes: dict[str, Any],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> PanelReferral:
    """Correct a referral's details; the person's repeat flags are recomputed (the date may have moved).

    With `expected_version` (the edit form), refuses with StaleEdit when someone saved the referral since.
    """
    if referral.status == ReferralStatus.RETURNED:
        raise PanelError("A returned referral cannot be changed.")
    if expected_version is not None:
        claim_version(referral, expected_version, modified_by=user)
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
