"""Every change to IOM records: one function each, in a transaction, writing its audit row.

Callers (views, imports, the demo) check permission first through `saferhub.policy`.
Edits of existing records (the stay's selection details, a plan item, a cost-of-crime
rate, a KPI value) compare-and-set the record's `version` (`core.versioning`).
"""

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.accounts.models import Team
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.actions import create_case, settle_overtaken_closures
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole, StageLog
from saferhub.core.form_pages import RuleRefused
from saferhub.core.versioning import claim_version
from saferhub.iom.models import (
    CohortStay,
    Contact,
    CostOfCrime,
    IomConfiguration,
    IomSetting,
    Offence,
    PlanItem,
    PlanStatus,
    RagStatus,
    YjKpiValue,
)
from saferhub.iom.reviews import REVIEW_CODE
from saferhub.iom.setup import iom_case_type, iom_team
from saferhub.panels.models import PanelType
from saferhub.people.models import Person


class IomError(RuleRefused):
    """A change the IOM rules refuse; the message names the field and what to do."""


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def set_iom_team(user: Any, partnership: Any, team: Team, request: HttpRequest | None = None) -> None:
    config, _ = IomConfiguration.objects.get_or_create(partnership=partnership)
    config.team = team
    config.save(update_fields=["team", "modified_at"])
    log.record(user, AuditAction.UPDATE, config, request=request, partnership=partnership, detail={"iom_team": team.pk})
    # The cohort review panel is the IOM team's to coordinate unless someone already coordinates it.
    review = PanelType.objects.filter(partnership=partnership, code=REVIEW_CODE, coordinating_team__isnull=True).first()
    if review is not None:
        review.coordinating_team = team
        review.save(update_fields=["coordinating_team", "modified_at"])
        log.record(
            user,
            AuditAction.UPDATE,
            review,
            request=request,
            partnership=partnership,
            detail={"changes": {"coordinating_team": {"from": None, "to": team.pk}}},
        )


def case_title(person: Person) -> str:
    return f"IOM: {person.display_name}"[:200]


@transaction.atomic
def adopt(
    user: Any,
    person: Person,
    *,
    adopted_on: datetime.date,
    cohort: str,
    management: str,
    rag: str,
    selection_reason: str = "",
    lead_agency: Any = None,
    offender_manager: Any = None,
    transferred_from_youth_justice: bool = False,
    external_ref: str = "",
    request: HttpRequest | None = None,
) -> CohortStay:
    """Adopt the person into the cohort: an `iom` case owned by the IOM team, the stay and its first RAG status."""
    partnership_id = person.partnership_id
    team, case_type = iom_team(partnership_id), iom_case_type(partnership_id)
    if team is None or case_type is None:
        raise IomError("No team holds the IOM duty: a partnership administrator gives it to a team on the Set-up page.")
    if CohortStay.objects.filter(person=person, left_on__isnull=True).exists():
        raise IomError("This person is already in the cohort: deselect the current stay first.", "person")
    case = create_case(
        user,
        case_type=case_type,
        owning_team=team,
        title=case_title(person),
        opened_on=adopted_on,
        assigned_to=offender_manager,
        request=request,
    )
    Participant.objects.create(case=case, person=person, role=ParticipantRole.SUBJECT, added_by=_user(user))
    stay = CohortStay.objects.create(
        partnership_id=partnership_id,
        case=case,
        person=person,
        external_ref=external_ref,
        adopted_on=adopted_on,
        cohort=cohort,
        management=management,
        selection_reason=selection_reason,
        lead_agency=lead_agency,
        offender_manager=offender_manager,
        transferred_from_youth_justice=transferred_from_youth_justice,
    )
    RagStatus.objects.create(stay=stay, on=adopted_on, rag=rag, recorded_by=_user(user))
    log.record(user, AuditAction.CREATE, case, request=request, detail={"iom_stay": stay.pk, "rag": rag})
    return stay


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def update_stay(
    user: Any, stay: CohortStay, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> CohortStay:
    claim_version(stay, expected_version)
    for name, value in changes.items():
        setattr(stay, name, value)
    stay.save()
    if "offender_manager" in changes:
        Case.objects.filter(pk=stay.case_id).update(assigned_to=changes["offender_manager"])
    log.record(
        user, AuditAction.UPDATE, stay.case, request=request, detail={"iom_stay": stay.pk, "changed": sorted(changes)}
    )
    return stay


@transaction.atomic
def record_rag(
    user: Any, stay: CohortStay, *, rag: str, on: datetime.date, note: str = "", request: HttpRequest | None = None
) -> RagStatus:
    if on < stay.adopted_on:
        raise IomError(f"The date must be on or after the day the person joined the cohort ({stay.adopted_on}).", "on")
    if stay.left_on and on > stay.left_on:
        raise IomError(f"The date must be on or before the day the person left the cohort ({stay.left_on}).", "on")
    entry, _ = RagStatus.objects.update_or_create(
        stay=stay, on=on, defaults={"rag": rag, "note": note, "recorded_by": _user(user)}
    )
    log.record(user, AuditAction.UPDATE, stay.case, request=request, detail={"iom_rag": rag, "on": on.isoformat()})
    return entry


@transaction.atomic
def record_offence(
    user: Any,
    stay: CohortStay,
    *,
    offence_date: datetime.date,
    offence_group: str,
    charged: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Offence:
    offence = Offence.objects.create(
        partnership_id=stay.partnership_id,
        person_id=stay.person_id,
        offence_date=offence_date,
        offence_group=offence_group,
        charged=charged,
        note=note,
        recorded_by=_user(user),
    )
    log.record(
        user, AuditAction.CREATE, stay.case, request=request, detail={"iom_offence": offence.pk, "group": offence_group}
    )
    return offence


@transaction.atomic
def add_plan_item(user: Any, stay: CohortStay, *, request: HttpRequest | None = None, **fields: Any) -> PlanItem:
    item = PlanItem.objects.create(stay=stay, created_by=_user(user), **_plan_fields(fields))
    log.record(user, AuditAction.CREATE, stay.case, request=request, detail={"iom_plan_item": item.pk})
    return item


def _plan_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("status") == PlanStatus.COMPLETED and not fields.get("completed_on"):
        fields["completed_on"] = _today()
    return fields


@transaction.atomic
def update_plan_item(
    user: Any, item: PlanItem, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> PlanItem:
    claim_version(item, expected_version)
    for name, value in _plan_fields(dict(changes)).items():
        setattr(item, name, value)
    item.save()
    log.record(user, AuditAction.UPDATE, item.stay.case, request=request, detail={"iom_plan_item": item.pk})
    return item


@transaction.atomic
def record_contact(
    user: Any,
    stay: CohortStay,
    *,
    contacted_on: datetime.date,
    kind: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Contact:
    contact = Contact.objects.create(
        stay=stay, contacted_on=contacted_on, kind=kind, note=note, recorded_by=_user(user)
    )
    log.record(user, AuditAction.CREATE, stay.case, request=request, detail={"iom_contact": contact.pk})
    return contact


# The case's closure reason (case_closure_reasons.csv) for a deselection reason.
_CLOSURE = {"reduced_risk": "risk_reduced", "moved_away": "moved_away"}


@transaction.atomic
def deselect(
    user: Any,
    stay: CohortStay,
    *,
    expected_version: int,
    left_on: datetime.date,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> CohortStay:
    """The person leaves the cohort: the stay ends and its case closes on the same day."""
    if stay.left_on is not None:
        raise IomError("This person has already left the cohort.")
    if left_on < stay.adopted_on:
        raise IomError(f"The date must be on or after the day the person joined ({stay.adopted_on}).", "left_on")
    claim_version(stay, expected_version)
    stay.left_on, stay.deselection_reason, stay.deselection_note = left_on, reason, note
    stay.save()
    case = stay.case
    if case.status != CaseStatus.CLOSED:
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED,
            closed_on=left_on,
            closure_reason=_CLOSURE.get(reason, "other"),
            modified_by=_user(user),
        )
        StageLog.objects.create(
            case=case,
            from_status=case.status,
            to_status=CaseStatus.CLOSED,
            by=_user(user),
            reason="Left the IOM cohort",
        )
        settle_overtaken_closures(user, case_ids=[case.pk], request=request)
    log.record(user, AuditAction.UPDATE, case, request=request, detail={"iom_deselected": reason})
    return stay


@transaction.atomic
def add_setting(
    user: Any,
    partnership: Any,
    *,
    key: str,
    value: int,
    effective_from: datetime.date,
    request: HttpRequest | None = None,
) -> IomSetting:
    setting, _ = IomSetting.objects.update_or_create(
        partnership=partnership,
        key=key,
        effective_from=effective_from,
        defaults={"value": value, "set_by": _user(user)},
    )
    log.record(user, AuditAction.UPDATE, setting, request=request, partnership=partnership, detail={key: value})
    return setting


@transaction.atomic
def add_cost(user: Any, partnership: Any, *, request: HttpRequest | None = None, **fields: Any) -> CostOfCrime:
    """A rate from a date: a later table replaces the earlier one from that date, so old offences keep their price."""
    group, effective_from = fields.pop("offence_group"), fields.pop("effective_from")
    rate, _ = CostOfCrime.objects.update_or_create(
        partnership=partnership,
        offence_group=group,
        effective_from=effective_from,
        defaults={**fields, "set_by": _user(user)},
    )
    log.record(user, AuditAction.UPDATE, rate, request=request, partnership=partnership, detail={"group": group})
    return rate


@transaction.atomic
def update_cost(
    user: Any, rate: CostOfCrime, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> CostOfCrime:
    claim_version(rate, expected_version)
    for name, value in changes.items():
        setattr(rate, name, value)
    rate.set_by = _user(user)
    rate.save()
    log.record(
        user,
        AuditAction.UPDATE,
        rate,
        request=request,
        partnership=rate.partnership,
        detail=dict.fromkeys(changes, True),
    )
    return rate


@transaction.atomic
def set_kpi_value(user: Any, partnership: Any, *, request: HttpRequest | None = None, **fields: Any) -> YjKpiValue:
    key = {name: fields.pop(name) for name in ("kpi", "year", "quarter")}
    value, _ = YjKpiValue.objects.update_or_create(
        partnership=partnership, **key, defaults={**fields, "set_by": _user(user)}
    )
    log.record(user, AuditAction.UPDATE, value, request=request, partnership=partnership, detail={"kpi": key["kpi"]})
    return value


@transaction.atomic
def update_kpi_value(
    user: Any, value: YjKpiValue, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> YjKpiValue:
    claim_version(value, expected_version)
    for name, new in changes.items():
        setattr(value, name, new)
    value.set_by = _user(user)
    value.save()
    log.record(
        user, AuditAction.UPDATE, value, request=request, partnership=value.partnership, detail={"kpi": value.kpi}
    )
    return value
