"""Pages for analysts and administrators: quarterly targets and the hub's settings."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.reporting.periods import financial_year_start
from saferhub.victims import actions
from saferhub.victims import forms as hub_forms
from saferhub.victims.hub import hub_team
from saferhub.victims.models import HubSetting, QuarterlyTarget
from saferhub.victims.views.common import _today

# Analyst and administrator pages ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_set_targets(user):
        raise PermissionDenied("Only analysts and partnership administrators set the hub's targets.")
    chosen = hub_forms.TargetYearForm(request.GET)
    year = chosen.cleaned_data["year"] if chosen.is_valid() else financial_year_start(_today())
    form = hub_forms.TargetsForm(request.POST or None, initial=_target_initial(user.partnership_id, year))
    if request.method == "POST" and form.is_valid():
        saved = form.cleaned_data["year"]
        actions.set_targets(user, user.partnership, saved, form.targets(), request=request)
        messages.success(request, f"Targets for {saved}/{(saved + 1) % 100:02d} saved.")
        return redirect(f"{reverse('victims:targets')}?year={saved}")
    rows = QuarterlyTarget.objects.filter(partnership_id=user.partnership_id).order_by("-year", "quarter")
    context = {
        "form": form,
        "year_form": hub_forms.TargetYearForm(initial={"year": year}),
        "year_label": f"{year}/{(year + 1) % 100:02d}",
        "targets": rows,
    }
    return render(request, "victims/targets.html", context)


def _target_initial(partnership_id: int, year: int) -> dict[str, Any]:
    """The chosen financial year, with the targets already set for it."""
    set_targets = QuarterlyTarget.objects.filter(partnership_id=partnership_id, year=year)
    return {"year": year} | {f"q{t.quarter}": t.referrals for t in set_targets}


@require_http_methods(["GET"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_administer(user):
        raise PermissionDenied("Only partnership administrators change the hub's settings.")
    context = {
        "team": hub_team(user.partnership_id),
        "team_form": hub_forms.HubTeamForm(partnership_id=user.partnership_id),
        "setting_form": hub_forms.FirstContactSettingForm(),
        "settings": HubSetting.objects.filter(partnership_id=user.partnership_id).select_related("set_by"),
    }
    return render(request, "victims/settings.html", context)


def _settings_post(request: HttpRequest, form: forms.Form, save: Callable[[], Any]) -> HttpResponse:
    user: Any = request.user
    if form.is_valid():
        save()
        messages.success(request, "Setting saved.")
        return redirect("victims:settings")
    context = {
        "team": hub_team(user.partnership_id),
        "team_form": form
        if isinstance(form, hub_forms.HubTeamForm)
        else hub_forms.HubTeamForm(partnership_id=user.partnership_id),
        "setting_form": form
        if isinstance(form, hub_forms.FirstContactSettingForm)
        else hub_forms.FirstContactSettingForm(),
        "settings": HubSetting.objects.filter(partnership_id=user.partnership_id).select_related("set_by"),
        "form": form,
    }
    return render(request, "victims/settings.html", context)


@require_http_methods(["POST"])
def set_team(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_administer(user):
        raise PermissionDenied("Only partnership administrators change the hub's settings.")
    form = hub_forms.HubTeamForm(request.POST, partnership_id=user.partnership_id)
    return _settings_post(
        request, form, lambda: actions.set_hub_team(user, user.partnership, form.cleaned_data["team"], request=request)
    )


@require_http_methods(["POST"])
def add_setting(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.can_administer(user):
        raise PermissionDenied("Only partnership administrators change the hub's settings.")
    form = hub_forms.FirstContactSettingForm(request.POST)
    return _settings_post(
        request, form, lambda: actions.add_setting(user, user.partnership, request=request, **form.cleaned_data)
    )
