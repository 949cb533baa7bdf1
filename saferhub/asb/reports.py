"""Report `asb`: the Community Safety Team's annual figures (INTERCHANGE.md, "Return `asb`").

Cases count by the case's `opened_on`, tools and powers and fixed penalties by
`served_on`, Case Reviews by `applied_on`. The comparison period is the period of
the same length immediately before. Every record counts, archived or not, so a
return stays reproducible. Lists hold every code of the partnership's list (zeros
included), sorted by count, largest first, then by name.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q

from saferhub.asb.models import AsbCase, CaseReview, Intervention, ToolKind
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.reporting.periods import percent, previous_period
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table


def _codes(partnership: Any, code_list: str, used: set[int]) -> list[Mapping[str, Any]]:
    """Active codes, plus disabled ones that were used in either period."""
    return list(
        ReferenceCode.objects.of(partnership, code_list)
        .filter(Q(active=True) | Q(pk__in=used))
        .values("pk", "code", "label")
    )


def _cases(partnership: Any, current: tuple, previous: tuple) -> dict[str, Any]:
    counts = {
        row["category_id"]: row
        for row in AsbCase.objects.filter(partnership=partnership)
        .filter(Q(case__opened_on__range=current) | Q(case__opened_on__range=previous))
        .values("category_id")
        .annotate(
            count=Count("pk", filter=Q(case__opened_on__range=current)),
            previous=Count("pk", filter=Q(case__opened_on__range=previous)),
        )
    }
    categories = _codes(partnership, ReferenceList.ASB_CASE_CATEGORY, set(counts))
    by_category = [
        {
            "code": code["code"],
            "label": code["label"],
            "count": counts.get(code["pk"], {}).get("count", 0),
            "previous": counts.get(code["pk"], {}).get("previous", 0),
        }
        for code in categories
    ]
    by_category.sort(key=lambda row: (-row["count"], row["label"], row["code"]))
    total = sum(row["count"] for row in by_category)
    previous_total = sum(row["previous"] for row in by_category)
    return {
        "total": total,
        "previous": previous_total,
        "change_percent": percent(total - previous_total, previous_total),
        "by_category": by_category,
    }


def _interventions(partnership: Any, current: tuple) -> list[dict[str, Any]]:
    counts = dict(
        Intervention.objects.filter(partnership=partnership, served_on__range=current)
        .values("kind_id")
        .annotate(count=Count("pk"))
        .values_list("kind_id", "count")
    )
    rows = [
        {"code": code["code"], "label": code["label"], "count": counts.get(code["pk"], 0)}
        for code in _codes(partnership, ReferenceList.ASB_TOOL_OR_POWER, set(counts))
    ]
    rows.sort(key=lambda row: (-row["count"], row["label"], row["code"]))
    return rows


def _fpns(partnership: Any, current: tuple) -> dict[str, Any]:
    counts: dict[int | None, int] = dict(
        Intervention.objects.filter(partnership=partnership, served_on__range=current, kind__code=ToolKind.FPN)
        .values("offence_id")
        .annotate(count=Count("pk"))
        .values_list("offence_id", "count")
    )
    total = sum(counts.values())
    rows = [
        {"code": code["code"], "count": counts.get(code["pk"], 0)}
        for code in _codes(partnership, ReferenceList.FPN_OFFENCE, {pk for pk in counts if pk})
    ]
    if counts.get(None):
        rows.append({"code": "", "count": counts[None]})  # imported without an offence code
    for row in rows:
        row["percent"] = percent(row["count"], total) if total else 0.0
    rows.sort(key=lambda row: (-row["count"], row["code"]))
    return {"total": total, "by_offence": rows}


def _case_reviews(partnership: Any, current: tuple) -> dict[str, int]:
    # Aliases differ from the field names: an aggregate may not shadow a field it filters on.
    totals = CaseReview.objects.filter(partnership=partnership, applied_on__range=current).aggregate(
        n_applications=Count("pk"),
        n_met=Count("pk", filter=Q(threshold_met=True)),
        n_not_met=Count("pk", filter=Q(threshold_met=False)),
        n_held=Count("pk", filter=Q(review_held_on__isnull=False)),
        n_recommendations=Count("pk", filter=Q(recommendations_made=True)),
    )
    return {
        "applications": totals["n_applications"],
        "threshold_met": totals["n_met"],
        "threshold_not_met": totals["n_not_met"],
        "reviews_held": totals["n_held"],
        "reviews_with_recommendations": totals["n_recommendations"],
    }


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    previous_from, previous_to = previous_period(date_from, date_to)
    current = (date_from, date_to)
    return {
        "report": "asb",
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "comparison_period": {"from": previous_from.isoformat(), "to": previous_to.isoformat()},
        "cases": _cases(partnership, current, (previous_from, previous_to)),
        "interventions": _interventions(partnership, current),
        "fpns": _fpns(partnership, current),
        "case_reviews": _case_reviews(partnership, current),
    }


def tables(result: dict[str, Any]) -> list[Table]:
    cases, fpns, reviews = result["cases"], result["fpns"], result["case_reviews"]
    previous = result["comparison_period"]
    change = cases["change_percent"]
    return [
        Table(
            key="cases-by-category",
            caption=f"ASB cases by category, with {previous['from']} to {previous['to']}",
            columns=["Category", "Cases", "Previous period"],
            rows=[[row["label"], row["count"], row["previous"]] for row in cases["by_category"]],
            counts=(1, 2),
            total=["Total", cases["total"], cases["previous"]],
            notes=(f"Change on the previous period: {'not applicable' if change is None else f'{change}%'}.",),
        ),
        Table(
            key="tools-and-powers",
            caption="Tools and powers used",
            columns=["Tool or power", "Used"],
            rows=[[row["label"], row["count"]] for row in result["interventions"]],
            total=["Total", sum(row["count"] for row in result["interventions"])],
        ),
        Table(
            key="fixed-penalties",
            caption="Fixed penalty notices by offence code",
            columns=["Offence code", "Notices", "Percent"],
            rows=[[row["code"] or "Not recorded", row["count"], row["percent"]] for row in fpns["by_offence"]],
            derived=(2,),
            total=["Total", fpns["total"], 100.0 if fpns["total"] else 0.0],
        ),
        Table(
            key="case-reviews",
            caption="ASB Case Reviews (Community Trigger)",
            columns=["Measure", "Number"],
            rows=[
                ["Applications", reviews["applications"]],
                ["Applications meeting the threshold", reviews["threshold_met"]],
                ["Applications not meeting the threshold", reviews["threshold_not_met"]],
                ["Reviews held", reviews["reviews_held"]],
                ["Reviews leading to recommendations", reviews["reviews_with_recommendations"]],
            ],
            chart=False,
        ),
    ]


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """ASB cases and tools used in the period and in the comparison period of the same length before it."""
    start = date_from - (date_to - date_from) - datetime.timedelta(days=1)
    cases = AsbCase.objects.filter(case__partnership=partnership, case__opened_on__range=(start, date_to)).count()
    used = Intervention.objects.filter(partnership=partnership, served_on__range=(start, date_to)).count()
    return cases + used


register(
    ReportKind(
        slug="asb",
        title="Anti-social behaviour",
        description="ASB cases by category against the previous period, tools and powers used, fixed penalties by "
        "offence code and the yearly ASB Case Review figures.",
        build=build,
        count_rows=count_rows,
        tables=tables,
    )
)
