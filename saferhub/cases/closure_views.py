"""Closing a case with a team manager's approval: ask for closure, approve it, return it.

A case type with ``closure_needs_approval`` is closed by a request (the reason and note of the
closing form) that a team manager of the case's team approves (the case closes that day with the
requested reason) or returns with a reason (the case stays open and the caseworker is told).
One URL and view per action; the case is fetched through the policy (404 for outsiders) and who
may decide is ``policy.can_approve_closure``.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.cases import actions
from saferhub.cases.forms import ApproveClosureForm, CloseCaseForm, ReturnClosureForm
from saferhub.cases.models import Case, ClosureRequest, ClosureRequestStatus
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.policy import Access

STALE_MESSAGE = (
    "This case was changed by someone else after you opened this page. Nothing has been saved: "
    "check the request below and try again."
)


def closure_reason_label(case: Case, code: str) -> str:
    """The closure reason as people read it (its label in the partnership's list, else as typed)."""
    label = (
        ReferenceCode.objects.of(case.partnership_id, ReferenceList.CASE_CLOSURE_REASON)
        .filter(code=code)
        .values_list("label", flat=True)
        .first()
    )
    return label or code


_DECIDED: dict[str, str] = {
    ClosureRequestStatus.APPROVED: "Closure approved",
    ClosureRequestStatus.RETURNED: "Closure returned",
    ClosureRequestStatus.OVERTAKEN: "Closure request settled: the case was closed another way",
}


def closure_timeline(closures: list[ClosureRequest]) -> Iterable[dict[str, Any]]:
    """The case timeline's entries: each request as asked and, once decided, how."""
    for c in closures:
        yield {"kind": "closure", "at": c.requested_at, "by": c.requested_by, "text": "Closure asked for"}
        if c.decided_at is not None:
            yield {
                "kind": "closure",
                "at": c.decided_at,
                "by": c.decided_by,
                "text": _DECIDED[c.status],
                "reason": c.return_reason,
            }


def _to_case(case: Case) -> HttpResponse:
    return redirect("cases:detail", reference=case.reference)


@require_http_methods(["GET", "POST"])
def closure_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask for closure (a case type that needs approval): the case stays open until a manager decides."""
    case = policy.get_case_for_user(request, reference, need=Access.EDIT)
    if not case.case_type.closure_needs_approval:
        return redirect("cases:close", reference=case.reference)
    if case.is_closed:
        messages.info(request, "The case is already closed")
        return _to_case(case)
    if actions.pending_closure(case) is not None:
        messages.info(request, "A closure of this case is already awaiting approval")
        return _to_case(case)
    form_kwargs = {"partnership": case.partnership}
    form = CloseCaseForm(request.POST or None, initial={"version": case.version}, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.request_closure(
                request.user,
                case,
                expected_version=data["version"],
                closure_reason=data["closure_reason"],
                note=data.get("reason", ""),
                request=request,
            )
        except actions.StaleEdit:
            case.refresh_from_db()
            form = CloseCaseForm(data={**request.POST.dict(), "version": case.version}, **form_kwargs)
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
        except actions.InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Closure asked for: a team manager will approve it or return it to you")
            return _to_case(case)
    return render(request, "cases/closure_request.html", {"form": form, "case": case})


def _deciding(request: HttpRequest, reference: str) -> tuple[Case, ClosureRequest | None]:
    """The case (404 for outsiders) and its pending request, for a team manager of its team only."""
    case = policy.get_case_for_user(request, reference)
    if not policy.can_approve_closure(request.user, case):
        raise PermissionDenied("Only a team manager of the case's team can decide a request to close it.")
    return case, actions.pending_closure(case)


def _decision_page(request: HttpRequest, case: Case, closure: ClosureRequest, form: Any, template: str) -> HttpResponse:
    context = {
        "form": form,
        "case": case,
        "closure": closure,
        "reason_label": closure_reason_label(case, closure.closure_reason),
    }
    return render(request, template, context)


NOTHING_PENDING = "No closure of this case is awaiting approval"


@require_http_methods(["GET", "POST"])
def closure_approve(request: HttpRequest, reference: str) -> HttpResponse:
    case, closure = _deciding(request, reference)
    if closure is None:
        messages.info(request, NOTHING_PENDING)
        return _to_case(case)
    form = ApproveClosureForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.approve_closure(request.user, case, expected_version=form.cleaned_data["version"], request=request)
        except actions.StaleEdit:
            case.refresh_from_db()
            form = ApproveClosureForm({"version": case.version})
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
        except actions.InvalidTransition as exc:
            messages.info(request, str(exc))
            return _to_case(case)
        else:
            messages.success(request, "Closure approved: the case is closed")
            return _to_case(case)
    return _decision_page(request, case, closure, form, "cases/closure_approve.html")


@require_http_methods(["GET", "POST"])
def closure_return(request: HttpRequest, reference: str) -> HttpResponse:
    case, closure = _deciding(request, reference)
    if closure is None:
        messages.info(request, NOTHING_PENDING)
        return _to_case(case)
    form = ReturnClosureForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.return_closure(
                request.user, case, expected_version=data["version"], reason=data["reason"], request=request
            )
        except actions.StaleEdit:
            case.refresh_from_db()
            form = ReturnClosureForm(data={**request.POST.dict(), "version": case.version})
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
        except actions.InvalidTransition as exc:
            messages.info(request, str(exc))
            return _to_case(case)
        else:
            messages.success(request, f"Closure request returned to {closure.requested_by}")
            return _to_case(case)
    return _decision_page(request, case, closure, form, "cases/closure_return.html")


urlpatterns = [
    path("<caseref:reference>/closure/request/", closure_request, name="closure-request"),
    path("<caseref:reference>/closure/approve/", closure_approve, name="closure-approve"),
    path("<caseref:reference>/closure/return/", closure_return, name="closure-return"),
]
