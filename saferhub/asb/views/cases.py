"""ASB pages for the module's index, ASB cases and their reports."""

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.asb import access, actions, deadlines
from saferhub.asb.export_columns import ASB_CASE_COLUMNS
from saferhub.asb.forms import (
    AsbCaseForm,
    AsbDetailsForm,
    ExplainedForm,
    ReportForm,
    VictimContactForm,
)
from saferhub.asb.limits import Limits
from saferhub.asb.models import (
    ESCALATION_ORDER,
    AsbCase,
    Incident,
    Intervention,
    InterventionStatus,
    Report,
)
from saferhub.asb.views.common import PER_PAGE, form_page
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import Case
from saferhub.core import exports
from saferhub.core.keyset import KeysetPaginator
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import CONFLICT_STATUS, conflict_form
from saferhub.policy import Access

# Index --------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (policy.works_cases(user) or policy.can_administer(user)):
        raise Http404("No such page")
    today = timezone.localdate()
    base = Case.objects.select_related("asb__category", "asb__ward", "assigned_to")
    if exports.wanted_format(request):
        return exports.export_parts(
            request,
            base,
            policy.visible_asb_case_parts(user),
            ("-opened_on", "-pk"),
            ASB_CASE_COLUMNS,
            refine=lambda qs: qs.open(),
            name="asb-cases",
            title="ASB cases",
        )
    page = KeysetPaginator(
        base, policy.visible_asb_case_parts(user), ("-opened_on", "-pk"), PER_PAGE, refine=lambda qs: qs.open()
    ).page(request.GET)
    reviews = list(policy.visible_case_reviews(user).open().select_related("case")[:50])
    limits_cache: dict[Any, Limits] = {}
    for review in reviews:
        limits = limits_cache.setdefault(review.applied_on, Limits(review.partnership_id, review.applied_on))
        review.next = deadlines.next_step(review, limits)
        review.overdue = review.next is not None and review.next.overdue(today)
    reminders = (
        Intervention.objects.filter(case__in=access.visible_asb_cases(user))
        .filter(
            Q(review_on__lte=today + datetime.timedelta(days=14))
            | Q(expires_on__range=(today, today + datetime.timedelta(days=14)))
        )
        .filter(status=InterventionStatus.ACTIVE)
        .select_related("kind", "person", "case")
        .order_by("review_on", "expires_on")[:50]
    )
    context = {
        "page_obj": page,
        "reviews": reviews,
        "reminders": reminders,
        "today": today,
        "can_create": policy.can_create_case(user),
        "can_admin": policy.can_administer(user),
        "export_links": exports.export_links(request),
    }
    return render(request, "asb/index.html", context)


# Cases ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_create_case(user), "Only caseworkers in a team can open cases.")
    form = AsbCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asb = actions.create_asb_case(user, owning_team=user.team, request=request, **data)
        messages.success(request, f"ASB case {asb.case.reference} opened")
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title="Open an ASB case",
        back_url=reverse("asb:index"),
        submit="Open case",
        intro=f"The case will be owned by {user.team}.",
    )


def _register(case: Any) -> list[Intervention]:
    order = {code.value: index for index, code in enumerate(ESCALATION_ORDER)}
    items = list(
        Intervention.objects.filter(case=case).select_related("kind", "person", "offence", "pspo_condition", "extends")
    )
    return sorted(items, key=lambda i: (order.get(i.kind.code, 99), i.served_on, i.pk))


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference)
    case = asb.case
    incidents = list(
        Incident.objects.filter(case=case).prefetch_related("reports__reporter").order_by("-behaviour_on", "-pk")
    )
    from saferhub.assessments.models import Assessment

    victims = list(actions.victims(case))
    default_contact = actions.default_contact(asb)
    for victim in victims:
        victim.contact = actions.contact_for(victim, default_contact)
        victim.own_contact = getattr(victim, "asb_contact", None) is not None
    context = {
        "asb": asb,
        "case": case,
        "victims": victims,
        "can_edit": case.access == Access.EDIT,
        "can_contribute": case.access.value >= Access.CONTRIBUTE.value,
        "incidents": incidents,
        "report_count": sum(len(i.reports.all()) for i in incidents),
        "register": _register(case),
        "participants": case.participants.select_related("person"),
        "assessments": Assessment.objects.filter(case=case)
        .select_related("template", "person")
        .order_by("completed_at"),
        "reviews": case.asb_case_reviews.all(),
        "today": timezone.localdate(),
    }
    return render(request, "asb/case_detail.html", context)


def _details_values(asb: AsbCase) -> dict[str, Any]:
    return {
        "category": asb.category_id,
        "ward": asb.ward_id,
        "location": asb.location,
        "single_point_of_contact": asb.single_point_of_contact_id,
        "version": asb.version,
    }


@require_http_methods(["GET", "POST"])
def details_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Category, ward, location and contact officer; refuses a form opened before someone else's save."""
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    access.require(policy.can_change_asb_details(request.user, asb.case), "Only the owning team changes these.")
    form = AsbDetailsForm(request.POST or None, initial=_details_values(asb), asb=asb)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_asb_details(
                request.user, asb, expected_version=form.cleaned_data["version"], request=request, **form.changes()
            )
        except StaleEdit:
            asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
            current = {name: value for name, value in _details_values(asb).items() if name != "version"}
            shown = conflict_form(
                AsbDetailsForm, stale_form=form, instance=asb, current=current, form_kwargs={"asb": asb}
            )
            return _details_page(request, asb, shown, status=CONFLICT_STATUS)
        else:
            messages.success(request, "ASB details saved")
            return redirect("asb:case", reference=asb.case.reference)
    return _details_page(request, asb, form)


def _details_page(request: HttpRequest, asb: AsbCase, form: Any, status: int = 200) -> HttpResponse:
    return form_page(
        request,
        form,
        title="Change the ASB details",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save details",
        status=status,
    )


@require_http_methods(["GET", "POST"])
def victim_contact(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Give one victim their own single point of contact, or return them to the case's."""
    asb = access.get_asb_case_for_user(request, reference, Access.EDIT)
    access.require(policy.can_change_asb_details(request.user, asb.case), "Only the owning team changes these.")
    victim = actions.victims(asb.case).filter(pk=pk).first()
    if victim is None:
        raise Http404("No such victim on this case")
    own = getattr(victim, "asb_contact", None)
    default = actions.default_contact(asb)
    form = VictimContactForm(
        request.POST or None, case=asb.case, default=default, initial={"officer": own.officer_id if own else None}
    )
    if request.method == "POST" and form.is_valid():
        officer = form.cleaned_data["officer"]
        actions.set_victim_contact(request.user, victim, officer, request=request)
        name = victim.person.display_name
        messages.success(
            request,
            f"{name}'s single point of contact is now "
            + (officer.full_name or officer.email if officer else "the case's contact officer"),
        )
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title=f"Single point of contact for {victim.person.display_name}",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save",
        intro="Each victim deals with one named officer throughout (statutory guidance, 2025). "
        "Without their own, a victim has the case's contact officer.",
    )


@require_http_methods(["GET", "POST"])
def report_add(request: HttpRequest, reference: str) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference, Access.CONTRIBUTE)
    case = asb.case
    form = ReportForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        report = actions.record_report(request.user, case, request=request, **form.cleaned_data)
        message = "Report recorded"
        if report.case_review_explanation_due:
            message += ": this is a second report within 6 months, so explain the ASB Case Review to the reporter (an action has been added)"
        messages.success(request, message)
        return redirect("asb:case", reference=case.reference)
    return form_page(
        request,
        form,
        title="Record a report",
        caption=str(case),
        back_url=reverse("asb:case", args=[case.reference]),
        submit="Save report",
        intro="Record each report once for each body it was made to. Reports of the same incident to several bodies count once for the Case Review.",
    )


@require_http_methods(["GET", "POST"])
def report_explained(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    asb = access.get_asb_case_for_user(request, reference, Access.CONTRIBUTE)
    report = Report.objects.filter(case=asb.case, pk=pk).first()
    if report is None:
        raise Http404("No such report")
    form = ExplainedForm(request.POST or None, initial={"explained_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.mark_case_review_explained(request.user, report, form.cleaned_data["explained_on"], request=request)
        messages.success(request, "Recorded that the ASB Case Review was explained")
        return redirect("asb:case", reference=asb.case.reference)
    return form_page(
        request,
        form,
        title="Record that the Case Review was explained",
        caption=str(asb.case),
        back_url=reverse("asb:case", args=[asb.case.reference]),
        submit="Save",
    )
