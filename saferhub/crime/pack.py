"""The crime dashboard's section of the board pack: its tables, its charts and the analyst's commentary.

The board pack (another app) asks for it with ``pack_section(partnership, date_to, publish)`` and
lays it out with the shared document helpers (``reporting.document_layout.add_table`` and
``reporting.document_charts.add_docx_chart`` / ``add_xlsx_chart``). Access is the caller's to
decide (through ``saferhub.policy``) before asking: the section holds published figures only.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from saferhub.crime import dashboard, geography
from saferhub.crime.documents import stop_search_chart, summary_chart, trend_charts, ward_chart
from saferhub.crime.report import month_text, tables
from saferhub.reporting.document_charts import Chart
from saferhub.reporting.periods import financial_quarter
from saferhub.reporting.service import ReportError
from saferhub.reporting.tables import Table, suppress


@dataclass(frozen=True)
class PackSection:
    title: str
    # The dashboard's JSON (the return `crime-dashboard`), for anything the tables leave out.
    result: dict[str, Any]
    # Summary, monthly counts, wards (when held), commentary and glossary, as every return's tables.
    tables: list[Table]
    # The summary chart, the ward chart, stop and search by ward (when placed) and a 36-month trend per group.
    charts: list[Chart]
    quarter: str
    # (crime group, the analyst's commentary for the quarter), in the dashboard's order.
    commentary: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Report:
    """What the chart helpers read from a built report."""

    partnership: Any
    result: dict[str, Any]


def pack_section(partnership: Any, date_to: datetime.date, publish: bool = False) -> PackSection | None:
    """The section for the month of `date_to`, or None when the partnership holds no crime data for it.

    In publish mode the tables' small numbers are suppressed as in every published return.
    """
    try:
        result = dashboard.build(partnership, dashboard.add_months(date_to.replace(day=1), -11), date_to)
    except ReportError:
        return None
    last = date_to.replace(day=1)
    rows = [*result["groups"], result["total"]]
    charts = [chart for chart in (summary_chart(result), ward_chart(result)) if chart is not None]
    if result["area"]["code"] in (partnership.areas or []):
        searches = geography.searches_by_ward(partnership, last)
        if searches is not None:
            charts.append(stop_search_chart(searches))
    charts += [chart for _, _, chart in trend_charts(_Report(partnership, result))]
    shown = tables(result)
    return PackSection(
        title=f"Police recorded crime: {result['area']['name']}, to {month_text(result['last_month'])}",
        result=result,
        tables=[suppress(table) for table in shown] if publish else shown,
        charts=charts,
        quarter=financial_quarter(last),
        commentary=[(row["name"], row["commentary"]) for row in rows if row.get("commentary")],
    )
