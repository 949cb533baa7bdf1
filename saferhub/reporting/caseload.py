"""Report `caseload`: cases opened, closed and open, for the partnership's whole caseload.

Every case counts, archived or not, so a return stays reproducible after archiving.
A case is open at the end of the period when it was opened on or before the last
day and has no closing date on or before it.
"""

import datetime
from typing import Any

from django.db.models import Count, Q

from saferhub.cases.models import Case
from saferhub.reporting.periods import quarters_overlapping
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """The cases the report reads: every case opened on or before the last day (one indexed COUNT)."""
    return Case.objects.filter(partnership=partnership, opened_on__lte=date_to).count()


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    cases = Case.objects.filter(partnership=partnership)
    quarters = quarters_overlapping(date_from, date_to)
    opened = Q(opened_on__range=(date_from, date_to))
    closed = Q(closed_on__range=(date_from, date_to))
    # One query for every single-number measure, by conditional aggregation.
    measures: dict[str, Any] = {
        "opened": Count("pk", filter=opened),
        "closed": Count("pk", filter=closed),
        "open_at_end": Count(
            "pk", filter=Q(opened_on__lte=date_to) & (Q(closed_on__isnull=True) | Q(closed_on__gt=date_to))
        ),
    }
    for index, quarter in enumerate(quarters):
        within = (max(quarter.start, date_from), min(quarter.end, date_to))
        measures[f"opened_{index}"] = Count("pk", filter=Q(opened_on__range=within))
        measures[f"closed_{index}"] = Count("pk", filter=Q(closed_on__range=within))
    totals = cases.aggregate(**measures)
    by_case_type = (
        cases.filter(opened)
        .values("case_type__code", "case_type__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "case_type__name", "case_type__code")
    )
    by_team = (
        cases.filter(opened)
        .values("owning_team__name", "owning_team__agency__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "owning_team__name", "owning_team__agency__name")
    )
    return {
        "report": "caseload",
        "partnership": partnership.slug,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "opened": {
            "total": totals["opened"],
            "by_quarter": [
                {"quarter": quarter.label, "count": totals[f"opened_{index}"]} for index, quarter in enumerate(quarters)
            ],
            "by_case_type": [
                {"code": row["case_type__code"], "name": row["case_type__name"], "count": row["count"]}
                for row in by_case_type
            ],
            "by_team": [
                {"team": row["owning_team__name"], "agency": row["owning_team__agency__name"], "count": row["count"]}
                for row in by_team
            ],
        },
        "closed": {
            "total": totals["closed"],
            "by_quarter": [
                {"quarter": quarter.label, "count": totals[f"closed_{index}"]} for index, quarter in enumerate(quarters)
            ],
        },
        "open_at_end": totals["open_at_end"],
    }


def tables(result: dict[str, Any]) -> list[Table]:
    opened, closed = result["opened"], result["closed"]
    return [
        Table(
            key="summary",
            caption="Caseload summary",
            columns=["Measure", "Cases"],
            rows=[
                ["Opened in the period", opened["total"]],
                ["Closed in the period", closed["total"]],
                [f"Open on {result['period']['to']}", result["open_at_end"]],
            ],
        ),
        Table(
            key="by-quarter",
            caption="Cases opened and closed by quarter",
            sheet_name="Opened and closed by quarter",
            columns=["Quarter", "Opened", "Closed"],
            rows=[
                [row["quarter"], row["count"], closed_row["count"]]
                for row, closed_row in zip(opened["by_quarter"], closed["by_quarter"], strict=True)
            ],
            counts=(1, 2),
            total=["Total", opened["total"], closed["total"]],
        ),
        Table(
            key="by-case-type",
            caption="Cases opened by case type",
            columns=["Case type", "Cases opened"],
            rows=[[row["name"], row["count"]] for row in opened["by_case_type"]],
            total=["Total", opened["total"]],
        ),
        Table(
            key="by-team",
            caption="Cases opened by owning team",
            columns=["Team", "Agency", "Cases opened"],
            rows=[[row["team"], row["agency"], row["count"]] for row in opened["by_team"]],
            counts=(2,),
            total=["Total", "", opened["total"]],
        ),
    ]


register(
    ReportKind(
        slug="caseload",
        title="Caseload",
        description="Cases opened in the period by quarter, case type and owning team; cases closed; cases open at the end.",
        build=build,
        tables=tables,
        count_rows=count_rows,
    )
)
