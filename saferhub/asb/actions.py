"""State changes of ASB casework. Each function is one transaction that writes its audit rows with the change.

Callers check permission first (views through `saferhub.policy` and `saferhub.asb.access`);
these functions enforce the rules of the data, the statutory ones through `saferhub.asb.rules`.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from saferhub.asb import rules
from saferhub.asb.limits import Limits, setting_value
from saferhub.asb.models import (
    ASB_CASE_TYPE_CODE,
    VICTIM_ROLES,
    AsbCase,
    AsbDesk,
    AsbSetting,
    CaseReview,
    CaseReviewStatus,
    Incident,
    Intervention,
    InterventionStatus,
    Pspo,
    PspoBreach,
    PspoCondition,
    PspoRenewal,
    Report,
    ReviewItem,
    ReviewItemKind,
    SettingKey,
    ToolKind,
    VictimContact,
)
from saferhub.asb.threshold import earlier_report_within, evaluate
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import ActionStatus, Case, CaseReferenceSequence, CaseType, Participant

CASE_REVIEW_PREFIX = "ACR"


class StepRefused(Exception):
    """A Case Review step taken out of order; the message says what must come first."""


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
            + (f" (ends {item.expires_on:%d %b %Y})" if item.expires_on else ""),
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


# Settings --------------------------------------------------------------------------------------------


@transaction.atomic
def set_setting(
    user: Any,
    partnership: Any,
    *,
    key: str,
    value: int,
    effective_from: datetime.date,
    source: str = "",
    request: HttpRequest | None = None,
) -> AsbSetting:
    row, _ = AsbSetting.objects.update_or_create(
        partnership=partnership,
        key=key,
        effective_from=effective_from,
        defaults={"value": value, "source": source, "set_by": user},
    )
    log.record(
        user,
        AuditAction.UPDATE,
        row,
        request=request,
        partnership=partnership,
        detail={"key": key, "value": value, "effective_from": str(effective_from)},
    )
    return row


@transaction.atomic
def set_desk(user: Any, partnership: Any, team: Any, request: HttpRequest | None = None) -> AsbDesk:
    desk, _ = AsbDesk.objects.update_or_create(partnership=partnership, defaults={"team": team})
    log.record(user, AuditAction.UPDATE, desk, request=request, partnership=partnership, detail={"team": team.pk})
    return desk


# ASB Case Review -----------------------------------------------------------------------------------------


def next_review_reference(partnership: Any, year: int) -> str:
    seq, _ = CaseReferenceSequence.objects.select_for_update().get_or_create(
        partnership=partnership, prefix=CASE_REVIEW_PREFIX, year=year
    )
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return f"{CASE_REVIEW_PREFIX}-{year}-{seq.last_number:05d}"


def match_case(partnership: Any, case_reference: str, surname: str) -> Case | None:
    """The ASB case the applicant names, when their surname is that of a victim on it.

    Both must match so that a guessed reference reveals nothing.
    """
    case_reference, surname = case_reference.strip().upper(), surname.strip()
    if not case_reference or not surname:
        return None
    return (
        Case.objects.filter(
            partnership=partnership,
            reference=case_reference,
            case_type__code=ASB_CASE_TYPE_CODE,
            participants__role__in=["direct_victim", "indirect_victim"],
            participants__person__last_name__iexact=surname,
        )
        .distinct()
        .first()
    )


@transaction.atomic
def submit_case_review(
    user: Any, *, partnership: Any, surname: str = "", request: HttpRequest | None = None, **fields: Any
) -> CaseReview:
    """Receive an application (public form, or an officer on the applicant's behalf) and acknowledge it by reference."""
    applied_on = fields.pop("applied_on", None) or timezone.localdate()
    desk = AsbDesk.objects.filter(partnership=partnership).select_related("team").first()
    review = CaseReview(
        partnership=partnership,
        applied_on=applied_on,
        owning_team=desk.team if desk else getattr(user, "team", None),
        created_by=user if getattr(user, "pk", None) else None,
        **fields,
    )
    review.case = match_case(partnership, review.case_reference_given, surname)
    review.matched_automatically = review.case is not None
    if review.case is not None:
        asb = AsbCase.objects.filter(case=review.case).first()
        review.single_point_of_contact = asb.single_point_of_contact if asb else None
        review.threshold_computed = evaluate(partnership, review.case, applied_on).as_json()
    review.reference = next_review_reference(partnership, applied_on.year)
    review.save()
    log.record(
        user,
        AuditAction.CREATE,
        review,
        request=request,
        partnership=partnership,
        detail={"channel": review.channel, "matched": review.matched_automatically},
    )
    if review.applicant_email:
        transaction.on_commit(lambda: _email_acknowledgement(review))
    return review


def _email_acknowledgement(review: CaseReview) -> None:
    status_url = settings.SITE_URL.rstrip("/") + reverse("asb:public-status", kwargs={"slug": review.partnership.slug})
    send_mail(
        subject=f"Your ASB Case Review application {review.reference}",
        message=(
            f"We have received your application for an ASB Case Review on {review.applied_on:%d %B %Y}.\n\n"
            f"Your reference is {review.reference}. Please quote it if you contact us.\n\n"
            "We will tell you whether your application meets the threshold for a review, and what happens next.\n\n"
            f"You can check how your application is going at {status_url} with your reference and this e-mail address."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[review.applicant_email],
        fail_silently=True,
    )


def _save(user: Any, review: CaseReview, request: HttpRequest | None, **detail: Any) -> CaseReview:
    review.modified_by = user
    review.save()
    log.record(
        user,
        AuditAction.UPDATE,
        review,
        request=request,
        partnership=review.partnership,
        detail={key: str(value) for key, value in detail.items()},
    )
    return review


@transaction.atomic
def acknowledge_case_review(
    user: Any, review: CaseReview, on: datetime.date, request: HttpRequest | None = None
) -> CaseReview:
    if review.acknowledged_on:
        raise StepRefused("The application has already been acknowledged.")
    review.acknowledged_on = on
    if review.status == CaseReviewStatus.RECEIVED:
        review.status = CaseReviewStatus.ACKNOWLEDGED
    return _save(user, review, request, acknowledged_on=on)


@transaction.atomic
def link_case_review(
    user: Any, review: CaseReview, case: Case, spoc: Any = None, request: HttpRequest | None = None
) -> CaseReview:
    if review.threshold_decided_on:
        raise StepRefused("The threshold has been decided: the linked case can no longer change.")
    review.case = case
    review.matched_automatically = False
    if spoc is not None:
        review.single_point_of_contact = spoc
    review.threshold_computed = evaluate(review.partnership, case, review.applied_on).as_json()
    return _save(user, review, request, case=case.reference)


@transaction.atomic
def decide_threshold(
    user: Any, review: CaseReview, *, met: bool, reason: str, on: datetime.date, request: HttpRequest | None = None
) -> CaseReview:
    """Confirm (or, with a reason, depart from) the computed threshold."""
    if not review.acknowledged_on:
        raise StepRefused("Acknowledge the application before deciding the threshold.")
    if review.threshold_decided_on:
        raise StepRefused("The threshold has already been decided.")
    computed = evaluate(review.partnership, review.case, review.applied_on)
    if met != computed.met and not reason.strip():
        raise StepRefused("Give the reason for a decision that differs from the computed threshold.")
    review.threshold_met = met
    review.threshold_decided_on = on
    review.threshold_reason = reason.strip() or computed.explanation
    review.threshold_computed = computed.as_json()
    review.status = CaseReviewStatus.THRESHOLD_MET if met else CaseReviewStatus.THRESHOLD_NOT_MET
    return _save(user, review, request, threshold_met=met)


@transaction.atomic
def record_review_meeting(
    user: Any,
    review: CaseReview,
    *,
    held_on: datetime.date,
    attendees: str,
    request: HttpRequest | None = None,
) -> CaseReview:
    if review.threshold_decided_on is None:
        raise StepRefused("Decide the threshold before recording the review meeting.")
    if review.outcome_sent_on:
        raise StepRefused("The outcome has been sent: the review meeting can no longer change.")
    review.review_held_on = held_on
    review.attendees = attendees
    review.recommendations_made = review.items.recommendations().exists()
    review.status = CaseReviewStatus.REVIEW_HELD
    return _save(user, review, request, review_held_on=held_on)


@transaction.atomic
def add_review_item(
    user: Any,
    review: CaseReview,
    *,
    kind: str,
    text: str,
    owner: Any,
    due_on: datetime.date,
    request: HttpRequest | None = None,
) -> ReviewItem:
    """A recommendation of the review, or an action plan item (also an action on the ASB case for its owner)."""
    if review.review_held_on is None:
        raise StepRefused("Record the review meeting before its recommendations and action plan.")
    if review.outcome_sent_on:
        raise StepRefused("The outcome has been sent: the recommendations and action plan are in the letter.")
    item = ReviewItem(
        review=review, kind=kind, text=text.strip(), owner=owner, due_on=due_on, created_by=user, modified_by=user
    )
    if kind == ReviewItemKind.ACTION:
        if review.case is None:
            raise StepRefused("Link the application to the ASB case before adding action plan items.")
        title = f"{review.reference} action plan: {item.text}"
        item.action = case_actions.add_action(
            user,
            review.case,
            title=title if len(title) <= 200 else title[:199] + "…",
            owner=owner,
            due_on=due_on,
            request=request,
        )
    item.save()
    if kind == ReviewItemKind.RECOMMENDATION and not review.recommendations_made:
        review.recommendations_made = True
        review.save(update_fields=["recommendations_made", "modified_at"])
    log.record(user, AuditAction.CREATE, item, request=request, partnership=review.partnership, detail={"kind": kind})
    return item


@transaction.atomic
def set_review_item_status(user: Any, item: ReviewItem, status: str, request: HttpRequest | None = None) -> ReviewItem:
    """An action plan item's status is its case action's; a recommendation keeps its own."""
    if status not in ActionStatus.values:
        raise ValueError("Choose open, done or cancelled.")
    if item.action is not None:
        case_actions.set_action_status(user, item.action, status, request=request)
    item.status = status
    item.modified_by = user
    item.save(update_fields=["status", "modified_by", "modified_at"])
    log.record(
        user,
        AuditAction.UPDATE,
        item,
        request=request,
        partnership=item.review.partnership,
        detail={"status": status},
    )
    return item


@transaction.atomic
def record_victim_consultation(
    user: Any,
    review: CaseReview,
    *,
    victim_consulted_on: datetime.date,
    victim_views: str,
    request: HttpRequest | None = None,
) -> CaseReview:
    """The victim is consulted on the action plan (2025 guidance) before the outcome is sent."""
    if review.review_held_on is None:
        raise StepRefused("Record the review meeting before consulting the victim on the action plan.")
    if not review.items.plan().exists():
        raise StepRefused("Add the action plan items before recording that the victim was consulted on them.")
    if victim_consulted_on < review.review_held_on:
        raise StepRefused("The victim is consulted on the plan after the review meeting, not before.")
    review.victim_consulted_on = victim_consulted_on
    review.victim_consulted_at = timezone.now()
    review.victim_views = victim_views
    return _save(user, review, request, victim_consulted_on=victim_consulted_on)


def plan_changed_since_consultation(review: CaseReview) -> bool:
    if review.victim_consulted_at is None:
        return False
    return review.items.plan().filter(created_at__gt=review.victim_consulted_at).exists()


@transaction.atomic
def send_outcome(
    user: Any, review: CaseReview, *, on: datetime.date, summary: str, request: HttpRequest | None = None
) -> CaseReview:
    if review.threshold_decided_on is None:
        raise StepRefused("Decide the threshold before sending the outcome.")
    if review.threshold_met and review.review_held_on is None:
        raise StepRefused("Hold the review meeting before sending the outcome.")
    if review.threshold_met and review.victim_consulted_on is None:
        raise StepRefused("Consult the victim on the action plan before sending the outcome.")
    if review.threshold_met and plan_changed_since_consultation(review):
        raise StepRefused(
            "Items were added to the action plan after the victim was consulted: consult the victim again."
        )
    review.outcome_sent_on = on
    review.outcome_summary = summary
    review.status = CaseReviewStatus.OUTCOME_SENT
    return _save(user, review, request, outcome_sent_on=on)


@transaction.atomic
def record_appeal(
    user: Any, review: CaseReview, *, received_on: datetime.date, grounds: str, request: HttpRequest | None = None
) -> CaseReview:
    if review.outcome_sent_on is None:
        raise StepRefused("An appeal is against an outcome: send the outcome first.")
    if review.appeal_received_on:
        raise StepRefused("An appeal has already been recorded.")
    review.appeal_received_on = received_on
    review.appeal_grounds = grounds
    review.status = CaseReviewStatus.APPEALED
    return _save(user, review, request, appeal_received_on=received_on)


@transaction.atomic
def decide_appeal(
    user: Any,
    review: CaseReview,
    *,
    decided_on: datetime.date,
    upheld: bool,
    outcome: str,
    request: HttpRequest | None = None,
) -> CaseReview:
    if review.appeal_received_on is None or review.appeal_decided_on:
        raise StepRefused("There is no appeal waiting for a decision.")
    review.appeal_decided_on = decided_on
    review.appeal_upheld = upheld
    review.appeal_outcome = outcome
    review.status = CaseReviewStatus.CLOSED
    return _save(user, review, request, appeal_upheld=upheld)


@transaction.atomic
def close_case_review(user: Any, review: CaseReview, request: HttpRequest | None = None) -> CaseReview:
    if review.outcome_sent_on is None:
        raise StepRefused("Send the outcome before closing the application.")
    review.status = CaseReviewStatus.CLOSED
    return _save(user, review, request, status="closed")


def limits_for(review: CaseReview) -> Limits:
    return Limits(review.partnership_id, review.applied_on)
