"""State changes of the Victim Care Hub. Each is one transaction that writes its audit row with the change.

Callers check permission first (`saferhub.victims.access`); these functions enforce
the rules of the data itself and raise `HubError` with a message fit to show.
"""

import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone

from saferhub.accounts.duties import missing_message
from saferhub.accounts.models import Team
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole, Referral, ReferralDecision
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.versioning import claim_version
from saferhub.core.workingdays import add_working_days
from saferhub.people.models import Person
from saferhub.victims.hub import hub_case_type, hub_team, setting_value
from saferhub.victims.models import (
    CarePlanItem,
    ContactAttempt,
    HubReferral,
    HubSetting,
    ItemStatus,
    OnwardOutcome,
    OnwardReferral,
    QuarterlyTarget,
    ReferralKind,
    RightRecord,
    SafetyItem,
    SettingKey,
    SupportDelivered,
    VictimType,
)

ONWARD_REFERRAL_SUPPORT = "onward_referral"
VCOP_RIGHTS_SUPPORT = "vcop_rights"


class HubError(Exception):
    """A change the hub's rules do not allow; nothing was saved."""


def first_contact_due(partnership: Any, received_on: datetime.date) -> datetime.date:
    days = setting_value(partnership, SettingKey.FIRST_CONTACT_WORKING_DAYS, received_on)
    return add_working_days(received_on, days)


def _audit(user: Any, action: str, obj: Any, hub: HubReferral, request: HttpRequest | None, **detail: Any) -> None:
    # Against the case once there is one, so the case's trail shows the hub's work.
    target = hub.referral.case if hub.referral.case_id else hub
    log.record(user, action, target, request=request, partnership=hub.partnership, detail={"hub": obj, **detail})


# Referral in --------------------------------------------------------------------


@transaction.atomic
def create_hub_referral(
    user: Any,
    *,
    partnership: Any,
    referral_fields: dict[str, Any],
    hub_fields: dict[str, Any],
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> HubReferral:
    """A referral to the hub team with its hub record; `referral_fields` as for `create_referral`."""
    team = hub_team(partnership.pk)
    case_type = hub_case_type(partnership.pk)
    if team is None or case_type is None:
        raise HubError(missing_message("victim_hub", "the Victim Care Hub team").capitalize() + ".")
    _check_kind(hub_fields)
    referral = case_actions.create_referral(
        user,
        request=request,
        partnership=partnership,
        to_team=team,
        case_type=case_type,
        person=person,
        **referral_fields,
    )
    received_on = timezone.localdate(referral.received_at)
    hub = HubReferral.objects.create(
        partnership=partnership,
        referral=referral,
        received_on=received_on,
        first_contact_due_on=first_contact_due(partnership, received_on),
        age_at_referral=person.age_on(received_on) if person is not None else None,
        # Pending, with a deadline and no contact yet: the referral joins the triage queue.
        awaits_first_contact=True,
        **hub_fields,
    )
    log.record(user, AuditAction.CREATE, hub, request=request, partnership=partnership)
    return hub


def _check_kind(fields: dict[str, Any]) -> None:
    if fields.get("referral_kind") == ReferralKind.CRIME_PREVENTION:
        fields["victim_type"] = ""
    elif not fields.get("victim_type"):
        raise HubError("Say whether the victim is a direct or an indirect victim.")


@transaction.atomic
def update_hub_details(
    user: Any,
    hub: HubReferral,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
    *,
    expected_version: int | None = None,
) -> HubReferral:
    """Change the referral's hub fields (kind, crime, police, area) after triage.

    With `expected_version` (the edit form), refuses with StaleEdit when someone saved them since.
    """
    _check_kind(changes)
    if expected_version is not None:
        claim_version(hub, expected_version)
    changed = sorted(name for name, value in changes.items() if getattr(hub, name) != value)
    for name in changed:
        setattr(hub, name, changes[name])
    if changed:
        hub.save(update_fields=[*changed, "modified_at"])
        _audit(user, AuditAction.UPDATE, "details", hub, request, fields=changed)
    return hub


@transaction.atomic
def accept_hub_referral(
    user: Any, hub: HubReferral, *, assigned_to: Any = None, request: HttpRequest | None = None
) -> Case:
    """Accept into a new VCH case owned by the hub team; the person joins it as a direct or indirect victim."""
    referral = hub.referral
    title = f"{hub.crime_type.label}: {'victim support' if hub.is_victim else 'crime prevention'}"
    try:
        case = case_actions.accept_referral(user, referral, title=title, assigned_to=assigned_to, request=request)
    except case_actions.InvalidTransition as exc:
        raise HubError(str(exc)) from exc
    role = _participant_role(hub)
    if referral.person_id and role != ParticipantRole.DIRECT_VICTIM:
        Participant.objects.filter(case=case, person_id=referral.person_id, role=ParticipantRole.DIRECT_VICTIM).update(
            role=role
        )
    hub.referral = Referral.objects.select_related("case").get(pk=referral.pk)
    return case


def _participant_role(hub: HubReferral) -> str:
    if not hub.is_victim:
        return ParticipantRole.OTHER
    return ParticipantRole.INDIRECT_VICTIM if hub.victim_type == VictimType.INDIRECT else ParticipantRole.DIRECT_VICTIM


# Triage -------------------------------------------------------------------------


@transaction.atomic
def record_contact_attempt(
    user: Any,
    hub: HubReferral,
    *,
    made_on: datetime.date,
    method: str,
    successful: bool,
    notes: str = "",
    request: HttpRequest | None = None,
) -> ContactAttempt:
    if made_on < hub.received_on:
        raise HubError("A contact attempt cannot be before the referral was received.")
    attempt = ContactAttempt.objects.create(
        hub_referral=hub, made_on=made_on, method=method, successful=successful, notes=notes.strip(), made_by=user
    )
    if successful and (hub.first_contact_on is None or made_on < hub.first_contact_on):
        hub.first_contact_on = made_on
        hub.awaits_first_contact = False
        hub.save(update_fields=["first_contact_on", "awaits_first_contact", "modified_at"])
    _audit(user, AuditAction.CREATE, "contact_attempt", hub, request, successful=successful, on=str(made_on))
    return attempt


@transaction.atomic
def record_start_scores(
    user: Any,
    hub: HubReferral,
    *,
    satisfaction: int,
    safety: int,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> HubReferral:
    """With `expected_version` (the scores form), refuses with StaleEdit when someone saved the referral since."""
    if expected_version is not None:
        claim_version(hub, expected_version)
    hub.satisfaction_start, hub.safety_start = satisfaction, safety
    hub.save(update_fields=["satisfaction_start", "safety_start", "modified_at"])
    _audit(user, AuditAction.UPDATE, "start_scores", hub, request)
    return hub


# Care plan and support -----------------------------------------------------------


@transaction.atomic
def add_care_plan_item(
    user: Any,
    hub: HubReferral,
    *,
    category: str,
    description: str,
    owner: Any,
    due_on: datetime.date,
    request: HttpRequest | None = None,
) -> CarePlanItem:
    item = CarePlanItem.objects.create(
        hub_referral=hub,
        category=category,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=user,
    )
    _audit(user, AuditAction.CREATE, "care_plan_item", hub, request, category=category)
    return item


@transaction.atomic
def update_care_plan_item(
    user: Any,
    item: CarePlanItem,
    *,
    status: str,
    outcome: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CarePlanItem:
    if status != ItemStatus.OPEN and not outcome.strip():
        raise HubError("Describe the outcome of the care plan item.")
    if expected_version is not None:
        claim_version(item, expected_version)
    if status == item.status and outcome.strip() == item.outcome:
        # Saying "updated" when nothing was would mislead the worker and the audit trail.
        raise HubError("Nothing has changed: choose a new status or describe the outcome.")
    item.status = status
    item.outcome = outcome.strip()
    item.completed_on = timezone.localdate() if status != ItemStatus.OPEN else None
    item.save(update_fields=["status", "outcome", "completed_on", "modified_at"])
    _audit(user, AuditAction.UPDATE, "care_plan_item", item.hub_referral, request, item=item.pk, status=status)
    return item


def _support_code(partnership_id: int, code: str) -> ReferenceCode | None:
    return ReferenceCode.objects.filter(
        partnership_id=partnership_id, code_list=ReferenceList.VICTIM_SUPPORT_TYPE, code=code
    ).first()


@transaction.atomic
def record_support(
    user: Any,
    hub: HubReferral,
    *,
    support_type: ReferenceCode,
    delivered_on: datetime.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> SupportDelivered:
    if support_type.code_list != ReferenceList.VICTIM_SUPPORT_TYPE or support_type.partnership_id != hub.partnership_id:
        raise HubError("Choose one of the partnership's victim support types.")
    support = SupportDelivered.objects.create(
        hub_referral=hub, support_type=support_type, delivered_on=delivered_on, notes=notes.strip(), recorded_by=user
    )
    _audit(user, AuditAction.CREATE, "support", hub, request, support_type=support_type.code)
    return support


@transaction.atomic
def issue_safety_item(
    user: Any,
    hub: HubReferral,
    *,
    kind: str,
    quantity: int,
    issued_on: datetime.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> SafetyItem:
    item = SafetyItem.objects.create(
        hub_referral=hub, kind=kind, quantity=quantity, issued_on=issued_on, notes=notes.strip(), issued_by=user
    )
    _audit(user, AuditAction.CREATE, "safety_item", hub, request, kind=kind, quantity=quantity)
    return item


@transaction.atomic
def make_onward_referral(
    user: Any,
    hub: HubReferral,
    *,
    service: Any,
    referred_on: datetime.date,
    reason: str = "",
    request: HttpRequest | None = None,
) -> OnwardReferral:
    """Refer on to a directory service; it is also recorded as "Onward referral" support, as the return counts it."""
    if service.partnership_id != hub.partnership_id or service.is_archived:
        raise HubError("Choose a service in the partnership's directory.")
    onward = OnwardReferral.objects.create(
        hub_referral=hub, service=service, referred_on=referred_on, reason=reason.strip(), referred_by=user
    )
    code = _support_code(hub.partnership_id, ONWARD_REFERRAL_SUPPORT)
    if code is not None:
        SupportDelivered.objects.create(
            hub_referral=hub, support_type=code, delivered_on=referred_on, notes=f"To {service.name}", recorded_by=user
        )
    _audit(user, AuditAction.CREATE, "onward_referral", hub, request, service=service.name)
    return onward


@transaction.atomic
def record_onward_outcome(
    user: Any,
    onward: OnwardReferral,
    *,
    outcome: str,
    outcome_on: datetime.date,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> OnwardReferral:
    if outcome_on < onward.referred_on:
        raise HubError("The outcome cannot be dated before the referral was made.")
    if expected_version is not None:
        claim_version(onward, expected_version)
    onward.outcome = outcome
    onward.outcome_on = None if outcome == OnwardOutcome.AWAITING else outcome_on
    onward.save(update_fields=["outcome", "outcome_on", "modified_at"])
    _audit(user, AuditAction.UPDATE, "onward_referral", onward.hub_referral, request, outcome=outcome)
    return onward


# Victims' Code -------------------------------------------------------------------


@transaction.atomic
def record_right(
    user: Any,
    hub: HubReferral,
    *,
    right: ReferenceCode,
    informed_on: datetime.date | None,
    met_on: datetime.date | None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> RightRecord:
    """Record when the victim was informed of one right, or it was met.

    The hub record's `vcop_informed_on` (what the return counts) becomes the earliest
    day any right was informed, and the first time a victim is informed of their rights
    "VCOP rights information" support is recorded too.
    """
    if right.code_list != ReferenceList.VCOP_RIGHT or right.partnership_id != hub.partnership_id:
        raise HubError("Choose one of the 12 Victims' Code rights.")
    if informed_on is None and met_on is None:
        raise HubError("Give the date the victim was informed of the right, or the date it was met.")
    record, _ = RightRecord.objects.update_or_create(
        hub_referral=hub,
        right=right,
        defaults={"informed_on": informed_on, "met_on": met_on, "notes": notes.strip(), "recorded_by": user},
    )
    earliest = hub.rights.aggregate(first=Min("informed_on"))["first"]
    if earliest != hub.vcop_informed_on:
        if earliest is not None and hub.vcop_informed_on is None:
            code = _support_code(hub.partnership_id, VCOP_RIGHTS_SUPPORT)
            if code is not None and not hub.support.filter(support_type=code).exists():
                SupportDelivered.objects.create(
                    hub_referral=hub, support_type=code, delivered_on=earliest, recorded_by=user
                )
        hub.vcop_informed_on = earliest
        hub.save(update_fields=["vcop_informed_on", "modified_at"])
    _audit(user, AuditAction.UPDATE, "vcop_right", hub, request, right=right.code)
    return record


def right_stamp(record: RightRecord | None) -> str:
    """How a right's record looked when a page showed it: changes whenever it is saved."""
    return f"{record.modified_at.timestamp():.6f}" if record is not None else ""


@transaction.atomic
def record_rights(
    user: Any,
    hub: HubReferral,
    *,
    rights: list[ReferenceCode],
    informed_on: datetime.date | None,
    met_on: datetime.date | None,
    seen: dict[int, str],
    notes: str = "",
    request: HttpRequest | None = None,
) -> int:
    """Record several rights at once through ``record_right`` (each audited); all or nothing.

    `seen` is each right's stamp as the page showed it: a right recorded by someone else since
    refuses the whole batch, naming the right.
    """
    current = {r.right_id: r for r in RightRecord.objects.select_for_update().filter(hub_referral=hub)}
    for right in rights:
        if seen.get(right.pk, "") != right_stamp(current.get(right.pk)):
            raise HubError(
                f"Right {right.code} ({right.label}) was recorded by someone else after you opened this page. "
                "Nothing has been saved: check the rights and try again."
            )
        record_right(user, hub, right=right, informed_on=informed_on, met_on=met_on, notes=notes, request=request)
    return len(rights)


@transaction.atomic
def record_rj_information(
    user: Any, hub: HubReferral, *, informed_on: datetime.date, request: HttpRequest | None = None
) -> HubReferral:
    """Right 3: the day the victim was told of their right to restorative justice."""
    hub.rj_informed_on = informed_on
    hub.rj_informed_by = user
    hub.save(update_fields=["rj_informed_on", "rj_informed_by", "modified_at"])
    _audit(user, AuditAction.UPDATE, "rj_informed", hub, request, on=str(informed_on))
    return hub


# Closure -------------------------------------------------------------------------


@transaction.atomic
def open_at_closing(hub: HubReferral) -> list[str]:
    """What is still open on a hub case: care plan items, onward referrals awaiting a response, rights unrecorded."""
    found = []
    items = list(hub.care_plan_items.filter(status=ItemStatus.OPEN).values_list("description", flat=True))
    if items:
        found.append(f"{len(items)} care plan item{'s' if len(items) != 1 else ''} still open: {'; '.join(items)}")
    awaiting = list(hub.onward_referrals.filter(outcome=OnwardOutcome.AWAITING).values_list("service__name", flat=True))
    if awaiting:
        found.append(
            f"{len(awaiting)} onward referral{'s' if len(awaiting) != 1 else ''} awaiting a response: {'; '.join(awaiting)}"
        )
    rights = ReferenceCode.objects.of(hub.partnership_id, ReferenceList.VCOP_RIGHT).count()
    recorded = (
        hub.rights.filter(models.Q(informed_on__isnull=False) | models.Q(met_on__isnull=False))
        .values("right_id")
        .distinct()
        .count()
    )
    if hub.is_victim and recorded < rights:
        found.append(f"{rights - recorded} of {rights} Victims' Code rights not recorded as informed or met")
    return found


def close_hub_case(
    user: Any,
    hub: HubReferral,
    *,
    closure_reason: str,
    closed_on: datetime.date,
    satisfaction_end: int | None,
    safety_end: int | None,
    expected_version: int,
    request: HttpRequest | None = None,
    details: str = "",
    still_open: list[str] | None = None,
    close_anyway_reason: str = "",
) -> Case:
    """Close the hub case. `details` explain an "Other" reason; when `still_open` lists what was open, the
    user's `close_anyway_reason` goes in the stage log and the audit with it."""
    case = hub.referral.case
    if case is None:
        raise HubError("Accept the referral before closing it.")
    if case.status == CaseStatus.CLOSED:
        raise HubError("The case is already closed.")
    if closed_on < hub.received_on:
        raise HubError("The case cannot close before the referral was received.")
    try:
        case = case_actions.change_status(
            user,
            case,
            CaseStatus.CLOSED,
            expected_version=expected_version,
            closure_reason=closure_reason,
            on=closed_on,
            request=request,
            reason=_closing_reason(details, still_open, close_anyway_reason),
        )
    except case_actions.InvalidTransition as exc:
        raise HubError(str(exc)) from exc
    hub.satisfaction_end, hub.safety_end = satisfaction_end, safety_end
    hub.save(update_fields=["satisfaction_end", "safety_end", "modified_at"])
    _audit(user, AuditAction.UPDATE, "end_scores", hub, request)
    if still_open:
        log.record(
            user,
            AuditAction.UPDATE,
            case,
            request=request,
            reason=close_anyway_reason,
            detail={"closed_with_open_items": still_open},
        )
    return case


@transaction.atomic
def ask_to_close_hub_case(
    user: Any,
    hub: HubReferral,
    *,
    closure_reason: str,
    satisfaction_end: int | None,
    safety_end: int | None,
    expected_version: int,
    request: HttpRequest | None = None,
    details: str = "",
    still_open: list[str] | None = None,
    close_anyway_reason: str = "",
) -> Any:
    """Where closing needs a team manager's approval: the end scores are recorded now (they are the
    person's answers at the end of support) and the closure waits for the manager (cases.actions)."""
    case = hub.referral.case
    if case is None:
        raise HubError("Accept the referral before closing it.")
    try:
        closure = case_actions.request_closure(
            user,
            case,
            expected_version=expected_version,
            closure_reason=closure_reason,
            note=_closing_reason(details, still_open, close_anyway_reason),
            request=request,
        )
    except case_actions.InvalidTransition as exc:
        raise HubError(str(exc)) from exc
    hub.satisfaction_end, hub.safety_end = satisfaction_end, safety_end
    hub.save(update_fields=["satisfaction_end", "safety_end", "modified_at"])
    _audit(user, AuditAction.UPDATE, "end_scores", hub, request)
    return closure


def _closing_reason(details: str, still_open: list[str] | None, close_anyway_reason: str) -> str:
    parts = [details.strip()] if details.strip() else []
    if still_open:
        parts.append(f"Closed with {'; '.join(still_open)}. Why: {close_anyway_reason.strip()}")
    return " ".join(parts)[:500]  # the stage log keeps 500 characters; the audit keeps the whole reason


# Analyst and administrator settings ----------------------------------------------


@transaction.atomic
def set_targets(
    user: Any, partnership: Any, year: int, targets: dict[int, int | None], request: HttpRequest | None = None
) -> None:
    """Set (or, with None, remove) the referral target of each quarter of the financial year starting in `year`."""
    for quarter, value in targets.items():
        if value is None:
            QuarterlyTarget.objects.filter(partnership=partnership, year=year, quarter=quarter).delete()
        else:
            QuarterlyTarget.objects.update_or_create(
                partnership=partnership, year=year, quarter=quarter, defaults={"referrals": value, "set_by": user}
            )
    log.record(
        user,
        AuditAction.UPDATE,
        None,
        request=request,
        partnership=partnership,
        detail={"hub_targets": year, "targets": {str(q): v for q, v in targets.items()}},
    )


@transaction.atomic
def set_hub_team(user: Any, partnership: Any, team: Team, request: HttpRequest | None = None) -> None:
    from saferhub.victims.models import HubConfiguration

    config, _ = HubConfiguration.objects.get_or_create(partnership=partnership)
    config.team = team
    config.save(update_fields=["team", "modified_at"])
    log.record(user, AuditAction.UPDATE, config, request=request, partnership=partnership, detail={"hub_team": team.pk})


@transaction.atomic
def add_setting(
    user: Any,
    partnership: Any,
    *,
    key: str,
    value: int,
    effective_from: datetime.date,
    request: HttpRequest | None = None,
) -> HubSetting:
    setting, _ = HubSetting.objects.update_or_create(
        partnership=partnership, key=key, effective_from=effective_from, defaults={"value": value, "set_by": user}
    )
    log.record(user, AuditAction.UPDATE, setting, request=request, partnership=partnership, detail={key: value})
    return setting


def still_pending(hub: HubReferral) -> bool:
    return hub.referral.decision == ReferralDecision.PENDING


def refresh_queue_for_referral(referral: Any) -> None:
    """Registered with the cases actions: a hub referral leaves (or rejoins) the triage queue with its decision."""
    HubReferral.objects.filter(referral_id=referral.pk).refresh_first_contact_state()


def refresh_queue_for_case(case: Any) -> None:
    """Registered with the cases actions: closing a hub case takes its referral off the queue; reopening puts it back."""
    HubReferral.objects.filter(referral__case_id=case.pk).refresh_first_contact_state()
