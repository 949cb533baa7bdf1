"""Referrals: seen by the team they were sent to and the team that sent them; decided by the first."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Referral,
    ReferralQuerySet,
)
from saferhub.core.keyset import union_queryset
from saferhub.policy.roles import works_cases


def visible_referral_parts(user: Any) -> list[ReferralQuerySet]:
    """The grounds on which the user sees referrals, one indexed queryset each (for keyset lists):
    sent to their team (`referral_inbox_idx`, `referral_decided_idx`), made by it (`referral_sent_idx`)."""
    if not works_cases(user) or user.team_id is None:
        return []
    referrals = Referral.objects.filter(partnership_id=user.partnership_id)
    return [referrals.filter(to_team_id=user.team_id), referrals.filter(from_team_id=user.team_id)]


def visible_referrals(user: Any) -> ReferralQuerySet:
    """Referrals sent to the user's team, and those their team made (the union of the parts)."""
    return union_queryset(Referral.objects.all(), visible_referral_parts(user))


def _sees_referral(user: Any, referral: Referral) -> bool:
    return (
        works_cases(user)
        and user.team_id is not None
        and referral.partnership_id == user.partnership_id
        and user.team_id in (referral.to_team_id, referral.from_team_id)
    )


def can_decide_referral(user: Any, referral: Referral) -> bool:
    return works_cases(user) and referral.partnership_id == user.partnership_id and referral.to_team_id == user.team_id


def get_referral_for_user(request: HttpRequest, pk: int, *, decide: bool = False) -> Referral:
    # One row by key, then the grounds checked on it: no union to read for a single referral.
    referral = (
        Referral.objects.select_related("to_team", "from_team", "from_agency", "person", "case_type", "case")
        .filter(pk=pk)
        .first()
    )
    if referral is None or not _sees_referral(request.user, referral):
        raise Http404("No such referral")
    if decide and not can_decide_referral(request.user, referral):
        raise PermissionDenied("Only the team the referral was sent to can decide it.")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, referral, request=request)
    return referral
