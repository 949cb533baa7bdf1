"""A person as a line in a list of choices: name, date of birth, age, address and the cases the viewer may see.

Used wherever someone picks a person (adding a participant, the duplicate warning, the duplicates
queue). Nothing is shown that the viewer may not see: only cases from ``policy.visible_cases``
(a restricted case the viewer is not named on is not even counted), and a confidential
address only to the teams that own one of the person's cases. Three queries for any number of people.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from saferhub import policy
from saferhub.cases.models import Case, Participant
from saferhub.people.matching import Match
from saferhub.people.models import ContactDetail, ContactKind, Person

# Cases listed under each person; the rest are counted.
CASES_SHOWN = 5


@dataclasses.dataclass
class CasePart:
    case: Case
    role_label: str


@dataclasses.dataclass
class PersonSummary:
    person: Person
    date_of_birth: datetime.date | None
    age: int | None
    addresses: list[str]
    cases: list[CasePart]
    more_cases: int = 0
    match: Match | None = None

    @property
    def pk(self) -> int:
        return self.person.pk


def summarise(user: Any, people: Sequence[Person | Match]) -> list[PersonSummary]:
    """One summary per person (or Match), in the order given."""
    matches = [p if isinstance(p, Match) else None for p in people]
    persons: list[Person] = [p.person if isinstance(p, Match) else p for p in people]
    ids = [p.pk for p in persons]
    if not ids:
        return []
    own_team = set()
    if getattr(user, "team_id", None):
        own_team = set(
            Participant.objects.filter(
                person_id__in=ids, case__owning_team_id=user.team_id, case__archived_at__isnull=True
            ).values_list("person_id", flat=True)
        )
    addresses: dict[int, list[str]] = defaultdict(list)
    for detail in ContactDetail.objects.filter(person_id__in=ids, kind=ContactKind.ADDRESS).order_by("pk"):
        if not detail.confidential or detail.person_id in own_team:
            addresses[detail.person_id].append(detail.value)
    parts: dict[int, list[CasePart]] = defaultdict(list)
    rows = (
        Participant.objects.filter(person_id__in=ids, case__in=policy.visible_cases(user))
        .select_related("case", "case__case_type")
        .order_by("-case__opened_on", "-case__pk", "role")
    )
    for part in rows:
        parts[part.person_id].append(CasePart(case=part.case, role_label=part.get_role_display()))
    today = timezone.localdate()
    return [
        PersonSummary(
            person=person,
            date_of_birth=person.date_of_birth,
            age=person.age_on(today),
            addresses=addresses[person.pk],
            cases=parts[person.pk][:CASES_SHOWN],
            more_cases=max(0, len(parts[person.pk]) - CASES_SHOWN),
            match=match,
        )
        for person, match in zip(persons, matches, strict=True)
    ]
