"""Anti-social behaviour: Case Review applications, PSPOs and fixed penalties."""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.accounts.models import Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Case,
)
from saferhub.core.keyset import union_queryset
from saferhub.policy.cases import can_edit_case, visible_case_grounds
from saferhub.policy.roles import can_administer, works_cases

if TYPE_CHECKING:
    from saferhub.asb.models import CaseReviewQuerySet


# Tools and powers are seen with their case. A Case Review application belongs to the
# team that received it; PSPOs are public orders, seen by any caseworker and made or
# extended by team managers and administrators.


def works_case_reviews(user: Any) -> bool:
    return works_cases(user) and user.team_id is not None


def visible_case_reviews(user: Any) -> "CaseReviewQuerySet":
    """Case Review applications: the receiving team's, and unassigned ones for team managers."""
    from saferhub.asb.models import CaseReview

    if not works_case_reviews(user):
        return CaseReview.objects.none()
    mine = models.Q(owning_team_id=user.team_id)
    if user.has_role(Role.TEAM_MANAGER):
        mine |= models.Q(owning_team__isnull=True)  # nobody chosen to receive them yet
    return CaseReview.objects.filter(partnership_id=user.partnership_id).filter(mine)


def get_case_review_for_user(request: HttpRequest, reference: str, *, audit_view: bool = True) -> Any:
    """The application, or 404; a GET is audited as a view unless the caller audits it otherwise."""
    review = (
        visible_case_reviews(request.user)
        .select_related("case", "owning_team", "single_point_of_contact", "partnership")
        .filter(reference=reference)
        .first()
    )
    if review is None:
        raise Http404("No such Case Review application")
    if request.method == "GET" and audit_view:
        log.record(request.user, AuditAction.VIEW, review, request=request)
    return review


def can_see_pspos(user: Any) -> bool:
    return works_cases(user) or can_administer(user)


def can_manage_pspos(user: Any) -> bool:
    return can_administer(user) or (works_cases(user) and user.has_role(Role.TEAM_MANAGER))


def can_change_asb_details(user: Any, case: Case) -> bool:
    """Category, ward, location and single points of contact of an ASB case: the owning team (EDIT)."""
    return can_edit_case(user, case)


def visible_asb_case_parts(user: Any) -> list[models.QuerySet[Case]]:
    """ASB cases, one indexed part per ground of case visibility (for keyset lists)."""
    return [Case.objects.filter(ground, asb__isnull=False) for ground in visible_case_grounds(user)]


def visible_intervention_parts(user: Any) -> list[models.QuerySet]:
    """Tools and powers on the ASB cases the user may see, one part per ground (the ASB register)."""
    from saferhub.asb.models import Intervention

    return [
        Intervention.objects.filter(ground, case__asb__isnull=False)
        for ground in visible_case_grounds(user, prefix="case__")
    ]


def visible_fixed_penalty_parts(user: Any) -> list[models.QuerySet]:
    """Fixed penalties for the FPN register, one indexed part per ground.

    A penalty on a case follows the case's visibility. One without a case (on-the-spot PSPO
    penalties, imported ones) is seen by caseworkers of the team that issued it and of the
    partnership's ASB team (which also sees those whose issuing team is not known).
    """
    from saferhub.asb.models import AsbDesk, Intervention, ToolKind

    if not works_cases(user):
        return []
    fpns = Intervention.objects.filter(partnership_id=user.partnership_id, kind__code=ToolKind.FPN)
    parts: list[models.QuerySet] = [fpns.filter(ground) for ground in visible_case_grounds(user, prefix="case__")]
    if user.team_id is None:
        return parts
    if AsbDesk.objects.filter(partnership_id=user.partnership_id, team_id=user.team_id).exists():
        return [*parts, fpns.filter(case__isnull=True)]
    return [*parts, fpns.filter(case__isnull=True, issuing_team_id=user.team_id)]


def visible_fixed_penalties(user: Any) -> models.QuerySet:
    """Fixed penalties for the FPN register (see ``visible_fixed_penalty_parts``)."""
    from saferhub.asb.models import Intervention

    return union_queryset(Intervention.objects.all(), visible_fixed_penalty_parts(user))
