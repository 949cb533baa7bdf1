"""The Youth Justice KPIs as a return: `youth-justice-kpis` (docs/iom.md).

Not a return of INTERCHANGE.md: a return of our own, so the governance indicators can take a KPI's
value for each quarter (`kpis.<kpi>.value`) and the board papers show the KPIs with their national,
regional and statistical-neighbour comparators. The figures are those entered on the Youth Justice
KPIs page or imported (`youth-justice-kpis`); nothing is counted here.
"""

import datetime
from decimal import Decimal
from typing import Any

from saferhub.iom.models import YjKpi, YjKpiValue
from saferhub.reporting.periods import Period, financial_year_start, quarter_number, quarters_overlapping
from saferhub.reporting.registry import ReportKind, register
from saferhub.reporting.tables import Table

SLUG = "youth-justice-kpis"
FIGURES = ("value", "national", "regional", "statistical_neighbours")
NOT_HELD = "Not held"
NOT_GIVEN = "Not given"
SOURCE_NOTE = (
    "Values as entered on the Youth Justice KPIs page or imported; comparators as published for England and Wales "
    "(national), the region and the statistical neighbours (their average)."
)
BY_QUARTER_NOTE = (
    "The partnership's value in each quarter of the period; the JSON gives each quarter's comparators too."
)


def _number(value: Decimal | None) -> int | float | None:
    """Whole numbers as integers, others as they are held (two places)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _key(quarter: Period) -> tuple[int, int]:
    """(year the financial year starts in, quarter number), as YjKpiValue holds a quarter."""
    return financial_year_start(quarter.start), quarter_number(quarter.start)


def _figures(row: YjKpiValue | None) -> dict[str, Any]:
    return {name: _number(getattr(row, name)) if row is not None else None for name in FIGURES}


def build(partnership: Any, date_from: datetime.date, date_to: datetime.date, **options: Any) -> dict[str, Any]:
    quarters = quarters_overlapping(date_from, date_to)
    wanted = {_key(quarter) for quarter in quarters}
    years = sorted({year for year, _ in wanted})
    held = {
        (row.kpi, row.year, row.quarter): row
        for row in YjKpiValue.objects.filter(partnership=partnership, year__range=(years[0], years[-1]))
        if (row.year, row.quarter) in wanted
    }
    last = quarters[-1]
    kpis = {
        kpi.value: {"label": kpi.label, "quarter": last.label, **_figures(held.get((kpi.value, *_key(last))))}
        for kpi in YjKpi
    }
    # Each quarter after the KPIs, so the figures an indicator should take (`kpis.<kpi>.value`) are listed first.
    by_quarter = [
        {
            "quarter": quarter.label,
            "kpis": {kpi.value: _figures(held.get((kpi.value, *_key(quarter)))) for kpi in YjKpi},
        }
        for quarter in quarters
    ]
    return {
        "report": SLUG,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "kpis": kpis,
        "quarters": by_quarter,
    }


def _shown(value: Any, missing: str) -> Any:
    return missing if value is None else value


def tables(result: dict[str, Any]) -> list[Table]:
    kpis = result["kpis"]
    labels = [entry["quarter"] for entry in result["quarters"]]
    found = [
        Table(
            key="kpis",
            caption=f"Youth Justice KPIs in {labels[-1]}",
            columns=["KPI", "Value", "National", "Regional", "Statistical neighbours"],
            rows=[
                [
                    item["label"],
                    _shown(item["value"], NOT_HELD),
                    *(_shown(item[name], NOT_GIVEN) for name in FIGURES[1:]),
                ]
                for item in kpis.values()
            ],
            counts=(),
            numbers=(1, 2, 3, 4),
            chart=False,
            notes=[SOURCE_NOTE],
        )
    ]
    if len(labels) > 1:
        found.append(
            Table(
                key="by_quarter",
                caption="Youth Justice KPI values by quarter",
                columns=["KPI", *labels],
                rows=[
                    [item["label"], *(_shown(entry["kpis"][code]["value"], NOT_HELD) for entry in result["quarters"])]
                    for code, item in kpis.items()
                ],
                counts=(),
                numbers=tuple(range(1, len(labels) + 1)),
                chart=False,
                notes=[BY_QUARTER_NOTE],
            )
        )
    return found


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    years = (financial_year_start(date_from), financial_year_start(date_to))
    return YjKpiValue.objects.filter(partnership=partnership, year__range=years).count()


KIND = register(
    ReportKind(
        slug=SLUG,
        title="Youth Justice KPIs",
        description=(
            "The Youth Justice Service's KPIs for each quarter of the period (the four long-standing ones and the ten "
            "from April 2023) with their national, regional and statistical-neighbour comparators."
        ),
        build=build,
        tables=tables,
        count_rows=count_rows,
        marking="OFFICIAL",
    )
)
