"""Return `indicators`: every indicator of the partnership's strategies for a period, with its target,
the same period a year before, the change and its RAG rating with the reason in words.

Each indicator reports the period of its own frequency (quarter or financial year) that
holds the report's last day. Figures from a return are computed afresh by running that
return for the period in the database, so they equal the return run on its own; figures
from a commissioned service are its accepted returns; entered figures are as stored.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower

from saferhub.governance import indicators as figures
from saferhub.governance.models import (
    GoodDirection,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Source,
    Strategy,
)
from saferhub.governance.periods import period_containing, same_period_a_year_before
from saferhub.reporting.periods import Period
from saferhub.reporting.registry import ReportKind, ReportOption, UnknownReport, get_report, register
from saferhub.reporting.service import ReportError
from saferhub.reporting.tables import Table

RAG_KEYS = ("red", "amber", "green", "none")


def _strategies(partnership: Any, name: str) -> Any:
    strategies = Strategy.objects.of(partnership)
    if not name:
        return strategies
    found = strategies.annotate(lname=Lower("name")).filter(lname=name.strip().lower())
    if not found.exists():
        names = ", ".join(f"'{s.name}'" for s in strategies.order_by("name")) or "none yet"
        raise ReportError(f"There is no strategy called '{name}'. The partnership's strategies: {names}.")
    return found


def figure(indicator: Indicator, period: Period, stored: dict[tuple[int, str], Any], cache: dict[Any, Any]) -> Any:
    if indicator.source == Source.ENTERED:
        row = stored.get((indicator.pk, period.label))
        return row.value if row is not None else None
    return figures.compute(indicator, period, cache)


def indicator_row(
    indicator: Indicator,
    date_to: datetime.date,
    stored: dict[tuple[int, str], Any],
    targets: dict[tuple[int, str], Decimal],
    cache: dict[Any, Any],
) -> dict[str, Any]:
    period = period_containing(indicator.frequency, date_to)
    before = same_period_a_year_before(period)
    value = figure(indicator, period, stored, cache)
    previous = figure(indicator, before, stored, cache)
    target = targets.get((indicator.pk, period.label))
    difference, change_percent = figures.change(value, previous)
    rating = figures.rag(indicator, value, target)
    row = stored.get((indicator.pk, period.label))
    return {
        "strategy": indicator.priority.strategy.name,
        "priority": indicator.priority.title,
        "indicator": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "good_direction": indicator.good_direction,
        "source": indicator.source,
        "measure": _measure(indicator),
        "period": period.label,
        "value": figures.as_number(value),
        "target": figures.as_number(target),
        "previous_period": before.label,
        "previous_value": figures.as_number(previous),
        "change": figures.as_number(difference),
        "change_percent": figures.as_number(change_percent),
        "rag": rating.rag,
        "rag_reason": rating.reason,
        "commentary": row.commentary if row is not None else "",
    }


def _measure(indicator: Indicator) -> str:
    if indicator.source == Source.RETURN:
        # The options the return ran with (a panel type) as selectors, like the path's: marac[panel_type=da_marac].
        options = "".join(f"[{name}={value}]" for name, value in sorted(indicator.report_options.items()))
        return f"{indicator.report}{options}:{indicator.measure_path}"
    if indicator.source == Source.PROVIDER and indicator.kpi is not None:
        return f"{indicator.kpi.service.name}: {indicator.kpi.name}"
    return ""


def build_indicators(
    partnership: Any, date_from: datetime.date, date_to: datetime.date, *, strategy: str = "", **options: Any
) -> dict[str, Any]:
    # A strategy or priority archived before the period started is left out; earlier periods keep it.
    live = (Q(priority__archived_at__isnull=True) | Q(priority__archived_at__date__gte=date_from)) & (
        Q(priority__strategy__archived_at__isnull=True) | Q(priority__strategy__archived_at__date__gte=date_from)
    )
    indicators = list(
        Indicator.objects.of(partnership)
        .filter(live, priority__strategy__in=_strategies(partnership, strategy))
        .select_related("priority__strategy", "kpi__service", "partnership")
        .order_by(Lower("priority__strategy__name"), "priority__position", "priority_id", "name", "pk")
    )
    ids = [indicator.pk for indicator in indicators]
    stored = {(row.indicator_id, row.period): row for row in IndicatorValue.objects.filter(indicator_id__in=ids)}
    targets = {
        (row.indicator_id, row.period): row.value for row in IndicatorTarget.objects.filter(indicator_id__in=ids)
    }
    cache: dict[Any, Any] = {}
    rows = [indicator_row(indicator, date_to, stored, targets, cache) for indicator in indicators]
    counts = dict.fromkeys(RAG_KEYS, 0)
    for row in rows:
        counts[row["rag"]] += 1
    return {
        "report": "indicators",
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "rag": counts,
        "indicators": rows,
    }


def _shown(unit: str, value: Any) -> str:
    return figures.format_value(unit, None if value is None else Decimal(str(value)))


def _change(row: dict[str, Any]) -> str:
    if row["change"] is None:
        return "No comparison"
    sign = "+" if row["change"] > 0 else ""
    text = f"{sign}{_shown(row['unit'], row['change'])}"
    if row["change_percent"] is not None:
        text += f" ({sign}{figures.format_number(Decimal(str(row['change_percent'])))}%)"
    better = (row["change"] > 0) == (row["good_direction"] == GoodDirection.UP)
    return text if not row["change"] else f"{text}, {'better' if better else 'worse'}"


RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "Not rated"}


def indicators_tables(result: dict[str, Any]) -> list[Table]:
    rows = result["indicators"]
    return [
        Table(
            key="indicators-rag",
            caption="Indicators by RAG rating",
            columns=["RAG rating", "Indicators"],
            rows=[[RAG_LABELS[key], result["rag"][key]] for key in RAG_KEYS],
            total=["Total", len(rows)],
        ),
        Table(
            key="indicators",
            caption="Indicators: figure, target and the same period a year before",
            columns=["Indicator", "Period", "Figure", "Target", "A year before", "Change", "RAG"],
            rows=[
                [
                    f"{row['priority']}: {row['indicator']}",
                    row["period"],
                    _shown(row["unit"], row["value"]),
                    _shown(row["unit"], row["target"]) if row["target"] is not None else "No target",
                    _shown(row["unit"], row["previous_value"]),
                    _change(row),
                    RAG_LABELS[row["rag"]],
                ]
                for row in rows
            ],
            counts=(),
            chart=False,
            notes=tuple(f"{row['indicator']}: {row['rag_reason']}" for row in rows),
        ),
    ]


def _year_before(day: datetime.date) -> datetime.date:
    # 29 February has no day a year before: the 28th stands in.
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def count_indicator_rows(partnership: Any, date_from: datetime.date, date_to: datetime.date) -> int:
    """The indicators, plus the rows of every return their figures are computed from (this year and last)."""
    indicators = Indicator.objects.of(partnership)
    slugs = set(indicators.filter(source=Source.RETURN).values_list("report", flat=True).distinct())
    rows = indicators.count()
    a_year_before = (_year_before(date_from), _year_before(date_to))
    for slug in sorted(slugs):
        try:
            kind = get_report(slug)
        except UnknownReport:
            continue
        if kind.count_rows is not None:
            rows += kind.count_rows(partnership, date_from, date_to) + kind.count_rows(partnership, *a_year_before)
    return rows


register(
    ReportKind(
        slug="indicators",
        title="Strategy indicators",
        description="Each strategy indicator's figure for its period (quarter or year) holding the last day, with "
        "its target, the same period a year before, the change and its RAG rating explained.",
        build=build_indicators,
        tables=indicators_tables,
        count_rows=count_indicator_rows,
        options=(
            ReportOption(
                "strategy",
                "Strategy",
                help="the strategy's name; leave blank for every strategy",
                choices=lambda partnership: [
                    (name, name)
                    for name in Strategy.objects.of(partnership).live().order_by("name").values_list("name", flat=True)
                ],
                blank_label="Every strategy",
            ),
        ),
    )
)
