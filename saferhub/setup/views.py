"""The set-up pages: the checklist, duties, areas and peer group, case types and panel types.

Every page is for the signed-in administrator's own partnership (`policy.can_set_up`);
records of another partnership are 404. Changes go through `saferhub.setup.actions`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.accounts import duties
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import CaseType
from saferhub.panels.models import PanelType
from saferhub.setup import actions
from saferhub.setup.checklist import checklist
from saferhub.setup.forms import AreasForm, CaseTypeCreateForm, CaseTypeEditForm, DutyForm, PanelTypeForm
from saferhub.setup.setupfile import export


def setup_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_set_up(request.user):
            raise PermissionDenied("Only partnership administrators set up the partnership.")
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "POST"])(wrapped)


def _partnership(request: HttpRequest) -> Any:
    return request.user.partnership  # type: ignore[union-attr]


# Checklist ---------------------------------------------------------------------------------------------


@setup_only
def index(request: HttpRequest) -> HttpResponse:
    from saferhub.api import sso_setup

    partnership = _partnership(request)
    items = checklist(partnership)
    remaining = sum(1 for item in items if not item.done)
    context = {"items": items, "remaining": remaining, "single_sign_on": sso_setup.summary(partnership)}
    return render(request, "setup/index.html", context)


@require_http_methods(["GET"])
def export_file(request: HttpRequest) -> HttpResponse:
    """The partnership's set-up as a set-up file, as `configure_partnership --export` prints it."""
    if not policy.can_set_up(request.user):
        raise PermissionDenied("Only partnership administrators set up the partnership.")
    partnership = _partnership(request)
    text = export(partnership)
    log.record(request.user, AuditAction.EXPORT, partnership, request=request, detail={"export": "set-up file"})
    response = HttpResponse(text, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-setup.toml"'
    return response


# Duties --------------------------------------------------------------------------------------------------


@setup_only
def duty(request: HttpRequest, code: str) -> HttpResponse:
    partnership = _partnership(request)
    found = next((d for d in duties.duties_of(partnership) if d.code == code), None)
    if found is None:
        raise Http404("No such duty")
    form = DutyForm(request.POST or None, partnership_id=partnership.pk, initial={"team": found.team})
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            changed = actions.assign_duty(request.user, partnership, code, team, request=request)
        except actions.SetupError as error:
            form.add_error("team", str(error))
        else:
            messages.success(
                request, f"{team.name} now holds the duty {found.label}." if changed else "Nothing changed."
            )
            return redirect("setup:index")
    return render(request, "setup/duty.html", {"form": form, "duty": found})


# Areas and peer group -------------------------------------------------------------------------------


@setup_only
def areas(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    initial = {
        "areas": ", ".join(partnership.areas or []),
        "peer_group": ", ".join(partnership.peer_group or []),
        "version": actions.version_of(partnership, actions.AREA_FIELDS),
    }
    form = AreasForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.set_areas(
                request.user,
                partnership,
                areas=data["areas"],
                peer_group=data["peer_group"],
                version=data["version"],
                request=request,
            )
        except actions.SetupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Areas and peer group saved." if changed else "Nothing changed.")
            return redirect("setup:index")
    return render(request, "setup/areas.html", {"form": form})


# Case types ------------------------------------------------------------------------------------------------


def _case_type(request: HttpRequest, pk: int) -> CaseType:
    return get_object_or_404(CaseType, pk=pk, partnership_id=_partnership(request).pk)


@setup_only
def case_type_list(request: HttpRequest) -> HttpResponse:
    case_types = (
        CaseType.objects.filter(partnership=_partnership(request))
        .annotate(case_count=Count("cases"))
        .order_by("-active", "name")
    )
    return render(request, "setup/case_type_list.html", {"case_types": case_types})


@setup_only
def case_type_create(request: HttpRequest) -> HttpResponse:
    form = CaseTypeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            case_type = actions.create_case_type(
                request.user,
                _partnership(request),
                code=data["code"],
                name=data["name"],
                prefix=data["reference_prefix"],
                request=request,
            )
        except actions.SetupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{case_type.name} added.")
            return redirect("setup:case-types")
    return render(request, "setup/case_type_form.html", {"form": form, "creating": True})


@setup_only
def case_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case_type = _case_type(request, pk)
    initial = {
        "name": case_type.name,
        "reference_prefix": case_type.prefix,
        "closure_needs_approval": case_type.closure_needs_approval,
        "version": actions.version_of(case_type, actions.CASE_TYPE_FIELDS),
    }
    form = CaseTypeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            changed = actions.update_case_type(
                request.user,
                case_type,
                name=data["name"],
                prefix=data["reference_prefix"],
                version=data["version"],
                closure_needs_approval=data["closure_needs_approval"],
                request=request,
            )
        except actions.SetupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Changes to {form.cleaned_data['name']} saved." if changed else "Nothing changed."
            )
            return redirect("setup:case-types")
    return render(request, "setup/case_type_form.html", {"form": form, "case_type": case_type})


def _case_type_active(request: HttpRequest, pk: int, active: bool, **page: Any) -> HttpResponse:
    case_type = _case_type(request, pk)
    back = reverse("setup:case-types")
    if request.method == "POST":
        try:
            actions.set_case_type_active(request.user, case_type, active, request=request)
        except actions.SetupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, page["done"].format(name=case_type.name))
        return redirect(back)
    return render(request, "setup/confirm.html", {"subject": case_type.name, "cancel_url": back, **page})


@setup_only
def case_type_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_type_active(
        request,
        pk,
        False,
        heading="Disable this case type?",
        explanation="It will no longer be offered for new cases. Its cases keep it and returns still count "
        "them. You can enable it again later.",
        button="Disable case type",
        done="{name} has been disabled.",
        warning=True,
    )


@setup_only
def case_type_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_type_active(
        request,
        pk,
        True,
        heading="Enable this case type?",
        explanation="It will be offered for new cases again.",
        button="Enable case type",
        done="{name} has been enabled.",
    )


# Panel types ------------------------------------------------------------------------------------------------


@setup_only
def panel_type_list(request: HttpRequest) -> HttpResponse:
    panel_types = (
        PanelType.objects.filter(partnership=_partnership(request))
        .select_related("coordinating_team__agency", "case_type")
        .annotate(member_count=Count("member_agencies"))
        .order_by("-active", "name")
    )
    return render(request, "setup/panel_type_list.html", {"panel_types": panel_types})


@setup_only
def panel_type_create(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    form = PanelTypeForm(request.POST or None, partnership_id=partnership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            panel_type = actions.create_panel_type(
                request.user,
                partnership,
                code=form.cleaned_data["code"],
                values=form.values(),
                member_agencies=form.cleaned_data["member_agencies"],
                request=request,
            )
        except actions.SetupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{panel_type.name} added, with the case type {panel_type.case_type.name}.")
            return redirect("setup:panel-types")
    return render(request, "setup/panel_type_form.html", {"form": form, "creating": True})


@setup_only
def panel_type_edit(request: HttpRequest, code: str) -> HttpResponse:
    partnership = _partnership(request)
    panel_type = get_object_or_404(PanelType.objects.select_related("case_type"), partnership=partnership, code=code)
    version = actions.panel_type_version(panel_type)
    form = PanelTypeForm(
        request.POST or None, instance=panel_type, partnership_id=partnership.pk, initial={"version": version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.update_panel_type(
                request.user,
                panel_type,
                values=form.values(),
                member_agencies=form.cleaned_data["member_agencies"],
                version=form.cleaned_data["version"],
                request=request,
            )
        except actions.SetupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Changes to {panel_type.name} saved." if changed else "Nothing changed.")
            return redirect("setup:panel-types")
    return render(request, "setup/panel_type_form.html", {"form": form, "panel_type": panel_type})
