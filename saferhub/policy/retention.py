"""Retention and subject access: who sets retention periods, reviews and erases records due, and exports a person.

- Retention periods are partnership settings: partnership administrators only.
- Information belongs to the agency that holds it, so retention is decided per agency: the
  review queue (closed cases past their period) and erasure are for a partnership
  administrator over the cases their own agency's teams own, and for a team manager over
  their team's. A restricted case only for those of them named on it. The queue shows
  references, types, teams and dates, never case contents.
- The registers of staff and volunteers (the RJ Champions, Restorative Practice Leads and
  volunteers) belong to the partnership, not to an agency, and erasing a member is the
  partnership administrators' (`policy.rj.can_erase_rj_member`): the queue lists members due
  only to a user who both reviews retention and may erase them.
- Subject access is for partnership administrators (the data protection lead of their
  agency): the person's record in the person index, and every record of the cases their
  own agency's teams own. Other agencies' cases are left out (each agency answers for what
  it holds); a restricted case only when the administrator is named on it.
Anyone else asking for a case or person here gets 404.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest

from saferhub.accounts.models import Role
from saferhub.cases.models import Case, CaseQuerySet, RestrictedAccess
from saferhub.people.models import Person
from saferhub.policy.rj import can_erase_rj_member
from saferhub.policy.roles import can_administer, works_cases


def can_manage_retention(user: Any) -> bool:
    return can_administer(user)


def _manages_team(user: Any) -> bool:
    return works_cases(user) and user.team_id is not None and user.has_role(Role.TEAM_MANAGER)


def can_review_retention(user: Any) -> bool:
    return can_administer(user) or _manages_team(user)


def retention_cases(user: Any) -> CaseQuerySet:
    """The cases whose retention the user reviews (due or not): narrow further with `retention.rules.due`.

    A restricted case only for the users named on it, administrators included.
    """
    named = Q(restricted=False) | Exists(RestrictedAccess.objects.filter(case_id=OuterRef("pk"), user=user))
    if can_administer(user):
        return Case.objects.filter(partnership_id=user.partnership_id, owning_team__agency_id=user.agency_id).filter(
            named
        )
    if _manages_team(user):
        return Case.objects.filter(partnership_id=user.partnership_id, owning_team_id=user.team_id).filter(named)
    return Case.objects.none()


def retention_register_members(user: Any) -> Any:
    """The register members whose retention the user reviews (due or not): narrow with `retention.rules.register_due`.

    Every member of the partnership for a reviewer who may erase them (a partnership administrator); none
    for anyone else, team managers included (the register is not their team's)."""
    from saferhub.rj.models import Member

    if not (can_review_retention(user) and can_erase_rj_member(user)):
        return Member.objects.none()
    return Member.objects.filter(partnership_id=user.partnership_id)


def get_case_for_erasure(request: HttpRequest, reference: str) -> Case:
    """A case the user may erase (one they review); 404 for anyone else. Whether it is due is checked on erasure."""
    case = retention_cases(request.user).select_related("case_type", "owning_team").filter(reference=reference).first()
    if case is None:
        raise Http404("No such case")
    return case


def can_export_subject_access(user: Any) -> bool:
    return can_administer(user)


def subject_access_people(user: Any) -> Any:
    """The people whose records the user may export: everyone in their partnership, for an administrator."""
    if not can_export_subject_access(user):
        return Person.objects.none()
    return Person.objects.filter(partnership_id=user.partnership_id)


def subject_access_cases(user: Any) -> CaseQuerySet:
    """The cases whose records a subject access export by `user` may hold: their own agency's."""
    if not can_export_subject_access(user):
        return Case.objects.none()
    named = Q(restricted=False) | Exists(RestrictedAccess.objects.filter(case_id=OuterRef("pk"), user=user))
    return Case.objects.filter(partnership_id=user.partnership_id, owning_team__agency_id=user.agency_id).filter(named)


def get_person_for_subject_access(request: HttpRequest, pk: int) -> Person:
    person = subject_access_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person
