"""Victim Care Hub records, targets and the directory of support services.

A hub referral still awaiting a decision is seen like any referral (the hub team
and the team that sent it); once accepted, it is seen as its case is.
"""

from typing import TYPE_CHECKING, Any

from saferhub.accounts.models import Role
from saferhub.core.keyset import union_queryset
from saferhub.policy.cases import visible_case_grounds
from saferhub.policy.roles import can_administer, can_import, works_cases

if TYPE_CHECKING:
    from saferhub.victims.models import HubReferralQuerySet


def visible_hub_referral_parts(user: Any, *, with_cases_only: bool = False) -> "list[HubReferralQuerySet]":
    """The grounds on which the user sees hub referrals, one indexed queryset each (see ``visible_case_grounds``).

    Awaiting a decision (no case yet): sent to the user's team, or by it. Accepted: one part
    per ground on which the user sees its case. A list of accepted referrals only (open hub
    cases) passes ``with_cases_only``: the parts without a case could add nothing to it, and
    the database cannot tell that by itself.
    """
    from saferhub.cases.models import Referral
    from saferhub.victims.models import HubReferral

    if not works_cases(user):
        return []
    hubs = HubReferral.objects.filter(partnership_id=user.partnership_id)
    parts = []
    if user.team_id is not None and not with_cases_only:
        # The referrals without a case are read first (a few, by `referral_inbox_idx` and
        # `referral_sent_idx`), then their hub rows: joined the other way round, a list such as
        # the triage queue would look up the referral of every row it holds to find them.
        without_case = Referral.objects.filter(partnership_id=user.partnership_id, case__isnull=True)
        parts += [
            hubs.filter(referral_id__in=without_case.filter(to_team_id=user.team_id).values("pk")),
            hubs.filter(referral_id__in=without_case.filter(from_team_id=user.team_id).values("pk")),
        ]
    parts += [hubs.filter(ground) for ground in visible_case_grounds(user, prefix="referral__case__")]
    return parts


def visible_hub_referrals(user: Any) -> "HubReferralQuerySet":
    """Hub referrals whose referral (while pending) or case (once accepted) the user may see."""
    from saferhub.victims.models import HubReferral

    return union_queryset(HubReferral.objects.all(), visible_hub_referral_parts(user))


def can_set_targets(user: Any) -> bool:
    """Quarterly targets are set by analysts and partnership administrators."""
    return can_import(user)


def can_read_directory(user: Any) -> bool:
    return works_cases(user) or can_administer(user)


def can_manage_directory(user: Any) -> bool:
    """Administrators and team managers keep the directory current."""
    return can_administer(user) or (works_cases(user) and user.has_role(Role.TEAM_MANAGER))


def visible_directory_services(user: Any) -> Any:
    """The partnership's live directory services, for those who may read the directory (search, exports)."""
    from saferhub.directory.models import Service

    if not can_read_directory(user):
        return Service.objects.none()
    return Service.objects.live().of(user.partnership_id)
