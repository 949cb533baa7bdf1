"""Youth-to-adult transitions in the IOM cohort: the `iom-transitions` return (docs/iom.md).

Not a return of INTERCHANGE.md (its `iom` JSON stays exactly as promised): a return of our own, so the
board and the Youth Justice Service see who moved, or will soon move, from youth to adult services.
The database narrows the stays to those whose 18th birthday is near the period; the birthday itself
(29 February, leaving dates) is then checked on those few rows.
"""

import calendar
import datetime
from typing import Any

from django.db.models import Q

from saferhub.iom.models import CohortStay, add_years
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table

SLUG = "iom-transitions"
LOOK_AHEAD_MONTHS = 6
# Births this many days either side of the range are fetched, then checked exactly (29 February).
_SLACK = datetime.timedelta(days=2)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def eighteenth_birthday(dob: datetime.date) -> datetime.date:
    return add_years(dob, 18)


def _born_to_turn_18(first: datetime.date, last: datetime.date) -> Q:
    return Q(person__date_of_birth__range=(add_years(first, -18) - _SLACK, add_years(last, -18) + _SLACK))


def _in_cohort_on(adopted: datetime.date, left: datetime.date | None, day: datetime.date) -> bool:
    return adopted <= day and (left is None or day <= left)


def _turned_18(stays: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Stays in the cohort on the person's 18th birthday, the birthday falling in the period."""
    rows = stays.filter(_born_to_turn_18(date_from, date_to), adopted_on__lte=date_to)
    count = 0
    for dob, adopted, left in rows.values_list("person__date_of_birth", "adopted_on", "left_on").iterator():
        eighteen = eighteenth_birthday(dob)
        count += date_from <= eighteen <= date_to and _in_cohort_on(adopted, left, eighteen)
    return count


def _turning_18(stays: Any, day: datetime.date) -> int:
    """In the cohort on the period's last day, turning 18 in the months after it."""
    until = months_after(day, LOOK_AHEAD_MONTHS)
    rows = stays.in_cohort_on(day).filter(_born_to_turn_18(day, until))
    return sum(day < eighteenth_birthday(dob) <= until for dob in rows.values_list("person__date_of_birth", flat=True))


def _under_18(in_cohort: Any, day: datetime.date) -> int:
    edge = add_years(day, -18)
    surely = in_cohort.filter(person__date_of_birth__gt=edge + _SLACK).count()
    near = in_cohort.filter(person__date_of_birth__range=(edge - _SLACK, edge + _SLACK))
    return surely + sum(eighteenth_birthday(dob) > day for dob in near.values_list("person__date_of_birth", flat=True))


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    stays = CohortStay.objects.of(partnership.pk)
    in_cohort = stays.in_cohort_on(date_to)
    return {
        "report": SLUG,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "transitions": {
            "turned_18": _turned_18(stays, date_from, date_to),
            "transferred_from_youth_justice": stays.filter(
                transferred_from_youth_justice=True, adopted_on__range=(date_from, date_to)
            ).count(),
            "under_18_on_last_day": _under_18(in_cohort, date_to),
            "turning_18_within_6_months": _turning_18(stays, date_to),
        },
    }


def tables(result: dict[str, Any]) -> list[Table]:
    figures = result["transitions"]
    return [
        Table(
            key="transitions",
            caption="Youth-to-adult transitions",
            columns=["Measure", "People"],
            rows=[
                ["Turned 18 in the period while in the cohort", figures["turned_18"]],
                [
                    "Joined the cohort in the period from the Youth Justice Service",
                    figures["transferred_from_youth_justice"],
                ],
                ["Under 18 on the period's last day", figures["under_18_on_last_day"]],
                [
                    f"Turning 18 in the {LOOK_AHEAD_MONTHS} months after the period",
                    figures["turning_18_within_6_months"],
                ],
            ],
            chart=False,
            notes=[
                "People in the cohort whose date of birth is not recorded are not counted here.",
                "Plan each transition with the Youth Justice Service and probation before the 18th birthday.",
            ],
        )
    ]


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    return CohortStay.objects.of(partnership.pk).filter(adopted_on__lte=date_to).count()


KIND = register(
    ReportKind(
        slug=SLUG,
        title="IOM youth-to-adult transitions",
        description=(
            "People in the IOM cohort moving from youth to adult services: who turned 18 in the period, who joined "
            "from the Youth Justice Service, who is under 18, and who turns 18 in the next six months."
        ),
        build=build,
        tables=tables,
        count_rows=count_rows,
    )
)
