"""Bulk changes of cases and actions: reassign or close several cases, complete several actions.

Each runs in one transaction and goes through the same per-item action (``saferhub.cases.actions``)
and policy check as the one-item pages, so every item is audited on its own. A stale version (or an
item already changed, or one the user may not change) refuses the whole batch: ``BulkRefused``
names the item, and nothing is written.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferhub import policy
from saferhub.cases import actions
from saferhub.cases.models import Action, ActionStatus, Case, CaseStatus, ClosureRequest

STALE = "{what} was changed by someone else after you chose it. Nothing has been changed: check it and try again."


class BulkRefused(Exception):
    """One item stopped the batch; the message names it and says what to do. `stale`: someone saved it meanwhile."""

    def __init__(self, message: str, *, stale: bool = False) -> None:
        super().__init__(message)
        self.stale = stale


def selected_cases(user: Any, items: Sequence[tuple[int, int]]) -> list[tuple[Case, int]]:
    """The chosen (case, version seen) the user may see, in the order chosen; others are left out unseen."""
    ids = [pk for pk, _ in items]
    found = {c.pk: c for c in policy.visible_cases(user).filter(pk__in=ids).select_related("case_type")}
    return [(found[pk], version) for pk, version in items if pk in found]


def _check_editable(user: Any, case: Case) -> None:
    if not policy.can_edit_case(user, case):
        raise BulkRefused(
            f"You cannot change case {case.reference}: only its owning team can. Untick it and try again."
        )


@transaction.atomic
def reassign_cases(
    user: Any, chosen: Sequence[tuple[Case, int]], assigned_to: Any, request: HttpRequest | None = None
) -> int:
    """Assign every chosen case to `assigned_to` (None: nobody); returns how many changed."""
    changed = 0
    for case, version in chosen:
        _check_editable(user, case)
        if assigned_to is not None and assigned_to.team_id != case.owning_team_id:
            raise BulkRefused(f"{assigned_to.full_name} is not in the team that owns case {case.reference}.")
        try:
            actions.update_case(
                user, case, expected_version=version, changes={"assigned_to": assigned_to}, request=request
            )
        except actions.StaleEdit:
            raise BulkRefused(STALE.format(what=f"Case {case.reference}"), stale=True) from None
        changed += 1
    return changed


@transaction.atomic
def close_cases(
    user: Any,
    chosen: Sequence[tuple[Case, int]],
    *,
    closure_reason: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> int:
    """Close every chosen case with the same reason; returns how many were closed."""
    for case, version in chosen:
        _check_editable(user, case)
        if case.status == CaseStatus.CLOSED:
            raise BulkRefused(f"Case {case.reference} is already closed. Untick it and try again.")
        if ClosureRequest.objects.pending().filter(case=case).exists():
            raise BulkRefused(
                f"A closure of case {case.reference} is awaiting approval: approve or return it on its page. "
                "Untick it and try again."
            )
        if policy.must_ask_to_close(user, case):
            raise BulkRefused(
                f"Case {case.reference} needs a team manager's approval to close: ask for closure on its page. "
                "Untick it and try again."
            )
        try:
            actions.change_status(
                user,
                case,
                CaseStatus.CLOSED,
                expected_version=version,
                reason=reason,
                closure_reason=closure_reason,
                request=request,
            )
        except actions.StaleEdit:
            raise BulkRefused(STALE.format(what=f"Case {case.reference}"), stale=True) from None
        except actions.InvalidTransition as exc:
            raise BulkRefused(f"Case {case.reference}: {exc}") from None
    return len(chosen)


def can_change_action(user: Any, action: Action) -> bool:
    """The action's owner, or the team that owns its case (the rule of the one-action buttons)."""
    return action.owner_id == user.pk or policy.can_edit_case(user, action.case)


@transaction.atomic
def complete_actions(user: Any, action_ids: Sequence[int], request: HttpRequest | None = None) -> int:
    """Mark every chosen action done; returns how many."""
    rows = {
        a.pk: a
        for a in Action.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk__in=action_ids, case__partnership_id=user.partnership_id)
    }
    for pk in action_ids:
        action = rows.get(pk)
        if action is None or not (policy.can_view_case(user, action.case) or action.owner_id == user.pk):
            raise BulkRefused("One of the chosen actions could not be found. Nothing has been changed.")
        label = f"The action on {action.case.reference} due {action.due_on.day} {action.due_on:%B %Y}"
        if not can_change_action(user, action):
            raise BulkRefused(f"{label} can only be changed by its owner or the owning team.")
        if action.status != ActionStatus.OPEN:
            raise BulkRefused(
                f"{label} is already {action.get_status_display().lower()}. Nothing has been changed: try again."
            )
        actions.set_action_status(user, action, ActionStatus.DONE, request=request)
    return len(action_ids)
