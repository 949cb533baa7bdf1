"""Referrals: seen by the team they were sent to and the team that sent them; decided by the first."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Referral,
    ReferralQuerySet,
)
from saferhub.policy.roles import works_cases


def visible_referrals(user: Any) -> ReferralQuerySet:
    """Referrals sent to the user's team, and those their team made."""
    if not works_cases(user) or user.team_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(partnership_id=user.partnership_id).filter(
        models.Q(to_team_id=user.team_id) | models.Q(from_team_id=user.team_id)
    )


def can_decide_referral(user: Any, referral: Referral) -> bool:
    return works_cases(user) and referral.partnership_id == user.partnership_id and referral.to_team_id == user.team_id


def get_referral_for_user(request: HttpRequest, pk: int, *, decide: bool = False) -> Referral:
    referral = (
        visible_referrals(request.user)
        .select_related("to_team", "from_team", "from_agency", "person", "case_type", "case")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    if decide and not can_decide_referral(request.user, referral):
        raise PermissionDenied("Only the team the referral was sent to can decide it.")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, referral, request=request)
    return referral
