"""Returns `marac` and `panel-activity` (INTERCHANGE.md), aggregated in the database.

`marac`: referrals to one panel type whose referral date falls in the period, by
financial quarter, with children, families with children, repeats (computed, see
`saferhub.panels.repeats`), genders, relationship, referring agencies and mental
health need; then, after the published keys, the SafeLives expected volume.

`panel-activity`: one row per meeting in the period (held, or with cases heard;
cancelled meetings never count): cases heard (an outcome was recorded), new cases
(first hearing) and cases closed at the meeting.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from saferhub.core.labels import label_for_code
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.panels.models import (
    Hearing,
    HearingOutcome,
    Meeting,
    MeetingStatus,
    PanelReferral,
    PanelType,
    PerpetratorGender,
)
from saferhub.people.models import Gender, YesNoUnknown
from saferhub.places.models import PopulationMeasure
from saferhub.places.population import partnership_population
from saferhub.reporting.periods import is_whole_months, percent, quarters_overlapping, round_half_away
from saferhub.reporting.registry import ReportKind, ReportOption, register
from saferhub.reporting.service import ReportError
from saferhub.reporting.tables import Table

# SafeLives: about 40 MARAC cases a year per 10,000 women aged 16 and over.
SAFELIVES_PER_10000_WOMEN = 40


def _panel_type_choices(partnership: Any) -> list[tuple[str, str]]:
    return list(PanelType.objects.filter(partnership=partnership).order_by("name").values_list("code", "name"))


PANEL_TYPE_OPTION = ReportOption(
    "panel_type",
    "Panel type",
    required=True,
    help="the panel type's name or code, e.g. DA MARAC (da_marac)",
    choices=_panel_type_choices,
)


def _panel_type(partnership: Any, code: str | None) -> PanelType:
    """The panel type by its code, or by its name ("DA MARAC") as people write it."""
    types = PanelType.objects.filter(partnership=partnership)
    panel_type = types.filter(code=code or "").first() or types.filter(name__iexact=(code or "").strip()).first()
    if panel_type is None:
        known = ", ".join(types.order_by("name").values_list("name", flat=True)) or "none"
        raise ReportError(f"There is no panel type '{code}' in this partnership. Its panel types: {known}.")
    return panel_type


def _period(date_from: datetime.date, date_to: datetime.date) -> dict[str, str]:
    return {"from": date_from.isoformat(), "to": date_to.isoformat()}


def _measures(suffix: str, within: Q) -> dict[str, Any]:
    return {
        f"referrals{suffix}": Count("pk", filter=within),
        f"children{suffix}": Coalesce(Sum("children_in_household", filter=within), 0),
        f"families{suffix}": Count("pk", filter=within & Q(children_in_household__gte=1)),
        f"repeats{suffix}": Count("pk", filter=within & Q(is_repeat=True)),
    }


def _row(values: dict[str, Any], suffix: str) -> dict[str, Any]:
    referrals, repeats = values[f"referrals{suffix}"], values[f"repeats{suffix}"]
    return {
        "referrals": referrals,
        "children": values[f"children{suffix}"],
        "families_with_children": values[f"families{suffix}"],
        "repeats": repeats,
        "repeat_percent": percent(repeats, referrals),
    }


def _breakdown(referrals: Any, field: str, blank: str, total: int) -> list[dict[str, Any]]:
    code = Case(When(**{field: ""}, then=Value(blank)), default=F(field), output_field=CharField())
    rows = referrals.annotate(code=code).values("code").annotate(count=Count("pk")).order_by("-count", "code")
    return [{"code": row["code"], "count": row["count"], "percent": percent(row["count"], total)} for row in rows]


def _expected(partnership: Any, date_from: datetime.date, date_to: datetime.date, total: int) -> dict[str, Any]:
    # Women aged 16+ in the partnership's areas, in the year the population rule picks for the period's end.
    population = partnership_population(partnership, PopulationMeasure.WOMEN_16_PLUS, date_to)
    women = population.value
    if is_whole_months(date_from, date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        share = Decimal(months) / 12
    else:
        share = Decimal((date_to - date_from).days + 1) / 365
    expected = None if not women else round_half_away(Decimal(women) * SAFELIVES_PER_10000_WOMEN / 10000 * share)
    return {
        "per_10000_women_a_year": SAFELIVES_PER_10000_WOMEN,
        "women_aged_16_plus": women,
        "expected_referrals": expected,
        "percent_of_expected": percent(total, expected) if expected else None,
        "population": population.as_dict(),
    }


def build_marac(
    partnership: Any, date_from: datetime.date, date_to: datetime.date, panel_type: str | None = None, **options: Any
) -> dict[str, Any]:
    kind = _panel_type(partnership, panel_type)
    referrals = PanelReferral.objects.accepted().filter(panel_type=kind, referral_date__range=(date_from, date_to))
    quarters = quarters_overlapping(date_from, date_to)
    measures = _measures("", Q())
    measures["mental_health"] = Count("pk", filter=Q(mental_health_need=YesNoUnknown.YES))
    for index, quarter in enumerate(quarters):
        within = Q(referral_date__range=(max(quarter.start, date_from), min(quarter.end, date_to)))
        measures.update(_measures(f"_{index}", within))
    values = referrals.aggregate(**measures)
    total = values["referrals"]
    agencies = (
        referrals.values("referring_agency__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "referring_agency__name")
    )
    return {
        "report": "marac",
        "panel_type": kind.code,
        "period": _period(date_from, date_to),
        "quarters": [{"quarter": q.label, **_row(values, f"_{i}")} for i, q in enumerate(quarters)],
        "total": _row(values, ""),
        "victim_gender": _breakdown(referrals, "victim_gender", "not_stated", total),
        "perpetrator_gender": _breakdown(referrals, "perpetrator_gender", "unknown", total),
        "relationship": _breakdown(referrals, "relationship", "unknown", total),
        "referring_agency": [
            {"organisation": row["referring_agency__name"], "count": row["count"]} for row in agencies
        ],
        "mental_health_need_percent": percent(values["mental_health"], total),
        "expected_volume": _expected(partnership, date_from, date_to, total),
        # What people read for the codes above (tables, documents); the codes stay the return's keys.
        "labels": {
            "panel_type": kind.name,
            "victim_gender": {**dict(Gender.choices), "not_stated": "Not stated"},
            "perpetrator_gender": dict(PerpetratorGender.choices),
            "relationship": {
                **dict(ReferenceCode.objects.of(partnership, ReferenceList.RELATIONSHIP).values_list("code", "label")),
                "unknown": "Not known",
            },
        },
    }


def _share_rows(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[list[Any]]:
    return [[labels.get(row["code"]) or label_for_code(row["code"]), row["count"], row["percent"]] for row in rows]


def _label(result: dict[str, Any], key: str) -> Any:
    return result.get("labels", {}).get(key) or {}


def _women_label(population: dict[str, Any]) -> str:
    years = ", ".join(str(year) for year in population["years"]) or "no figure held"
    return f"Women aged 16 and over ({years})"


def marac_tables(result: dict[str, Any]) -> list[Table]:
    total = result["total"]
    panel_name = _label(result, "panel_type") or label_for_code(result["panel_type"])
    tables = [
        Table(
            key="quarters",
            caption=f"Referrals to {panel_name} by quarter",
            columns=[
                "Quarter",
                "Referrals",
                "Children in the household",
                "Families with children",
                "Repeat referrals",
                "Repeat referrals (%)",
            ],
            rows=[
                [
                    q["quarter"],
                    q["referrals"],
                    q["children"],
                    q["families_with_children"],
                    q["repeats"],
                    q["repeat_percent"],
                ]
                for q in result["quarters"]
            ],
            counts=(1, 2, 3, 4),
            derived=(5,),
            total=[
                "Total",
                total["referrals"],
                total["children"],
                total["families_with_children"],
                total["repeats"],
                total["repeat_percent"],
            ],
        ),
    ]
    for key, caption, heading in (
        ("victim_gender", "Victims by gender", "Victim's gender"),
        ("perpetrator_gender", "Perpetrators by gender", "Perpetrator's gender"),
        ("relationship", "Relationship of the perpetrator to the victim", "Relationship"),
    ):
        tables.append(
            Table(
                key=key.replace("_", "-"),
                caption=caption,
                columns=[heading, "Referrals", "Percent"],
                rows=_share_rows(result[key], _label(result, key)),
                derived=(2,),
                total=["Total", total["referrals"], None],
            )
        )
    expected = result["expected_volume"]
    tables += [
        Table(
            key="referring-agency",
            caption="Referring agencies",
            columns=["Agency", "Referrals"],
            rows=[[row["organisation"], row["count"]] for row in result["referring_agency"]],
            total=["Total", total["referrals"]],
        ),
        Table(
            key="measures",
            caption="Mental health need and expected volume",
            columns=["Measure", "Value"],
            rows=[
                ["Victims with a mental health need (%)", result["mental_health_need_percent"]],
                [_women_label(expected["population"]), expected["women_aged_16_plus"]],
                [
                    f"Expected referrals (SafeLives: {expected['per_10000_women_a_year']} a year per 10,000 women)",
                    expected["expected_referrals"],
                ],
                ["Referrals as a percentage of expected", expected["percent_of_expected"]],
            ],
            counts=(),
            chart=False,
        ),
    ]
    return tables


def build_panel_activity(
    partnership: Any, date_from: datetime.date, date_to: datetime.date, panel_type: str | None = None, **options: Any
) -> dict[str, Any]:
    kind = _panel_type(partnership, panel_type)
    heard = Q(hearings__outcome__in=HearingOutcome.values)
    meetings = list(
        Meeting.objects.filter(panel_type=kind, date__range=(date_from, date_to))
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(
            cases_heard=Count("hearings", filter=heard),
            new_cases=Count("hearings", filter=heard & Q(hearings__is_new=True)),
            closed_cases=Count("hearings", filter=Q(hearings__outcome=HearingOutcome.CLOSED)),
        )
        .filter(Q(status=MeetingStatus.HELD) | Q(cases_heard__gt=0))
        .order_by("date", "pk")
        .values("date", "cases_heard", "new_cases", "closed_cases")
    )
    totals = (
        Hearing.objects.filter(meeting__panel_type=kind, meeting__date__range=(date_from, date_to))
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .aggregate(
            heard=Count("pk", filter=Q(outcome__in=HearingOutcome.values)),
            new=Count("pk", filter=Q(outcome__in=HearingOutcome.values, is_new=True)),
            closed=Count("pk", filter=Q(outcome=HearingOutcome.CLOSED)),
        )
    )
    count = len(meetings)
    average = round_half_away(Decimal(totals["heard"]) / count) if count else None
    return {
        "report": "panel-activity",
        "panel_type": kind.code,
        "period": _period(date_from, date_to),
        "meetings": [
            {
                "date": m["date"].isoformat(),
                "cases_heard": m["cases_heard"],
                "new_cases": m["new_cases"],
                "closed_cases": m["closed_cases"],
            }
            for m in meetings
        ],
        "totals": {
            "meetings": count,
            "average_cases_heard": average,
            "new_cases": totals["new"],
            "closed_cases": totals["closed"],
        },
        "panel_type_name": kind.name,
    }


def panel_activity_tables(result: dict[str, Any]) -> list[Table]:
    totals = result["totals"]
    heard = sum(m["cases_heard"] for m in result["meetings"])
    return [
        Table(
            key="meetings",
            caption=f"{result.get('panel_type_name') or label_for_code(result['panel_type'])} meetings: "
            "cases heard, new and closed",
            columns=["Meeting", "Cases heard", "New cases", "Closed cases"],
            rows=[[m["date"], m["cases_heard"], m["new_cases"], m["closed_cases"]] for m in result["meetings"]],
            counts=(1, 2, 3),
            total=["Total", heard, totals["new_cases"], totals["closed_cases"]],
            notes=(
                f"{totals['meetings']} meetings; on average {totals['average_cases_heard']} cases heard a meeting.",
            ),
        )
    ]


def count_marac_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Panel referrals made in the period, of every panel type (an upper bound for one type's return)."""
    return PanelReferral.objects.filter(partnership=partnership, referral_date__range=(date_from, date_to)).count()


def count_activity_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Cases heard at meetings in the period, of every panel type."""
    return Hearing.objects.filter(meeting__partnership=partnership, meeting__date__range=(date_from, date_to)).count()


register(
    ReportKind(
        slug="marac",
        title="MARAC referrals",
        description="Referrals to a panel by quarter with children, families, repeats, genders, relationship, "
        "referring agencies, mental health need and the SafeLives expected volume.",
        build=build_marac,
        count_rows=count_marac_rows,
        tables=marac_tables,
        options=(PANEL_TYPE_OPTION,),
    )
)
register(
    ReportKind(
        slug="panel-activity",
        title="Panel activity",
        description="Meeting by meeting: cases heard, new cases and cases closed.",
        build=build_panel_activity,
        count_rows=count_activity_rows,
        tables=panel_activity_tables,
        options=(PANEL_TYPE_OPTION,),
    )
)
