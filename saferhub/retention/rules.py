"""Which closed cases are past their retention period: worked out in the database, one condition per case type."""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q

from saferhub.cases.models import CaseQuerySet, CaseStatus, CaseType
from saferhub.retention.models import DEFAULT_YEARS, Erasure, RetentionRule


def periods(partnership: Any) -> dict[int, int]:
    """Years kept after the year of closure, per case type id (the default where no rule is set). One query."""
    rows = CaseType.objects.filter(partnership=partnership).values_list("pk", "retention_rule__years")
    return {pk: DEFAULT_YEARS if years is None else years for pk, years in rows}


def first_day_kept(years: int, today: datetime.date) -> datetime.date:
    """Cases closed before this day are past `years`: kept to the end of their closure year plus `years`."""
    return datetime.date(today.year - years, 1, 1)


def due(
    cases: CaseQuerySet, partnership: Any, today: datetime.date, years_by_type: dict[int, int] | None = None
) -> CaseQuerySet:
    """The closed, not yet erased cases among `cases` whose retention period ended before `today`."""
    condition = Q(pk__in=[])
    # Grouped by period, so the SQL has one condition per distinct period, not per case type.
    by_years: dict[int, list[int]] = {}
    for case_type_id, years in (years_by_type or periods(partnership)).items():
        by_years.setdefault(years, []).append(case_type_id)
    for years, type_ids in sorted(by_years.items()):
        condition |= Q(case_type_id__in=type_ids, closed_on__lt=first_day_kept(years, today))
    erased = Erasure.objects.filter(case_id=OuterRef("pk"))
    return cases.filter(status=CaseStatus.CLOSED, closed_on__isnull=False).filter(condition).exclude(Exists(erased))


def is_due(case: Any, today: datetime.date) -> bool:
    return due(type(case).objects.filter(pk=case.pk), case.partnership_id, today).exists()


def years_for(case: Any) -> int:
    rule = RetentionRule.objects.filter(case_type_id=case.case_type_id).values_list("years", flat=True).first()
    return DEFAULT_YEARS if rule is None else rule


def register_first_day_kept(today: datetime.date) -> datetime.date:
    """Members who left the register before this day are past the default period (end of the year they left plus it)."""
    return first_day_kept(DEFAULT_YEARS, today)


def register_due(partnership: Any, today: datetime.date, members: Any = None) -> Any:
    """Register members (RJ Champions, practice leads, volunteers) whose details are due for erasure.

    `members` narrows them (the retention queue passes the members the policy lets its user review)."""
    from saferhub.rj.models import Member

    return (Member.objects.all() if members is None else members).filter(
        partnership=partnership,
        active=False,
        left_on__lt=register_first_day_kept(today),
        erased_at__isnull=True,
    )
