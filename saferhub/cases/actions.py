"""State changes of cases and referrals.

Each function is one transaction that writes its stage-log and audit rows with
the change. Callers (views, imports, demo data) check permission first through
`saferhub.policy`; these functions enforce the rules of the data itself.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import extensions
from saferhub.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseLink,
    CaseLocation,
    CaseReferenceSequence,
    CaseShare,
    CaseStatus,
    CaseType,
    ClosureRequest,
    ClosureRequestStatus,
    Note,
    Participant,
    Referral,
    ReferralDecision,
    RestrictedAccess,
    StageLog,
)
from saferhub.core import versioning
from saferhub.notifications import events as notices
from saferhub.people.actions import create_person
from saferhub.places.models import Location


class StaleEdit(versioning.StaleEdit):
    """The case changed since the form was opened; nothing was saved."""


class InvalidTransition(Exception):
    pass


def next_reference(case_type: CaseType, year: int) -> str:
    """`PREFIX-YYYY-NNNNN`, unique in the partnership; the sequence row is locked until commit."""
    with transaction.atomic():
        seq, _ = CaseReferenceSequence.objects.select_for_update().get_or_create(
            partnership_id=case_type.partnership_id, prefix=case_type.prefix, year=year
        )
        seq.last_number += 1
        seq.save(update_fields=["last_number"])
    return f"{case_type.prefix}-{year}-{seq.last_number:05d}"


@transaction.atomic
def create_case(
    user: Any,
    *,
    case_type: CaseType,
    owning_team: Any,
    title: str,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Case:
    opened_on = fields.pop("opened_on", None) or timezone.localdate()
    case = Case(
        partnership_id=case_type.partnership_id,
        case_type=case_type,
        owning_team=owning_team,
        title=title,
        opened_on=opened_on,
        created_by=user if getattr(user, "pk", None) else None,
        modified_by=user if getattr(user, "pk", None) else None,
        **fields,
    )
    case.reference = next_reference(case_type, opened_on.year)
    case.save()
    StageLog.objects.create(case=case, from_status="", to_status=case.status, by=case.created_by, reason="Opened")
    log.record(user, AuditAction.CREATE, case, request=request)
    return case


@transaction.atomic
def update_case(
    user: Any, case: Case, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> Case:
    """Apply `changes` only if nobody saved the case since `expected_version` was read."""
    changes = {k: v for k, v in changes.items() if getattr(case, k) != v}
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=models.F("version") + 1, modified_by=user, modified_at=timezone.now(), **changes
    )
    if not updated:
        raise StaleEdit("This case was changed by someone else after you opened it.")
    case.refresh_from_db()
    if changes:
        log.record(user, AuditAction.UPDATE, case, request=request, detail={"fields": sorted(changes)})
    if "status" in changes:
        extensions.case_status_changed(case)
    return case


_TRANSITIONS = {
    CaseStatus.OPEN: {CaseStatus.ON_HOLD, CaseStatus.CLOSED},
    CaseStatus.ON_HOLD: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.OPEN},
}


@transaction.atomic
def change_status(
    user: Any,
    case: Case,
    to_status: str,
    *,
    expected_version: int,
    reason: str = "",
    closure_reason: str = "",
    on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    from_status = case.status
    if to_status not in _TRANSITIONS.get(CaseStatus(from_status), set()):
        raise InvalidTransition(
            f"A case that is {case.get_status_display().lower()} cannot be made {CaseStatus(to_status).label.lower()}."
        )
    if to_status == CaseStatus.CLOSED and not closure_reason:
        raise InvalidTransition("Give a reason for closing the case.")
    changes: dict[str, Any] = {"status": to_status}
    if to_status == CaseStatus.CLOSED:
        changes.update(closed_on=on or timezone.localdate(), closure_reason=closure_reason)
    elif from_status == CaseStatus.CLOSED:
        changes.update(closed_on=None, closure_reason="")
    case = update_case(user, case, expected_version=expected_version, changes=changes, request=request)
    StageLog.objects.create(
        case=case, from_status=from_status, to_status=to_status, by=user, reason=reason or closure_reason
    )
    if to_status == CaseStatus.CLOSED:
        settle_overtaken_closures(user, case_ids=[case.pk], request=request)
    return case


# Closure with a team manager's approval -------------------------------------------


def settle_overtaken_closures(
    user: Any, *, case_ids: Iterable[int] | None = None, request: HttpRequest | None = None
) -> int:
    """Settle the pending closure requests of cases closed without them (by a manager, a bulk close,
    an import), so that none waits behind a closed case or comes back when the case reopens."""
    pending = ClosureRequest.objects.pending().filter(case__status=CaseStatus.CLOSED).select_related("case")
    if case_ids is not None:
        pending = pending.filter(case_id__in=list(case_ids))
    closures = list(pending)
    if not closures:
        return 0
    ClosureRequest.objects.pending().filter(pk__in=[closure.pk for closure in closures]).update(
        status=ClosureRequestStatus.OVERTAKEN, decided_by_id=getattr(user, "pk", None), decided_at=timezone.now()
    )
    for closure in closures:
        log.record(
            user,
            AuditAction.UPDATE,
            closure.case,
            request=request,
            detail={"closure": "overtaken", "requested_by": closure.requested_by_id},
        )
    return len(closures)


def pending_closure(case: Case) -> ClosureRequest | None:
    return ClosureRequest.objects.pending().select_related("requested_by").filter(case=case).first()


@transaction.atomic
def request_closure(
    user: Any,
    case: Case,
    *,
    expected_version: int,
    closure_reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> ClosureRequest:
    """Ask a team manager to close the case; the case stays as it is (and open) until approved."""
    case = Case.objects.select_for_update().select_related("case_type").get(pk=case.pk)
    if not case.case_type.closure_needs_approval:
        raise InvalidTransition(f"{case.case_type.name} cases are closed without approval: close the case instead.")
    if case.status == CaseStatus.CLOSED:
        raise InvalidTransition("The case is already closed.")
    if not closure_reason:
        raise InvalidTransition("Give a reason for closing the case.")
    if ClosureRequest.objects.pending().filter(case=case).exists():
        raise InvalidTransition("A closure of this case is already awaiting approval.")
    # No field changes: the version check, and a new version, so a manager's open page is stale.
    case = update_case(user, case, expected_version=expected_version, changes={}, request=request)
    closure = ClosureRequest.objects.create(
        case=case, closure_reason=closure_reason, note=note.strip(), requested_by=user
    )
    log.record(
        user,
        AuditAction.UPDATE,
        case,
        request=request,
        reason=closure.note,
        detail={"closure": "requested", "closure_reason": closure_reason},
    )
    notices.queue("closure_requested", closure.pk, user)
    return closure


def _decide_closure(user: Any, case: Case, expected_version: int, request: HttpRequest | None) -> ClosureRequest:
    """The pending request, locked, after the case's version check (which gives the case a new version)."""
    closure = ClosureRequest.objects.select_for_update().filter(case=case, status=ClosureRequestStatus.PENDING).first()
    if closure is None:
        raise InvalidTransition("No closure of this case is awaiting approval: it was approved or returned already.")
    update_case(user, case, expected_version=expected_version, changes={}, request=request)
    closure.decided_by = user
    closure.decided_at = timezone.now()
    return closure


@transaction.atomic
def approve_closure(
    user: Any, case: Case, *, expected_version: int, request: HttpRequest | None = None
) -> ClosureRequest:
    """Close the case with the requested reason, on the day of approval."""
    closure = _decide_closure(user, case, expected_version, request)
    # Decided before the case closes, so the close does not settle it as overtaken.
    closure.status = ClosureRequestStatus.APPROVED
    closure.save(update_fields=["status", "decided_by", "decided_at"])
    case.refresh_from_db()
    change_status(
        user,
        case,
        CaseStatus.CLOSED,
        expected_version=case.version,
        reason=closure.note,
        closure_reason=closure.closure_reason,
        request=request,
    )
    log.record(
        user,
        AuditAction.UPDATE,
        case,
        request=request,
        detail={
            "closure": "approved",
            "closure_reason": closure.closure_reason,
            "requested_by": closure.requested_by_id,
        },
    )
    return closure


@transaction.atomic
def return_closure(
    user: Any, case: Case, *, expected_version: int, reason: str, request: HttpRequest | None = None
) -> ClosureRequest:
    """Send the request back to the caseworker with the reason; the case stays open."""
    reason = reason.strip()
    if not reason:
        raise InvalidTransition("Give the reason for returning the closure request.")
    closure = _decide_closure(user, case, expected_version, request)
    closure.status = ClosureRequestStatus.RETURNED
    closure.return_reason = reason
    closure.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    log.record(
        user,
        AuditAction.UPDATE,
        case,
        request=request,
        reason=reason,
        detail={"closure": "returned", "requested_by": closure.requested_by_id},
    )
    notices.queue("closure_returned", closure.pk, user)
    return closure


@transaction.atomic
def add_note(user: Any, case: Case, text: str, request: HttpRequest | None = None) -> Note:
    note = Note.objects.create(case=case, text=text.strip(), created_by=user, agency_id=user.agency_id)
    log.record(user, AuditAction.CREATE, note, request=request, partnership=case.partnership)
    return note


@transaction.atomic
def add_action(
    user: Any, case: Case, *, title: str, owner: Any, due_on: datetime.date, request: HttpRequest | None = None
) -> Action:
    action = Action.objects.create(
        case=case, title=title, owner=owner, due_on=due_on, created_by=user, modified_by=user
    )
    log.record(user, AuditAction.CREATE, action, request=request, partnership=case.partnership)
    notices.queue("action_assigned", action.pk, user)
    return action


@transaction.atomic
def set_action_status(user: Any, action: Action, status: str, request: HttpRequest | None = None) -> Action:
    action.status = status
    action.completed_at = timezone.now() if status == ActionStatus.DONE else None
    action.modified_by = user
    action.save(update_fields=["status", "completed_at", "modified_by", "modified_at"])
    log.record(
        user,
        AuditAction.UPDATE,
        action,
        request=request,
        detail={"status": status},
        partnership=action.case.partnership,
    )
    return action


@transaction.atomic
def add_participant(user: Any, case: Case, person: Any, role: str, request: HttpRequest | None = None) -> Participant:
    participant, _ = Participant.objects.get_or_create(case=case, person=person, role=role, defaults={"added_by": user})
    log.record(user, AuditAction.UPDATE, case, request=request, detail={"participant_added": person.pk, "role": role})
    return participant


@transaction.atomic
def share_case(
    user: Any,
    case: Case,
    *,
    purpose: str,
    lawful_basis: str,
    agency: Any = None,
    team: Any = None,
    expires_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> CaseShare:
    # The access policy relies on this: a case is never shared outside its partnership.
    target = team or agency
    if target is None or target.partnership_id != case.partnership_id:
        raise InvalidTransition("A case can only be shared with an agency or team of its own partnership.")
    share = CaseShare.objects.create(
        case=case,
        agency=agency,
        team=team,
        purpose=purpose,
        lawful_basis=lawful_basis,
        expires_on=expires_on,
        created_by=user,
    )
    log.record(
        user,
        AuditAction.SHARE,
        case,
        request=request,
        reason=purpose,
        detail={"shared_with": share.shared_with, "lawful_basis": lawful_basis, "expires_on": str(expires_on or "")},
    )
    notices.queue("case_shared", share.pk, user)
    extensions.case_shared(share)
    return share


@transaction.atomic
def revoke_share(user: Any, share: CaseShare, request: HttpRequest | None = None) -> CaseShare:
    share.revoked_at = timezone.now()
    share.revoked_by = user
    share.save(update_fields=["revoked_at", "revoked_by"])
    log.record(user, AuditAction.SHARE, share.case, request=request, detail={"revoked": share.shared_with})
    return share


# Referrals ------------------------------------------------------------------


@transaction.atomic
def create_referral(user: Any, *, request: HttpRequest | None = None, **fields: Any) -> Referral:
    referral = Referral.objects.create(created_by=user if getattr(user, "pk", None) else None, **fields)
    log.record(user, AuditAction.CREATE, referral, request=request, partnership=referral.partnership)
    notices.queue("referral_received", referral.pk, user)
    extensions.referral_received(referral)
    return referral


def _decide(user: Any, referral: Referral, decision: str, reason: str) -> None:
    if referral.decision != ReferralDecision.PENDING:
        raise InvalidTransition(f"This referral was already {referral.get_decision_display().lower()}.")
    referral.decision = decision
    referral.decision_reason = reason
    referral.decided_at = timezone.now()
    referral.decided_by = user


@transaction.atomic
def accept_referral(
    user: Any,
    referral: Referral,
    *,
    title: str,
    assigned_to: Any = None,
    existing_case: Case | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Accept into a new case owned by the receiving team, or into an existing one of theirs."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _decide(user, referral, ReferralDecision.ACCEPTED, "")
    case = existing_case or create_case(
        user,
        case_type=referral.case_type,
        owning_team=referral.to_team,
        title=title,
        summary=referral.reason,
        assigned_to=assigned_to,
        request=request,
    )
    if referral.person_id:
        add_participant(user, case, referral.person, _victim_role(referral), request=request)
    referral.case = case
    referral.modified_by = user
    referral.save()
    extensions.referral_decided(referral)
    log.record(
        user, AuditAction.UPDATE, referral, request=request, detail={"decision": "accepted", "case": case.reference}
    )
    return case


def _victim_role(referral: Referral) -> str:
    return getattr(referral, "participant_role", "") or "direct_victim"


@transaction.atomic
def decline_referral(user: Any, referral: Referral, reason: str, request: HttpRequest | None = None) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not reason.strip():
        raise InvalidTransition("Give the reason for declining the referral.")
    _decide(user, referral, ReferralDecision.DECLINED, reason)
    referral.modified_by = user
    referral.save()
    extensions.referral_decided(referral)
    log.record(user, AuditAction.UPDATE, referral, request=request, detail={"decision": "declined"}, reason=reason)
    return referral


@transaction.atomic
def redirect_referral(
    user: Any, referral: Referral, to_team: Any, reason: str, request: HttpRequest | None = None
) -> Referral:
    """Close this referral as redirected and send a new one, with the same details, to `to_team`."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if to_team.pk == referral.to_team_id:
        raise InvalidTransition("Choose a different team to redirect the referral to.")
    if not reason.strip():
        raise InvalidTransition("Give the reason for redirecting the referral.")
    _decide(user, referral, ReferralDecision.REDIRECTED, reason)
    referral.redirected_to = to_team
    referral.modified_by = user
    referral.save()
    extensions.referral_decided(referral)
    onward = Referral.objects.get(pk=referral.pk)
    onward.pk = None
    onward.to_team = to_team
    onward.decision = ReferralDecision.PENDING
    onward.decision_reason = ""
    onward.decided_at = None
    onward.decided_by = None
    onward.redirected_to = None
    onward.external_ref = ""
    onward.created_by = user
    onward.created_at = timezone.now()
    onward.save()
    notices.queue("referral_received", onward.pk, user)
    extensions.referral_received(onward)
    log.record(
        user,
        AuditAction.UPDATE,
        referral,
        request=request,
        reason=reason,
        detail={"decision": "redirected", "to_team": to_team.pk},
    )
    return onward


# Case pages: restriction, links and people added from a case -----------------


@transaction.atomic
def name_user_on_case(user: Any, case: Case, named: Any, request: HttpRequest | None = None) -> RestrictedAccess:
    """Let `named` see the case while it is restricted."""
    access, created = RestrictedAccess.objects.get_or_create(case=case, user=named, defaults={"granted_by": user})
    if created:
        log.record(user, AuditAction.UPDATE, case, request=request, detail={"named_user_added": named.pk})
    return access


@transaction.atomic
def unname_user_on_case(user: Any, case: Case, named: Any, request: HttpRequest | None = None) -> None:
    deleted, _ = RestrictedAccess.objects.filter(case=case, user=named).delete()
    if deleted:
        log.record(user, AuditAction.UPDATE, case, request=request, detail={"named_user_removed": named.pk})


@transaction.atomic
def update_case_details(
    user: Any, case: Case, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> Case:
    """`update_case`, keeping the editor named on a case they restrict so they do not lock themselves out."""
    case = update_case(user, case, expected_version=expected_version, changes=changes, request=request)
    if case.restricted:
        name_user_on_case(user, case, user, request=request)
    return case


@transaction.atomic
def link_cases(
    user: Any, from_case: Case, to_case: Case, *, reason: str = "", request: HttpRequest | None = None
) -> CaseLink:
    if from_case.pk == to_case.pk:
        raise InvalidTransition("A case cannot be linked to itself.")
    if CaseLink.objects.filter(
        models.Q(from_case=from_case, to_case=to_case) | models.Q(from_case=to_case, to_case=from_case)
    ).exists():
        raise InvalidTransition(f"This case is already linked to {to_case.reference}.")
    link = CaseLink.objects.create(from_case=from_case, to_case=to_case, reason=reason.strip(), created_by=user)
    # Each case's own trail shows the link.
    log.record(user, AuditAction.UPDATE, from_case, request=request, detail={"linked_to": to_case.reference})
    log.record(user, AuditAction.UPDATE, to_case, request=request, detail={"linked_from": from_case.reference})
    return link


@transaction.atomic
def add_new_participant(
    user: Any, case: Case, *, role: str, person_fields: dict[str, Any], request: HttpRequest | None = None
) -> Participant:
    """Create a person and add them to the case in one transaction."""
    person = create_person(user, partnership=case.partnership, request=request, **person_fields)
    return add_participant(user, case, person, role, request=request)


@transaction.atomic
def add_location(
    user: Any, case: Case, *, description: str = "", request: HttpRequest | None = None, **location_fields: Any
) -> CaseLocation:
    """Record a place on the case (where it happened, where the victim lives …)."""
    location = Location.objects.create(partnership_id=case.partnership_id, **location_fields)
    link = CaseLocation.objects.create(case=case, location=location, description=description)
    log.record(user, AuditAction.UPDATE, case, request=request, detail={"location_added": location.pk})
    return link


@transaction.atomic
def remove_location(user: Any, link: CaseLocation, request: HttpRequest | None = None) -> None:
    """Take a place off the case; the location row stays for the audit trail and other cases."""
    case = link.case
    location_id = link.location_id
    link.delete()
    log.record(user, AuditAction.UPDATE, case, request=request, detail={"location_removed": location_id})
