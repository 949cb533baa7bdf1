"""Referrals recorded by the coordinator: find the person, then the details; the referral page."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.core.keyset import union_queryset
from saferhub.panels import actions
from saferhub.panels.forms import (
    PanelReferralForm,
    PersonSearchForm,
)
from saferhub.panels.models import (
    PanelReferral,
    PanelType,
    ReferralStatus,
)
from saferhub.panels.repeats import previous_referral
from saferhub.panels.views.common import (
    _panel_type,
    _require_casework,
)
from saferhub.people.models import Person


def _referable_people(user: Any) -> Any:
    """People the coordinator may pick (policy: on panel cases they can see, or in their ordinary view)."""
    return policy.referable_panel_people(user)


@require_GET
def refer(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: find the person, so a repeat referral lands on the same person."""
    panel_type = _panel_type(request, code)
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"]
        log.record(request.user, AuditAction.SEARCH, request=request, detail={"text": text, "what": "panel people"})
        results = list(_referable_people(request.user).search(text).order_by("last_name", "first_name", "pk")[:20])
        last = dict(
            union_queryset(
                PanelReferral.objects.all(),
                policy.visible_panel_referral_parts(request.user),
                # Each ground narrowed to these people first: the union is then a handful of rows.
                lambda qs: qs.filter(status=ReferralStatus.ACCEPTED, panel_type=panel_type, person__in=results),
            )
            .values_list("person_id")
            .annotate(latest=Count("pk"))
            .values_list("person_id", "latest")
        )
        for person in results:
            person.panel_referrals_count = last.get(person.pk, 0)
    return render(
        request,
        "panels/refer.html",
        {
            "panel_type": panel_type,
            "form": form,
            "results": results,
            "details_url": reverse("panels:referral-create", kwargs={"code": panel_type.code}),
        },
    )


def _chosen_person(request: HttpRequest) -> Person | None:
    pk = request.GET.get("person") or request.POST.get("person")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404("No such person")
    person = _referable_people(request.user).filter(pk=int(pk)).first()
    if person is None:
        raise Http404("No such person")
    return person


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the referral, for a chosen person or a new one; a repeat is flagged before saving."""
    panel_type = _panel_type(request, code)
    person = _chosen_person(request)
    data = request.POST if request.method == "POST" else None
    form = PanelReferralForm(data, panel_type=panel_type, new_person=person is None)
    repeat = previous_referral(panel_type.pk, person.pk, timezone.localdate()) if person else None
    repeat_dated = repeat is not None and repeat.pk in policy.readable_repeat_referrals(request.user, [repeat.pk])
    if request.method == "POST" and form.is_valid():
        try:
            referral = _save_referral(request, panel_type, person, form)
        except actions.PanelError as exc:
            form.add_error(None, str(exc))
        else:
            note = " It is a repeat referral." if referral.is_repeat else ""
            messages.success(request, f"Referral recorded on {referral.panel_case.case.reference}.{note}")  # type: ignore[union-attr]  # create_referral sets panel_case
            return redirect("panels:referral", pk=referral.pk)
    return render(
        request,
        "panels/referral_form.html",
        {"panel_type": panel_type, "form": form, "person": person, "repeat": repeat, "repeat_dated": repeat_dated},
    )


def _save_referral(
    request: HttpRequest, panel_type: PanelType, person: Person | None, form: PanelReferralForm
) -> PanelReferral:
    with transaction.atomic():
        if person is None:
            person = case_actions.create_person(
                request.user, partnership=panel_type.partnership, request=request, **form.person_fields()
            )
        fields = form.referral_fields()
        role = form.cleaned_data.get("role_in_incident")
        return actions.create_referral(
            request.user,
            panel_type,
            person=person,
            referral_date=form.cleaned_data["referral_date"],
            referring_agency=form.cleaned_data["referring_agency"],
            people_involved=[(person, role)] if role else (),
            checklist=(form.template, form.checklist_answers) if form.checklist_answers else None,
            request=request,
            **fields,
        )


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators see the whole referral; the agency referrer sees what they sent and its status."""
    _require_casework(request)
    referral = get_object_or_404(
        PanelReferral.objects.select_related(
            "panel_type", "person", "referring_agency", "panel_case__case", "repeat_of", "decided_by"
        ).prefetch_related("people_involved__person"),
        pk=pk,
        partnership_id=request.user.partnership_id,  # type: ignore[union-attr]
    )
    access = policy.panel_referral_access(request.user, referral)
    if access is None:
        raise Http404("No such referral")
    case = referral.panel_case.case if referral.panel_case else None
    log.record(
        request.user,
        AuditAction.VIEW,
        referral,
        request=request,
        partnership=referral.panel_type.partnership,
        detail={"access": access},
    )
    return render(
        request,
        "panels/referral_detail.html",
        {
            "referral": referral,
            "case": case,
            "coordinator": access == "coordinator",
            "repeat_dated": bool(policy.readable_repeat_referrals(request.user, [referral.repeat_of_id])),
            "can_read_summary": case is not None and policy.can_view_panel_summary(request.user, case),
            "awaiting_review": referral.status == ReferralStatus.SUBMITTED,
            "editable": access == "coordinator" and referral.status != ReferralStatus.RETURNED,
        },
    )
