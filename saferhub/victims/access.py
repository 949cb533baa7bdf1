"""Fetching hub records through `saferhub.policy` (section `policy.victims`; never decided here).

A hub referral still awaiting a decision is seen like any referral (the hub team
and the team that sent it) and changed only by the hub team. Once accepted, it is
seen and changed as its case is: viewing needs VIEW; the hub's own records (triage,
care plan, support, rights, closure) need EDIT, which only the owning hub team has.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from saferhub import policy
from saferhub.policy import Access
from saferhub.victims.hub import in_hub_team
from saferhub.victims.models import HubReferral


def require_hub_team(request: HttpRequest) -> None:
    """The triage queue and hub lists are the hub team's own working pages."""
    if not (policy.works_cases(request.user) and in_hub_team(request.user)):
        raise PermissionDenied("Only the Victim Care Hub team works the hub's queue.")


def get_hub_for_user(request: HttpRequest, pk: int, need: Access = Access.VIEW) -> HubReferral:
    """The hub referral, audited as viewed on GET; 404 for anyone who may not see it, 403 when they need more."""
    user: Any = request.user
    if not policy.works_cases(user):
        raise Http404("No such referral")
    hub = HubReferral.objects.with_columns().filter(partnership_id=user.partnership_id, pk=pk).first()
    if hub is None:
        raise Http404("No such referral")
    if hub.referral.case is not None:
        case = policy.get_case_for_user(request, hub.referral.case.reference, need)
        hub.referral.case = case
        hub.access = case.access
    else:
        referral = policy.get_referral_for_user(request, hub.referral_id, decide=need is not Access.VIEW)
        hub.access = Access.EDIT if policy.can_decide_referral(user, referral) else Access.VIEW
    return hub
