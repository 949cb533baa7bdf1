"""State changes of ASB cases: opening and editing them, victims' contact details and reports of incidents."""

import datetime
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.asb import rules
from saferhub.asb.limits import setting_value
from saferhub.asb.models import (
    ASB_CASE_TYPE_CODE,
    VICTIM_ROLES,
    AsbCase,
    Incident,
    Report,
    SettingKey,
    VictimContact,
)
from saferhub.asb.threshold import earlier_report_within
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import Case, CaseType, Participant


def asb_case_type(partnership: Any) -> CaseType:
    case_type, _ = CaseType.objects.get_or_create(
        partnership=partnership, code=ASB_CASE_TYPE_CODE, defaults={"name": "Anti-social behaviour", "prefix": "ASB"}
    )
    return case_type


def _owner(case: Case, user: Any) -> Any:
    return case.assigned_to if case.assigned_to_id else user


# Cases and reports -----------------------------------------------------------------------------


@transaction.atomic
def create_asb_case(
    user: Any,
    *,
    owning_team: Any,
    title: str,
    category: Any,
    ward: Any = None,
    location: str = "",
    opened_on: datetime.date | None = None,
    summary: str = "",
    assigned_to: Any = None,
    external_ref: str = "",
    request: HttpRequest | None = None,
) -> AsbCase:
    case = case_actions.create_case(
        user,
        case_type=asb_case_type(owning_team.partnership),
        owning_team=owning_team,
        title=title,
        summary=summary,
        assigned_to=assigned_to,
        opened_on=opened_on,
        external_ref=external_ref,
        request=request,
    )
    asb = AsbCase.objects.create(
        case=case,
        partnership_id=case.partnership_id,
        category=category,
        ward=ward,
        location=location,
        single_point_of_contact=assigned_to,
        external_ref=external_ref,
    )
    log.record(user, AuditAction.CREATE, asb, request=request, partnership=case.partnership)
    return asb


ASB_DETAIL_FIELDS = ("category", "ward", "location", "single_point_of_contact")


@transaction.atomic
def update_asb_details(
    user: Any,
    asb: AsbCase,
    *,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **changes: Any,
) -> AsbCase:
    """Change category, ward, location or the case's single point of contact.

    With `expected_version`, refuses (StaleEdit) when someone saved the details since that version was read.
    """
    unknown = set(changes) - set(ASB_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not an ASB detail: {', '.join(sorted(unknown))}")
    changed = {key: value for key, value in changes.items() if getattr(asb, key) != value}
    stored = {f"{key}_id" if key != "location" else key: getattr(value, "pk", value) for key, value in changed.items()}
    rows = AsbCase.objects.filter(pk=asb.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=models.F("version") + 1, modified_at=timezone.now(), **stored):
        raise StaleEdit("The ASB details were changed by someone else after you opened them.")
    for key, value in changed.items():
        setattr(asb, key, value)
    asb.version = AsbCase.objects.values_list("version", flat=True).get(pk=asb.pk)
    if changed:
        log.record(user, AuditAction.UPDATE, asb.case, request=request, detail={"asb_fields": sorted(changed)})
    return asb


def victims(case: Case) -> Any:
    """The case's victims with their own contact and the people behind the default one."""
    return (
        Participant.objects.filter(case=case, role__in=VICTIM_ROLES)
        .select_related("person", "asb_contact__officer")
        .order_by("role", "person__last_name", "person__first_name", "pk")
    )


def default_contact(asb: AsbCase) -> Any:
    """The case's single point of contact, else its officer: what a victim without their own has."""
    if asb.single_point_of_contact_id:
        return asb.single_point_of_contact
    return asb.case.assigned_to if asb.case.assigned_to_id else None


def contact_for(participant: Participant, default: Any) -> Any:
    """A victim's single point of contact: their own, else `default` (see `default_contact`)."""
    own = getattr(participant, "asb_contact", None)
    return own.officer if own is not None else default


@transaction.atomic
def set_victim_contact(
    user: Any, participant: Participant, officer: Any, request: HttpRequest | None = None
) -> VictimContact | None:
    """Give one victim their own single point of contact; None returns them to the case's."""
    if participant.role not in VICTIM_ROLES:
        raise ValueError("Only victims have a single point of contact.")
    if officer is None:
        VictimContact.objects.filter(participant=participant).delete()
        contact = None
    else:
        contact, _ = VictimContact.objects.update_or_create(
            participant=participant, defaults={"officer": officer, "set_by": user}
        )
    log.record(
        user,
        AuditAction.UPDATE,
        participant.case,
        request=request,
        detail={"victim_contact": participant.pk, "officer": officer.pk if officer else None},
    )
    return contact


@transaction.atomic
def record_report(
    user: Any,
    case: Case,
    *,
    reported_to: str,
    reported_on: datetime.date,
    incident: Incident | None = None,
    behaviour_on: datetime.date | None = None,
    summary: str = "",
    hate_incident: bool = False,
    reporter: Any = None,
    description: str = "",
    body_reference: str = "",
    request: HttpRequest | None = None,
) -> Report:
    """A report of an incident; a new incident is made unless the report is of one already recorded."""
    if incident is None:
        if behaviour_on is None:
            raise ValueError("A new incident needs the date of the behaviour.")
        incident = Incident.objects.create(
            case=case, behaviour_on=behaviour_on, summary=summary[:300] or "Incident", hate_incident=hate_incident
        )
    elif incident.case_id != case.pk:
        raise ValueError("The incident belongs to another case.")
    if reported_on < incident.behaviour_on:
        raise ValueError("A report cannot be made before the behaviour it reports.")
    report = Report.objects.create(
        case=case,
        incident=incident,
        reporter=reporter,
        reported_to=reported_to,
        reported_on=reported_on,
        description=description,
        body_reference=body_reference,
        created_by=user,
        modified_by=user,
    )
    months = setting_value(case.partnership_id, SettingKey.CR_SECOND_REPORT_MONTHS, reported_on)
    earlier = earlier_report_within(report, months)
    # One explanation per run of reports: not again while an earlier flag in the window stands.
    if earlier is not None and not _already_flagged(report, months):
        report.case_review_explanation_due = True
        report.save(update_fields=["case_review_explanation_due"])
        case_actions.add_action(
            user,
            case,
            title=f"Explain the ASB Case Review to {reporter} (second report within {months} months)",
            owner=_owner(case, user),
            due_on=timezone.localdate() + datetime.timedelta(days=2),
            request=request,
        )
    log.record(user, AuditAction.CREATE, report, request=request, partnership=case.partnership)
    return report


def _already_flagged(report: Report, months: int) -> bool:
    since = rules.add_months(report.reported_on, -months)
    return (
        Report.objects.filter(
            reporter_id=report.reporter_id,
            reported_on__range=(since, report.reported_on),
            case_review_explanation_due=True,
        )
        .exclude(pk=report.pk)
        .exists()
    )


@transaction.atomic
def mark_case_review_explained(
    user: Any, report: Report, on: datetime.date, request: HttpRequest | None = None
) -> Report:
    report.case_review_explained_on = on
    report.modified_by = user
    report.save(update_fields=["case_review_explained_on", "modified_by", "modified_at"])
    log.record(user, AuditAction.UPDATE, report, request=request, detail={"case_review_explained_on": str(on)})
    return report
