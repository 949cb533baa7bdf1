"""The home page by role, the team's inbox and the user's actions: what needs the signed-in user's attention."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core import dashboards, exports
from saferhub.core.dashboards import LIST_LENGTH

ACTIONS_PER_PAGE = 25


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {
        "works_cases": policy.works_cases(user),
        "can_view_reports": policy.can_view_reports(user),
        "can_administer": policy.can_administer(user),
        "can_view_audit": policy.can_view_audit(user),
        "is_provider": policy.is_provider(user),
        "is_team_manager": dashboards.is_team_manager(user),
        "is_coordinator": policy.can_coordinate_panel(user),
        "is_missing_coordinator": policy.works_missing(user),
        "list_length": LIST_LENGTH,
    }
    if context["works_cases"]:
        context.update(dashboards.casework(user, today))
    elif policy.inbox_kinds(user):
        context.update(dashboards.inbox_summary(user))  # analysts and administrators decide provider returns
    if context["is_team_manager"]:
        context.update(dashboards.team_manager(user, today))
    if context["is_coordinator"]:
        context.update(dashboards.coordinator(user, today))
    if context["is_missing_coordinator"]:
        context.update(dashboards.missing_children(user, timezone.now()))
    context["reporting_links"] = dashboards.reporting_links(user)
    return render(request, "core/home.html", context)


INBOX_COLUMNS = [
    exports.computed("kind", "Kind", lambda item: item.kind, lambda item: item.kind_label),
    exports.computed("reference", "Reference", lambda item: item.reference),
    exports.computed("item", "Item", lambda item: item.title),
    exports.computed("source", "From", lambda item: item.source),
    exports.computed("received_at", "Received", lambda item: item.received_at),
    exports.computed("due_on", "Deadline", lambda item: item.due_on),
    exports.computed("overdue", "Overdue", lambda item: item.is_overdue),
]

MY_ACTIONS_COLUMNS = [
    exports.field("due_on", "Due"),
    exports.computed("overdue", "Overdue", lambda action: action.is_overdue),
    exports.field("action", "Action", "title"),
    exports.field("case", "Case", "case__reference"),
    exports.field("status", "Status"),
]


@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The team's one inbox: everything awaiting a decision, oldest first, filtered by kind."""
    user: Any = request.user
    counts = policy.inbox_counts(user)
    kind = request.GET.get("kind", "")
    if kind not in counts:
        kind = ""
    if exports.wanted_format(request):
        # Every item of the chosen kind (or all), oldest first: the rows the pages show, not one page.
        items = policy.inbox_page(user, [kind] if kind else None, per_page=exports.MAX_ROWS).items
        return exports.export_response(request, items, INBOX_COLUMNS, name="inbox", title="Inbox")
    page = policy.inbox_page(
        user, [kind] if kind else None, after=request.GET.get("after"), before=request.GET.get("before")
    )
    total = sum(counts.values())
    queues = [
        {"kind": k, "label": policy.InboxKind(k).label, "count": c, "count_label": policy.inbox_count_label(c)}
        for k, c in counts.items()
    ]
    context = {
        "kind": kind,
        "kind_label": policy.InboxKind(kind).label if kind else "",
        "queues": queues,
        "total": total,
        "total_label": policy.inbox_count_label(total),
        "shown_label": policy.inbox_count_label(counts[kind] if kind else total),
        "page": page,
        "today": timezone.localdate(),
        "export_links": exports.export_links(request) if page.items else None,
    }
    return render(request, "core/inbox.html", context)


@require_http_methods(["GET"])
def my_actions(request: HttpRequest) -> HttpResponse:
    """Every outstanding action of the user, soonest due first, a page at a time."""
    user: Any = request.user
    actions = dashboards.my_actions(user) if policy.works_cases(user) else None
    context: dict[str, Any] = {"works_cases": actions is not None}
    if actions is not None:
        if exports.wanted_format(request):
            return exports.export_response(request, actions, MY_ACTIONS_COLUMNS, name="my-actions", title="My actions")
        page_obj = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
        page_obj.object_list = dashboards.with_case_links(user, list(page_obj.object_list))
        context.update(
            {"page_obj": page_obj, "count": page_obj.paginator.count, "export_links": exports.export_links(request)}
        )
    return render(request, "core/my_actions.html", context)
