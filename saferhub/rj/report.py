"""The `rj` return (INTERCHANGE.md, "Import rj-cases and return rj"; docs/rj.md gives the shape).

Each figure belongs to the period in which its own date falls: referrals by `referred_on`,
screening by `screened_on`, consent by the party's `consent_on`, interventions by
`intervention_on`, outcomes by the day the case closed, satisfaction by the follow-up day,
onward referrals by the day the provider was asked. The Victim Care Hub's Right 3 figures are
the hub's referrals received in the period; the training figures are the activities of the
`restorative_justice` programme (the governance activities register). Counted in the database.
"""

import datetime
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Lower

from saferhub.governance.models import Activity, ActivityKind, Audience
from saferhub.reporting.periods import percent, quarters_overlapping
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table
from saferhub.rj.models import (
    SATISFIED,
    Consent,
    HarmKind,
    InterventionKind,
    Member,
    MemberKind,
    Outcome,
    Party,
    PartyRole,
    ProviderOutcome,
    RjCase,
    Safety,
    Source,
    SpecialistHarm,
    Suitability,
)
from saferhub.rj.setup import PROGRAMME

SLUG = "rj"


def _counts(rows: Any, key: str, codes: list[str]) -> list[dict[str, Any]]:
    found = {row[key]: row["n"] for row in rows}
    return [{key: code, "count": found.get(code, 0)} for code in codes]


def _referrals(cases: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    referred = cases.filter(referred_on__range=(date_from, date_to))
    quarters = quarters_overlapping(date_from, date_to)
    totals = referred.aggregate(
        total=Count("pk"),
        street=Count("pk", filter=Q(street_resolution=True)),
        **{
            f"q{i}_{source}": Count("pk", filter=Q(referred_on__range=(q.start, q.end), source=source))
            for i, q in enumerate(quarters)
            for source in Source.values
        },
        **{f"sh_{code}": Count("pk", filter=Q(specialist_harm=code)) for code in SpecialistHarm.values},
    )
    by_source = referred.order_by().values("source").annotate(n=Count("pk"))
    by_harm = referred.order_by().values("harm_kind").annotate(n=Count("pk"))
    return {
        "total": totals["total"],
        "street_resolutions": totals["street"],
        "by_source": _counts(by_source, "source", Source.values),
        "by_quarter": [
            {
                "quarter": q.label,
                "total": sum(totals[f"q{i}_{source}"] for source in Source.values),
                "by_source": {source: totals[f"q{i}_{source}"] for source in Source.values},
            }
            for i, q in enumerate(quarters)
        ],
        "by_harm": [
            {"harm": row["harm_kind"], "count": row["count"]} for row in _counts(by_harm, "harm_kind", HarmKind.values)
        ],
        "domestic_abuse": totals[f"sh_{SpecialistHarm.DOMESTIC_ABUSE}"],
        "sexual_harm": totals[f"sh_{SpecialistHarm.SEXUAL_HARM}"],
    }


def _consent(cases: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    parties = Party.objects.filter(rj_case__in=cases.values("pk"), consent_on__range=(date_from, date_to))
    counts = parties.aggregate(
        **{
            f"{role}_{consent}": Count("pk", filter=Q(role=role, consent=consent))
            for role in PartyRole.values
            for consent in (Consent.GIVEN, Consent.DECLINED, Consent.WITHDRAWN)
        }
    )
    both = (
        cases.annotate(
            given=Count("parties", filter=Q(parties__consent=Consent.GIVEN)),
            last=Max("parties__consent_on", filter=Q(parties__consent=Consent.GIVEN)),
        )
        .filter(given__gte=2, last__range=(date_from, date_to))
        .count()
    )
    result: dict[str, Any] = {
        role: {consent: counts[f"{role}_{consent}"] for consent in (Consent.GIVEN, Consent.DECLINED, Consent.WITHDRAWN)}
        for role in PartyRole.values
    }
    result["both_consented"] = both
    return result


def _satisfaction(cases: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    parties = Party.objects.filter(
        rj_case__in=cases.filter(followed_up_on__range=(date_from, date_to)).values("pk")
    ).exclude(satisfaction="")
    measures: dict[str, Any] = {}
    for role in [None, *PartyRole.values]:
        scope = Q(role=role) if role else Q()
        prefix = role or "all"
        measures[f"{prefix}_asked"] = Count("pk", filter=scope)
        measures[f"{prefix}_satisfied"] = Count("pk", filter=scope & Q(satisfaction__in=SATISFIED))
        measures[f"{prefix}_safer"] = Count("pk", filter=scope & Q(safety=Safety.SAFER))
    m = parties.aggregate(**measures)

    def figures(prefix: str) -> dict[str, Any]:
        asked = m[f"{prefix}_asked"]
        return {
            "followed_up": asked,
            "satisfied": m[f"{prefix}_satisfied"],
            "satisfied_percent": percent(m[f"{prefix}_satisfied"], asked),
            "feel_safer": m[f"{prefix}_safer"],
            "feel_safer_percent": percent(m[f"{prefix}_safer"], asked),
        }

    return {**figures("all"), "by_role": [{"role": role, **figures(role)} for role in PartyRole.values]}


def _right_3(partnership: Any, cases: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    from saferhub.victims.models import HubReferral

    hub = HubReferral.objects.of(partnership.pk).received_between(date_from, date_to).victims()
    counts = hub.aggregate(victims=Count("pk"), informed=Count("pk", filter=Q(rj_informed_on__isnull=False)))
    referred = cases.filter(source=Source.VICTIM_HUB, referred_on__range=(date_from, date_to)).count()
    return {
        "victims": counts["victims"],
        "rj_informed": counts["informed"],
        "percent_of_victims": percent(counts["informed"], counts["victims"]),
        "referred_to_rj_service": referred,
    }


def _training(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    programme = Activity.objects.of(partnership).filter(programme=PROGRAMME)
    to_date = programme.filter(held_on__lte=date_to)
    training = Q(kind=ActivityKind.TRAINING)
    in_period = Q(held_on__range=(date_from, date_to))
    police, school = Q(audience=Audience.POLICE), Q(audience=Audience.SCHOOL)
    m = to_date.aggregate(
        n_sessions=Count("pk", filter=training & in_period),
        n_participants=Sum("participants", filter=training & in_period, default=0),
        n_officers=Sum("participants", filter=training & in_period & police, default=0),
        n_officers_to_date=Sum("participants", filter=training & police, default=0),
        n_school_staff=Sum("participants", filter=training & in_period & school, default=0),
        n_network_meetings=Count("pk", filter=Q(kind=ActivityKind.NETWORK_MEETING) & in_period),
        n_network_attendance=Sum("participants", filter=Q(kind=ActivityKind.NETWORK_MEETING) & in_period, default=0),
        n_responses=Sum("feedback_responses", filter=in_period, default=0),
        n_positive=Sum("feedback_positive", filter=in_period, default=0),
    )
    schools = (
        to_date.filter(training & school)
        .exclude(organisation="")
        .annotate(name=Lower("organisation"))
        .values("name")
        .distinct()
        .count()
    )
    return {
        "sessions": m["n_sessions"],
        "participants": m["n_participants"],
        "officers_trained": m["n_officers"],
        "officers_trained_to_date": m["n_officers_to_date"],
        "school_staff_trained": m["n_school_staff"],
        "schools_trained_to_date": schools,
        "network_meetings": m["n_network_meetings"],
        "network_attendance": m["n_network_attendance"],
        "feedback": {
            "responses": m["n_responses"],
            "positive": m["n_positive"],
            "positive_percent": percent(m["n_positive"], m["n_responses"]),
        },
    }


def _register(partnership: Any, date_to: datetime.date) -> dict[str, int]:
    members = Member.objects.filter(partnership=partnership, active=True, created_at__date__lte=date_to)
    counts = members.aggregate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in MemberKind.values})
    return {kind: counts[kind] for kind in MemberKind.values}


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    cases = RjCase.objects.of(partnership.pk)
    screened = cases.filter(screened_on__range=(date_from, date_to)).aggregate(
        screened=Count("pk"),
        suitable=Count("pk", filter=Q(suitability=Suitability.SUITABLE)),
        not_suitable=Count("pk", filter=Q(suitability=Suitability.NOT_SUITABLE)),
    )
    interventions = cases.filter(intervention_on__range=(date_from, date_to))
    by_kind = interventions.order_by().values("intervention_kind").annotate(n=Count("pk"))
    closed = cases.filter(closed_on__range=(date_from, date_to)).exclude(outcome="")
    by_outcome = closed.order_by().values("outcome").annotate(n=Count("pk"))
    onward = cases.filter(provider_referred_on__range=(date_from, date_to))
    onward_outcomes = onward.order_by().values("provider_outcome").annotate(n=Count("pk"))
    return {
        "report": SLUG,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "referrals": _referrals(cases, date_from, date_to),
        "screening": screened,
        "consent": _consent(cases, date_from, date_to),
        "interventions": {
            "total": interventions.count(),
            "by_kind": [
                {"kind": row["intervention_kind"], "count": row["count"]}
                for row in _counts(by_kind, "intervention_kind", InterventionKind.values)
            ],
        },
        "outcomes": _counts(by_outcome, "outcome", Outcome.values),
        "satisfaction": _satisfaction(cases, date_from, date_to),
        "onward": {
            "referred": onward.count(),
            "by_outcome": [
                {"outcome": row["provider_outcome"], "count": row["count"]}
                for row in _counts(onward_outcomes, "provider_outcome", ProviderOutcome.values)
            ],
        },
        "right_3": _right_3(partnership, cases, date_from, date_to),
        "training": _training(partnership, date_from, date_to),
        "register": _register(partnership, date_to),
    }


def _pct(value: float | None) -> float | str:
    return "–" if value is None else value


def tables(result: dict[str, Any]) -> list[Table]:
    ref, sat, r3, tr = result["referrals"], result["satisfaction"], result["right_3"], result["training"]
    consent = result["consent"]
    return [
        Table(
            key="by_source",
            caption="Referrals by source",
            columns=["Source", "Referrals"],
            rows=[[Source(row["source"]).label, row["count"]] for row in ref["by_source"]],
            total=["Total", ref["total"]],
            notes=[f"Street resolutions recorded by officers: {ref['street_resolutions']}."],
        ),
        Table(
            key="by_quarter",
            caption="Referrals by quarter",
            columns=["Quarter", "Referrals", *[Source(code).label for code in Source.values]],
            rows=[[q["quarter"], q["total"], *q["by_source"].values()] for q in ref["by_quarter"]],
            counts=tuple(range(1, 2 + len(Source.values))),
            chart=False,
        ),
        Table(
            key="by_harm",
            caption="Referrals by harm",
            columns=["Harm", "Referrals"],
            rows=[
                *[[HarmKind(row["harm"]).label, row["count"]] for row in ref["by_harm"]],
                ["Of which domestic abuse", ref["domestic_abuse"]],
                ["Of which sexual harm", ref["sexual_harm"]],
            ],
            chart=False,
        ),
        Table(
            key="screening",
            caption="Screening and consent",
            columns=["Measure", "Number"],
            rows=[
                ["Cases screened", result["screening"]["screened"]],
                ["Suitable", result["screening"]["suitable"]],
                ["Not suitable", result["screening"]["not_suitable"]],
                ["Persons harmed who consented", consent["harmed"]["given"]],
                ["Persons harmed who declined", consent["harmed"]["declined"]],
                ["Persons responsible who consented", consent["responsible"]["given"]],
                ["Persons responsible who declined", consent["responsible"]["declined"]],
                ["Cases where both parties consented", consent["both_consented"]],
            ],
            chart=False,
        ),
        Table(
            key="interventions",
            caption="Interventions by kind",
            columns=["Intervention", "Number"],
            rows=[[InterventionKind(row["kind"]).label, row["count"]] for row in result["interventions"]["by_kind"]],
            total=["Total", result["interventions"]["total"]],
        ),
        Table(
            key="outcomes",
            caption="Outcomes of cases closed",
            columns=["Outcome", "Cases"],
            rows=[[Outcome(row["outcome"]).label, row["count"]] for row in result["outcomes"]],
        ),
        Table(
            key="satisfaction",
            caption="Satisfaction and feeling of safety at follow-up",
            columns=["Party", "Followed up", "Satisfied", "Satisfied (%)", "Feel safer", "Feel safer (%)"],
            rows=[
                [
                    PartyRole(row["role"]).label,
                    row["followed_up"],
                    row["satisfied"],
                    _pct(row["satisfied_percent"]),
                    row["feel_safer"],
                    _pct(row["feel_safer_percent"]),
                ]
                for row in sat["by_role"]
            ],
            total=[
                "All parties",
                sat["followed_up"],
                sat["satisfied"],
                _pct(sat["satisfied_percent"]),
                sat["feel_safer"],
                _pct(sat["feel_safer_percent"]),
            ],
            counts=(1, 2, 4),
            derived=(3, 5),
            chart=False,
        ),
        Table(
            key="onward",
            caption="Onward referrals to providers",
            columns=["Provider's outcome", "Referrals"],
            rows=[[ProviderOutcome(row["outcome"]).label, row["count"]] for row in result["onward"]["by_outcome"]],
            total=["Total", result["onward"]["referred"]],
        ),
        Table(
            key="right_3",
            caption="Victim Care Hub: Right 3 (restorative justice information)",
            columns=["Measure", "Number", "Per cent of victims"],
            rows=[
                ["Victims referred to the hub", r3["victims"], ""],
                ["Told of their right to restorative justice", r3["rj_informed"], _pct(r3["percent_of_victims"])],
                ["Referred to the restorative justice service", r3["referred_to_rj_service"], ""],
            ],
            derived=(2,),
            chart=False,
        ),
        Table(
            key="training",
            caption="Training and the RJ network",
            columns=["Measure", "Number"],
            rows=[
                ["Training sessions", tr["sessions"]],
                ["People trained", tr["participants"]],
                ["Police officers trained", tr["officers_trained"]],
                ["Police officers trained to date", tr["officers_trained_to_date"]],
                ["School staff trained", tr["school_staff_trained"]],
                ["Schools trained to date", tr["schools_trained_to_date"]],
                ["Network meetings", tr["network_meetings"]],
                ["Network meeting attendance", tr["network_attendance"]],
                ["Feedback responses", tr["feedback"]["responses"]],
                ["Positive feedback (%)", _pct(tr["feedback"]["positive_percent"])],
            ],
            chart=False,
            notes=["From the activities register: activities of the restorative justice programme."],
        ),
        Table(
            key="register",
            caption="RJ Champions, Restorative Practice Leads and volunteers",
            columns=["Role", "Active"],
            rows=[[MemberKind(kind).label, n] for kind, n in result["register"].items()],
            chart=False,
        ),
    ]


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    return RjCase.objects.of(partnership.pk).filter(referred_on__lte=date_to).count()


KIND = register(
    ReportKind(
        slug=SLUG,
        title="Restorative justice",
        description=(
            "Referrals by source and quarter, screening and consent, interventions by kind, outcomes, each "
            "party's satisfaction and feeling of safety, onward referrals to providers, the Victim Care Hub's "
            "Right 3 figures, and the training and network figures of the restorative justice programme."
        ),
        build=build,
        tables=tables,
        count_rows=count_rows,
        marking="OFFICIAL",
    )
)
