"""Victim Care Hub records, targets and the directory of support services.

A hub referral still awaiting a decision is seen like any referral (the hub team
and the team that sent it); once accepted, it is seen as its case is.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from saferhub.accounts.models import Role
from saferhub.policy.cases import visible_cases
from saferhub.policy.referrals import visible_referrals
from saferhub.policy.roles import can_administer, can_import, works_cases

if TYPE_CHECKING:
    from saferhub.victims.models import HubReferralQuerySet


def visible_hub_referrals(user: Any) -> "HubReferralQuerySet":
    """Hub referrals whose referral (while pending) or case (once accepted) the user may see."""
    from saferhub.victims.models import HubReferral

    if not works_cases(user):
        return HubReferral.objects.none()
    pending_visible = Q(referral__case__isnull=True) & Q(referral__in=visible_referrals(user))
    case_visible = Q(referral__case__in=visible_cases(user))
    return HubReferral.objects.filter(partnership_id=user.partnership_id).filter(pending_visible | case_visible)


def can_set_targets(user: Any) -> bool:
    """Quarterly targets are set by analysts and partnership administrators."""
    return can_import(user)


def can_read_directory(user: Any) -> bool:
    return works_cases(user) or can_administer(user)


def can_manage_directory(user: Any) -> bool:
    """Administrators and team managers keep the directory current."""
    return can_administer(user) or (works_cases(user) and user.has_role(Role.TEAM_MANAGER))
