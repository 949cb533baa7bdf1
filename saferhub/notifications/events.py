"""Events that tell someone at once: a referral received, a case shared, an action assigned, a return
submitted, a case closure asked for (to the team's managers) or returned (to who asked).

An action calls ``queue(event, pk)`` inside its transaction; once it commits, the task worker runs
``tasks.announce``, which builds the notice here and creates it for the recipients the policy
allows (``actions.notify``). Titles carry references and team names, never a person's name, an
action's wording or a case title (any of which may name someone).
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse

from saferhub.accounts.models import CASEWORK_ROLES, Role, User
from saferhub.notifications.actions import Notice, notify
from saferhub.notifications.models import Kind, Subject


def casework_users(**filters: Any) -> list[User]:
    """Active users with a casework role in their partnership, matching `filters` (team_id=…, agency_id=…)."""
    users = User.objects.filter(is_active=True, **filters).filter(role_assignments__role__in=CASEWORK_ROLES).distinct()
    return [u for u in users if u.has_role(*CASEWORK_ROLES)]


def users_with_role(partnership_id: int, *roles: str) -> list[User]:
    users = User.objects.filter(
        is_active=True,
        partnership_id=partnership_id,
        role_assignments__partnership_id=partnership_id,
        role_assignments__role__in=roles,
    ).distinct()
    return list(users)


def _referral_received(pk: int, actor_id: int | None) -> tuple[list[Any], Notice | None]:
    from saferhub.cases.models import Referral

    referral = Referral.objects.select_related("to_team", "case_type").filter(pk=pk).first()
    if referral is None or referral.decision != "pending":
        return [], None
    hub = referral.hub if hasattr(referral, "hub") else None
    url = reverse("victims:referral", args=[hub.pk]) if hub else reverse("cases:referral-detail", args=[referral.pk])
    notice = Notice(
        kind=Kind.REFERRAL_RECEIVED,
        subject=Subject.REFERRAL,
        obj=referral,
        title=f"New {referral.case_type.name} referral {referral.reference} for {referral.to_team.name}",
        reference=referral.reference,
        url=url,
        key=f"referral_received:{referral.pk}",
    )
    recipients = [u for u in casework_users(team_id=referral.to_team_id) if u.pk != actor_id]
    return recipients, notice


def _case_shared(pk: int, actor_id: int | None) -> tuple[list[Any], Notice | None]:
    from saferhub.cases.models import CaseShare

    share = CaseShare.objects.select_related("case", "agency", "team").filter(pk=pk, revoked_at__isnull=True).first()
    if share is None:
        return [], None
    case = share.case
    notice = Notice(
        kind=Kind.CASE_SHARED,
        subject=Subject.CASE,
        obj=case,
        title=f"Case {case.reference} shared with {share.shared_with}",
        reference=case.reference,
        url=reverse("cases:detail", args=[case.reference]),
        key=f"case_shared:{share.pk}",
    )
    found = casework_users(team_id=share.team_id) if share.team_id else casework_users(agency_id=share.agency_id)
    return [u for u in found if u.pk != actor_id], notice


def _action_assigned(pk: int, actor_id: int | None) -> tuple[list[Any], Notice | None]:
    from saferhub.cases.models import Action, ActionStatus

    action = Action.objects.select_related("case", "owner").filter(pk=pk).first()
    if action is None or action.status != ActionStatus.OPEN or action.owner_id == actor_id:
        return [], None
    due = f"{action.due_on.day} {action.due_on:%B %Y}"
    notice = Notice(
        kind=Kind.ACTION_ASSIGNED,
        subject=Subject.ACTION,
        obj=action,
        title=f"An action on {action.case.reference} has been assigned to you, due {due}",
        reference=action.case.reference,
        url=action_url(action),
        key=f"action_assigned:{action.pk}:{action.owner_id}",
    )
    return [action.owner], notice


def action_url(action: Any) -> str:
    """Panel actions are listed on the panels page, where an owner outside the case's team sees them too."""
    if hasattr(action, "panel_action"):
        return reverse("panels:index")
    return reverse("cases:detail", args=[action.case.reference])


def _return_submitted(pk: int, actor_id: int | None) -> tuple[list[Any], Notice | None]:
    from saferhub.governance.models import ProviderReturn, ReturnStatus

    provider_return = ProviderReturn.objects.select_related("service").filter(pk=pk).first()
    if provider_return is None or provider_return.status != ReturnStatus.SUBMITTED:
        return [], None
    service = provider_return.service
    notice = Notice(
        kind=Kind.RETURN_SUBMITTED,
        subject=Subject.PROVIDER_RETURN,
        obj=provider_return,
        title=f"{service.name} has submitted its {provider_return.period} return",
        reference=str(provider_return.period),
        url=reverse("governance:return", args=[provider_return.pk]),
        key=f"return_submitted:{provider_return.pk}:{provider_return.submitted_at:%Y%m%d%H%M%S}",
    )
    return users_with_role(service.partnership_id, Role.ANALYST, Role.PARTNERSHIP_ADMIN), notice


def _closure(pk: int, status: str) -> Any:
    from saferhub.cases.models import ClosureRequest

    return ClosureRequest.objects.select_related("case", "requested_by").filter(pk=pk, status=status).first()


def _closure_requested(pk: int, actor_id: int | None) -> tuple[list[Any], Notice | None]:
    closure = _closure(pk, "pending")
    if closure is None:
        return [], None
    case = closure.case
    notice = Notice(
        kind=Kind.CLOSURE_REQUESTED,
        subject=Subject.CASE,
        obj=case,
        title=f"Closure of case {case.reference} is awaiting your approval",
        reference=case.reference,
        url=reverse("cases:closure-approve", args=[case.reference]),
        key=f"closure_requested:{closure.pk}",
    )
    managers = [u for u in casework_users(team_id=case.owning_team_id) if u.has_role(Role.TEAM_MANAGER)]
    return [u for u in managers if u.pk != actor_id], notice


def _closure_returned(pk: int, actor_id: int | None) -> tuple[list[Any], Notice | None]:
    closure = _closure(pk, "returned")
    if closure is None or closure.requested_by_id == actor_id:
        return [], None
    case = closure.case
    notice = Notice(
        kind=Kind.CLOSURE_RETURNED,
        subject=Subject.CASE,
        obj=case,
        title=f"Your request to close case {case.reference} was returned",
        reference=case.reference,
        url=reverse("cases:detail", args=[case.reference]),
        key=f"closure_returned:{closure.pk}",
    )
    return [closure.requested_by], notice


EVENTS: dict[str, Callable[[int, int | None], tuple[list[Any], Notice | None]]] = {
    Kind.REFERRAL_RECEIVED: _referral_received,
    Kind.CASE_SHARED: _case_shared,
    Kind.ACTION_ASSIGNED: _action_assigned,
    Kind.RETURN_SUBMITTED: _return_submitted,
    Kind.CLOSURE_REQUESTED: _closure_requested,
    Kind.CLOSURE_RETURNED: _closure_returned,
}


def announce_now(event: str, pk: int, actor_id: int | None = None) -> int:
    """Build the event's notice and create it for its recipients; returns how many were created."""
    recipients, notice = EVENTS[event](pk, actor_id)
    if notice is None:
        return 0
    return len(notify(recipients, notice))


def queue(event: str, pk: int, actor: Any = None) -> None:
    """Call inside the action's transaction: the worker announces the event once it has committed."""
    from saferhub.notifications.tasks import announce

    if event not in EVENTS:
        raise ValueError(f"Unknown notification event {event!r}")
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: announce.enqueue(event, pk, actor_id))
