"""Archive and restore pages for strategies, priorities, commissioned services and KPIs.

A confirm page on GET, the change on POST; one URL and view per action. Only those who
may create the record (analysts and partnership administrators) may archive or restore
it; another partnership's record is 404 (`saferhub.policy.providers`). Archived records
leave the lists, pickers and later periods' returns; their past figures stay.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.governance import actions
from saferhub.governance.strategy_forms import ArchiveForm
from saferhub.governance.views import managers


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _archive_page(
    request: AuthenticatedHttpRequest, record: Any, *, noun: str, back: str, context: dict[str, Any]
) -> HttpResponse:
    form = ArchiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if actions.archive(request.user, record, reason=form.cleaned_data["reason"], request=request):
            messages.success(request, f"{_first_upper(noun)} {record} archived")
        else:
            messages.info(request, f"The {noun} {record} was already archived")
        return redirect(back)
    page = {**context, "form": form, "record": record, "noun": noun, "back": back, "restoring": False}
    return render(request, "governance/archive_confirm.html", page)


def _restore_page(
    request: AuthenticatedHttpRequest, record: Any, *, noun: str, back: str, context: dict[str, Any]
) -> HttpResponse:
    if request.method == "POST":
        if actions.restore(request.user, record, request=request):
            messages.success(request, f"{_first_upper(noun)} {record} restored")
        else:
            messages.info(request, f"The {noun} {record} was not archived")
        return redirect(back)
    page = {**context, "record": record, "noun": noun, "back": back, "restoring": True}
    return render(request, "governance/archive_confirm.html", page)


@require_http_methods(["GET", "POST"])
@managers
def strategy_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    strategy = policy.get_strategy_for_user(request.user, pk)
    back = reverse("governance:strategy", args=[strategy.pk])
    return _archive_page(request, strategy, noun="strategy", back=back, context={"section": "strategies"})


@require_http_methods(["GET", "POST"])
@managers
def strategy_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    strategy = policy.get_strategy_for_user(request.user, pk)
    back = reverse("governance:strategy", args=[strategy.pk])
    return _restore_page(request, strategy, noun="strategy", back=back, context={"section": "strategies"})


@require_http_methods(["GET", "POST"])
@managers
def priority_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    priority = policy.get_priority_for_user(request.user, pk)
    back = reverse("governance:strategy", args=[priority.strategy_id])
    context = {"section": "strategies", "strategy": priority.strategy}
    return _archive_page(request, priority, noun="priority", back=back, context=context)


@require_http_methods(["GET", "POST"])
@managers
def priority_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    priority = policy.get_priority_for_user(request.user, pk)
    back = reverse("governance:strategy", args=[priority.strategy_id])
    context = {"section": "strategies", "strategy": priority.strategy}
    return _restore_page(request, priority, noun="priority", back=back, context=context)


@require_http_methods(["GET", "POST"])
@managers
def service_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = policy.get_service_for_user(request.user, pk)
    back = reverse("governance:service", args=[service.pk])
    return _archive_page(request, service, noun="commissioned service", back=back, context={"section": "services"})


@require_http_methods(["GET", "POST"])
@managers
def service_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = policy.get_service_for_user(request.user, pk)
    back = reverse("governance:service", args=[service.pk])
    return _restore_page(request, service, noun="commissioned service", back=back, context={"section": "services"})


@require_http_methods(["GET", "POST"])
@managers
def kpi_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kpi = policy.get_kpi_for_user(request.user, pk)
    back = reverse("governance:service", args=[kpi.service_id])
    context = {"section": "services", "service": kpi.service}
    return _archive_page(request, kpi, noun="KPI", back=back, context=context)


@require_http_methods(["GET", "POST"])
@managers
def kpi_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kpi = policy.get_kpi_for_user(request.user, pk)
    back = reverse("governance:service", args=[kpi.service_id])
    context = {"section": "services", "service": kpi.service}
    return _restore_page(request, kpi, noun="KPI", back=back, context=context)
