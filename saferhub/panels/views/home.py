"""The panels home page: coordinators' overview, or the caseworker's summaries and actions."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from saferhub import policy
from saferhub.panels import actions
from saferhub.panels.models import (
    Meeting,
    MeetingStatus,
    PanelType,
)
from saferhub.panels.views.common import (
    RECENT,
    _require_casework,
)

COUNT_CAP = 1000


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_casework(request)
    user: Any = request.user
    coordinator = policy.can_coordinate_panel(user)
    today = timezone.localdate()
    context: dict[str, Any] = {"coordinator": coordinator, "today": today}
    if coordinator:
        # One capped count per panel type (a handful): exact counts of 100,000 cases cost a second.
        panel_types = list(PanelType.objects.filter(partnership_id=user.partnership_id).order_by("name"))
        for panel_type in panel_types:
            count = policy.visible_open_cases_count(user, panel_type, COUNT_CAP)
            panel_type.open_cases = count  # type: ignore[attr-defined]
            panel_type.open_cases_label = f"{COUNT_CAP:,} or more" if count >= COUNT_CAP else f"{count:,}"  # type: ignore[attr-defined]
        context["panel_types"] = panel_types
        context["upcoming"] = (
            Meeting.objects.filter(partnership_id=user.partnership_id, date__gte=today)
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("panel_type")
            .annotate(listed=policy.visible_listed_count(user))
            .order_by("date", "pk")[:10]
        )
        context["overdue"] = list(actions.overdue_panel_actions(policy.visible_panel_actions(user), today)[:RECENT])
        # The panels' kind of the coordinator's inbox, counted as the home page and the queue count it.
        context["awaiting_review"] = policy.inbox_count(user, policy.InboxKind.PANEL)
    else:
        context["referable"] = list(policy.referable_panel_types(user).order_by("name"))
        context["summaries"] = list(
            policy.visible_panel_cases(user, today)
            .select_related("panel__panel_type", "panel__person")
            .order_by("reference")[:50]
        )
    my_actions = list(
        policy.panel_actions_for_owner(user).select_related("case", "panel_action__owner_agency").order_by("due_on")
    )
    # Outside a meeting's window an owner may not read the summary: the action is listed without a link.
    readable = set(
        policy.visible_panel_cases(user, today)
        .filter(pk__in={a.case_id for a in my_actions})
        .values_list("pk", flat=True)
    )
    for action in my_actions:
        action.summary_readable = action.case_id in readable
    context["my_actions"] = my_actions
    return render(request, "panels/index.html", context)
