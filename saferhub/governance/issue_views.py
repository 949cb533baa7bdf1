"""An activity's page, with the issues raised on it (a ward walk's concerns), and turning an issue into an
action: a commitment of an action plan, listed on the plan's page and linking back to the issue.

Who may do what is decided in `saferhub.policy.governance`; changes go through
`saferhub.governance.actions.issues`.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.types import AuthenticatedHttpRequest
from saferhub.core.versioning import conflict
from saferhub.governance import actions
from saferhub.governance.issue_forms import ISSUE_FIELDS, IssueActionForm, IssueChangeForm, IssueForm
from saferhub.governance.models import ActivityIssue, CommitmentStatus
from saferhub.governance.views import managers, readers


def _may_record(request: AuthenticatedHttpRequest, activity: Any) -> None:
    if not policy.can_record_activity_issues(request.user, activity):
        raise Http404("No such activity")


@require_http_methods(["GET"])
@readers
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = policy.get_activity_for_user(request.user, pk)
    issues = list(
        policy.visible_activity_issues(request.user)
        .filter(activity=activity)
        .select_related("ward", "commitment__plan")
        .order_by("pk")
    )
    context = {
        "activity": activity,
        "issues": issues,
        "can_manage": policy.can_record_activity_issues(request.user, activity),
    }
    return render(request, "governance/activity_detail.html", context)


@require_http_methods(["GET", "POST"])
@managers
def issue_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = policy.get_activity_for_user(request.user, pk)
    _may_record(request, activity)
    # The walk's ward to start with: most issues raised on it are in it.
    form = IssueForm(request.POST or None, initial={"ward": activity.ward_id}, partnership_id=activity.partnership_id)
    if request.method == "POST" and form.is_valid():
        actions.record_issue(request.user, activity, request=request, **form.values())
        messages.success(request, "Issue recorded")
        return redirect("governance:activity", pk=activity.pk)
    return render(request, "governance/issue_form.html", {"form": form, "activity": activity, "creating": True})


def _issue_values(issue: ActivityIssue) -> dict[str, Any]:
    return {name: getattr(issue, name) for name in ISSUE_FIELDS}


@require_http_methods(["GET", "POST"])
@managers
def issue_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = policy.get_activity_issue_for_user(request.user, pk)
    _may_record(request, issue.activity)
    form = IssueChangeForm(
        request.POST or None,
        initial={**_issue_values(issue), "version": issue.version},
        partnership_id=issue.partnership_id,
    )
    context = {"activity": issue.activity, "issue": issue}
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_issue(
                request.user, issue, expected_version=form.cleaned_data["version"], request=request, **form.values()
            )
        except actions.StaleEdit:
            issue = policy.get_activity_issue_for_user(request.user, pk)
            return conflict(
                request,
                "governance/issue_form.html",
                {**context, "issue": issue},
                form_class=IssueChangeForm,
                stale_form=form,
                instance=issue,
                current=_issue_values(issue),
                form_kwargs={"partnership_id": issue.partnership_id},
            )
        messages.success(request, "Issue saved")
        return redirect("governance:activity", pk=issue.activity_id)
    return render(request, "governance/issue_form.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
@managers
def issue_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = policy.get_activity_issue_for_user(request.user, pk)
    _may_record(request, issue.activity)
    if issue.commitment_id is not None:
        messages.info(request, "That issue has already been turned into an action")
        return redirect("governance:activity", pk=issue.activity_id)
    form_kwargs = {
        "partnership_id": issue.partnership_id,
        "owner_users": policy.action_owner_choices(request.user),
    }
    initial = {
        "text": issue.text,
        "status": CommitmentStatus.NOT_STARTED,
        "version": issue.version,
    }
    form = IssueActionForm(request.POST or None, initial=initial, **form_kwargs)
    context = {"activity": issue.activity, "issue": issue}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = actions.turn_issue_into_action(
                request.user,
                issue,
                plan=data["plan"],
                new_plan=data["new_plan"],
                text=data["text"],
                priority=data["priority"],
                owner=data["owner"],
                owner_user=data["owner_user"],
                due_on=data["due_on"],
                status=data["status"],
                expected_version=data["version"],
                request=request,
            )
        except actions.StaleEdit:
            issue = policy.get_activity_issue_for_user(request.user, pk)
            if issue.commitment_id is not None:
                messages.info(request, "Someone else turned that issue into an action first: nothing was saved")
                return redirect("governance:activity", pk=issue.activity_id)
            return conflict(
                request,
                "governance/issue_action_form.html",
                {**context, "issue": issue},
                form_class=IssueActionForm,
                stale_form=form,
                instance=issue,
                current={"text": issue.text},
                form_kwargs={"initial": {"status": CommitmentStatus.NOT_STARTED}, **form_kwargs},
            )
        messages.success(request, f"Action added to {commitment.plan.name}")
        return redirect("governance:activity", pk=issue.activity_id)
    return render(request, "governance/issue_action_form.html", {**context, "form": form})
