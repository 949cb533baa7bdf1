"""Returns `action-plan` and `activities` (INTERCHANGE.md, "Return action-plan", "Import activities and return
activities").

`action-plan`: each commitment counts with its latest status on the period's last day
(a subquery per commitment); commitments first recorded after that day are left out.
Each plan also lists its RAG by priority (an addition to the published format, for the
chart beside the table).

`activities`: sessions and participants held in the period, by financial quarter, kind,
audience and programme; `cumulative_participants` adds every activity of the programme
(and audience) from its first up to the period's last day. Programme rows are those
with an activity in the period.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower

from saferhub.governance.models import (
    ActionPlan,
    Activity,
    ActivityKind,
    Audience,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
)
from saferhub.reporting.periods import percent, quarters_overlapping
from saferhub.reporting.registry import ReportKind, ReportOption, register
from saferhub.reporting.service import ReportError
from saferhub.reporting.tables import Table

RAG_KEYS = ("red", "amber", "green", "none")


def commitments_as_of(partnership: Any, day: datetime.date) -> QuerySet[Commitment]:
    """Commitments recorded by `day`, each with its latest status and RAG on that day."""
    latest = CommitmentUpdate.objects.filter(commitment=OuterRef("pk"), updated_on__lte=day).order_by("-updated_on")
    return (
        Commitment.objects.of(partnership)
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_on=Subquery(latest.values("updated_on")[:1]),
        )
        .filter(latest_on__isnull=False)
    )


def _plans(partnership: Any, plan_name: str) -> list[ActionPlan]:
    plans = ActionPlan.objects.of(partnership).order_by("name")
    if not plan_name:
        return list(plans)
    found = list(plans.annotate(lname=Lower("name")).filter(lname=plan_name.strip().lower()))
    if not found:
        names = ", ".join(f"'{plan.name}'" for plan in plans) or "none yet"
        raise ReportError(f"There is no action plan called '{plan_name}'. The partnership's plans: {names}.")
    return found


def build_action_plan(
    partnership: Any, date_from: datetime.date, date_to: datetime.date, *, plan: str = "", **options: Any
) -> dict[str, Any]:
    plans = _plans(partnership, plan)
    changed = CommitmentUpdate.objects.filter(commitment=OuterRef("pk"), updated_on__range=(date_from, date_to))
    # One row per plan, priority, status and RAG: a few dozen groups, however many commitments.
    groups = (
        commitments_as_of(partnership, date_to)
        .filter(plan__in=plans)
        .annotate(changed=Exists(changed))
        .values("plan_id", "priority", "latest_status", "latest_rag")
        .annotate(
            n=Count("pk"),
            n_overdue=Count("pk", filter=Q(due_on__lt=date_to) & ~Q(latest_status=CommitmentStatus.COMPLETED)),
            n_changed=Count("pk", filter=Q(changed=True)),
        )
        .order_by()
    )
    totals: dict[int, dict[str, Any]] = {
        p.pk: {
            "commitments": 0,
            "rag": dict.fromkeys(RAG_KEYS, 0),
            "status": dict.fromkeys(CommitmentStatus.values, 0),
            "overdue": 0,
            "changed": 0,
            "priorities": defaultdict(lambda: dict.fromkeys(RAG_KEYS, 0)),
        }
        for p in plans
    }
    for group in groups:
        figures = totals[group["plan_id"]]
        rag = group["latest_rag"] or "none"
        figures["commitments"] += group["n"]
        figures["rag"][rag] += group["n"]
        figures["status"][group["latest_status"]] += group["n"]
        figures["overdue"] += group["n_overdue"]
        figures["changed"] += group["n_changed"]
        figures["priorities"][group["priority"]][rag] += group["n"]
    return {
        "report": "action-plan",
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "plans": [
            {
                "plan": p.name,
                "commitments": totals[p.pk]["commitments"],
                "rag": totals[p.pk]["rag"],
                "status": [{"code": code, "count": count} for code, count in totals[p.pk]["status"].items()],
                "overdue": totals[p.pk]["overdue"],
                "changed_in_period": totals[p.pk]["changed"],
                "by_priority": [
                    {"priority": priority, **counts}
                    for priority, counts in sorted(totals[p.pk]["priorities"].items(), key=lambda item: item[0])
                ],
            }
            for p in plans
        ],
    }


RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "Not rated"}


def action_plan_tables(result: dict[str, Any]) -> list[Table]:
    tables: list[Table] = []
    statuses = dict(CommitmentStatus.choices)
    for index, plan in enumerate(result["plans"], start=1):
        tables += [
            Table(
                key=f"plan-{index}-rag",
                caption=f"{plan['plan']}: commitments by RAG rating",
                sheet_name=f"Plan {index} RAG",
                columns=["RAG rating", "Commitments"],
                rows=[[RAG_LABELS[key], plan["rag"][key]] for key in RAG_KEYS],
                total=["Total", plan["commitments"]],
                notes=(
                    f"Overdue (due before the period's last day, not completed): {plan['overdue']}.",
                    f"Commitments with an update dated in the period: {plan['changed_in_period']}.",
                ),
            ),
            Table(
                key=f"plan-{index}-priority",
                caption=f"{plan['plan']}: RAG rating by priority",
                sheet_name=f"Plan {index} priorities",
                columns=["Priority", "Red", "Amber", "Green", "Not rated", "Commitments"],
                rows=[
                    [
                        row["priority"] or "No priority given",
                        *[row[key] for key in RAG_KEYS],
                        sum(row[key] for key in RAG_KEYS),
                    ]
                    for row in plan["by_priority"]
                ],
                counts=(1, 2, 3, 4, 5),
                chart_column=1,
            ),
            Table(
                key=f"plan-{index}-status",
                caption=f"{plan['plan']}: commitments by status",
                sheet_name=f"Plan {index} status",
                columns=["Status", "Commitments"],
                rows=[[statuses[row["code"]], row["count"]] for row in plan["status"]],
                total=["Total", plan["commitments"]],
            ),
        ]
    return tables


def count_action_plan_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Status entries of the partnership's commitments up to the period's last day."""
    return CommitmentUpdate.objects.filter(commitment__partnership=partnership, updated_on__lte=date_to).count()


register(
    ReportKind(
        slug="action-plan",
        title="Action plan progress",
        description="Each action plan's commitments by RAG rating and status on the period's last day, with "
        "those overdue and those updated in the period.",
        build=build_action_plan,
        count_rows=count_action_plan_rows,
        tables=action_plan_tables,
        options=(
            ReportOption(
                "plan",
                "Action plan",
                help="the plan's name; leave blank for every plan",
                choices=lambda partnership: [
                    (name, name)
                    for name in ActionPlan.objects.of(partnership).order_by("name").values_list("name", flat=True)
                ],
                blank_label="Every action plan",
            ),
        ),
    )
)


# activities ---------------------------------------------------------------------------------------


def _sessions_participants(**filters: Any) -> dict[str, Any]:
    condition = Q(**filters)
    return {
        "sessions": Count("pk", filter=condition),
        "participants": Coalesce(Sum("participants", filter=condition), Value(0), output_field=IntegerField()),
    }


def _programme_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date, by: list[str]) -> list[dict]:
    return list(
        Activity.objects.of(partnership)
        .exclude(programme="")
        .filter(held_on__lte=date_to)
        .values(*by)
        .annotate(
            in_period=Count("pk", filter=Q(held_on__gte=date_from)),
            period_participants=Coalesce(
                Sum("participants", filter=Q(held_on__gte=date_from)), Value(0), output_field=IntegerField()
            ),
            cumulative=Coalesce(Sum("participants"), Value(0), output_field=IntegerField()),
        )
        .filter(in_period__gt=0)
        .order_by(*by)
    )


def build_activities(
    partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any
) -> dict[str, Any]:
    held = Activity.objects.of(partnership).held_between(date_from, date_to)
    quarters = quarters_overlapping(date_from, date_to)
    figures = held.aggregate(
        n_sessions=Count("pk"),
        n_participants=Coalesce(Sum("participants"), Value(0), output_field=IntegerField()),
        n_responses=Coalesce(Sum("feedback_responses"), Value(0), output_field=IntegerField()),
        n_positive=Coalesce(Sum("feedback_positive"), Value(0), output_field=IntegerField()),
        n_organisations=Count(Lower("organisation"), distinct=True, filter=~Q(organisation="")),
        **{
            f"{key}_{index}": value
            for index, quarter in enumerate(quarters)
            for key, value in _sessions_participants(
                held_on__range=(max(quarter.start, date_from), min(quarter.end, date_to))
            ).items()
        },
    )
    by_kind = {row["kind"]: row for row in held.values("kind").annotate(**_sessions_participants()).order_by()}
    by_audience = {
        row["audience"]: row
        for row in held.exclude(audience="").values("audience").annotate(**_sessions_participants()).order_by()
    }
    programmes = _programme_rows(partnership, date_from, date_to, ["programme"])
    audiences = _programme_rows(partnership, date_from, date_to, ["programme", "audience"])
    by_programme = []
    for programme in programmes:
        rows = [programme] + [
            row for row in audiences if row["programme"] == programme["programme"] and row["audience"]
        ]
        for row in rows:
            by_programme.append(
                {
                    "programme": row["programme"],
                    "audience": row.get("audience") or None,
                    "sessions": row["in_period"],
                    "participants": row["period_participants"],
                    "cumulative_participants": row["cumulative"],
                }
            )
    empty = {"sessions": 0, "participants": 0}
    return {
        "report": "activities",
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "total": {"sessions": figures["n_sessions"], "participants": figures["n_participants"]},
        "quarters": [
            {
                "quarter": quarter.label,
                "sessions": figures[f"sessions_{index}"],
                "participants": figures[f"participants_{index}"],
            }
            for index, quarter in enumerate(quarters)
        ],
        "by_kind": [
            {"kind": kind, **{key: by_kind.get(kind, empty)[key] for key in empty}} for kind in ActivityKind.values
        ],
        "by_audience": [
            {"audience": audience, **{key: by_audience.get(audience, empty)[key] for key in empty}}
            for audience in Audience.values
        ],
        "by_programme": by_programme,
        "organisations_reached": figures["n_organisations"],
        "feedback": {
            "responses": figures["n_responses"],
            "positive": figures["n_positive"],
            "positive_percent": percent(figures["n_positive"], figures["n_responses"]),
        },
    }


def programme_label(slug: str) -> str:
    return slug.replace("_", " ").capitalize()


def activities_tables(result: dict[str, Any]) -> list[Table]:
    kinds, audiences = dict(ActivityKind.choices), dict(Audience.choices)
    total = result["total"]
    feedback = result["feedback"]
    percent_text = "no responses" if feedback["positive_percent"] is None else f"{feedback['positive_percent']}%"
    return [
        Table(
            key="activities-by-quarter",
            caption="Participants by quarter",
            columns=["Quarter", "Participants", "Sessions"],
            rows=[[row["quarter"], row["participants"], row["sessions"]] for row in result["quarters"]],
            counts=(1, 2),
            total=["Total", total["participants"], total["sessions"]],
            notes=(
                f"Organisations reached: {result['organisations_reached']}.",
                f"Feedback: {feedback['positive']} positive of {feedback['responses']} responses ({percent_text}).",
            ),
        ),
        Table(
            key="activities-by-kind",
            caption="Activities by kind",
            columns=["Kind", "Sessions", "Participants"],
            rows=[[kinds[row["kind"]], row["sessions"], row["participants"]] for row in result["by_kind"]],
            counts=(1, 2),
            total=["Total", total["sessions"], total["participants"]],
        ),
        Table(
            key="activities-by-audience",
            caption="Activities by audience",
            columns=["Audience", "Sessions", "Participants"],
            rows=[[audiences[row["audience"]], row["sessions"], row["participants"]] for row in result["by_audience"]],
            counts=(1, 2),
        ),
        Table(
            key="activities-by-programme",
            caption="Programmes: participants in the period and to date",
            sheet_name="Programmes",
            columns=["Programme", "Audience", "Sessions", "Participants", "Participants to date"],
            rows=[
                [
                    programme_label(row["programme"]),
                    audiences[row["audience"]] if row["audience"] else "All audiences",
                    row["sessions"],
                    row["participants"],
                    row["cumulative_participants"],
                ]
                for row in result["by_programme"]
            ],
            counts=(2, 3, 4),
            chart_column=3,
        ),
    ]


def count_activity_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Activities up to the period's last day (participants to date reach back to each programme's first)."""
    return Activity.objects.filter(partnership=partnership, held_on__lte=date_to).count()


register(
    ReportKind(
        slug="activities",
        title="Activities: training, meetings and outreach",
        description="Sessions and participants by quarter, kind, audience and programme (with participants to "
        "date), organisations reached and feedback.",
        build=build_activities,
        count_rows=count_activity_rows,
        tables=activities_tables,
    )
)
