"""Child Exploitation and Missing (CEAM) meetings: a panel type configured in the set-up file.

The panels app runs the meeting (referral with the CEAM tool as its checklist, agenda,
information shared with its lawful basis, actions). Here: the panel cases about a child,
and linking them to the child's missing record so the CEAM plan reaches the central plan.
"""

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from saferhub import policy
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case, CaseLink
from saferhub.missing.models import MissingChild
from saferhub.policy.missing import CEAM_PANEL

CEAM_TEMPLATE = "ceam_tool"


def ceam_cases(child: MissingChild) -> "models.QuerySet[Case]":
    """The child's CEAM panel cases (the panel case names the person it is about)."""
    return Case.objects.filter(
        partnership_id=child.partnership_id, panel__panel_type__code=CEAM_PANEL, panel__person_id=child.person_id
    ).select_related("case_type")


def linked(child: MissingChild) -> set[int]:
    ids = ceam_cases(child).values("pk")
    return set(
        CaseLink.objects.filter(from_case_id=child.case_id, to_case_id__in=ids).values_list("to_case_id", flat=True)
    ) | set(
        CaseLink.objects.filter(to_case_id=child.case_id, from_case_id__in=ids).values_list("from_case_id", flat=True)
    )


def visible_ceam_cases(user: Any, child: MissingChild) -> list[tuple[Case, bool]]:
    """The CEAM cases about the child that the user may open, each with whether it is linked to the record."""
    done = linked(child)
    return [(case, case.pk in done) for case in ceam_cases(child) if policy.case_access(user, case) is not None]


@transaction.atomic
def link_ceam_plans(user: Any, child: MissingChild, request: HttpRequest | None = None) -> int:
    """Link every CEAM case about the child to their missing record; how many were linked."""
    done = linked(child)
    count = 0
    for case in ceam_cases(child):
        if case.pk not in done:
            case_actions.link_cases(user, child.case, case, reason="CEAM plan for the central plan", request=request)
            count += 1
    return count
