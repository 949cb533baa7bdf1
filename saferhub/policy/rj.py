"""Restorative justice: RJ cases, the street page for police officers, the register of champions.

An RJ case is seen as its `rj` case is (the team holding the `rj_service` duty owns it;
another agency sees it only through a current CaseShare; break glass and restriction apply
as to any case). Working the case (screening, consent, meetings, intervention, follow-up,
provider referral) needs EDIT on the case: the RJ service. Approving contact in a domestic
abuse or sexual harm case is for a team manager of the RJ service. A hub caseworker refers a
victim from the hub record they may edit; police officers record street resolutions. The
register of champions and volunteers (names, DBS dates) is the RJ service's and the
partnership administrators'. Everyone else gets 404 on a case.
"""

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest

from saferhub.accounts.models import AgencyKind, Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.access import Access
from saferhub.core.keyset import union_queryset
from saferhub.policy.cases import case_access, visible_case_grounds
from saferhub.policy.roles import can_administer, can_view_reports, works_cases

if TYPE_CHECKING:
    from saferhub.rj.models import RjCase, RjCaseQuerySet


def in_rj_team(user: Any) -> bool:
    from saferhub.rj.setup import in_rj_team as _in_team

    return works_cases(user) and _in_team(user)


def visible_rj_parts(user: Any) -> "list[RjCaseQuerySet]":
    """One indexed queryset per ground on which the user sees an RJ case (its case's grounds)."""
    from saferhub.rj.models import RjCase

    if not works_cases(user):
        return []
    cases = RjCase.objects.filter(partnership_id=user.partnership_id)
    return [cases.filter(ground) for ground in visible_case_grounds(user, prefix="case__")]


def visible_rj_cases(user: Any) -> "RjCaseQuerySet":
    from saferhub.rj.models import RjCase

    return union_queryset(RjCase.objects.all(), visible_rj_parts(user))


def rj_case_access(user: Any, rj: "RjCase") -> Access | None:
    if not works_cases(user) or rj.partnership_id != user.partnership_id:
        return None
    return case_access(user, rj.case)


def get_rj_case_for_user(request: HttpRequest, pk: int, need: Access = Access.VIEW) -> "RjCase":
    """The RJ case, its case's view audited on GET; 404 for outsiders and for anyone lacking `need`."""
    from saferhub.rj.models import RjCase

    user: Any = request.user
    if not works_cases(user):
        raise Http404("No such restorative justice case")
    rj = RjCase.objects.with_columns().filter(partnership_id=user.partnership_id, pk=pk).first()
    if rj is None:
        raise Http404("No such restorative justice case")
    access = rj_case_access(user, rj)
    if access is None or access.value < need.value:
        raise Http404("No such restorative justice case")
    rj.access = access
    if request.method == "GET":
        log.record(user, AuditAction.VIEW, rj.case, request=request, detail={"rj_case": rj.pk})
    return rj


def can_work_rj_queue(user: Any) -> bool:
    """The RJ coordinator's queue and recording new referrals are the RJ service's."""
    return in_rj_team(user)


def can_approve_rj_contact(user: Any, rj: "RjCase") -> bool:
    """A team manager of the RJ service, on a case they may edit."""
    return in_rj_team(user) and user.has_role(Role.TEAM_MANAGER) and rj_case_access(user, rj) == Access.EDIT


def can_record_street_resolution(user: Any) -> bool:
    """Police officers (caseworkers of a police agency) and the RJ service itself."""
    if not works_cases(user):
        return False
    agency = getattr(user, "agency", None)
    return (agency is not None and agency.kind == AgencyKind.POLICE) or in_rj_team(user)


def can_see_rj_register(user: Any) -> bool:
    return in_rj_team(user) or can_administer(user)


def can_erase_rj_member(user: Any) -> bool:
    """A member's erasure request is the data protection route: partnership administrators (as subject access)."""
    return can_administer(user)


def can_view_rj_figures(user: Any) -> bool:
    return can_view_reports(user) or in_rj_team(user)
