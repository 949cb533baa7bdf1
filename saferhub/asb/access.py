"""Who may see and change ASB records that are not case files.

Case files go through `saferhub.policy` as always. Tools and powers are seen
with their case. A Case Review application belongs to the team that received it
(the partnership's ASB team); PSPOs are public orders, seen by any caseworker and
made or extended by team managers and administrators. These rules would move into
`saferhub/policy.py` when the lead merges them (see docs/asb.md).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from saferhub import policy
from saferhub.accounts.models import Role
from saferhub.asb.models import AsbCase, CaseReview, Intervention
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Case


def visible_asb_cases(user: Any) -> models.QuerySet[Case]:
    return policy.visible_cases(user).filter(asb__isnull=False)


def get_asb_case_for_user(request: HttpRequest, reference: str, need: policy.Access = policy.Access.VIEW) -> AsbCase:
    case = policy.get_case_for_user(request, reference, need)
    asb = AsbCase.objects.select_related("category", "ward", "single_point_of_contact").filter(case=case).first()
    if asb is None:
        raise Http404("No such ASB case")
    asb.case = case  # keeps the access level policy set on it
    return asb


def get_intervention(asb: AsbCase, pk: int) -> Intervention:
    item = Intervention.objects.select_related("kind", "person", "offence").filter(case=asb.case, pk=pk).first()
    if item is None:
        raise Http404("No such tool or power on this case")
    return item


def works_case_reviews(user: Any) -> bool:
    return policy.works_cases(user) and user.team_id is not None


def visible_case_reviews(user: Any) -> models.QuerySet[CaseReview]:
    if not works_case_reviews(user):
        return CaseReview.objects.none()
    mine = models.Q(owning_team_id=user.team_id)
    if user.has_role(Role.TEAM_MANAGER):
        mine |= models.Q(owning_team__isnull=True)  # nobody chosen to receive them yet
    return CaseReview.objects.filter(partnership_id=user.partnership_id).filter(mine)


def get_case_review_for_user(request: HttpRequest, reference: str) -> CaseReview:
    review = (
        visible_case_reviews(request.user)
        .select_related("case", "owning_team", "single_point_of_contact", "partnership")
        .filter(reference=reference)
        .first()
    )
    if review is None:
        raise Http404("No such Case Review application")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, review, request=request)
    return review


def can_see_pspos(user: Any) -> bool:
    return policy.works_cases(user) or policy.can_administer(user)


def can_manage_pspos(user: Any) -> bool:
    return policy.can_administer(user) or (policy.works_cases(user) and user.has_role(Role.TEAM_MANAGER))


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
