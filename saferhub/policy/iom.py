"""Integrated Offender Management: the cohort, its records, the cost-of-crime table and the IOM figures.

A cohort stay is seen as its `iom` case is (the IOM team owns it; another agency sees it
only through a current CaseShare; break glass and restriction apply as to any case),
and by the offender manager named on it. Recording on a stay (RAG, offences, the plan,
contacts) is for the IOM team and the stay's offender manager; adopting into the cohort
and deselecting are for the IOM team. A share shows the record, it never lets another
agency change it. Everyone else gets 404.
"""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.access import Access
from saferhub.core.keyset import union_queryset
from saferhub.policy.cases import case_access, visible_case_grounds
from saferhub.policy.panels import can_coordinate_panel
from saferhub.policy.roles import can_import, can_view_reports, works_cases

if TYPE_CHECKING:
    from saferhub.iom.models import CohortStay, CohortStayQuerySet


def in_iom_team(user: Any) -> bool:
    from saferhub.iom.setup import in_iom_team as _in_team

    return works_cases(user) and _in_team(user)


def visible_stay_parts(user: Any) -> "list[CohortStayQuerySet]":
    """One indexed queryset per ground on which the user sees a stay (its case's grounds, offender manager)."""
    from saferhub.iom.models import CohortStay

    if not works_cases(user):
        return []
    stays = CohortStay.objects.filter(partnership_id=user.partnership_id)
    parts = [stays.filter(ground) for ground in visible_case_grounds(user, prefix="case__")]
    parts.append(stays.filter(offender_manager_id=user.pk, case__archived_at__isnull=True, case__restricted=False))
    return parts


def visible_stays(user: Any) -> "CohortStayQuerySet":
    from saferhub.iom.models import CohortStay

    return union_queryset(CohortStay.objects.all(), visible_stay_parts(user))


def stay_access(user: Any, stay: "CohortStay") -> Access | None:
    """EDIT for the owning IOM team, CONTRIBUTE (recording) for the offender manager, VIEW through a share."""
    if not works_cases(user) or stay.partnership_id != user.partnership_id:
        return None
    access = case_access(user, stay.case)
    if access == Access.EDIT:
        return Access.EDIT
    is_manager = stay.offender_manager_id is not None and stay.offender_manager_id == user.pk
    if is_manager and not stay.case.restricted and not stay.case.is_archived:
        return Access.CONTRIBUTE
    return Access.VIEW if access is not None else None


def get_stay_for_user(request: HttpRequest, pk: int, need: Access = Access.VIEW) -> "CohortStay":
    """The stay, its case's view audited on GET; 404 for outsiders and for anyone lacking `need`.

    Recording needs CONTRIBUTE and deselection EDIT; someone who sees the stay only through a
    share is not told more than that the page does not exist for them.
    """
    from saferhub.iom.models import CohortStay

    user: Any = request.user
    if not works_cases(user):
        raise Http404("No such cohort record")
    stay = (
        CohortStay.objects.with_columns()
        .select_related("case__case_type", "case__owning_team")
        .filter(partnership_id=user.partnership_id, pk=pk)
        .first()
    )
    if stay is None:
        raise Http404("No such cohort record")
    access = stay_access(user, stay)
    if access is None or access.value < need.value:
        raise Http404("No such cohort record")
    stay.access = access  # type: ignore[attr-defined]
    if request.method == "GET":
        log.record(user, AuditAction.VIEW, stay.case, request=request, detail={"iom_stay": stay.pk})
    return stay


def can_adopt_into_cohort(user: Any) -> bool:
    return in_iom_team(user)


def can_put_on_review(user: Any, stay: "CohortStay") -> bool:
    """Putting a current stay on a cohort review meeting: the IOM team (EDIT on the stay), as panel
    coordinators (who run the meetings). Whoever may see the stay's panel summary
    (`can_view_panel_summary`) sees its reviews on the cohort record."""
    return stay.left_on is None and can_coordinate_panel(user) and stay_access(user, stay) == Access.EDIT


def can_see_cohort_list(user: Any) -> bool:
    return works_cases(user)


def can_manage_cost_of_crime(user: Any) -> bool:
    """Analysts (and partnership administrators) keep the cost-of-crime table and the comparator figures."""
    return can_import(user)


def can_view_iom_figures(user: Any) -> bool:
    """Aggregate figures: comparators, youth justice KPIs and the cost table are for report readers and the team."""
    return can_view_reports(user) or in_iom_team(user)


def visible_offence_filter(user: Any) -> models.Q:
    """Offences of people whose stay the user sees (used on the stay page)."""
    return models.Q(person__iom_stays__in=visible_stays(user).values("pk"))
