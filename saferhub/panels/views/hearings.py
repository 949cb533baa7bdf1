"""Hearings: the case at a meeting, information shared, agreed actions, outcome and agenda order."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import StaleEdit, conflict, values_of
from saferhub.panels import actions
from saferhub.panels.forms import (
    AgreedActionForm,
    InformationForm,
    OutcomeForm,
)
from saferhub.panels.models import (
    PanelReferral,
)
from saferhub.panels.views.common import _back_to_meeting, _hearing


@require_GET
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    case = hearing.panel_case.case
    log.record(request.user, AuditAction.VIEW, case, request=request, detail={"hearing": hearing.pk})
    referrals = PanelReferral.objects.filter(panel_case=hearing.panel_case).select_related("referring_agency")
    return render(
        request,
        "panels/hearing.html",
        {
            "hearing": hearing,
            "meeting": hearing.meeting,
            "case": case,
            "referrals": referrals,
            "information": hearing.information.select_related("agency", "recorded_by"),
            "agreed": hearing.agreed_actions.select_related("action", "action__owner", "owner_agency"),
            "history": hearing.panel_case.hearings.select_related("meeting").exclude(pk=hearing.pk).heard(),
        },
    )


@require_http_methods(["GET", "POST"])
def add_information(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    form = InformationForm(request.POST or None, partnership=hearing.meeting.panel_type.partnership)
    if request.method == "POST" and form.is_valid():
        actions.share_information(request.user, hearing, request=request, **form.cleaned_data)
        messages.success(request, f"Information from {form.cleaned_data['agency'].name} recorded")
        return redirect("panels:hearing", pk=hearing.pk)
    return render(
        request,
        "panels/hearing_form.html",
        {"hearing": hearing, "form": form, "heading": "Record information shared", "submit": "Save information"},
    )


@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    form = AgreedActionForm(request.POST or None, partnership=hearing.meeting.panel_type.partnership)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        actions.agree_action(
            request.user,
            hearing,
            title=form.cleaned_data["title"],
            owner=owner,
            owner_agency=owner.agency,
            due_on=form.cleaned_data["due_on"],
            request=request,
        )
        messages.success(request, f"Action agreed for {owner}")
        return redirect("panels:hearing", pk=hearing.pk)
    return render(
        request,
        "panels/hearing_form.html",
        {"hearing": hearing, "form": form, "heading": "Add an agreed action", "submit": "Save action"},
    )


@require_http_methods(["GET", "POST"])
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    initial = {
        "risks": hearing.risks,
        "decisions": hearing.decisions,
        "outcome": hearing.outcome or None,
        "version": hearing.version,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    context = {"hearing": hearing, "heading": "Record the outcome", "submit": "Save outcome"}
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_outcome(
                request.user, hearing, request=request, expected_version=form.cleaned_data["version"], **form.changes()
            )
        except StaleEdit:
            hearing.refresh_from_db()
            return conflict(
                request,
                "panels/hearing_form.html",
                context,
                form_class=OutcomeForm,
                stale_form=form,
                instance=hearing,
                current=values_of(hearing, ["risks", "decisions", "outcome"]),
            )
        messages.success(request, f"Outcome recorded for {hearing.panel_case.case.reference}")
        return redirect("panels:meeting", pk=hearing.meeting_id)
    return render(request, "panels/hearing_form.html", {**context, "form": form})


def _move(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    try:
        actions.move_hearing(request.user, hearing, step, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, hearing.meeting, exc)
    messages.success(request, f"{hearing.panel_case.case.reference} moved {'up' if step < 0 else 'down'} the agenda")
    return redirect("panels:meeting", pk=hearing.meeting_id)


@require_POST
def move_hearing_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, -1)


@require_POST
def move_hearing_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, 1)


@require_POST
def remove_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    meeting = hearing.meeting
    try:
        actions.remove_from_agenda(request.user, hearing, request=request)
    except actions.PanelError as exc:
        return _back_to_meeting(request, meeting, exc)
    messages.success(request, "Case taken off the agenda")
    return redirect("panels:meeting", pk=meeting.pk)
