"""Return `victim-hub`: the Victim Care Hub's quarterly return, as INTERCHANGE.md defines it.

Every measure is defined in docs/victim-hub.md. In short: a referral counts in the
period when its `received_on` falls in it, whatever was decided about it; "victims"
are referrals of kind `victim`; every other measure is a property of those referrals
as recorded when the return is run. All counting is done by the database in a fixed
number of queries, whatever the size of the data. The keys the specification
defines come first, in its order; the equality-monitoring and outcome keys follow.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Avg, Count, F, Q, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce

from saferhub.cases.models import CaseStatus, ReferralSource
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people.models import Gender, YesNoUnknown
from saferhub.reporting.grouping import grouped_counts
from saferhub.reporting.periods import Period, months_overlapping, percent, quarter_number, quarters_overlapping
from saferhub.reporting.periods import round_half_away as rounded
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table
from saferhub.victims.models import HubReferral, QuarterlyTarget, ReferralKind, SupportDelivered, VictimType

SLUG = "victim-hub"
SELF_REFERRAL = "Self-referral"
ANONYMOUS = "Anonymous referral"
UNKNOWN_AGENCY = "Agency not recorded"
NOT_KNOWN = "not_known"
AGE_BANDS: list[tuple[str, int | None, int | None]] = [
    ("0-17", 0, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, None),
]


def _by_count_then_name(rows: Iterable[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: (-row["count"], str(row[name]).casefold(), str(row[name])))


def _source_expressions() -> tuple[CaseWhen, CaseWhen]:
    """The referring organisation and its group (its parent agency, or itself when it has none)."""
    agency = Q(referral__source=ReferralSource.AGENCY)
    self_referral = Q(referral__source=ReferralSource.SELF)
    organisation = CaseWhen(
        When(agency, then=Coalesce(F("referral__from_agency__name"), Value(UNKNOWN_AGENCY))),
        When(self_referral, then=Value(SELF_REFERRAL)),
        default=Value(ANONYMOUS),
    )
    group = CaseWhen(
        When(
            agency,
            then=Coalesce(
                F("referral__from_agency__parent__name"), F("referral__from_agency__name"), Value(UNKNOWN_AGENCY)
            ),
        ),
        When(self_referral, then=Value(SELF_REFERRAL)),
        default=Value(ANONYMOUS),
    )
    return organisation, group


def _measures(quarters: list[Period], months: list[Period], date_from: datetime.date, date_to: datetime.date) -> dict:
    victim = Q(referral_kind=ReferralKind.VICTIM)
    reported = victim & Q(reported_to_police=YesNoUnknown.YES)
    measures: dict[str, Any] = {
        "total": Count("pk"),
        "victims": Count("pk", filter=victim),
        "direct": Count("pk", filter=victim & Q(victim_type=VictimType.DIRECT)),
        "indirect": Count("pk", filter=victim & Q(victim_type=VictimType.INDIRECT)),
        "crime_prevention": Count("pk", filter=Q(referral_kind=ReferralKind.CRIME_PREVENTION)),
        "reported": Count("pk", filter=reported),
        "not_reported": Count("pk", filter=victim & Q(reported_to_police=YesNoUnknown.NO)),
        "not_known": Count("pk", filter=victim & Q(reported_to_police=YesNoUnknown.UNKNOWN)),
        "assisting": Count("pk", filter=reported & Q(assisting_investigation=YesNoUnknown.YES)),
        "vcop_informed": Count("pk", filter=victim & Q(vcop_informed_on__isnull=False)),
        "rj_informed": Count("pk", filter=victim & Q(rj_informed_on__isnull=False)),
        "contacted": Count("pk", filter=Q(first_contact_on__isnull=False)),
        "contacted_in_time": Count("pk", filter=Q(first_contact_on__lte=F("first_contact_due_on"))),
        "closed": Count("pk", filter=Q(referral__case__status=CaseStatus.CLOSED)),
    }
    for name, start, end in (
        ("satisfaction", "satisfaction_start", "satisfaction_end"),
        ("safety", "safety_start", "safety_end"),
    ):
        both = Q(**{f"{start}__isnull": False, f"{end}__isnull": False})
        measures[f"{name}_scored"] = Count("pk", filter=both)
        measures[f"{name}_improved"] = Count("pk", filter=both & Q(**{f"{end}__gt": F(start)}))
        measures[f"{name}_avg_start"] = Avg(start, filter=both)
        measures[f"{name}_avg_end"] = Avg(end, filter=both)
    for prefix, periods in (("q", quarters), ("m", months)):
        for index, period in enumerate(periods):
            within = (max(period.start, date_from), min(period.end, date_to))
            measures[f"{prefix}{index}"] = Count("pk", filter=Q(received_on__range=within))
    return measures


def _targets(partnership: Any, quarters: list[Period]) -> list[dict[str, Any]]:
    keys = [(q.start.year if q.start.month >= 4 else q.start.year - 1, quarter_number(q.start)) for q in quarters]
    wanted = Q(pk__in=[])
    for year, number in keys:
        wanted |= Q(year=year, quarter=number)
    set_targets = {
        (row["year"], row["quarter"]): row["referrals"]
        for row in QuarterlyTarget.objects.filter(partnership=partnership)
        .filter(wanted)
        .values("year", "quarter", "referrals")
    }
    return [{"quarter": q.label, "target": set_targets.get(key)} for q, key in zip(quarters, keys, strict=True)]


def _breakdown_sets() -> dict[str, dict[str, Any]]:
    """Every breakdown of the return, counted together in one read of the period's rows."""
    organisation, group = _source_expressions()
    band = CaseWhen(
        *[
            When(
                Q(age_at_referral__gte=low) & (Q(age_at_referral__lte=high) if high is not None else Q()),
                then=Value(label),
            )
            for label, low, high in AGE_BANDS
        ],
        default=Value(NOT_KNOWN),
    )

    def person(field: str, missing: str) -> Coalesce:
        return Coalesce(
            CaseWhen(When(**{f"referral__person__{field}": ""}, then=None), default=F(f"referral__person__{field}")),
            Value(missing),
        )

    return {
        "source": {"organisation": organisation, "group": group},
        "group": {"group": group},
        "crime": {"crime_code": F("crime_type__code"), "crime_label": F("crime_type__label")},
        "band": {"band": band},
        "gender": {"gender": person("gender", NOT_KNOWN)},
        "ethnicity": {"ethnicity": person("ethnicity", NOT_KNOWN)},
        "disability": {"disability": Coalesce(F("referral__person__disability"), Value(YesNoUnknown.UNKNOWN))},
    }


def _demographics(partnership: Any, groups: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    ages = {row["band"]: row["count"] for row in groups["band"]}
    genders = {row["gender"]: row["count"] for row in groups["gender"]}
    disabilities = {row["disability"]: row["count"] for row in groups["disability"]}
    labels = dict(ReferenceCode.objects.of(partnership, ReferenceList.ETHNICITY).values_list("code", "label"))
    total = sum(ages.values())
    return {
        "age_band": [
            _share(label, ages.get(label, 0), total, key="band") for label in [*[b[0] for b in AGE_BANDS], NOT_KNOWN]
        ],
        "gender": [_share(code, genders.get(code, 0), total) for code in [*Gender.values, NOT_KNOWN]],
        "ethnicity": _by_count_then_name(
            (
                {
                    "code": row["ethnicity"],
                    "label": labels.get(row["ethnicity"], "Not known"),
                    "count": row["count"],
                    "percent": percent(row["count"], total),
                }
                for row in groups["ethnicity"]
            ),
            "label",
        ),
        "disability": [_share(code, disabilities.get(code, 0), total) for code in YesNoUnknown.values],
    }


def _share(code: str, count: int, total: int, key: str = "code") -> dict[str, Any]:
    return {key: code, "count": count, "percent": percent(count, total)}


def _average(value: Any) -> float | None:
    return None if value is None else rounded(value)


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    quarters = quarters_overlapping(date_from, date_to)
    months = months_overlapping(date_from, date_to)
    qs = HubReferral.objects.filter(partnership=partnership, received_on__range=(date_from, date_to))
    m = qs.aggregate(**_measures(quarters, months, date_from, date_to))
    total, victims = m["total"], m["victims"]
    # Three reads of the period's rows: the measures, every breakdown (grouping sets), the support given.
    groups = grouped_counts(qs, _breakdown_sets())
    support = (
        SupportDelivered.objects.filter(hub_referral__in=qs.values("pk"))
        .values("support_type__code", "support_type__label")
        .annotate(count=Count("hub_referral", distinct=True))
    )
    targets = _targets(partnership, quarters)
    set_values = [row["target"] for row in targets if row["target"] is not None]
    return {
        "report": SLUG,
        "partnership": partnership.slug,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "referrals": {
            "total": total,
            "by_quarter": [{"quarter": q.label, "count": m[f"q{i}"]} for i, q in enumerate(quarters)],
            "by_month": [{"month": p.label, "count": m[f"m{i}"]} for i, p in enumerate(months)],
            "target": sum(set_values) if set_values else None,
        },
        "by_source": _by_count_then_name(
            ({"organisation": r["organisation"], "group": r["group"], "count": r["count"]} for r in groups["source"]),
            "organisation",
        ),
        "by_group": _by_count_then_name(
            (
                {"group": r["group"], "count": r["count"], "percent": percent(r["count"], total)}
                for r in groups["group"]
            ),
            "group",
        ),
        "by_crime_type": _by_count_then_name(
            ({"code": r["crime_code"], "label": r["crime_label"], "count": r["count"]} for r in groups["crime"]),
            "label",
        ),
        "victim_type": {"direct": m["direct"], "indirect": m["indirect"], "crime_prevention": m["crime_prevention"]},
        "support": _by_count_then_name(
            (
                {"code": r["support_type__code"], "label": r["support_type__label"], "count": r["count"]}
                for r in support
            ),
            "label",
        ),
        "police": {
            "reported": m["reported"],
            "not_reported": m["not_reported"],
            "not_known": m["not_known"],
            "crime_prevention": m["crime_prevention"],
            "assisting": m["assisting"],
            "not_assisting_or_not_known": m["reported"] - m["assisting"],
        },
        "vcop_informed": {"count": m["vcop_informed"], "percent_of_victims": percent(m["vcop_informed"], victims)},
        "rj_informed": {"count": m["rj_informed"], "percent_of_victims": percent(m["rj_informed"], victims)},
        # Additions to the specification's keys ------------------------------------
        "targets_by_quarter": targets,
        "victims": victims,
        "first_contact": {
            "contacted": m["contacted"],
            "within_target": m["contacted_in_time"],
            "percent_within_target": percent(m["contacted_in_time"], m["contacted"]),
        },
        "outcomes": {
            "closed": m["closed"],
            **{
                name: {
                    "scored": m[f"{name}_scored"],
                    "improved": m[f"{name}_improved"],
                    "percent_improved": percent(m[f"{name}_improved"], m[f"{name}_scored"]),
                    "average_start": _average(m[f"{name}_avg_start"]),
                    "average_end": _average(m[f"{name}_avg_end"]),
                }
                for name in ("satisfaction", "safety")
            },
        },
        "demographics": _demographics(partnership, groups),
    }


# Tables for the HTML, XLSX and DOCX outputs ----------------------------------------

_PERCENT = "%"


def _pct(value: float | None) -> float | str:
    # A number, so the spreadsheet holds numbers, not text; blank when there is nothing to divide by.
    return "" if value is None else value


def _against(count: int, target: int | None) -> int | str:
    return "" if target is None else count - target


def _referral_tables(result: dict[str, Any]) -> list[Table]:
    referrals = result["referrals"]
    total = referrals["total"]
    targets = {row["quarter"]: row["target"] for row in result["targets_by_quarter"]}
    target = referrals["target"]
    return [
        Table(
            key="by-quarter",
            caption="Referrals received by quarter, against target",
            columns=["Quarter", "Referrals", "Target", "Referrals minus target"],
            rows=[
                [
                    row["quarter"],
                    row["count"],
                    targets.get(row["quarter"]),
                    _against(row["count"], targets.get(row["quarter"])),
                ]
                for row in referrals["by_quarter"]
            ],
            total=["Total", total, target, _against(total, target)],
            # Derived from the count, so publishing hides it wherever the count is hidden.
            derived=(3,),
            notes=(
                "Target: the referral targets set for the quarters in the period; blank where none is set. "
                "Referrals minus target is negative when fewer referrals were received than the target.",
            ),
        ),
        Table(
            key="by-month",
            caption="Referrals received by month",
            columns=["Month", "Referrals"],
            rows=[[row["month"], row["count"]] for row in referrals["by_month"]],
            total=["Total", total],
        ),
        Table(
            key="by-source",
            caption="Referrals by referring organisation (Table 1)",
            columns=["Organisation", "Group", "Referrals"],
            rows=[[row["organisation"], row["group"], row["count"]] for row in result["by_source"]],
            counts=(2,),
            total=["Total", "", total],
        ),
        Table(
            key="by-group",
            caption="Referrals by group of referring organisations",
            columns=["Group", "Referrals", f"Per cent of referrals ({_PERCENT})"],
            rows=[[row["group"], row["count"], _pct(row["percent"])] for row in result["by_group"]],
            derived=(2,),
            total=["Total", total, ""],
        ),
        Table(
            key="by-crime-type",
            caption="Referrals by crime type (Table 2)",
            columns=["Crime type", "Referrals"],
            rows=[[row["label"], row["count"]] for row in result["by_crime_type"]],
            total=["Total", total],
        ),
        Table(
            key="victim-type",
            caption="Direct and indirect victims and crime prevention referrals",
            columns=["Kind of referral", "Referrals"],
            rows=[
                ["Direct victims", result["victim_type"]["direct"]],
                ["Indirect victims", result["victim_type"]["indirect"]],
                ["Crime prevention (no crime)", result["victim_type"]["crime_prevention"]],
            ],
            total=["Total", total],
        ),
    ]


def _service_tables(result: dict[str, Any]) -> list[Table]:
    police = result["police"]
    return [
        Table(
            key="support",
            caption="Support provided (Table 3)",
            columns=["Support", "Referrals with this support"],
            rows=[[row["label"], row["count"]] for row in result["support"]],
            notes=(
                "A referral counts once for each kind of support it received, so the rows do not add up to a total.",
            ),
        ),
        Table(
            key="police",
            caption="Victims and the police (Table 4)",
            columns=["Measure", "Referrals"],
            rows=[
                ["Victims who reported to the police", police["reported"]],
                ["… of whom assisting the investigation", police["assisting"]],
                ["… of whom not assisting, or not known", police["not_assisting_or_not_known"]],
                ["Victims who did not report to the police", police["not_reported"]],
                ["Victims: not known whether reported", police["not_known"]],
                ["Crime prevention referrals (not counted as victims)", police["crime_prevention"]],
            ],
            # No counts in notes: publishing suppresses table cells only.
            notes=(
                "Victims are the direct and indirect victims of the table of kinds of referral; "
                "crime prevention referrals are not victims.",
            ),
        ),
        Table(
            key="victims-code",
            caption="Victims' Code and restorative justice information",
            columns=["Measure", "Victims", f"Per cent of victims ({_PERCENT})"],
            rows=[
                [
                    "Informed of their Victims' Code rights",
                    result["vcop_informed"]["count"],
                    _pct(result["vcop_informed"]["percent_of_victims"]),
                ],
                [
                    "Informed of their right to restorative justice",
                    result["rj_informed"]["count"],
                    _pct(result["rj_informed"]["percent_of_victims"]),
                ],
            ],
            derived=(2,),
            chart=False,
        ),
        Table(
            key="first-contact",
            caption="First contact within the Victims' Code target, and closure",
            columns=["Measure", "Referrals", f"Per cent of those contacted ({_PERCENT})"],
            rows=[
                ["Contacted successfully", result["first_contact"]["contacted"], ""],
                [
                    "… within the target",
                    result["first_contact"]["within_target"],
                    _pct(result["first_contact"]["percent_within_target"]),
                ],
                ["Closed", result["outcomes"]["closed"], ""],
            ],
            derived=(2,),
            chart=False,
        ),
    ]


def _outcome_table(result: dict[str, Any]) -> Table:
    outcomes = result["outcomes"]
    rows = []
    for name, label in (("satisfaction", "Satisfaction"), ("safety", "Feeling of safety")):
        o = outcomes[name]
        rows.append(
            [
                label,
                o["scored"],
                o["improved"],
                _pct(o["percent_improved"]),
                _pct(o["average_start"]),
                _pct(o["average_end"]),
            ]
        )
    return Table(
        key="outcomes",
        caption="Outcome scores (1 to 10) of referrals scored at the start and the end",
        columns=[
            "Measure",
            "Scored",
            "Improved",
            f"Improved ({_PERCENT})",
            "Average at start",
            "Average at end",
        ],
        rows=rows,
        counts=(1, 2),
        derived=(3, 4, 5),
        chart=False,
        notes=("Scored: referrals with a score at the start of support and at the end.",),
    )


def _demographic_tables(result: dict[str, Any]) -> list[Table]:
    demo = result["demographics"]
    total = result["referrals"]["total"]
    genders = dict(Gender.choices) | {NOT_KNOWN: "Not known"}
    disability = dict(YesNoUnknown.choices)
    column = f"Per cent ({_PERCENT})"
    spec = [
        (
            "age-band",
            "Age at referral",
            "Age band",
            [(r["band"].replace(NOT_KNOWN, "Not known"), r) for r in demo["age_band"]],
        ),
        ("gender", "Gender", "Gender", [(genders.get(r["code"], r["code"]), r) for r in demo["gender"]]),
        ("ethnicity", "Ethnicity", "Ethnicity", [(r["label"], r) for r in demo["ethnicity"]]),
        (
            "disability",
            "Disability",
            "Disability",
            [(disability.get(r["code"], r["code"]), r) for r in demo["disability"]],
        ),
    ]
    return [
        Table(
            key=f"equality-{key}",
            caption=f"Equality monitoring: {caption}",
            columns=[heading, "Referrals", column],
            rows=[[label, r["count"], _pct(r["percent"])] for label, r in rows],
            derived=(2,),
            total=["Total", total, ""],
        )
        for key, caption, heading, rows in spec
    ]


def tables(result: dict[str, Any]) -> list[Table]:
    return [*_referral_tables(result), *_service_tables(result), _outcome_table(result), *_demographic_tables(result)]


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """The hub referrals the return reads: those received in the period (one indexed COUNT)."""
    return HubReferral.objects.filter(partnership=partnership, received_on__range=(date_from, date_to)).count()


KIND = register(
    ReportKind(
        slug=SLUG,
        title="Victim Care Hub quarterly return",
        description=(
            "Referrals by quarter and month against target, by source, group and crime type; support provided; "
            "police reporting; Victims' Code and restorative justice information; equality monitoring."
        ),
        build=build,
        count_rows=count_rows,
        tables=tables,
    )
)
