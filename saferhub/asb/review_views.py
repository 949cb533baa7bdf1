"""ASB Case Review pages: the public application form, and the officer's steps from receipt to appeal."""

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_http_methods, require_POST

from saferhub import policy
from saferhub.accounts.middleware import public
from saferhub.accounts.models import Partnership
from saferhub.asb import access, actions, deadlines, public_status
from saferhub.asb.export_columns import CASE_REVIEW_COLUMNS
from saferhub.asb.forms import (
    AcknowledgeForm,
    AppealDecisionForm,
    AppealForm,
    ApplicationForm,
    ConsultationForm,
    LinkCaseForm,
    MeetingForm,
    OfficerApplicationForm,
    OutcomeForm,
    ReviewItemForm,
    ReviewItemStatusForm,
    StatusCheckForm,
    ThresholdForm,
)
from saferhub.asb.limits import Limits
from saferhub.asb.models import AsbCase, CaseReview, Channel, ReviewItem, ReviewItemKind, SettingKey
from saferhub.asb.threshold import evaluate
from saferhub.asb.views import form_page
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core import exports
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.letters.views import latest_review_letter, public_urls

# Public form: at most this many applications from one address per hour.
APPLY_LIMIT = 5
APPLY_WINDOW_SECONDS = 3600
SESSION_KEY = "asb_case_review_done"
# Public status check: at most this many look-ups (found or not) from one address per hour.
STATUS_LIMIT = 10


# Public --------------------------------------------------------------------------------------------


def _rate_limited(request: HttpRequest, what: str = "apply", limit: int = APPLY_LIMIT) -> bool:
    key = f"asb-{what}:{request.META.get('REMOTE_ADDR', '')}"
    count = cache.get(key, 0)
    if count >= limit:
        return True
    cache.set(key, count + 1, APPLY_WINDOW_SECONDS)
    return False


@public
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            form.add_error(
                None,
                "Too many applications have been sent from here in the last hour. Please try again later or phone us.",
            )
        else:
            review = actions.submit_case_review(
                request.user,
                partnership=partnership,
                surname=form.cleaned_data["surname"],
                channel=Channel.ONLINE,
                request=request,
                **form.review_fields(),
            )
            request.session[SESSION_KEY] = review.pk
            return redirect("asb:public-apply-done", slug=slug)
    limits = Limits(partnership.pk, timezone.localdate())
    rule = {
        "reports": limits[SettingKey.CR_QUALIFYING_REPORTS],
        "months": limits[SettingKey.CR_WINDOW_MONTHS],
        "within": limits[SettingKey.CR_REPORT_WITHIN_MONTHS],
        "hate": limits[SettingKey.CR_HATE_INCIDENTS],
    }
    return render(request, "asb/apply.html", {"form": form, "partnership": partnership, "rule": rule})


@public
@require_http_methods(["GET"])
def apply_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The acknowledgement; shown only to the browser that sent the application."""
    partnership = get_object_or_404(Partnership, slug=slug)
    review = CaseReview.objects.filter(partnership=partnership, pk=request.session.get(SESSION_KEY) or 0).first()
    if review is None:
        raise Http404("No application to show")
    limits = Limits(partnership.pk, review.applied_on)
    steps = {step.key: step for step in deadlines.steps(review, limits)}
    return render(
        request,
        "asb/apply_done.html",
        {"review": review, "partnership": partnership, "decide_by": steps["decide"].due_on},
    )


NOT_FOUND = (
    "We could not find an application with that reference and that e-mail address or postcode. "
    "Check both are as you gave them, or contact us."
)


def _postcode(value: str) -> str:
    return "".join(value.split()).upper()


def _find_application(partnership: Partnership, reference: str, email_or_postcode: str) -> CaseReview | None:
    """The application only when the reference and the e-mail address or postcode given on it both match."""
    review = CaseReview.objects.filter(partnership=partnership, reference=reference, historical=False).first()
    if review is None:
        return None
    if "@" in email_or_postcode:
        given, stored = email_or_postcode.lower(), review.applicant_email.strip().lower()
    else:
        given, stored = _postcode(email_or_postcode), _postcode(review.applicant_postcode)
    return review if stored and constant_time_compare(given, stored) else None


@public
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, slug: str) -> HttpResponse:
    """An applicant checks the stage of their application: no account, no case details."""
    partnership = get_object_or_404(Partnership, slug=slug)
    form = StatusCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "status", STATUS_LIMIT):
            form.add_error(None, "Too many checks have been made from here in the last hour. Please try again later.")
        else:
            review = _find_application(
                partnership, form.cleaned_data["reference"], form.cleaned_data["email_or_postcode"]
            )
            if review is None:
                form.add_error(None, NOT_FOUND)
            else:
                log.record(request.user, AuditAction.VIEW, review, request=request, detail={"public_status": True})
                context = {
                    "review": review,
                    "partnership": partnership,
                    "stages": public_status.stages(review),
                    "stage": public_status.current(review),
                }
                return render(request, "asb/status_result.html", context)
    return render(request, "asb/status.html", {"form": form, "partnership": partnership})


# Officer pages ---------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def review_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.works_case_reviews(user), "Only caseworkers in a team handle Case Reviews.")
    today = timezone.localdate()
    show_all = request.GET.get("show") == "all"
    # "Awaiting a decision" is the Case Review kind of the team's inbox: the inbox's items and count.
    show_awaiting = request.GET.get("show") == "awaiting"
    reviews: Any = policy.visible_case_reviews(user).select_related("case", "single_point_of_contact")
    if show_awaiting:
        reviews = policy.inbox_queryset(user, policy.InboxKind.CASE_REVIEW).select_related(
            "case", "single_point_of_contact"
        )
    elif not show_all:
        reviews = reviews.open()
    if exports.wanted_format(request):
        ordered = reviews.order_by("-applied_on", "-pk")
        return exports.export_response(request, ordered, CASE_REVIEW_COLUMNS, name="case-reviews", title="Case Reviews")
    rows = list(reviews.order_by("-applied_on", "-pk")[:200])
    cache_: dict[Any, Limits] = {}
    for review in rows:
        limits = cache_.setdefault(review.applied_on, Limits(review.partnership_id, review.applied_on))
        review.next = None if review.historical else deadlines.next_step(review, limits)
        review.overdue = review.next is not None and review.next.overdue(today)
    context = {
        "reviews": rows,
        "show_all": show_all,
        "show_awaiting": show_awaiting,
        "awaiting": policy.inbox_count(user, policy.InboxKind.CASE_REVIEW),
        "today": today,
        "export_links": exports.export_links(request),
        "public_urls": public_urls(request, request.user.partnership),  # type: ignore[union-attr]
    }
    return render(request, "asb/review_list.html", context)


@require_http_methods(["GET", "POST"])
def review_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An officer records an application made by phone, in person or by letter."""
    user = request.user
    access.require(policy.works_case_reviews(user), "Only caseworkers in a team handle Case Reviews.")
    form = OfficerApplicationForm(
        request.POST or None, initial={"applied_on": timezone.localdate(), "channel": Channel.PHONE}
    )
    if request.method == "POST" and form.is_valid():
        review = actions.submit_case_review(
            user,
            partnership=user.partnership,
            surname=form.cleaned_data["surname"],
            request=request,
            **form.review_fields(),
        )
        messages.success(request, f"Application {review.reference} recorded: give the applicant this reference")
        return redirect("asb:review", reference=review.reference)
    return render(request, "asb/review_new.html", {"form": form})


@require_http_methods(["GET"])
def review_detail(request: HttpRequest, reference: str) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    today = timezone.localdate()
    limits = Limits(review.partnership_id, review.applied_on)
    threshold = evaluate(review.partnership_id, review.case, review.applied_on) if review.case_id else None
    steps = deadlines.steps(review, limits)
    items = list(review.items.select_related("owner__team__agency", "action"))
    victims = []
    if review.case_id:
        asb = AsbCase.objects.select_related("single_point_of_contact").filter(case=review.case).first()
        if asb is not None:
            asb.case = review.case
            default = actions.default_contact(asb)
            victims = list(actions.victims(review.case))
            for victim in victims:
                victim.contact = actions.contact_for(victim, default)
    context = {
        "review": review,
        "recommendations": [i for i in items if i.kind == ReviewItemKind.RECOMMENDATION],
        "plan": [i for i in items if i.kind == ReviewItemKind.ACTION],
        "plan_changed": actions.plan_changed_since_consultation(review),
        "victims": victims,
        "steps": [{"step": step, "overdue": step.overdue(today), "late": step.late()} for step in steps],
        "threshold": threshold,
        "today": today,
        "can_open_case": review.case_id is not None
        and access.visible_asb_cases(request.user).filter(pk=review.case_id).exists(),
        "outcome_letter": latest_review_letter(review),
    }
    return render(request, "asb/review_detail.html", context)


def _step_page(
    request: HttpRequest,
    reference: str,
    form_class: Any,
    title: str,
    submit: str,
    run: Any,
    *,
    initial: dict | None = None,
    **extra: Any,
) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    form = form_class(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            run(review, form.cleaned_data)
        except actions.StepRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{title}: saved")
            return redirect("asb:review", reference=review.reference)
    return form_page(
        request,
        form,
        title=title,
        caption=f"ASB Case Review {review.reference}",
        back_url=reverse("asb:review", args=[review.reference]),
        submit=submit,
        **extra,
    )


@require_http_methods(["GET", "POST"])
def review_acknowledge(request: HttpRequest, reference: str) -> HttpResponse:
    return _step_page(
        request,
        reference,
        AcknowledgeForm,
        "Acknowledge the application",
        "Save",
        lambda review, data: actions.acknowledge_case_review(
            request.user, review, data["acknowledged_on"], request=request
        ),
        initial={"acknowledged_on": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def review_link(request: HttpRequest, reference: str) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    form = LinkCaseForm(
        request.POST or None,
        cases=access.visible_asb_cases(request.user),
        partnership_id=review.partnership_id,
        initial={"reference": review.case.reference if review.case_id else review.case_reference_given},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.link_case_review(
                request.user,
                review,
                form.cleaned_data["reference"],
                form.cleaned_data["single_point_of_contact"],
                request=request,
            )
        except actions.StepRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Application linked to the ASB case: the threshold is computed from its reports")
            return redirect("asb:review", reference=review.reference)
    return form_page(
        request,
        form,
        title="Link the application to the ASB case",
        caption=f"ASB Case Review {review.reference}",
        back_url=reverse("asb:review", args=[review.reference]),
        submit="Link",
        intro="The threshold is computed from the reports recorded on the case the problem is recorded in.",
    )


@require_http_methods(["GET", "POST"])
def review_decide(request: HttpRequest, reference: str) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    threshold = evaluate(review.partnership_id, review.case, review.applied_on)
    form = ThresholdForm(
        request.POST or None, initial={"met": "yes" if threshold.met else "no", "decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide_threshold(
                request.user, review, met=data["met"], reason=data["reason"], on=data["decided_on"], request=request
            )
        except actions.StepRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Threshold decision saved")
            return redirect("asb:review", reference=review.reference)
    return render(request, "asb/review_decide.html", {"form": form, "review": review, "threshold": threshold})


@require_http_methods(["GET", "POST"])
def review_meeting(request: HttpRequest, reference: str) -> HttpResponse:
    return _step_page(
        request,
        reference,
        MeetingForm,
        "Record the review meeting",
        "Save",
        lambda review, data: actions.record_review_meeting(request.user, review, request=request, **data),
    )


def _add_item(request: HttpRequest, reference: str, kind: str, title: str) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    form = ReviewItemForm(request.POST or None, review=review, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_review_item(request.user, review, kind=kind, request=request, **form.cleaned_data)
        except actions.StepRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{ReviewItemKind(kind).label} added")
            return redirect("asb:review", reference=review.reference)
    intro = (
        "Each recommendation has an owner and a date by which it is done."
        if kind == ReviewItemKind.RECOMMENDATION
        else "Each item becomes an action on the ASB case for its owner. Consult the victim on the plan before "
        "sending the outcome."
    )
    return form_page(
        request,
        form,
        title=title,
        caption=f"ASB Case Review {review.reference}",
        back_url=reverse("asb:review", args=[review.reference]),
        submit="Add",
        intro=intro,
    )


@require_http_methods(["GET", "POST"])
def review_recommendation_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _add_item(request, reference, ReviewItemKind.RECOMMENDATION, "Add a recommendation")


@require_http_methods(["GET", "POST"])
def review_plan_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _add_item(request, reference, ReviewItemKind.ACTION, "Add an action plan item")


@require_http_methods(["GET", "POST"])
def review_item_status(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    item = ReviewItem.objects.select_related("action").filter(review=review, pk=pk).first()
    if item is None:
        raise Http404("No such recommendation or action plan item")
    item.review = review
    form = ReviewItemStatusForm(request.POST or None, initial={"status": item.current_status})
    if request.method == "POST" and form.is_valid():
        actions.set_review_item_status(request.user, item, form.cleaned_data["status"], request=request)
        messages.success(request, "Status saved")
        return redirect("asb:review", reference=review.reference)
    return form_page(
        request,
        form,
        title=f"Change the status of: {item.text}",
        caption=f"ASB Case Review {review.reference}",
        back_url=reverse("asb:review", args=[review.reference]),
        submit="Save",
    )


@require_http_methods(["GET", "POST"])
def review_consultation(request: HttpRequest, reference: str) -> HttpResponse:
    return _step_page(
        request,
        reference,
        ConsultationForm,
        "Record the victim's consultation on the action plan",
        "Save",
        lambda review, data: actions.record_victim_consultation(request.user, review, request=request, **data),
        intro="The victim is consulted on the action plan before the outcome is sent (statutory guidance, 2025).",
    )


@require_http_methods(["GET", "POST"])
def review_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    return _step_page(
        request,
        reference,
        OutcomeForm,
        "Send the outcome",
        "Save",
        lambda review, data: actions.send_outcome(
            request.user, review, on=data["sent_on"], summary=data["summary"], request=request
        ),
        initial={"sent_on": timezone.localdate()},
        intro="Save the outcome, then download the letter from the application's page.",
    )


@require_http_methods(["GET", "POST"])
def review_appeal(request: HttpRequest, reference: str) -> HttpResponse:
    return _step_page(
        request,
        reference,
        AppealForm,
        "Record an appeal",
        "Save",
        lambda review, data: actions.record_appeal(
            request.user, review, received_on=data["received_on"], grounds=data["grounds"], request=request
        ),
    )


@require_http_methods(["GET", "POST"])
def review_appeal_decide(request: HttpRequest, reference: str) -> HttpResponse:
    return _step_page(
        request,
        reference,
        AppealDecisionForm,
        "Decide the appeal",
        "Save",
        lambda review, data: actions.decide_appeal(request.user, review, request=request, **data),
    )


@require_POST
def review_close(request: HttpRequest, reference: str) -> HttpResponse:
    review = policy.get_case_review_for_user(request, reference)
    try:
        actions.close_case_review(request.user, review, request=request)
    except actions.StepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Application closed")
    return redirect("asb:review", reference=review.reference)


@require_http_methods(["GET"])
def review_letter(request: HttpRequest, reference: str) -> FileResponse:
    """The outcome letter last issued and filed on the application (``letters:review-new`` issues one)."""
    from saferhub.letters.views import letter_response

    review = policy.get_case_review_for_user(request, reference, audit_view=False)
    letter = latest_review_letter(review)
    if letter is None:
        raise Http404("No outcome letter has been issued yet")
    # The letter holds the applicant's name and address: an export, not a view (audited there).
    return letter_response(request, letter)
