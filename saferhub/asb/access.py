"""Who may see and change ASB records that are not case files.

Case files go through `saferhub.policy` as always. Tools and powers are seen
with their case. A Case Review application belongs to the team that received it
(the partnership's ASB team); PSPOs are public orders, seen by any caseworker and
made or extended by team managers and administrators. Those rules live in
`saferhub/policy/asb.py`; this module only fetches ASB records through them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from saferhub import policy
from saferhub.asb.models import AsbCase, Intervention
from saferhub.cases.models import Case, CaseQuerySet
from saferhub.core.keyset import union_queryset


def visible_asb_cases(user: Any) -> CaseQuerySet:
    return union_queryset(Case.objects.live(), policy.visible_asb_case_parts(user))


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


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
