"""People: seen through the cases they take part in and referrals to the team."""

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.accounts.models import Role
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases.models import (
    Participant,
    Referral,
)
from saferhub.people.models import DuplicateCandidate, DuplicateStatus, Person, PersonMerge, PersonQuerySet
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


# Duplicates and merges --------------------------------------------------------------


def can_review_duplicates(user: Any) -> bool:
    """The duplicates queue and merges are for team managers: they act as the partnership's data managers."""
    return works_cases(user) and user.has_role(Role.TEAM_MANAGER)


def visible_duplicate_candidates(user: Any) -> models.QuerySet[DuplicateCandidate]:
    """Pairs awaiting review where the user may see both records: nobody learns of a person through the queue."""
    if not can_review_duplicates(user):
        return DuplicateCandidate.objects.none()
    people = visible_people(user).values("pk")
    return DuplicateCandidate.objects.filter(
        partnership_id=user.partnership_id,
        status=DuplicateStatus.OPEN,
        person_a__in=people,
        person_b__in=people,
    )


def can_merge_people(user: Any, first: Person, second: Person) -> bool:
    """A data manager who may see both records (fetch them through `visible_people`)."""
    return can_review_duplicates(user) and first.partnership_id == second.partnership_id == user.partnership_id


def get_duplicate_for_user(request: HttpRequest, pk: int) -> DuplicateCandidate:
    candidate = visible_duplicate_candidates(request.user).select_related("person_a", "person_b").filter(pk=pk).first()
    if candidate is None:
        raise Http404("No such pair")
    return candidate


def _may_see_merge(user: Any, merge: PersonMerge) -> bool:
    """Undone: the user sees both records again. Standing: the user sees the kept record and saw the merged one,
    i.e. every case part that moved is in a case they may see (and at least one part or referral moved)."""
    people = visible_people(user)
    if merge.is_undone:
        return people.filter(pk__in=[merge.kept_id, merge.merged_id]).count() == 2
    if not people.filter(pk=merge.kept_id).exists():
        return False
    parts = Participant.objects.filter(pk__in=merge.moved.get("cases.Participant.person", []))
    if parts.exclude(case__in=visible_cases(user)).exists():
        return False
    referred = Referral.objects.filter(pk__in=merge.moved.get("cases.Referral.person", []), to_team_id=user.team_id)
    return parts.exists() or referred.exists()


def visible_merges_into(user: Any, person: Person) -> list[PersonMerge]:
    """The standing merges into `person` a data manager may see (a link to each, to undo it)."""
    if not can_review_duplicates(user):
        return []
    merges = PersonMerge.objects.filter(kept=person, undone_at__isnull=True).select_related("merged")
    return [merge for merge in merges.order_by("-pk")[:20] if _may_see_merge(user, merge)]


def standing_merge_of(user: Any, pk: int) -> PersonMerge | None:
    """The standing merge that closed record `pk`, if the user may see it (to send old links to the kept record)."""
    merge = PersonMerge.objects.filter(merged_id=pk, undone_at__isnull=True).order_by("-pk").first()
    if merge is None or not works_cases(user) or merge.partnership_id != user.partnership_id:
        return None
    return merge if _may_see_merge(user, merge) else None


def get_merge_for_user(request: HttpRequest, pk: int) -> PersonMerge:
    """A recorded merge, for a data manager who may see the kept record (the merged one is archived)."""
    if not can_review_duplicates(request.user):
        raise Http404("No such merge")
    user: Any = request.user
    merge = (
        PersonMerge.objects.filter(pk=pk, partnership_id=user.partnership_id)
        .select_related("kept", "merged", "merged_by", "undone_by")
        .first()
    )
    if merge is None:
        raise Http404("No such merge")
    # While the merge stands the kept record holds both; once undone, the user must still see one of them.
    if not _may_see_merge(user, merge):
        raise Http404("No such merge")
    if request.method == "GET":
        log.record(request.user, AuditAction.VIEW, merge.kept, request=request, detail={"merge": merge.pk})
    return merge
