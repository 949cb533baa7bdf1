"""Partnership governance: action plans and the activities register.

These are the partnership's own plans and events, not case files, and hold no personal
data: analysts and partnership administrators manage them; team managers and board
members read them. Every record belongs to one partnership; another partnership's is 404.
The issues raised on an activity (a ward walk's) follow the activity: its readers see
them, its managers record and change them and turn them into actions.
"""

from typing import Any

from django.http import Http404

from saferhub.accounts.models import Role
from saferhub.policy.roles import _active


def can_manage_governance(user: Any) -> bool:
    return _active(user) and user.has_role(Role.ANALYST, Role.PARTNERSHIP_ADMIN)


def can_view_governance(user: Any) -> bool:
    return can_manage_governance(user) or (_active(user) and user.has_role(Role.TEAM_MANAGER, Role.BOARD_MEMBER))


def visible_action_plans(user: Any) -> Any:
    from saferhub.governance.models import ActionPlan

    if not can_view_governance(user):
        return ActionPlan.objects.none()
    return ActionPlan.objects.of(user.partnership_id)


def visible_commitments(user: Any) -> Any:
    from saferhub.governance.models import Commitment

    if not can_view_governance(user):
        return Commitment.objects.none()
    return Commitment.objects.of(user.partnership_id)


def visible_activities(user: Any) -> Any:
    from saferhub.governance.models import Activity

    if not can_view_governance(user):
        return Activity.objects.none()
    return Activity.objects.of(user.partnership_id)


def _one(queryset: Any, pk: int, what: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}")
    return found


def get_action_plan_for_user(user: Any, pk: int) -> Any:
    return _one(visible_action_plans(user), pk, "action plan")


def get_commitment_for_user(user: Any, pk: int) -> Any:
    return _one(visible_commitments(user).select_related("plan", "owner"), pk, "commitment")


def get_activity_for_user(user: Any, pk: int) -> Any:
    return _one(visible_activities(user).select_related("ward"), pk, "activity")


def visible_activity_issues(user: Any) -> Any:
    from saferhub.governance.models import ActivityIssue

    if not can_view_governance(user):
        return ActivityIssue.objects.none()
    return ActivityIssue.objects.of(user.partnership_id)


def can_record_activity_issues(user: Any, activity: Any) -> bool:
    """Record, change and turn into actions the issues raised on this activity."""
    return can_manage_governance(user) and activity.partnership_id == user.partnership_id


def get_activity_issue_for_user(user: Any, pk: int) -> Any:
    return _one(
        visible_activity_issues(user).select_related("activity", "ward", "commitment__plan"), pk, "issue raised"
    )


def action_owner_choices(user: Any) -> Any:
    """The people an action may be given to: the partnership's active users (names only, on the form)."""
    from saferhub.accounts.models import User

    if not can_manage_governance(user):
        return User.objects.none()
    return User.objects.filter(partnership_id=user.partnership_id, is_active=True).order_by("full_name", "pk")
