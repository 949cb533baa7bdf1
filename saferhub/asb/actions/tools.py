"""State changes of tools and powers (interventions, fixed penalties) and Public Spaces Protection Orders."""

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.asb import rules
from saferhub.asb.actions.cases import _owner
from saferhub.asb.limits import setting_value
from saferhub.asb.models import (
    Intervention,
    InterventionStatus,
    Pspo,
    PspoBreach,
    PspoCondition,
    PspoRenewal,
    SettingKey,
    ToolKind,
)
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case

# Tools and powers ----------------------------------------------------------------------------------


@transaction.atomic
def record_intervention(
    user: Any,
    case: Case | None,
    *,
    partnership: Any,
    request: HttpRequest | None = None,
    historical: bool = False,
    **fields: Any,
) -> Intervention:
    """Record a tool or power after the statutory checks; sets the FPN discount and a review reminder."""
    fields.setdefault("issuing_team_id", getattr(user, "team_id", None))
    item = Intervention(partnership=partnership, case=case, created_by=user, modified_by=user, **fields)
    if item.served_at and not fields.get("served_on"):
        item.served_on = timezone.localtime(item.served_at).date()
    rules.check_intervention(item, historical=historical)
    if item.kind.code == ToolKind.FPN:
        item.discount_percent, item.discount_until = rules.fpn_discount(partnership, item.served_on)
        if item.status == InterventionStatus.ACTIVE:
            item.status = InterventionStatus.PAID if item.paid_on else InterventionStatus.UNPAID
        if item.paid_on and item.paid_pence is None:
            item.paid_pence = item.amount_due(item.paid_on)
    if not historical and case is not None and item.kind.code != ToolKind.FPN and item.review_on is None:
        days = setting_value(partnership, SettingKey.REVIEW_REMINDER_DAYS, item.served_on)
        item.review_on = min(item.served_on + datetime.timedelta(days=days), item.expires_on or datetime.date.max)
    item.save()
    if not historical and case is not None and item.review_on and item.review_on >= timezone.localdate():
        item.review_action = case_actions.add_action(
            user,
            case,
            title=f"Review the {item.kind.label.lower()} served on {item.served_to or 'the subject'}"
            + (f" (ends {item.expires_on:%-d %b %Y})" if item.expires_on else ""),
            owner=_owner(case, user),
            due_on=item.review_on,
            request=request,
        )
        item.save(update_fields=["review_action"])
    log.record(
        user, AuditAction.CREATE, item, request=request, partnership=partnership, detail={"kind": item.kind.code}
    )
    return item


_STATUS_FOR_FPN = {
    InterventionStatus.UNPAID,
    InterventionStatus.PAID,
    InterventionStatus.PROSECUTION,
    InterventionStatus.WITHDRAWN,
}


@transaction.atomic
def set_intervention_status(
    user: Any, item: Intervention, status: str, request: HttpRequest | None = None
) -> Intervention:
    if item.is_fpn and status not in _STATUS_FOR_FPN:
        raise ValueError("A fixed penalty is unpaid, paid, escalated to prosecution or withdrawn.")
    if not item.is_fpn and status in {
        InterventionStatus.UNPAID,
        InterventionStatus.PAID,
        InterventionStatus.PROSECUTION,
    }:
        raise ValueError("Only fixed penalties are paid or unpaid.")
    item.status = status
    item.modified_by = user
    item.save(update_fields=["status", "modified_by", "modified_at"])
    log.record(user, AuditAction.UPDATE, item, request=request, detail={"status": status}, partnership=item.partnership)
    return item


@transaction.atomic
def record_fpn_payment(
    user: Any, item: Intervention, paid_on: datetime.date, request: HttpRequest | None = None
) -> Intervention:
    if not item.is_fpn:
        raise ValueError("Only fixed penalties are paid.")
    if item.paid_on or item.escalated_to_prosecution:
        raise ValueError("This fixed penalty is already paid or escalated to prosecution.")
    if paid_on < item.served_on:
        raise ValueError("The payment date is before the penalty was served.")
    item.paid_on = paid_on
    item.paid_pence = item.amount_due(paid_on)
    item.status = InterventionStatus.PAID
    item.modified_by = user
    item.save()
    log.record(
        user, AuditAction.UPDATE, item, request=request, detail={"paid_on": str(paid_on)}, partnership=item.partnership
    )
    return item


@transaction.atomic
def escalate_fpn(user: Any, item: Intervention, on: datetime.date, request: HttpRequest | None = None) -> Intervention:
    if not item.is_fpn or item.paid_on:
        raise ValueError("Only an unpaid fixed penalty is escalated to prosecution.")
    item.escalated_to_prosecution = True
    item.escalated_on = on
    item.status = InterventionStatus.PROSECUTION
    item.modified_by = user
    item.save()
    log.record(
        user, AuditAction.UPDATE, item, request=request, detail={"escalated_on": str(on)}, partnership=item.partnership
    )
    return item


# PSPOs ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_pspo(
    user: Any,
    *,
    partnership: Any,
    name: str,
    area: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    conditions: list[str],
    request: HttpRequest | None = None,
) -> Pspo:
    rules.check_pspo_period(partnership, starts_on, ends_on)
    pspo = Pspo.objects.create(
        partnership=partnership,
        name=name,
        area=area,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
        modified_by=user,
    )
    PspoCondition.objects.bulk_create(
        PspoCondition(pspo=pspo, number=number, text=text) for number, text in enumerate(conditions, start=1)
    )
    log.record(user, AuditAction.CREATE, pspo, request=request, partnership=partnership)
    return pspo


@transaction.atomic
def renew_pspo(
    user: Any, pspo: Pspo, *, renewed_on: datetime.date, new_ends_on: datetime.date, request: HttpRequest | None = None
) -> PspoRenewal:
    rules.check_pspo_renewal(pspo, renewed_on, new_ends_on)
    renewal = PspoRenewal.objects.create(
        pspo=pspo, renewed_on=renewed_on, previous_ends_on=pspo.ends_on, new_ends_on=new_ends_on, created_by=user
    )
    pspo.ends_on = new_ends_on
    pspo.modified_by = user
    pspo.save(update_fields=["ends_on", "modified_by", "modified_at"])
    log.record(user, AuditAction.UPDATE, pspo, request=request, detail={"renewed_to": str(new_ends_on)})
    return renewal


@transaction.atomic
def record_pspo_breach(
    user: Any,
    condition: PspoCondition,
    *,
    occurred_on: datetime.date,
    place: str = "",
    person: Any = None,
    description: str = "",
    fpn_amount_pence: int | None = None,
    fpn_offence: Any = None,
    request: HttpRequest | None = None,
) -> PspoBreach:
    """A breach of one condition; with an amount, the fixed penalty issued for it is recorded too."""
    pspo = condition.pspo
    if not pspo.in_force(occurred_on):
        raise rules.RuleBroken("PSPO in force", "the PSPO was not in force on that date.", "occurred_on")
    fpn = None
    if fpn_amount_pence:
        fpn = record_intervention(
            user,
            None,
            partnership=pspo.partnership,
            kind=_kind(pspo.partnership_id, ToolKind.FPN),
            offence=fpn_offence,
            amount_pence=fpn_amount_pence,
            served_on=occurred_on,
            person=person,
            pspo_condition=condition,
            details=f"Breach of PSPO condition {condition.number}: {condition.text}",
            request=request,
        )
    breach = PspoBreach.objects.create(
        condition=condition,
        occurred_on=occurred_on,
        place=place,
        person=person,
        description=description,
        fixed_penalty=fpn,
        created_by=user,
        modified_by=user,
    )
    log.record(user, AuditAction.CREATE, breach, request=request, partnership=pspo.partnership)
    return breach


def _kind(partnership_id: int, code: str) -> Any:
    from saferhub.core.models import ReferenceCode, ReferenceList

    return ReferenceCode.objects.get(
        partnership_id=partnership_id, code_list=ReferenceList.ASB_TOOL_OR_POWER, code=code
    )
