"""Issues raised on an activity, and turning one into an action (a commitment of an action plan).

Each function runs in one transaction and writes its audit row in it. Changes to an issue carry the
version the user saw and are refused (`StaleEdit`) when someone saved it since; turning an issue into
an action claims the issue's version too, so it can become only one action.
"""

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.governance.actions.plans import add_commitment
from saferhub.governance.models import ActionPlan, Activity, ActivityIssue, Commitment

__all__ = ["record_issue", "turn_issue_into_action", "update_issue"]


def record_issue(
    user: Any,
    activity: Activity,
    *,
    text: str,
    ward: Any,
    location: str,
    raised_by: str,
    request: HttpRequest | None = None,
) -> ActivityIssue:
    with transaction.atomic():
        issue = ActivityIssue.objects.create(
            partnership_id=activity.partnership_id,
            activity=activity,
            text=text,
            ward=ward,
            location=location,
            raised_by=raised_by,
            modified_by=user,
        )
        log.record(user, AuditAction.CREATE, issue, request=request, detail={"activity": activity.pk})
    return issue


def update_issue(
    user: Any, issue: ActivityIssue, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> ActivityIssue:
    with transaction.atomic():
        before = {name: str(getattr(issue, name)) for name in values}
        claim_version(issue, expected_version, modified_by=user, **values)
        changed = sorted(name for name, value in values.items() if before[name] != str(value))
        log.record(user, AuditAction.UPDATE, issue, request=request, detail={"changed": changed})
    return issue


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _plan_named(user: Any, partnership_id: int, name: str, request: HttpRequest | None) -> ActionPlan:
    """The partnership's plan of that name (ignoring case), or a new one, audited."""
    found = ActionPlan.objects.of(partnership_id).filter(name__iexact=name).first()
    if found is not None:
        return found
    plan = ActionPlan.objects.create(partnership_id=partnership_id, name=name)
    log.record(user, AuditAction.CREATE, plan, request=request, detail={"name": name})
    return plan


def turn_issue_into_action(
    user: Any,
    issue: ActivityIssue,
    *,
    plan: ActionPlan | None,
    new_plan: str,
    text: str,
    priority: str,
    owner: Any,
    owner_user: Any,
    due_on: datetime.date,
    status: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Commitment:
    """A commitment of `plan` (or of the plan named `new_plan`, created if need be) with the issue's action,
    its owner, due date and first status (today); the issue records the action it became."""
    with transaction.atomic():
        claim_version(issue, expected_version, modified_by=user)
        # The version check holds the row: an issue turned meanwhile by someone else has moved on already,
        # and one turned before the form was opened is refused here.
        if ActivityIssue.objects.filter(pk=issue.pk, commitment__isnull=False).exists():
            raise StaleEdit("This issue has already been turned into an action.")
        chosen = plan if plan is not None else _plan_named(user, issue.partnership_id, new_plan, request)
        commitment = add_commitment(
            user,
            chosen,
            priority=priority,
            text=text,
            owner=owner,
            owner_user=owner_user,
            phase="",
            due_on=due_on,
            status=status,
            rag="",
            updated_on=timezone.localdate(),
            note=f"From an issue raised on {issue.activity.title}, {_day(issue.activity.held_on)}",
            request=request,
        )
        issue.commitment = commitment
        issue.save(update_fields=["commitment"])
        log.record(
            user,
            AuditAction.UPDATE,
            issue,
            request=request,
            detail={"turned_into_action": commitment.pk, "plan": chosen.name},
        )
    return commitment
