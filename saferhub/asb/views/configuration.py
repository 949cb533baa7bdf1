"""ASB pages for the module's settings: dated limits and the desk."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.asb import access, actions
from saferhub.asb.forms import (
    DeskForm,
    SettingForm,
)
from saferhub.asb.limits import DEFAULTS, Limits
from saferhub.asb.models import (
    AsbDesk,
    AsbSetting,
    SettingKey,
)
from saferhub.asb.views.common import form_page
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import CONFLICT_STATUS, StaleEdit, conflict_form

# Settings ----------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.works_cases(user) or policy.can_administer(user), "You cannot see ASB settings.")
    today = timezone.localdate()
    limits = Limits(user.partnership_id, today)
    rows = AsbSetting.objects.filter(partnership_id=user.partnership_id).order_by("key", "-effective_from")  # type: ignore[misc]  # signed in; None matches no row
    history: dict[str, list[AsbSetting]] = {}
    for row in rows:
        history.setdefault(row.key, []).append(row)
    settings_rows = [
        {
            "key": key,
            "label": SettingKey(key).label,
            "value": limits[key],
            "rows": history.get(key, []),
            "default": DEFAULTS[key][0],
        }
        for key in SettingKey.values
    ]
    desk = AsbDesk.objects.filter(partnership_id=user.partnership_id).select_related("team__agency").first()  # type: ignore[misc]  # signed in; None matches no row
    return render(
        request,
        "asb/settings.html",
        {"settings_rows": settings_rows, "desk": desk, "today": today, "can_admin": policy.can_administer(user)},
    )


@require_http_methods(["GET", "POST"])
def setting_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_administer(user), "Only administrators change ASB settings.")
    form = SettingForm(request.POST or None, initial={"key": request.GET.get("key", "")})
    if request.method == "POST" and form.is_valid():
        actions.set_setting(user, user.partnership, request=request, **form.cleaned_data)
        messages.success(request, "Setting saved")
        return redirect("asb:settings")
    return form_page(
        request,
        form,
        title="Add a setting value",
        back_url=reverse("asb:settings"),
        submit="Save",
        intro="A value applies from its date until a later value replaces it. Earlier records keep the value in force when they were made.",
    )


@require_http_methods(["GET", "POST"])
def desk_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(policy.can_administer(user), "Only administrators choose the ASB team.")
    desk = AsbDesk.objects.filter(partnership=user.partnership).first()
    initial = {"team": desk.team_id if desk else None, "version": desk.version if desk else 0}
    form = DeskForm(request.POST or None, partnership=user.partnership, initial=initial)
    page: dict[str, Any] = {"title": "Choose the ASB team", "back_url": reverse("asb:settings"), "submit": "Save"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_desk(user, user.partnership, data["team"], request=request, expected_version=data["version"])
        except StaleEdit:
            desk = AsbDesk.objects.select_related("team", "modified_by").get(partnership=user.partnership)
            fresh = conflict_form(
                DeskForm,
                stale_form=form,
                instance=desk,
                current={"team": desk.team},
                form_kwargs={"partnership": user.partnership},
            )
            return form_page(request, fresh, status=CONFLICT_STATUS, **page)
        messages.success(request, "ASB team saved")
        return redirect("asb:settings")
    return form_page(request, form, **page)
