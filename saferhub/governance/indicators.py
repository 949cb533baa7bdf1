"""Indicator figures: a return's measures by JSON path, each period's value from its source, and the RAG rule.

A measure path names one number in a return's JSON: keys joined by dots, and an item of a
list of records by its first text field (`by_kind[kind=training].sessions`), or by its
position when it has none (`rows[0].count`), so a path keeps naming the same figure
whatever the period.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from saferhub.core import dates
from saferhub.core.labels import label_for_code
from saferhub.governance.models import GoodDirection, Indicator, ProviderReturnValue, ReturnStatus, Source, Unit
from saferhub.governance.periods import parse_period
from saferhub.reporting.periods import Period
from saferhub.reporting.registry import ReportKind, ReportOption, UnknownReport, all_reports, get_report
from saferhub.reporting.service import ReportError

# Keys of a return's JSON that describe it rather than measure anything.
_NOT_MEASURES = frozenset({"report", "period"})


def asked_options(kind: ReportKind) -> list[ReportOption]:
    """The options an indicator of the return chooses: those offered as a list (a panel type by its name).

    Others (free text, such as the crime dashboard's area) are left to the return's default."""
    return [option for option in kind.options if option.choices is not None]


def measurable_reports() -> list[ReportKind]:
    """Returns an indicator may take a figure from: every one (except this one) whose required options
    can be chosen from a list, such as `marac` and `panel-activity` with their panel type."""
    return [
        kind
        for kind in all_reports()
        if kind.slug != "indicators" and all(option.choices is not None for option in kind.options if option.required)
    ]


# A return's options with the partnership's choices as (value, name): a panel type by its name.
OptionChoices = list[tuple[ReportOption, list[tuple[str, str]]]]


def option_choices(partnership: Any, kind: ReportKind) -> OptionChoices:
    """Each asked option of the return with the partnership's choices as (value, name)."""
    return [
        (option, [(str(value), str(name)) for value, name in option.choices(partnership)])
        for option in asked_options(kind)
        if option.choices is not None
    ]


def missing_options(partnership: Any, kind: ReportKind, options: dict[str, Any]) -> list[ReportOption]:
    """The asked options that are required but not chosen, or chosen but not among the partnership's choices."""
    missing = []
    for option, choices in option_choices(partnership, kind):
        value = options.get(option.name) or ""
        if (option.required and not value) or (value and value not in {code for code, _ in choices}):
            missing.append(option)
    return missing


def options_in_words(partnership: Any, slug: str, options: dict[str, Any]) -> str:
    """An indicator's chosen options as people read them: "Panel type: DA MARAC"; "" when it has none."""
    try:
        kind = get_report(slug)
    except UnknownReport:
        return ""
    parts = []
    for option, choices in option_choices(partnership, kind):
        value = options.get(option.name)
        if value:
            parts.append(f"{option.label}: {dict(choices).get(value, value)}")
    return "; ".join(parts)


def _key_of(item: dict[str, Any]) -> str | None:
    for key, value in item.items():
        if isinstance(value, str) and value and "]" not in value and "=" not in value:
            return f"{key}={value}"
    return None


def numeric_paths(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, number) for every number in a return's JSON, in its order."""
    if isinstance(data, bool):
        return
    if isinstance(data, int | float | Decimal):
        yield prefix, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if not prefix and key in _NOT_MEASURES:
                continue
            yield from numeric_paths(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            selector = _key_of(item) if isinstance(item, dict) else None
            yield from numeric_paths(item, f"{prefix}[{selector if selector else index}]")


_MONTH = re.compile(r"^\d{4}-\d\d$")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def _word(part: str) -> str:
    if _MONTH.match(part):
        return dates.uk_month(part)
    if _DAY.match(part):
        return dates.uk_date(part)
    return label_for_code(part)


def measure_label(path: str) -> str:
    """A measure path as people read it: `by_group[group=asian_indian].count` -> "By group › Asian
    indian › Count", and "2026-07" -> "July 2026"."""
    parts = [piece.partition("=")[2] or piece for piece in re.split(r"[.\[\]]+", path) if piece]
    return " › ".join(_word(part) for part in parts)


def _step(data: Any, part: str) -> Any:
    name, _, rest = part.partition("[")
    if name:
        if not isinstance(data, dict) or name not in data:
            return None
        data = data[name]
    while rest:
        selector, _, rest = rest.partition("]")
        rest = rest.removeprefix("[")
        if not isinstance(data, list):
            return None
        if "=" in selector:
            key, _, wanted = selector.partition("=")
            data = next((i for i in data if isinstance(i, dict) and str(i.get(key)) == wanted), None)
        elif selector.isdigit() and int(selector) < len(data):
            data = data[int(selector)]
        else:
            return None
    return data


def resolve(data: Any, path: str) -> Decimal | None:
    """The number at `path` in a return's JSON, or None when the path names nothing (or no number) there."""
    for part in _split(path):
        data = _step(data, part)
        if data is None:
            return None
    if isinstance(data, bool) or not isinstance(data, int | float | Decimal):
        return None
    return Decimal(str(data))


def _split(path: str) -> list[str]:
    """Dots split the path except inside brackets (a selector's value may hold a dot)."""
    parts, depth, current = [], 0, ""
    for char in path:
        depth += char == "["
        depth -= char == "]"
        if char == "." and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def run_measure(partnership: Any, slug: str, options: dict[str, Any], period: Period) -> dict[str, Any]:
    """The return's JSON for the period, built in the database as `manage.py report` builds it."""
    return get_report(slug).build(partnership, period.start, period.end, **options)


def compute(indicator: Indicator, period: Period, cache: dict[Any, Any] | None = None) -> Decimal | None:
    """The indicator's figure for the period from a return or an accepted provider return; None for entered ones."""
    if indicator.source == Source.RETURN:
        key = (indicator.report, tuple(sorted(indicator.report_options.items())), period.label)
        cache = {} if cache is None else cache
        if key not in cache:
            try:
                cache[key] = run_measure(indicator.partnership, indicator.report, indicator.report_options, period)
            except (ReportError, UnknownReport):
                # A return that cannot run for the partnership (e.g. no area set yet) gives no figure.
                cache[key] = None
        return resolve(cache[key], indicator.measure_path) if cache[key] is not None else None
    if indicator.source == Source.PROVIDER and indicator.kpi_id:
        return provider_value(indicator.kpi_id, period)
    return None


def provider_value(kpi_id: int, period: Period) -> Decimal | None:
    """A KPI's accepted value for the period: a year adds its accepted quarters."""
    values = ProviderReturnValue.objects.filter(
        kpi_id=kpi_id,
        provider_return__status=ReturnStatus.ACCEPTED,
        provider_return__period_start__range=(period.start, period.end),
    ).values_list("value", flat=True)
    found = list(values)
    if not found:
        return None
    if len(period.label) == 7 and len(found) < 4:
        # A year's total is only complete when every quarter is accepted.
        return None
    return sum(found, Decimal(0))


# RAG ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RagResult:
    rag: str  # "red", "amber", "green" or "none"
    reason: str

    @property
    def label(self) -> str:
        return {"red": "Red", "amber": "Amber", "green": "Green"}.get(self.rag, "Not rated")

    @property
    def colour(self) -> str:
        return {"red": "red", "amber": "orange", "green": "green"}.get(self.rag, "grey")


def rag_rule_in_words(indicator: Indicator) -> str:
    better = "at or above" if indicator.good_direction == GoodDirection.UP else "at or below"
    worse = "below" if indicator.good_direction == GoodDirection.UP else "above"
    tolerance = format_number(indicator.amber_tolerance)
    return (
        f"Green when the figure is {better} the period's target; amber when it is {worse} the target by no more "
        f"than {tolerance}% of the target; red when it is further {worse}. A period with no target or no figure "
        "is not rated."
    )


def rag(indicator: Indicator, value: Decimal | None, target: Decimal | None) -> RagResult:
    if value is None:
        return RagResult("none", "Not rated: there is no figure for this period yet.")
    if target is None:
        return RagResult("none", "Not rated: there is no target for this period.")
    shown, aim = format_value(indicator.unit, value), format_value(indicator.unit, target)
    up = indicator.good_direction == GoodDirection.UP
    if (value >= target) if up else (value <= target):
        return RagResult("green", f"Green: {shown} is {'at or above' if up else 'at or below'} the target of {aim}.")
    margin = abs(target) * indicator.amber_tolerance / 100
    edge = target - margin if up else target + margin
    tolerance = format_number(indicator.amber_tolerance)
    within = (value >= edge) if up else (value <= edge)
    direction = "below" if up else "above"
    if within:
        return RagResult(
            "amber",
            f"Amber: {shown} is {direction} the target of {aim} but within {tolerance}% of it "
            f"({format_value(indicator.unit, edge)} or {'more' if up else 'less'}).",
        )
    return RagResult(
        "red",
        f"Red: {shown} is {direction} the target of {aim} by more than {tolerance}% "
        f"(amber needs {format_value(indicator.unit, edge)} or {'more' if up else 'less'}).",
    )


# Numbers ------------------------------------------------------------------------------------------


def format_number(value: Decimal | int | float) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def format_value(unit: str, value: Decimal | None) -> str:
    if value is None:
        return "No figure"
    if unit == Unit.PERCENT:
        return f"{format_number(value)}%"
    if unit == Unit.RATE_PER_1000:
        return f"{format_number(value)} per 1,000"
    if unit == Unit.MONEY:
        return f"£{format_number(value)}"
    return format_number(value)


def as_number(value: Decimal | None) -> int | float | None:
    """For JSON: whole numbers as integers, others to two places."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def change(value: Decimal | None, before: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """(difference, percentage change) against the same period a year before; None where it cannot be said."""
    if value is None or before is None:
        return None, None
    difference = value - before
    if not before:
        return difference, None
    try:
        return difference, (difference * 100 / abs(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return difference, None


def period_of(label: str) -> Period:
    return parse_period(label)


def today_period(indicator: Indicator, today: datetime.date) -> Period:
    from saferhub.governance.periods import period_containing

    return period_containing(indicator.frequency, today)
