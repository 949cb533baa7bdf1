"""Changing strategies, priorities, indicators, their targets and their per-period values.

Each function runs in one transaction and writes its audit row in it. An indicator's
edit carries the version the user saw (`StaleEdit` when someone saved it since).
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import claim_version
from saferhub.governance import indicators as figures
from saferhub.governance.models import Indicator, IndicatorTarget, IndicatorValue, Priority, Source, Strategy
from saferhub.reporting.periods import Period


def create_strategy(user: Any, *, request: HttpRequest | None = None, **values: Any) -> Strategy:
    with transaction.atomic():
        strategy = Strategy.objects.create(partnership_id=user.partnership_id, **values)
        log.record(user, AuditAction.CREATE, strategy, request=request, detail={"name": strategy.name})
    return strategy


def add_priority(user: Any, strategy: Strategy, *, request: HttpRequest | None = None, **values: Any) -> Priority:
    with transaction.atomic():
        position = strategy.priorities.count() + 1
        priority = Priority.objects.create(strategy=strategy, position=position, **values)
        log.record(
            user,
            AuditAction.CREATE,
            priority,
            request=request,
            partnership=strategy.partnership,
            detail={"strategy": strategy.name, "title": priority.title},
        )
    return priority


def _update(user: Any, record: Any, expected_version: int, request: HttpRequest | None, **values: Any) -> None:
    before = {name: str(getattr(record, name)) for name in values}
    claim_version(record, expected_version, **values)
    changed = sorted(name for name, value in values.items() if before[name] != str(value))
    partnership = record.partnership if isinstance(record, Strategy) else record.strategy.partnership
    log.record(user, AuditAction.UPDATE, record, request=request, partnership=partnership, detail={"changed": changed})


def update_strategy(
    user: Any, strategy: Strategy, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> Strategy:
    with transaction.atomic():
        _update(user, strategy, expected_version, request, **values)
    return strategy


def update_priority(
    user: Any, priority: Priority, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> Priority:
    with transaction.atomic():
        _update(user, priority, expected_version, request, **values)
    return priority


def _clean_source(values: dict[str, Any]) -> dict[str, Any]:
    """Only the chosen source's settings are kept, so a changed source leaves nothing stale behind."""
    source = values.get("source")
    if source != Source.RETURN:
        values.update(report="", report_options={}, measure_path="")
    if source != Source.PROVIDER:
        values["kpi"] = None
    return values


def create_indicator(user: Any, priority: Priority, *, request: HttpRequest | None = None, **values: Any) -> Indicator:
    with transaction.atomic():
        indicator = Indicator.objects.create(
            partnership_id=priority.strategy.partnership_id,
            priority=priority,
            modified_by=user,
            **_clean_source(values),
        )
        log.record(
            user,
            AuditAction.CREATE,
            indicator,
            request=request,
            detail={
                "name": indicator.name,
                "source": indicator.source,
                "measure": indicator.measure_path,
                "options": indicator.report_options,
            },
        )
    return indicator


def update_indicator(
    user: Any, indicator: Indicator, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> Indicator:
    with transaction.atomic():
        values = _clean_source(values)
        before = {name: str(getattr(indicator, name)) for name in values}
        source_changed = any(
            before[name] != str(values[name])
            for name in ("source", "report", "report_options", "measure_path", "kpi")
            if name in values
        )
        claim_version(indicator, expected_version, modified_by=user, **values)
        if source_changed:
            # Figures from the old source no longer describe this indicator; commentary stays.
            indicator.values.exclude(source=Source.ENTERED).update(value=None, computed_at=None)
        changed = sorted(name for name, value in values.items() if before[name] != str(value))
        log.record(user, AuditAction.UPDATE, indicator, request=request, detail={"changed": changed})
    return indicator


def set_target(
    user: Any, indicator: Indicator, period: Period, value: Decimal | None, *, request: HttpRequest | None = None
) -> None:
    """The target for a period; no value removes it."""
    with transaction.atomic():
        if value is None:
            IndicatorTarget.objects.filter(indicator=indicator, period=period.label).delete()
        else:
            IndicatorTarget.objects.update_or_create(
                indicator=indicator, period=period.label, defaults={"period_start": period.start, "value": value}
            )
        log.record(
            user,
            AuditAction.UPDATE,
            indicator,
            request=request,
            detail={"target": period.label, "value": None if value is None else str(value)},
        )


def record_value(
    user: Any,
    indicator: Indicator,
    period: Period,
    *,
    value: Decimal | None,
    commentary: str,
    request: HttpRequest | None = None,
) -> IndicatorValue:
    """An entered indicator's value for the period (with who and when) and the period's commentary.

    For indicators computed from a return or a provider's return only the commentary is taken.
    """
    with transaction.atomic():
        defaults: dict[str, Any] = {"period_start": period.start, "commentary": commentary, "source": indicator.source}
        if indicator.source == Source.ENTERED:
            defaults.update(value=value, entered_by=user, entered_at=timezone.now())
        row, _ = IndicatorValue.objects.update_or_create(indicator=indicator, period=period.label, defaults=defaults)
        log.record(
            user,
            AuditAction.UPDATE,
            indicator,
            request=request,
            detail={"period": period.label, "value": None if row.value is None else str(row.value)},
        )
    return row


def store_computed(indicator: Indicator, period: Period, value: Decimal | None) -> IndicatorValue:
    row, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        period=period.label,
        defaults={
            "period_start": period.start,
            "value": value,
            "source": indicator.source,
            "computed_at": timezone.now(),
        },
    )
    return row


def recompute(
    user: Any, indicator: Indicator, periods: list[Period], *, request: HttpRequest | None = None
) -> list[IndicatorValue]:
    """Run the indicator's source for each period (in the database) and keep the figures with the time computed."""
    if indicator.source == Source.ENTERED:
        return []
    cache: dict[Any, Any] = {}
    with transaction.atomic():
        rows = [store_computed(indicator, period, figures.compute(indicator, period, cache)) for period in periods]
        log.record(
            user,
            AuditAction.UPDATE,
            indicator,
            request=request,
            detail={"recomputed": [period.label for period in periods]},
        )
    return rows
