"""The missing-children deadlines and thresholds in force, their history, and changing one from a date."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.guards import require
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.missing import actions, config
from saferhub.missing.forms import SettingForm
from saferhub.missing.models import MissingSetting, SettingKey

readers = require(policy.can_see_missing_settings, "Only the missing children coordinators can see these settings.")
managers = require(
    policy.can_manage_missing_settings, "Only the coordinators' team manager or an administrator can change these."
)


@require_http_methods(["GET"])
@readers
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    in_force = [(key.label, config.setting_value(user.partnership, key, today)) for key in SettingKey]
    history = MissingSetting.objects.filter(partnership_id=user.partnership_id).select_related("set_by")
    context: dict[str, Any] = {
        "in_force": in_force,
        "history": history.order_by("key", "-effective_from"),
        "can_manage": policy.can_manage_missing_settings(user),
        "today": today,
    }
    return render(request, "missing/settings.html", context)


@require_http_methods(["GET", "POST"])
@managers
def setting_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        setting, count = actions.add_setting(
            request.user, request.user.partnership, request=request, **form.cleaned_data
        )
        messages.success(
            request,
            f"{setting.get_key_display()}: {setting.value} from {setting.effective_from.day} "
            f"{setting.effective_from:%B %Y}. Deadlines recomputed for {count} episode{'' if count == 1 else 's'}.",
        )
        return redirect("missing:settings")
    return render(request, "missing/setting_form.html", {"form": form})
