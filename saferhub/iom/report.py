"""The `iom` return (INTERCHANGE.md, "Return iom"): the cohort's profile on the period's last day
and its offending per person-year before, during and after the cohort, priced by the
partnership's cost-of-crime table. Counts are grouped in the database; the stays' window
lengths are read as three dates per stay.
"""

import datetime
from collections import Counter
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.iom.models import CohortKind, CohortStay, CostOfCrime, Management, Offence, Rag, add_years
from saferhub.people.models import Gender
from saferhub.reporting.periods import previous_period, round_half_away
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table

SLUG = "iom"
NOT_STATED = "Not stated"
GENDERS = ("male", "female", "other", "not_stated")
# (label, lowest age, highest age) on the period's last day.
AGE_BANDS = (("under 18", 0, 17), ("18-24", 18, 24), ("25-34", 25, 34), ("35-44", 35, 44), ("45+", 45, 200))
NOT_KNOWN_AGE = "not known"
WINDOWS = ("before", "during", "after")
DAYS_PER_YEAR = 365.25


def whole_years(start: datetime.date, day: datetime.date) -> int:
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


def age_on(
    dob: datetime.date | None, age: int | None, recorded: datetime.date | None, day: datetime.date
) -> int | None:
    """From the date of birth, else the age given plus the whole years since it was recorded (adopted_on)."""
    if dob is not None:
        return whole_years(dob, day)
    if age is not None:
        return age + max(0, whole_years(recorded or day, day))
    return None


def ethnic_groups(partnership: Any) -> list[str]:
    """The groups of the ethnicity list in its order (first appearance), `Not stated` last if not in it."""
    groups: list[str] = []
    for group in (
        ReferenceCode.objects.of(partnership, ReferenceList.ETHNICITY)
        .order_by("sort_order", "pk")
        .values_list("group", flat=True)
    ):
        if group and group not in groups:
            groups.append(group)
    if NOT_STATED not in groups:
        groups.append(NOT_STATED)
    return groups


def _profile(partnership: Any, day: datetime.date) -> dict[str, Any]:
    cohort = CohortStay.objects.of(partnership.pk).in_cohort_on(day)
    counts = cohort.aggregate(
        total=Count("pk"),
        statutory=Count("pk", filter=Q(management=Management.STATUTORY)),
        non_statutory=Count("pk", filter=Q(management=Management.NON_STATUTORY)),
        **{f"cohort_{kind}": Count("pk", filter=Q(cohort=kind)) for kind in CohortKind.values},
    )
    by_rag = cohort.with_rag_on(day).order_by().values("rag_now").annotate(n=Count("pk"))  # type: ignore[misc]  # annotated by with_rag_on
    rags = {row["rag_now"]: row["n"] for row in by_rag}
    genders = Counter[str]()
    for gender, n in cohort.order_by().values_list("person__gender").annotate(n=Count("pk")):
        genders[gender if gender in GENDERS else "not_stated"] += n
    group_of = dict(ReferenceCode.objects.of(partnership, ReferenceList.ETHNICITY).values_list("code", "group"))
    by_group = Counter[str]()
    for code, n in cohort.order_by().values_list("person__ethnicity").annotate(n=Count("pk")):
        by_group[group_of.get(code) or NOT_STATED] += n
    by_band = Counter[str]()
    people = cohort.order_by().values_list("person__date_of_birth", "person__age", "person__age_recorded_on")
    for dob, age, recorded, n in people.annotate(n=Count("pk")):
        years = age_on(dob, age, recorded, day)
        band = next((label for label, low, high in AGE_BANDS if years is not None and low <= years <= high), None)
        by_band[band or NOT_KNOWN_AGE] += n
    bands = [{"band": label, "count": by_band[label]} for label, _low, _high in AGE_BANDS]
    if by_band[NOT_KNOWN_AGE]:
        bands.append({"band": NOT_KNOWN_AGE, "count": by_band[NOT_KNOWN_AGE]})
    return {
        "total": counts["total"],
        "statutory": counts["statutory"],
        "non_statutory": counts["non_statutory"],
        "rag": {rag: rags.get(rag, 0) for rag in Rag.values},
        "by_cohort": {kind: counts[f"cohort_{kind}"] for kind in CohortKind.values},
        "ethnic_group": [{"group": group, "count": by_group[group]} for group in ethnic_groups(partnership)],
        "gender": {gender: genders[gender] for gender in GENDERS},
        "age_band": bands,
    }


def _window_filters(day: datetime.date) -> dict[str, Q]:
    """Offences in each window of a stay reached through person__iom_stays (one join row per offence and stay)."""
    stay = "person__iom_stays__"
    ended = Q(**{f"{stay}left_on__isnull": False, f"{stay}left_on__lte": day})
    return {
        "before": Q(offence_date__gte=F(f"{stay}before_from"), offence_date__lt=F(f"{stay}adopted_on")),
        "during": Q(offence_date__gte=F(f"{stay}adopted_on"), offence_date__lte=day)
        & (Q(**{f"{stay}left_on__isnull": True}) | Q(offence_date__lt=F(f"{stay}left_on"))),
        "after": ended
        & Q(offence_date__gte=F(f"{stay}left_on"), offence_date__lt=F(f"{stay}after_until"), offence_date__lte=day),
    }


def _unit_cost() -> Coalesce:
    """The rate of the offence's group in force on its date; an offence older than every rate takes the earliest."""
    rates = CostOfCrime.objects.filter(
        partnership_id=OuterRef("partnership_id"), offence_group=OuterRef("offence_group")
    )
    in_force = rates.filter(effective_from__lte=OuterRef("offence_date")).order_by("-effective_from")
    return Coalesce(
        Subquery(in_force.values("unit_cost")[:1]),
        Subquery(rates.order_by("effective_from").values("unit_cost")[:1]),
        0,
        output_field=IntegerField(),
    )


def _person_years(partnership: Any, day: datetime.date) -> dict[str, float]:
    days = dict.fromkeys(WINDOWS, 0)
    after_day = day + datetime.timedelta(days=1)
    stays = CohortStay.objects.of(partnership.pk).filter(adopted_on__lte=day)
    for adopted, left, before_from in stays.values_list("adopted_on", "left_on", "before_from").iterator():
        days["before"] += (adopted - before_from).days
        if left is not None and left <= day:
            days["during"] += (left - adopted).days
            days["after"] += (min(add_years(left, 1), after_day) - left).days
        else:
            days["during"] += (after_day - adopted).days
    return {window: days[window] / DAYS_PER_YEAR for window in WINDOWS}


def _price_year(partnership: Any, day: datetime.date) -> str:
    years = CostOfCrime.objects.of(partnership.pk).in_force_on(day).values_list("price_year", flat=True)
    return "; ".join(sorted(set(years)))


def _offending(partnership: Any, day: datetime.date) -> dict[str, Any]:
    person_years = _person_years(partnership, day)
    price_year = _price_year(partnership, day)
    base = Offence.objects.filter(
        partnership=partnership,
        person__iom_stays__partnership=partnership,
        person__iom_stays__adopted_on__lte=day,
    )
    result = {}
    for window, condition in _window_filters(day).items():
        totals = base.filter(condition).annotate(unit_cost=_unit_cost()).aggregate(n=Count("pk"), cost=Sum("unit_cost"))
        years = person_years[window]
        result[window] = {
            "offences_per_person_year": round_half_away(totals["n"] / years, 1) if years else None,
            "cost_per_person_year": int(round_half_away((totals["cost"] or 0) / years, 0)) if years else None,
            "price_year": price_year,
        }
    return result


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    profile = _profile(partnership, date_to)
    _prev_from, prev_to = previous_period(date_from, date_to)
    before = CohortStay.objects.of(partnership.pk).in_cohort_on(prev_to).count()
    return {
        "report": SLUG,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "cohort": profile,
        "offending": _offending(partnership, date_to),
        "change": {"total": profile["total"] - before},
    }


def _pounds(value: Any) -> Any:
    return value if value is None else int(value)


def tables(result: dict[str, Any]) -> list[Table]:
    cohort = result["cohort"]
    day = result["period"]["to"]
    return [
        Table(
            key="cohort",
            caption=f"The IOM cohort on {day}",
            columns=["Measure", "People"],
            rows=[
                ["In the cohort", cohort["total"]],
                ["Statutory (on licence, managed by probation)", cohort["statutory"]],
                ["Non-statutory (managed by IOM police)", cohort["non_statutory"]],
            ],
            chart=False,
            notes=[f"Change since the end of the previous period: {result['change']['total']:+d}."],
        ),
        Table(
            key="rag",
            caption="Risk and vulnerability (RAG)",
            columns=["RAG status", "People"],
            rows=[[Rag(rag).label, n] for rag, n in cohort["rag"].items()],
            total=["Total", cohort["total"]],
        ),
        Table(
            key="by_cohort",
            caption="Cohort",
            columns=["Cohort", "People"],
            rows=[[CohortKind(kind).label, n] for kind, n in cohort["by_cohort"].items()],
            chart=False,
        ),
        Table(
            key="ethnic_group",
            caption="Ethnic group",
            columns=["Ethnic group", "People"],
            rows=[[item["group"], item["count"]] for item in cohort["ethnic_group"]],
            total=["Total", cohort["total"]],
        ),
        Table(
            key="gender",
            caption="Gender",
            columns=["Gender", "People"],
            rows=[[Gender(code).label, n] for code, n in cohort["gender"].items()],
            total=["Total", cohort["total"]],
        ),
        Table(
            key="age_band",
            caption="Age on the period's last day",
            columns=["Age band", "People"],
            rows=[[item["band"], item["count"]] for item in cohort["age_band"]],
            total=["Total", cohort["total"]],
        ),
        Table(
            key="offending",
            caption="Offending per person-year before, during and after the cohort",
            columns=["Window", "Offences per person-year", "Cost of crime per person-year (£)", "Price year"],
            rows=[
                [
                    label,
                    result["offending"][window]["offences_per_person_year"],
                    _pounds(result["offending"][window]["cost_per_person_year"]),
                    result["offending"][window]["price_year"],
                ]
                for window, label in (
                    ("before", "12 months before joining"),
                    ("during", "During the cohort"),
                    ("after", "Up to 12 months after leaving"),
                )
            ],
            counts=(),
            numbers=(1, 2),
            chart_column=2,
            notes=[
                "Each offence is priced at the unit cost of its group in the partnership's cost-of-crime table in force "
                "on the offence date (Home Office figures unless the partnership has its own).",
                "Person-years: the days of each window summed over every stay, divided by 365.25.",
            ],
        ),
    ]


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    return CohortStay.objects.of(partnership.pk).filter(adopted_on__lte=date_to).count()


KIND = register(
    ReportKind(
        slug=SLUG,
        title="Integrated Offender Management",
        description=(
            "The IOM cohort on the period's last day (management, RAG, cohort, ethnic group, gender, age) and its "
            "offences and cost of crime per person-year before, during and after the cohort."
        ),
        build=build,
        tables=tables,
        count_rows=count_rows,
    )
)
