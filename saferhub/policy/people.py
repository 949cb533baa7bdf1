"""People: seen through the cases they take part in and referrals to the team."""

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Participant,
    Referral,
)
from saferhub.people.models import Person, PersonQuerySet
from saferhub.policy.cases import visible_cases
from saferhub.policy.roles import works_cases


def visible_people(user: Any) -> PersonQuerySet:
    """People taking part in cases the user may see, or named on referrals to their team.

    A person's part in cases the user cannot see is never revealed.
    """
    if not works_cases(user):
        return Person.objects.none()
    in_cases = Participant.objects.filter(case__in=visible_cases(user)).values("person_id")
    referred = Referral.objects.filter(to_team_id=user.team_id, person__isnull=False).values("person_id")
    return (
        Person.objects.live()
        .filter(partnership_id=user.partnership_id)
        .filter(models.Q(pk__in=in_cases) | models.Q(pk__in=referred))
    )


def get_person_for_user(request: HttpRequest, pk: int) -> Person:
    person = visible_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, person, request=request)
    return person


def can_see_confidential_contacts(user: Any, person: Person) -> bool:
    """Confidential details (a refuge address, a safe number) stay with the teams that own the person's cases."""
    if not works_cases(user) or user.team_id is None:
        return False
    return Participant.objects.filter(
        person=person, case__owning_team_id=user.team_id, case__archived_at__isnull=True
    ).exists()


def can_edit_person(user: Any, person: Person) -> bool:
    return can_see_confidential_contacts(user, person)
