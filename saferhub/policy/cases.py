"""Cases: visibility, access levels, restriction and emergency (break-glass) access."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    BreakGlassGrant,
    Case,
    CaseQuerySet,
    CaseShare,
    ClosureRequest,
    RestrictedAccess,
)
from saferhub.core.access import Access
from saferhub.core.keyset import union_queryset
from saferhub.policy.roles import _today, works_cases


def _shared_case_ids(user: Any) -> models.QuerySet:
    return (
        CaseShare.objects.current(_today())
        .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
        .values("case_id")
    )


def _break_glass_case_ids(user: Any) -> models.QuerySet:
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values("case_id")


def visible_case_grounds(user: Any, prefix: str = "") -> list[models.Q]:
    """The grounds on which the user sees cases, as conditions on a case reached through `prefix`.

    One condition per ground (owned by my team, shared with my agency or team, break glass,
    named on a restricted case), each served by its own index. Lists of cases, and of records
    that follow their case (hub referrals, ASB cases, panel cases), page over one part per
    ground (``saferhub.core.keyset``). Each ground applies the restriction rule itself: an OR
    across them would make the planner scan every case of the partnership.
    """
    if not works_cases(user):
        return []

    def on_case(**lookups: Any) -> models.Q:
        return models.Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    live = on_case(archived_at__isnull=True)
    # Served by case_team_opened_idx (partnership, owning team, opened_on, id): in list order.
    owned = on_case(partnership_id=user.partnership_id, owning_team_id=user.team_id, restricted=False)
    # Shares only ever go to agencies and teams of the case's own partnership (see
    # cases.actions.share_case), and the user's agency and team are in theirs.
    shared = on_case(
        restricted=False,
        pk__in=CaseShare.objects.current(_today())
        .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
        .values("case_id"),
    )
    broken_glass = on_case(
        partnership_id=user.partnership_id,
        restricted=False,
        pk__in=BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values("case_id"),
    )
    named = on_case(
        partnership_id=user.partnership_id,
        restricted=True,
        pk__in=RestrictedAccess.objects.filter(user=user).values("case_id"),
    )
    grounds = [live & owned, live & shared, live & broken_glass, live & named]
    if user.team_id is None:
        grounds = grounds[1:]  # a user outside any team owns nothing
    return grounds


def visible_case_parts(user: Any) -> list[CaseQuerySet]:
    """``visible_case_grounds`` as case querysets: the parts a case list pages over."""
    return [Case.objects.filter(ground) for ground in visible_case_grounds(user)]


def visible_cases(user: Any) -> CaseQuerySet:
    """Every case the user may open. Use it for lists, searches and counts shown to caseworkers.

    Built as a union of small indexed id sets (owned, shared, break glass, named) so the
    database never scans the whole partnership to decide visibility.
    """
    return union_queryset(Case.objects.live(), visible_case_parts(user))


def case_access(user: Any, case: Case) -> Access | None:
    """The most the user may do with this case, or None when they may not see it."""
    if not works_cases(user) or case.partnership_id != user.partnership_id or case.is_archived:
        return None
    owner = user.team_id is not None and case.owning_team_id == user.team_id
    if case.restricted:
        if not RestrictedAccess.objects.filter(case=case, user=user).exists():
            return None
        return Access.EDIT if owner else Access.CONTRIBUTE
    if owner:
        return Access.EDIT
    if (
        CaseShare.objects.current(_today())
        .filter(case=case)
        .filter(models.Q(agency_id=user.agency_id) | models.Q(team_id=user.team_id))
        .exists()
    ):
        return Access.CONTRIBUTE
    if BreakGlassGrant.objects.filter(case=case, user=user, expires_at__gt=timezone.now()).exists():
        return Access.VIEW
    return None


def can_view_case(user: Any, case: Case) -> bool:
    return case_access(user, case) is not None


def can_contribute(user: Any, case: Case) -> bool:
    access = case_access(user, case)
    return access is not None and access.value >= Access.CONTRIBUTE.value


def can_edit_case(user: Any, case: Case) -> bool:
    return case_access(user, case) == Access.EDIT


def _manages_team_of(user: Any, case: Case) -> bool:
    return user.team_id is not None and case.owning_team_id == user.team_id and user.has_role(Role.TEAM_MANAGER)


def can_approve_closure(user: Any, case: Case) -> bool:
    """Approving or returning a request to close: a team manager of the team that owns the case,
    who may change it (on a restricted case, one named on it)."""
    return works_cases(user) and _manages_team_of(user, case) and case_access(user, case) == Access.EDIT


def must_ask_to_close(user: Any, case: Case) -> bool:
    """Whether closing this case is a request for approval for this user: its case type needs a
    team manager's approval and the user is not one who could give it."""
    return case.case_type.closure_needs_approval and not can_approve_closure(user, case)


def closures_awaiting_approval(user: Any) -> models.QuerySet[ClosureRequest]:
    """Pending closure requests the user may decide, oldest first: on open cases of their own team
    they may see, for its team managers; nothing for anyone else."""
    if not (works_cases(user) and user.team_id is not None and user.has_role(Role.TEAM_MANAGER)):
        return ClosureRequest.objects.none()
    cases = visible_cases(user).open().filter(owning_team_id=user.team_id)
    return ClosureRequest.objects.pending().filter(case__in=cases).order_by("requested_at", "pk")


def can_create_case(user: Any) -> bool:
    return works_cases(user) and user.team_id is not None


def can_break_glass(user: Any, case: Case) -> bool:
    """Emergency access is for unrestricted cases in the user's own partnership that they cannot already see."""
    return (
        works_cases(user)
        and case.partnership_id == user.partnership_id
        and not case.restricted
        and not case.is_archived
        and case_access(user, case) is None
    )


def get_case_for_user(request: HttpRequest, reference: str, need: Access = Access.VIEW) -> Case:
    """The case, audited as viewed, or 404 for anyone who may not see it (its existence is not revealed).

    A user who may see it but needs more than they have gets 403.
    """
    user = request.user
    if not works_cases(user):
        raise Http404("No such case")
    case = (
        Case.objects.select_related("case_type", "owning_team", "owning_team__agency", "assigned_to")
        .filter(partnership_id=user.partnership_id, reference=reference)  # type: ignore[union-attr,misc]  # signed in; None matches no row
        .first()
    )
    if case is None:
        raise Http404("No such case")
    access = case_access(user, case)
    if access is None:
        raise Http404("No such case")
    case.access = access
    if access.value < need.value:
        log.record(user, AuditAction.DENIED, case, request=request, detail={"needed": need.name})
        raise PermissionDenied("You cannot change this case.")
    if request.method == "GET":
        log.record(user, AuditAction.VIEW, case, request=request)
    return case


def find_case_for_break_glass(user: Any, reference: str) -> Case:
    case = Case.objects.filter(partnership_id=user.partnership_id, reference=reference).first()
    if case is None or not can_break_glass(user, case):
        raise Http404("No such case")
    return case


def grant_break_glass(user: Any, case: Case, reason: str, request: HttpRequest | None = None) -> BreakGlassGrant:
    reason = reason.strip()
    if len(reason) < 10:
        raise ValueError("Give the reason for emergency access in at least 10 characters.")
    if not can_break_glass(user, case):
        raise PermissionDenied("Emergency access is not available for this case.")
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            case=case,
            user=user,
            reason=reason,
            expires_at=timezone.now() + datetime.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
        )
        log.record(user, AuditAction.BREAK_GLASS, case, request=request, reason=reason, flagged=True)
    return grant
