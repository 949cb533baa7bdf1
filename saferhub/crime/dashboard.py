"""The crime dashboard (return `crime-dashboard`): counts, changes, rates, ranks, exceptions and RAG.

The board's summary dashboard (seed 003, agenda item 12) for one local authority. Every
count is summed by the database, grouped by month or by area, in a fixed number of
queries whatever the size of the data; Python only compares the few dozen sums it gets
back (ranks among 33 boroughs, the mean and spread of 24 monthly totals).
"""

import datetime
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, Sum

from saferhub.crime.models import Commentary, CrimeGroup, Level, Publisher, RecordedCrime
from saferhub.places.population import populations_for
from saferhub.reporting.periods import financial_quarter, round_half_away
from saferhub.reporting.service import ReportError

SLUG = "crime-dashboard"
TOTAL_NAME = "All crime"
MEASURE = "residents"
# Months of history each month is compared with for exceptions, and the spread allowed.
BASELINE_MONTHS = 24
SPREAD = 2
WINDOW = 12 + BASELINE_MONTHS


class DashboardError(ReportError):
    """The dashboard cannot be built; the message says what to set up."""


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def label(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def change_percent(count: int, previous: int) -> float | None:
    if not previous:
        return None
    return round_half_away((count - previous) * 100 / previous, 1)


@dataclass(frozen=True)
class Group:
    """A row of the dashboard: a major category, a partnership's group of minor categories, or all crime."""

    key: str
    name: str
    major: str | None = None
    minors: tuple[str, ...] | None = None

    @property
    def filter(self) -> Q:
        if self.major is not None:
            return Q(major=self.major)
        if self.minors is not None:
            return Q(minor__in=self.minors)
        return Q()


def _months_sums(base: Any, groups: Sequence[Group], dimension: str) -> dict[Any, dict[str, int]]:
    """{dimension value: {group key: sum}} for every group, in one grouped query."""
    measures = {group.key: Sum("count", filter=group.filter) for group in groups}
    rows = base.values(dimension).annotate(**measures).order_by()
    return {row[dimension]: {group.key: row[group.key] or 0 for group in groups} for row in rows}


def _population(partnership: Any, codes: Sequence[str], end: datetime.date) -> dict[str, tuple[int, int]]:
    """{area code: (year, residents)} by the rule for rates (one query)."""
    figures = populations_for(partnership, codes, MEASURE, end)
    return {code: (figure.year, figure.value) for code, figure in figures.items() if figure.value > 0}


def _rank(rates: dict[str, float], code: str) -> dict[str, int] | None:
    """1 is the lowest rate; equal rates share a rank."""
    if code not in rates:
        return None
    mine = rates[code]
    return {"rank": 1 + sum(1 for rate in rates.values() if rate < mine), "of": len(rates)}


def _exception(value: int, baseline: list[int] | None) -> str | None:
    if baseline is None:
        return None
    mean = statistics.fmean(baseline)
    spread = SPREAD * statistics.stdev(baseline)
    if value > mean + spread:
        return "high"
    if value < mean - spread:
        return "low"
    return None


def _ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def _count_factor(what: str, count: int, previous: int, percent: float | None) -> tuple[bool, str]:
    if count < previous:
        return True, f"Decrease in the {what} vs one year ago ({percent:+.1f}%)"
    if count > previous:
        shown = f" ({percent:+.1f}%)" if percent is not None else f" (from {previous} to {count})"
        return False, f"Increase in the {what} vs one year ago{shown}"
    return False, f"No change in the {what} vs one year ago"


def _rank_factor(what: str, now: dict[str, int] | None, before: dict[str, int] | None) -> tuple[bool, str] | None:
    if now is None or before is None:
        return None
    position = f"{_ordinal(now['rank'])} lowest rate of {now['of']}"
    if now["rank"] < before["rank"]:
        return True, f"{what} improved: {position} ({_ordinal(before['rank'])} a year ago)"
    if now["rank"] == before["rank"]:
        return True, f"{what} unchanged: {position}"
    return False, f"{what} worsened: {position} ({_ordinal(before['rank'])} a year ago)"


def rag(indicators: list[bool]) -> str | None:
    if not indicators:
        return None
    if all(indicators):
        return "green"
    return "amber" if any(indicators) else "red"


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, area: str = "") -> dict[str, Any]:
    code = area or next(iter(partnership.areas or []), "")
    if not code:
        raise DashboardError(
            "The partnership has no area: set its local authority (areas) in the partnership set-up first."
        )
    last = date_to.replace(day=1)
    start = add_months(last, -(WINDOW - 1))
    year_start, previous_start = add_months(last, -11), add_months(last, -23)
    quarter_start = add_months(last, -2)
    months = [add_months(start, index) for index in range(WINDOW)]

    counts = RecordedCrime.objects.filter(partnership=partnership, publisher=Publisher.MPS)
    borough = counts.filter(level=Level.BOROUGH)
    series_base = borough.filter(area_code=code, month__range=(start, last))
    area_name = series_base.aggregate(name=Max("area_name"))["name"]
    if area_name is None:
        raise DashboardError(
            f"No police recorded crime for {code} in the 36 months to {label(last)}: import the MPS borough file first."
        )
    majors = sorted(
        series_base.filter(month__range=(year_start, last)).values_list("major", flat=True).distinct().order_by()
    )
    groups = [Group(f"m{index}", major, major=major) for index, major in enumerate(majors)]
    custom = list(CrimeGroup.objects.filter(partnership=partnership, active=True))
    groups += [
        Group(f"c{index}", group.name, minors=tuple(group.minor_categories)) for index, group in enumerate(custom)
    ]
    total = Group("total", TOTAL_NAME)
    every = [*groups, total]

    by_month = _months_sums(series_base, every, "month")
    by_area_now = _months_sums(borough.filter(ranked=True, month__range=(year_start, last)), every, "area_code")
    by_area_before = _months_sums(
        borough.filter(ranked=True, month__range=(previous_start, add_months(last, -12))), every, "area_code"
    )
    areas = sorted(set(by_area_now) | set(by_area_before) | {code})
    # The population rule works on the period's end: the rolling year's, and the year before's.
    population_now = _population(partnership, areas, _month_end(last))
    population_before = _population(partnership, areas, _month_end(add_months(last, -12)))
    now_population = population_now.get(code)
    peers = set(partnership.peer_group or []) | {code}
    commentary = dict(
        Commentary.objects.filter(partnership=partnership, quarter=financial_quarter(last)).values_list("group", "text")
    )

    def rates(
        sums: dict[str, dict[str, int]], key: str, population: dict[str, tuple[int, int]], among: set[str] | None
    ) -> dict[str, float]:
        return {
            area_code: values[key] * 1000 / population[area_code][1]
            for area_code, values in sums.items()
            if area_code in population and (among is None or area_code in among)
        }

    def series(key: str, first: datetime.date, last_month: datetime.date) -> int:
        return sum(by_month.get(month, {}).get(key, 0) for month in months if first <= month <= last_month)

    def one(group: Group) -> dict[str, Any]:
        quarter = series(group.key, quarter_start, last)
        quarter_before = series(group.key, add_months(quarter_start, -12), add_months(last, -12))
        year = series(group.key, year_start, last)
        year_before = series(group.key, previous_start, add_months(last, -12))
        area_rank = _rank(rates(by_area_now, group.key, population_now, None), code)
        area_rank_before = _rank(rates(by_area_before, group.key, population_before, None), code)
        peer_rank = _rank(rates(by_area_now, group.key, population_now, peers), code)
        peer_rank_before = _rank(rates(by_area_before, group.key, population_before, peers), code)
        monthly = []
        for index in range(BASELINE_MONTHS, WINDOW):
            month = months[index]
            value = by_month.get(month, {}).get(group.key, 0)
            window = months[index - BASELINE_MONTHS : index]
            baseline = [by_month[m][group.key] for m in window] if all(m in by_month for m in window) else None
            monthly.append({"month": label(month), "count": value, "exception": _exception(value, baseline)})
        quarter_change = change_percent(quarter, quarter_before)
        year_change = change_percent(year, year_before)
        judged = [
            _count_factor("rolling year", year, year_before, year_change),
            _count_factor("recent quarter", quarter, quarter_before, quarter_change),
            _rank_factor("London rank", area_rank, area_rank_before),
            _rank_factor("Peer rank", peer_rank, peer_rank_before),
        ]
        factors = [item for item in judged if item is not None]
        rate = round_half_away(year * 1000 / now_population[1], 2) if now_population else None
        return {
            "name": group.name,
            "recent_quarter": {
                "from": label(quarter_start),
                "to": label(last),
                "count": quarter,
                "previous": quarter_before,
                "change_percent": quarter_change,
            },
            "rolling_year": {
                "from": label(year_start),
                "to": label(last),
                "count": year,
                "previous": year_before,
                "change_percent": year_change,
            },
            "rate_per_1000": rate,
            "area_rank": area_rank,
            "peer_rank": peer_rank,
            "months": monthly,
            "factors": [text for _, text in factors],
            "rag": rag([better for better, _ in factors]),
            "commentary": commentary.get(group.name),
        }

    result: dict[str, Any] = {
        "report": SLUG,
        "area": {"code": code, "name": area_name},
        "last_month": label(last),
        "population": {"measure": MEASURE, "year": now_population[0]} if now_population else None,
        "groups": [one(group) for group in groups],
        "total": one(total),
    }
    wards = _wards(partnership, code, last)
    if wards is not None:
        result["wards"] = wards
    return result


def _wards(partnership: Any, code: str, last: datetime.date) -> list[dict[str, Any]] | None:
    """Ward totals over the rolling year, when ward-level data covers all of it."""
    year_start, previous_start = add_months(last, -11), add_months(last, -23)
    ward_counts = RecordedCrime.objects.filter(
        partnership=partnership, publisher=Publisher.MPS, level=Level.WARD, authority_code=code
    )
    covered = ward_counts.filter(month__range=(year_start, last)).values("month").distinct().count()
    if covered < 12:
        return None
    previous_covered = (
        ward_counts.filter(month__range=(previous_start, add_months(last, -12))).values("month").distinct().count()
        == 12
    )
    rows = (
        ward_counts.filter(month__range=(previous_start, last))
        .values("area_code")
        .annotate(
            name=Max("area_name"),
            rolling_year=Sum("count", filter=Q(month__gte=year_start)),
            previous=Sum("count", filter=Q(month__lt=year_start)),
        )
        .order_by()
    )
    # A year before that the ward data does not wholly cover has no comparison (null), not a partial one.
    wards = [
        {
            "code": row["area_code"],
            "name": row["name"],
            "rolling_year": row["rolling_year"] or 0,
            "previous": (row["previous"] or 0) if previous_covered else None,
            "change_percent": change_percent(row["rolling_year"] or 0, row["previous"] or 0)
            if previous_covered
            else None,
        }
        for row in rows
    ]
    return sorted(wards, key=lambda ward: (-ward["rolling_year"], ward["name"].casefold(), ward["code"]))


def group_named(partnership: Any, name: str) -> Group:
    """The dashboard row of that name: all crime, a partnership's group, or else a major category."""
    if name == TOTAL_NAME:
        return Group("total", TOTAL_NAME)
    custom = CrimeGroup.objects.filter(partnership=partnership, active=True, name=name).first()
    if custom is not None:
        return Group("g", name, minors=tuple(custom.minor_categories))
    return Group("g", name, major=name)


def trend(partnership: Any, code: str, last: datetime.date, group: Group, length: int = 36) -> list[dict[str, Any]]:
    """The group's last `length` monthly counts, each with its exception, from one grouped query."""
    return _trends(partnership, code, last, [group], length)[group.key]


def trends(partnership: Any, code: str, last: datetime.date, names: Sequence[str], length: int = 36) -> dict[str, Any]:
    """{row name: its last `length` months with exceptions} for the dashboard's rows, in one grouped query."""
    custom = {
        group.name: group
        for group in CrimeGroup.objects.filter(partnership=partnership, active=True, name__in=list(names))
    }
    groups = []
    for index, name in enumerate(names):
        key = f"g{index}"
        if name == TOTAL_NAME:
            groups.append(Group(key, name))
        elif name in custom:
            groups.append(Group(key, name, minors=tuple(custom[name].minor_categories)))
        else:
            groups.append(Group(key, name, major=name))
    points = _trends(partnership, code, last, groups, length)
    return {group.name: points[group.key] for group in groups}


def _trends(
    partnership: Any, code: str, last: datetime.date, groups: Sequence[Group], length: int
) -> dict[str, list[dict[str, Any]]]:
    start = add_months(last, -(length + BASELINE_MONTHS - 1))
    base = RecordedCrime.objects.filter(
        partnership=partnership,
        publisher=Publisher.MPS,
        level=Level.BOROUGH,
        area_code=code,
        month__range=(start, last),
    )
    sums = _months_sums(base, groups, "month")
    months = [add_months(start, index) for index in range(length + BASELINE_MONTHS)]
    out: dict[str, list[dict[str, Any]]] = {}
    for group in groups:
        points = []
        for index in range(BASELINE_MONTHS, len(months)):
            window = months[index - BASELINE_MONTHS : index]
            baseline = [sums[m][group.key] for m in window] if all(m in sums for m in window) else None
            value = sums.get(months[index], {}).get(group.key, 0)
            points.append({"month": label(months[index]), "count": value, "exception": _exception(value, baseline)})
        out[group.key] = points
    return out
