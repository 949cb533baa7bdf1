"""Registers the `crime-dashboard` return: its tables for every format, and its own page and document layouts."""

import datetime
from typing import Any

from saferhub.crime import dashboard
from saferhub.crime.models import RecordedCrime
from saferhub.reporting.registry import ReportKind, ReportOption, register
from saferhub.reporting.tables import Table

GLOSSARY = [
    (
        "RAG",
        "Red, amber or green. Green: every indicator of the group is better than a year ago (fewer crimes in the "
        "recent quarter and the rolling year; a London and a peer rank as good or better). Red: none is. Amber: "
        "some are. The indicators are listed beside the rating as positive and negative factors.",
    ),
    (
        "Recent quarter",
        "The last three months to the month the dashboard is for, against the same months a year before.",
    ),
    (
        "Rolling year",
        "The last twelve months to the month the dashboard is for, against the twelve months before them; the "
        "change is the difference as a percentage of the earlier figure.",
    ),
    (
        "Rate per 1,000",
        "Crimes in the rolling year per 1,000 residents, using the population year shown (the latest year not after "
        "the period, or the earliest held).",
    ),
    (
        "London rank",
        "The area's place among the London boroughs with published figures and a population, by rate per 1,000 "
        "residents over the rolling year: 1 is the lowest rate. Airports and other areas that are not boroughs are "
        "never ranked.",
    ),
    (
        "Peer rank",
        "The same rank among the partnership's 'Most Similar Group' of peer areas and the area itself.",
    ),
    (
        "Monthly exceptions",
        "A month whose count lies outside the mean plus or minus two standard deviations of the 24 months before it: "
        "unusually high or low volume.",
    ),
    ("Ward table", "Crimes by ward over the rolling year, from the ward-level publication; largest first."),
]


def rank_text(rank: dict[str, int] | None) -> str:
    return f"{rank['rank']}/{rank['of']}" if rank else "not ranked"


def rag_text(value: str | None) -> str:
    return value.capitalize() if value else "Not rated"


def month_text(month: str) -> str:
    return datetime.date.fromisoformat(f"{month}-01").strftime("%B %Y")


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [*result["groups"], result["total"]]


def tables(result: dict[str, Any]) -> list[Table]:
    rows = _rows(result)
    last = rows[0]["months"] if rows else []
    summary = Table(
        key="summary",
        caption=f"Summary dashboard: {result['area']['name']}, to {month_text(result['last_month'])}",
        sheet_name="Summary",
        columns=[
            "Crime group",
            "RAG",
            "Recent quarter",
            "A year before",
            "Change (%)",
            "Rolling year",
            "A year before ",
            "Change (%) ",
            "Rate per 1,000",
            "London rank",
            "Peer rank",
            "Positive / negative factors",
        ],
        rows=[
            [
                group["name"],
                rag_text(group["rag"]),
                group["recent_quarter"]["count"],
                group["recent_quarter"]["previous"],
                group["recent_quarter"]["change_percent"],
                group["rolling_year"]["count"],
                group["rolling_year"]["previous"],
                group["rolling_year"]["change_percent"],
                group["rate_per_1000"],
                rank_text(group["area_rank"]),
                rank_text(group["peer_rank"]),
                "; ".join(group["factors"]),
            ]
            for group in rows
        ],
        counts=(5, 2, 3, 6),
        derived=(4, 7, 8),
        chart_column=5,
        # The Office formats draw their own summary chart (groups only, beside the year before).
        chart=False,
        notes=(
            f"Population: {_population_note(result)}.",
            "Ranks: 1 is the lowest rate per 1,000 residents over the rolling year.",
        ),
    )
    monthly = Table(
        key="months",
        caption="Monthly counts (exceptions: unusually high or low volume)",
        sheet_name="Months",
        columns=["Crime group", *[month_text(item["month"]) for item in last]],
        rows=[[group["name"], *[_month_cell(item) for item in group["months"]]] for group in rows],
        counts=tuple(range(1, len(last) + 1)),
        chart=False,
    )
    out = [summary, monthly]
    if "wards" in result:
        out.append(
            Table(
                key="wards",
                caption="Wards: crimes in the rolling year",
                sheet_name="Wards",
                columns=["Ward", "ONS code", "Rolling year", "A year before", "Change (%)"],
                rows=[
                    [ward["name"], ward["code"], ward["rolling_year"], ward["previous"], ward["change_percent"]]
                    for ward in result["wards"]
                ],
                counts=(2, 3),
                derived=(4,),
            )
        )
    commentary = [[group["name"], group["commentary"]] for group in rows if group.get("commentary")]
    if commentary:
        out.append(
            Table(
                key="commentary",
                caption="Analyst's commentary",
                sheet_name="Commentary",
                columns=["Crime group", "Commentary"],
                rows=commentary,
                counts=(),
                chart=False,
            )
        )
    out.append(
        Table(
            key="glossary",
            caption="Glossary",
            sheet_name="Glossary",
            columns=["Term", "Explanation"],
            rows=[list(item) for item in GLOSSARY],
            counts=(),
            chart=False,
        )
    )
    return out


def _month_cell(item: dict[str, Any]) -> Any:
    return f"{item['count']} ({item['exception']})" if item["exception"] else item["count"]


def _population_note(result: dict[str, Any]) -> str:
    population = result.get("population")
    if not population:
        return "none held for the area, so no rate or rank"
    return f"{population['measure']} in {population['year']}"


def default_from(date_to: datetime.date) -> datetime.date:
    return dashboard.add_months(date_to.replace(day=1), -11)


def _render(fmt: str) -> Any:
    def render(report: Any) -> bytes:
        from saferhub.crime import documents

        return documents.RENDERERS[fmt](report)

    return render


def count_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """Published counts the dashboard reads: every area's months in the 36 before the last month."""
    first = dashboard.add_months(date_to.replace(day=1), -35)
    return RecordedCrime.objects.filter(partnership=partnership, month__range=(first, date_to)).count()


KIND = register(
    ReportKind(
        slug=dashboard.SLUG,
        title="Crime dashboard",
        description=(
            "Police recorded crime for the partnership's area: the recent quarter and the rolling year against a "
            "year before, rates, London and peer ranks, monthly exceptions and a RAG rating per crime group."
        ),
        build=dashboard.build,
        count_rows=count_rows,
        tables=tables,
        options=(ReportOption("area", "Area", help="ONS code of the local authority, if not the partnership's"),),
        default_from=default_from,
        renderers={"html": _render("html"), "docx": _render("docx"), "xlsx": _render("xlsx")},
        marking="OFFICIAL",
    )
)
