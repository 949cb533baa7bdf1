"""Pages for commissioned services and their quarterly returns.

Analysts and partnership administrators set up services and KPIs, ask for returns and
accept or return them; team managers and board members read them; a service's provider
users see only their own service and fill in its returns (`saferhub.policy.providers`).
Another service or partnership is 404. Changes go through `saferhub.governance.actions`.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.accounts.models import Agency
from saferhub.core.guards import require
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict
from saferhub.governance import actions
from saferhub.governance import indicators as figures
from saferhub.governance.models import ProviderReturn, ReturnStatus
from saferhub.governance.strategy_forms import (
    DecisionForm,
    KpiChangeForm,
    KpiForm,
    ProviderReturnForm,
    ReturnRequestForm,
    ServiceChangeForm,
    ServiceForm,
)
from saferhub.governance.views import managers

service_readers = require(
    policy.can_view_services,
    "Only analysts, partnership administrators, team managers, board members and commissioned services' "
    "own staff can see these pages.",
)
providers_only = require(policy.is_provider, "Only the commissioned service's own staff can fill in its returns.")


# The oldest submitted returns listed on the services page (the inbox holds them all).
SHOWN = 25


@require_http_methods(["GET"])
@service_readers
def service_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = policy.visible_services(request.user).select_related("agency").order_by("name")
    can_manage = policy.can_manage_governance(request.user)
    in_progress = [ReturnStatus.REQUESTED, ReturnStatus.RETURNED]
    if not can_manage:
        in_progress.append(ReturnStatus.SUBMITTED)  # a provider's own, still with the partnership
    waiting = policy.visible_provider_returns(request.user).filter(
        status__in=in_progress, service__archived_at__isnull=True
    )
    context = {
        "services": visible.live(),
        "archived": visible.archived() if can_manage else [],
        "waiting": waiting.select_related("service").order_by("due_on", "pk"),
        "can_manage": can_manage,
        "is_provider": policy.is_provider(request.user),
    }
    if can_manage:
        # Submitted returns awaiting acceptance: the provider-return kind of the inbox, so this
        # page, the inbox and the home page count the same returns.
        kind = policy.InboxKind.PROVIDER_RETURN
        count = policy.inbox_count(request.user, kind)
        context.update(
            {
                "submitted": list(policy.inbox_queryset(request.user, kind).order_by("submitted_at", "pk")[:SHOWN]),
                "submitted_count": count,
                "submitted_label": policy.inbox_count_label(count),
                "inbox_url": f"{reverse('core:inbox')}?kind={kind}",
            }
        )
    return render(request, "governance/service_list.html", context)


def _agencies(user: Any) -> Any:
    return Agency.objects.filter(partnership_id=user.partnership_id).live().order_by("name")


@require_http_methods(["GET", "POST"])
@managers
def service_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        if policy.visible_services(request.user).filter(name=form.cleaned_data["name"]).exists():
            form.add_error("name", "The partnership already has a commissioned service of that name: choose another")
        else:
            service = actions.create_service(request.user, request=request, **form.cleaned_data)
            messages.success(request, f"Commissioned service {service.name} added")
            return redirect("governance:service", pk=service.pk)
    return render(request, "governance/service_form.html", {"form": form})


@require_http_methods(["GET"])
@service_readers
def service_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = policy.get_service_for_user(request.user, pk)
    kpis = list(service.kpis.all())
    for kpi in kpis:
        kpi.shown_target = (  # type: ignore[attr-defined]
            figures.format_value(kpi.unit, kpi.quarterly_target) if kpi.quarterly_target is not None else "No target"
        )
    context = {
        "service": service,
        "kpis": [kpi for kpi in kpis if not kpi.is_archived],
        "archived_kpis": [kpi for kpi in kpis if kpi.is_archived],
        "returns": service.returns.order_by("-period_start"),
        "can_manage": policy.can_manage_governance(request.user),
    }
    return render(request, "governance/service_detail.html", context)


@require_http_methods(["GET", "POST"])
@managers
def kpi_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = policy.get_service_for_user(request.user, pk)
    form = KpiForm(request.POST or None, initial={"good_direction": "up"})
    if request.method == "POST" and form.is_valid():
        if service.kpis.filter(name=form.cleaned_data["name"]).exists():
            form.add_error("name", "The service already has a KPI of that name: choose another name")
        else:
            actions.add_kpi(request.user, service, request=request, **form.cleaned_data)
            messages.success(request, "KPI added")
            return redirect("governance:service", pk=service.pk)
    return render(request, "governance/kpi_form.html", {"form": form, "service": service})


def _service_values(service: Any) -> dict[str, Any]:
    return {
        "name": service.name,
        "agency": service.agency_id,
        "contract_name": service.contract_name,
        "contract_starts_on": service.contract_starts_on,
        "contract_ends_on": service.contract_ends_on,
        "description": service.description,
    }


@require_http_methods(["GET", "POST"])
@managers
def service_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = policy.get_service_for_user(request.user, pk)
    agencies = _agencies(request.user) | Agency.objects.filter(pk=service.agency_id)
    form = ServiceChangeForm(
        request.POST or None, initial={**_service_values(service), "version": service.version}, agencies=agencies
    )
    context = {"service": service, "editing": True}
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        taken = policy.visible_services(request.user).filter(name=data["name"]).exclude(pk=service.pk)
        if taken.exists():
            form.add_error("name", "The partnership already has a commissioned service of that name: choose another")
        else:
            try:
                actions.update_service(
                    request.user, service, expected_version=form.cleaned_data["version"], request=request, **data
                )
            except actions.StaleEdit:
                service = policy.get_service_for_user(request.user, pk)
                return conflict(
                    request,
                    "governance/service_form.html",
                    {**context, "service": service},
                    form_class=ServiceChangeForm,
                    stale_form=form,
                    instance=service,
                    current=_service_values(service),
                    form_kwargs={"agencies": agencies},
                )
            messages.success(request, f"Commissioned service {service.name} saved")
            return redirect("governance:service", pk=service.pk)
    return render(request, "governance/service_form.html", {**context, "form": form})


def _kpi_values(kpi: Any) -> dict[str, Any]:
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "good_direction": kpi.good_direction,
        "quarterly_target": kpi.quarterly_target,
    }


@require_http_methods(["GET", "POST"])
@managers
def kpi_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    kpi = policy.get_kpi_for_user(request.user, pk)
    form = KpiChangeForm(request.POST or None, initial={**_kpi_values(kpi), "version": kpi.version})
    context = {"service": kpi.service, "kpi": kpi, "editing": True}
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if kpi.service.kpis.filter(name=data["name"]).exclude(pk=kpi.pk).exists():
            form.add_error("name", "The service already has a KPI of that name: choose another name")
        else:
            try:
                actions.update_kpi(
                    request.user, kpi, expected_version=form.cleaned_data["version"], request=request, **data
                )
            except actions.StaleEdit:
                kpi = policy.get_kpi_for_user(request.user, pk)
                return conflict(
                    request,
                    "governance/kpi_form.html",
                    {**context, "kpi": kpi},
                    form_class=KpiChangeForm,
                    stale_form=form,
                    instance=kpi,
                    current=_kpi_values(kpi),
                )
            messages.success(request, "KPI saved")
            return redirect("governance:service", pk=kpi.service_id)
    return render(request, "governance/kpi_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
@managers
def return_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = policy.get_service_for_user(request.user, pk)
    if service.is_archived:
        messages.error(request, "This service is archived: restore it before you ask it for a return")
        return redirect("governance:service", pk=service.pk)
    form = ReturnRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        if service.returns.filter(period=period.label).exists():
            form.add_error("period", f"The {period.label} return has already been asked for: choose another quarter")
        else:
            actions.request_return(
                request.user, service, period=period.label, due_on=form.cleaned_data["due_on"], request=request
            )
            messages.success(request, f"{period.label} return asked for")
            return redirect("governance:service", pk=service.pk)
    return render(request, "governance/return_request_form.html", {"form": form, "service": service})


def _return_kpis(provider_return: ProviderReturn, given: Any) -> list[Any]:
    """The service's KPIs for the return's quarter: those archived before it started are left out
    unless the return already holds a figure for them."""
    return [
        kpi
        for kpi in provider_return.service.kpis.all()
        if kpi.archived_at is None
        or timezone.localdate(kpi.archived_at) >= provider_return.period_start
        or kpi.pk in given
    ]


def _rows(provider_return: ProviderReturn) -> list[dict[str, Any]]:
    values = {value.kpi_id: value.value for value in provider_return.values.all()}
    rows = []
    for kpi in _return_kpis(provider_return, values):
        value = values.get(kpi.pk)
        rows.append(
            {
                "kpi": kpi,
                "value": figures.format_value(kpi.unit, value) if value is not None else "Not given",
                "target": figures.format_value(kpi.unit, kpi.quarterly_target)
                if kpi.quarterly_target is not None
                else "No target",
            }
        )
    return rows


@require_http_methods(["GET"])
@service_readers
def return_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    provider_return = policy.get_provider_return_for_user(request.user, pk)
    can_decide = policy.can_decide_return(request.user, provider_return)
    context = {
        "provider_return": provider_return,
        "service": provider_return.service,
        "rows": _rows(provider_return),
        "can_fill_in": policy.can_fill_in_return(request.user, provider_return),
        "can_decide": can_decide,
        "decision_form": DecisionForm(initial={"version": provider_return.version}) if can_decide else None,
    }
    return render(request, "governance/return_detail.html", context)


def _return_initial(provider_return: ProviderReturn) -> dict[str, Any]:
    initial: dict[str, Any] = {f"kpi_{value.kpi_id}": value.value for value in provider_return.values.all()}
    initial.update(narrative=provider_return.narrative, case_studies=provider_return.case_studies)
    return initial


@require_http_methods(["GET", "POST"])
@providers_only
def return_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    provider_return = policy.get_provider_return_for_user(request.user, pk)
    if not policy.can_fill_in_return(request.user, provider_return):
        messages.error(request, "This return has been submitted: it can be changed only if the analyst returns it")
        return redirect("governance:return", pk=provider_return.pk)
    kpis = _return_kpis(provider_return, {value.kpi_id for value in provider_return.values.all()})
    form = ProviderReturnForm(
        request.POST or None,
        initial={**_return_initial(provider_return), "version": provider_return.version},
        kpis=kpis,
    )
    context = {"provider_return": provider_return, "service": provider_return.service}
    submit = request.POST.get("action") == "submit"
    if request.method == "POST" and form.is_valid():
        if submit and form.missing():
            for kpi in kpis:
                if form.cleaned_data.get(f"kpi_{kpi.pk}") is None:
                    form.add_error(f"kpi_{kpi.pk}", f"Enter the {kpi.name} figure before you submit, or save a draft")
        else:
            try:
                actions.save_return(
                    request.user,
                    provider_return,
                    values=form.kpi_values(),
                    narrative=form.cleaned_data["narrative"],
                    case_studies=form.cleaned_data["case_studies"],
                    submit=submit,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except actions.StaleEdit:
                provider_return = policy.get_provider_return_for_user(request.user, pk)
                return conflict(
                    request,
                    "governance/return_form.html",
                    {**context, "provider_return": provider_return},
                    form_class=ProviderReturnForm,
                    stale_form=form,
                    instance=provider_return,
                    current=_return_initial(provider_return),
                    form_kwargs={"kpis": kpis},
                )
            messages.success(request, "Return submitted" if submit else "Draft saved")
            return redirect("governance:return", pk=provider_return.pk)
    return render(request, "governance/return_form.html", {**context, "form": form})


@require_http_methods(["POST"])
@managers
def return_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    provider_return = policy.get_provider_return_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not policy.can_decide_return(request.user, provider_return) or not form.is_valid():
        messages.error(request, "Only a submitted return can be accepted: reload the page to see where it stands")
        return redirect("governance:return", pk=provider_return.pk)
    try:
        actions.accept_return(
            request.user, provider_return, expected_version=form.cleaned_data["version"], request=request
        )
    except (actions.StaleEdit, actions.ReturnRefused):
        messages.error(request, "The return changed after you opened it: check it again before you accept it")
        return redirect("governance:return", pk=provider_return.pk)
    messages.success(request, "Return accepted: its figures now feed the indicators")
    return redirect("governance:return", pk=provider_return.pk)


@require_http_methods(["GET", "POST"])
@managers
def return_send_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from saferhub.governance.strategy_forms import SendBackForm

    provider_return = policy.get_provider_return_for_user(request.user, pk)
    if not policy.can_decide_return(request.user, provider_return):
        messages.error(request, "Only a submitted return can be returned to the provider")
        return redirect("governance:return", pk=provider_return.pk)
    form = SendBackForm(request.POST or None, initial={"version": provider_return.version})
    context = {"provider_return": provider_return, "service": provider_return.service}
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_to_provider(
                request.user,
                provider_return,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except actions.StaleEdit:
            provider_return = policy.get_provider_return_for_user(request.user, pk)
            return conflict(
                request,
                "governance/return_send_back.html",
                {**context, "provider_return": provider_return},
                form_class=SendBackForm,
                stale_form=form,
                instance=provider_return,
                current={"reason": provider_return.returned_reason},
            )
        messages.success(request, "Return sent back to the provider")
        return redirect("governance:return", pk=provider_return.pk)
    return render(request, "governance/return_send_back.html", {**context, "form": form})
