"""Panel summaries for attending agencies, and panel actions (overdue list, marking done)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from saferhub import policy
from saferhub.cases import actions as case_actions
from saferhub.core import exports
from saferhub.panels import actions
from saferhub.panels.models import (
    PanelReferral,
)
from saferhub.panels.views.common import (
    _agreed,
    _require_casework,
)


@require_GET
def panel_summary(request: HttpRequest, reference: str) -> HttpResponse:
    """What an attending agency sees in the meeting window: no notes, no shared information."""
    case = policy.get_panel_summary_for_user(request, reference)
    panel_case = case.panel
    referrals = PanelReferral.objects.filter(panel_case=panel_case).select_related("referring_agency")
    hearings = (
        panel_case.hearings.select_related("meeting")
        .prefetch_related(Prefetch("agreed_actions", queryset=_agreed()))
        .order_by("-meeting__date")
    )
    return render(
        request,
        "panels/summary.html",
        {
            "case": case,
            "panel_case": panel_case,
            "referrals": referrals,
            "hearings": hearings,
            "can_open_case": case.summary_access == "case",  # type: ignore[attr-defined]
        },
    )


OVERDUE_COLUMNS = [
    exports.field("case", "Case", "action__case__reference"),
    exports.computed(
        "panel_type",
        "Panel",
        lambda row: row.hearing.meeting.panel_type.code,
        lambda row: row.hearing.meeting.panel_type.name,
    ),
    exports.field("meeting_date", "Agreed at the meeting of", "hearing__meeting__date"),
    exports.field("action", "Action", "action__title"),
    exports.computed("owner", "Owner", lambda row: str(row.action.owner)),
    exports.field("owner_agency", "Agency", "owner_agency__name"),
    exports.field("due_on", "Due", "action__due_on"),
    exports.field("status", "Status", "action__status"),
]


@require_GET
def overdue_actions(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    if not policy.can_coordinate_panel(request.user):
        raise PermissionDenied("Only panel coordinators see every overdue panel action.")
    rows = actions.overdue_panel_actions(policy.visible_panel_actions(request.user))
    if exports.wanted_format(request):
        return exports.export_response(
            request, rows, OVERDUE_COLUMNS, name="overdue-panel-actions", title="Overdue panel actions"
        )
    context = {"rows": rows, "today": timezone.localdate(), "export_links": exports.export_links(request)}
    return render(request, "panels/overdue.html", context)


@require_POST
def complete_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner (or a coordinator) marks a panel action done."""
    _require_casework(request)
    user: Any = request.user
    # Only the owner or a coordinator sees the action at all; anyone else is told it does not exist.
    row = get_object_or_404(
        policy.visible_panel_actions(user).select_related("action", "hearing__meeting__panel_type"), pk=pk
    )
    if row.action.status == "open":
        case_actions.set_action_status(user, row.action, "done", request=request)
        messages.success(request, f"'{row.action.title}' marked done")
    return redirect(request.POST.get("next", "") if _safe_next(request) else reverse("panels:index"))


def _safe_next(request: HttpRequest) -> bool:
    target = request.POST.get("next", "")
    return target.startswith("/panels/") and "//" not in target
