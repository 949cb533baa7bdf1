"""Pages for action plans and the activities register.

Analysts and partnership administrators change them; team managers and board members
read them (`saferhub.policy.governance`). Another partnership's records are 404.
Changes go through `saferhub.governance.actions`.
"""

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.guards import require
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict
from saferhub.governance import actions
from saferhub.governance.charts import rag_by_priority_chart
from saferhub.governance.forms import (
    ActivityChangeForm,
    ActivityFilterForm,
    ActivityForm,
    CommitmentForm,
    StatusUpdateForm,
)
from saferhub.governance.models import Activity, CommitmentStatus
from saferhub.governance.reports import RAG_KEYS, commitments_as_of
from saferhub.reporting.periods import quarters_overlapping

PAGE_SIZE = 100


readers = require(
    policy.can_view_governance,
    "Only analysts, partnership administrators, team managers and board members can see these pages.",
)
managers = require(
    policy.can_manage_governance, "Only analysts and partnership administrators can change plans and activities."
)


# Action plans -------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@readers
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    plans = policy.visible_action_plans(request.user).annotate(commitment_count=Count("commitments")).order_by("name")
    context = {"plans": plans, "can_manage": policy.can_manage_governance(request.user)}
    return render(request, "governance/plan_list.html", context)


def _by_priority(commitments: Any) -> list[dict[str, Any]]:
    """RAG counts per priority, counted in the database (one row per priority and rating)."""
    rows: dict[str, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(RAG_KEYS, 0))
    for group in commitments.values("priority", "latest_rag").annotate(n=Count("pk")).order_by():
        rows[group["priority"]][group["latest_rag"] or "none"] += group["n"]
    return [
        {"priority": priority, **counts, "total": sum(counts.values())} for priority, counts in sorted(rows.items())
    ]


@require_http_methods(["GET"])
@readers
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = policy.get_action_plan_for_user(request.user, pk)
    today = timezone.localdate()
    commitments = commitments_as_of(plan.partnership_id, today).filter(plan=plan)
    by_priority = _by_priority(commitments)
    statuses = dict(CommitmentStatus.choices)
    listed = list(
        commitments.select_related("owner", "owner_user", "activity_issue__activity").order_by("priority", "pk")
    )
    for commitment in listed:
        commitment.status_label = statuses.get(commitment.latest_status, "")  # type: ignore[attr-defined]
    context = {
        "plan": plan,
        "today": today,
        "commitments": listed,
        "by_priority": by_priority,
        "chart": rag_by_priority_chart(by_priority, f"plan-{plan.pk}-rag"),
        "completed": CommitmentStatus.COMPLETED,
        "can_manage": policy.can_manage_governance(request.user),
    }
    return render(request, "governance/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
@managers
def commitment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = policy.get_action_plan_for_user(request.user, pk)
    form = CommitmentForm(
        request.POST or None,
        partnership_id=plan.partnership_id,
        initial={"status": CommitmentStatus.NOT_STARTED, "updated_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_commitment(
            request.user,
            plan,
            priority=data["priority"],
            text=data["text"],
            owner=data["owner"],
            phase=data["phase"],
            due_on=data["due_on"],
            status=data["status"],
            rag=data["rag"],
            updated_on=data["updated_on"],
            note=data["note"],
            request=request,
        )
        messages.success(request, "Commitment added")
        return redirect("governance:plan", pk=plan.pk)
    return render(request, "governance/commitment_form.html", {"plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
@managers
def commitment_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commitment = policy.get_commitment_for_user(request.user, pk)
    history = list(commitment.updates.select_related("recorded_by").order_by("-updated_on"))
    latest = history[0] if history else None
    initial = {
        "status": latest.status if latest else CommitmentStatus.NOT_STARTED,
        "updated_on": timezone.localdate(),
        "version": commitment.version,
    }
    form = StatusUpdateForm(request.POST or None, initial=initial)
    context = {"commitment": commitment, "plan": commitment.plan, "history": history}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_status(
                request.user,
                commitment,
                status=data["status"],
                rag=data["rag"],
                updated_on=data["updated_on"],
                text=data["note"],
                expected_version=data["version"],
                request=request,
            )
        except actions.StaleEdit:
            commitment = policy.get_commitment_for_user(request.user, pk)
            current = commitment.updates.order_by("-updated_on").first()
            return conflict(
                request,
                "governance/status_form.html",
                {**context, "commitment": commitment},
                form_class=StatusUpdateForm,
                stale_form=form,
                instance=commitment,
                current={
                    "status": current.status if current else "",
                    "rag": current.rag if current else "",
                    "updated_on": current.updated_on if current else None,
                    "note": current.text if current else "",
                },
            )
        messages.success(request, "Status recorded")
        return redirect("governance:plan", pk=commitment.plan_id)
    return render(request, "governance/status_form.html", {**context, "form": form})


# Activities ---------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@readers
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    activities = policy.visible_activities(request.user)
    span = activities.aggregate(first=Min("held_on"), last=Max("held_on"))
    quarters = quarters_overlapping(span["first"], span["last"]) if span["first"] else []
    programmes = list(
        activities.exclude(programme="").order_by("programme").values_list("programme", flat=True).distinct()
    )
    form = ActivityFilterForm(
        request.GET or None, quarters=[q.label for q in reversed(quarters)], programmes=programmes
    )
    chosen = activities
    if form.is_valid():
        data = form.cleaned_data
        quarter = next((q for q in quarters if q.label == data["quarter"]), None)
        if quarter is not None:
            chosen = chosen.held_between(quarter.start, quarter.end)
        if data["kind"]:
            chosen = chosen.filter(kind=data["kind"])
        if data["programme"]:
            chosen = chosen.filter(programme=data["programme"])
    page = Paginator(chosen.select_related("ward").order_by("-held_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page_obj": page,
        "activities": page.object_list,
        "can_manage": policy.can_manage_governance(request.user),
        "can_import": policy.can_import(request.user),
    }
    return render(request, "governance/activity_list.html", context)


@require_http_methods(["GET", "POST"])
@managers
def activity_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, partnership_id=request.user.partnership_id)
    if request.method == "POST" and form.is_valid():
        activity = actions.record_activity(request.user, request=request, **form.values())
        messages.success(request, f"Activity {activity.title} recorded")
        return redirect("governance:activities")
    return render(request, "governance/activity_form.html", {"form": form, "creating": True})


def _activity_values(activity: Activity) -> dict[str, Any]:
    return {name: getattr(activity, name) for name in ActivityForm.base_fields}


@require_http_methods(["GET", "POST"])
@managers
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = policy.get_activity_for_user(request.user, pk)
    initial = {**_activity_values(activity), "version": activity.version}
    form = ActivityChangeForm(request.POST or None, initial=initial, partnership_id=activity.partnership_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(
                request.user,
                activity,
                expected_version=form.cleaned_data["version"],
                request=request,
                **form.values(),
            )
        except actions.StaleEdit:
            activity = policy.get_activity_for_user(request.user, pk)
            return conflict(
                request,
                "governance/activity_form.html",
                {"activity": activity},
                form_class=ActivityChangeForm,
                stale_form=form,
                instance=activity,
                current=_activity_values(activity),
                form_kwargs={"partnership_id": activity.partnership_id},
            )
        messages.success(request, f"Activity {activity.title} saved")
        return redirect("governance:activities")
    return render(request, "governance/activity_form.html", {"form": form, "activity": activity})
