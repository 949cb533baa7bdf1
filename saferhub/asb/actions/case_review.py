"""State changes of the ASB Case Review ("community trigger"), from application to closure."""

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from saferhub.asb.limits import Limits
from saferhub.asb.models import (
    ASB_CASE_TYPE_CODE,
    AsbCase,
    AsbDesk,
    CaseReview,
    CaseReviewStatus,
    ReviewItem,
    ReviewItemKind,
)
from saferhub.asb.threshold import evaluate
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import ActionStatus, Case, CaseReferenceSequence

CASE_REVIEW_PREFIX = "ACR"


class StepRefused(Exception):
    """A Case Review step taken out of order; the message says what must come first."""


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
            f"We have received your application for an ASB Case Review on {review.applied_on:%-d %B %Y}.\n\n"
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
