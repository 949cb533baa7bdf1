"""Import kind `provider-return`: a commissioned service's quarterly KPI figures, one row per KPI.

Columns: service, period, kpi, value. The service and its KPI are matched by name ignoring
case; the period is a financial quarter ("2026/27 Q1"). A row sets that KPI's value on
the service's return for the quarter, creating the return (due a month after the quarter
ends) when the partnership has not asked for it yet. A return that was waiting for the
provider becomes submitted, for an analyst to accept or return as on the pages; an
accepted return is never changed by a file (an error on `period`). Re-importing the same
file changes nothing.
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from saferhub.governance.models import (
    CommissionedService,
    ProviderReturn,
    ProviderReturnValue,
    ReturnStatus,
    ServiceKpi,
)
from saferhub.governance.periods import parse_period
from saferhub.imports import fields
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row

_SERVICES = "providers.services"
_KPIS = "providers.kpis"
_SEEN = "providers.seen"
_RETURNS = "providers.returns"
DUE_AFTER_QUARTER = datetime.timedelta(days=30)


def _services(ctx: ImportContext) -> dict[str, CommissionedService]:
    if _SERVICES not in ctx.state:
        ctx.state[_SERVICES] = {s.name.lower(): s for s in CommissionedService.objects.of(ctx.partnership)}
    return ctx.state[_SERVICES]


def _service(value: str, ctx: ImportContext, raw: dict[str, str]) -> CommissionedService:
    found = _services(ctx).get(value.lower())
    if found is None:
        names = ", ".join(sorted(s.name for s in _services(ctx).values())) or "none yet"
        raise CellError(f"unknown commissioned service '{value}': use one of {names}")
    return found


def _quarter(value: str, ctx: ImportContext, raw: dict[str, str]) -> Any:
    try:
        period = parse_period(value)
    except ValueError:
        raise CellError(f"'{value}' is not a financial quarter such as 2026/27 Q1") from None
    if len(period.label) == 7:
        raise CellError(f"'{value}' is a year: returns are per quarter, such as {period.label} Q1")
    return period


def _value(value: str, ctx: ImportContext, raw: dict[str, str]) -> Decimal:
    try:
        number = Decimal(value.replace(",", "").removeprefix("£").removesuffix("%"))
    except InvalidOperation:
        raise CellError(f"'{value}' is not a number (write it like 374 or 12.5)") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise CellError(f"'{value}' is not a number Saferhub can hold: check it")
    if number != number.quantize(Decimal("0.01")):
        raise CellError(f"'{value}' has more than two decimal places: round it")
    return number


class ProviderReturnImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        service, period, name = row["service"], row["period"], row["kpi"]
        if service is None or period is None or name is None:
            return
        if service.pk not in ctx.state.setdefault(_KPIS, {}):
            ctx.state[_KPIS][service.pk] = {k.name.lower(): k for k in ServiceKpi.objects.filter(service=service)}
        kpi = ctx.state[_KPIS][service.pk].get(name.lower())
        if kpi is None:
            names = ", ".join(sorted(k.name for k in ctx.state[_KPIS][service.pk].values())) or "none yet"
            row.error("kpi", f"{service.name} has no KPI '{name}': use one of {names}")
            return
        row.values["kpi_object"] = kpi
        seen = ctx.state.setdefault(_SEEN, {})
        key = (service.pk, period.label, kpi.pk)
        if key in seen:
            row.error("kpi", f"{service.name}'s {kpi.name} for {period.label} is already on line {seen[key]}")
        else:
            seen[key] = row.line

    def _return(self, ctx: ImportContext, service: CommissionedService, period: Any) -> tuple[ProviderReturn, bool]:
        returns: dict[tuple[int, str], ProviderReturn] = ctx.state.setdefault(_RETURNS, {})
        key = (service.pk, period.label)
        if key in returns:
            return returns[key], False
        found = ProviderReturn.objects.filter(service=service, period=period.label).first()
        created = found is None
        if found is None:
            found = ProviderReturn.objects.create(
                service=service,
                period=period.label,
                period_start=period.start,
                due_on=period.end + DUE_AFTER_QUARTER,
                modified_by=ctx.user if getattr(ctx.user, "pk", None) else None,
            )
        returns[key] = found
        return found, created

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        for row in rows:
            provider_return, created = self._return(ctx, row["service"], row["period"])
            if provider_return.status == ReturnStatus.ACCEPTED:
                row.error(
                    "period",
                    f"the {provider_return.period} return of {provider_return.service.name} is "
                    "already accepted: it cannot be changed by a file",
                )
                yield Outcome.ERROR
                continue
            changed = created
            if provider_return.status != ReturnStatus.SUBMITTED:
                provider_return.status = ReturnStatus.SUBMITTED
                provider_return.submitted_by = ctx.user if getattr(ctx.user, "pk", None) else None
                provider_return.submitted_at = timezone.now()
                provider_return.version += 1
                provider_return.save()
                changed = True
            kpi = row["kpi_object"]
            current = ProviderReturnValue.objects.filter(provider_return=provider_return, kpi=kpi).first()
            if current is None:
                ProviderReturnValue.objects.create(provider_return=provider_return, kpi=kpi, value=row["value"])
                yield Outcome.CREATED
            elif current.value != row["value"]:
                current.value = row["value"]
                current.save()
                yield Outcome.UPDATED
            else:
                yield Outcome.UPDATED if changed else Outcome.UNCHANGED


register(
    ProviderReturnImport(
        slug="provider-return",
        title="Commissioned services' quarterly KPI figures",
        description=(
            "One row per service, quarter and KPI. The figures go on the service's return for the quarter, which "
            "then waits for an analyst to accept it; accepted returns cannot be changed by a file."
        ),
        columns=(
            Column("service", required=True, parse=_service, help="the commissioned service's name"),
            Column("period", required=True, parse=_quarter, help="financial quarter, e.g. 2026/27 Q1"),
            Column("kpi", required=True, parse=fields.text(200), help="the KPI's name, as defined for the service"),
            Column("value", required=True, parse=_value, help="a number, e.g. 374 or 12.5"),
        ),
    )
)
