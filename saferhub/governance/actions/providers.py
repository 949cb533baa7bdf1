"""Commissioned services and their quarterly returns: asking, filling in, submitting, accepting, returning.

Each function runs in one transaction with its audit row; e-mails to the provider go
through the task worker once the transaction has committed. A return's values feed the
indicators that take the service's KPIs as soon as it is accepted.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import claim_version
from saferhub.governance.actions.indicators import store_computed
from saferhub.governance.indicators import compute
from saferhub.governance.models import (
    CommissionedService,
    Indicator,
    ProviderReturn,
    ProviderReturnValue,
    ReturnStatus,
    ServiceKpi,
    Source,
)
from saferhub.governance.periods import parse_period, period_containing
from saferhub.notifications import events as notices


class ReturnRefused(Exception):
    """The return is not in a state that allows the step; the message says why and what to do."""


def _email_on_commit(provider_return: ProviderReturn, reason: str) -> None:
    from saferhub.governance.tasks import email_provider

    pk = provider_return.pk
    transaction.on_commit(lambda: email_provider.enqueue(pk, reason))


def create_service(user: Any, *, request: HttpRequest | None = None, **values: Any) -> CommissionedService:
    with transaction.atomic():
        service = CommissionedService.objects.create(partnership_id=user.partnership_id, **values)
        log.record(user, AuditAction.CREATE, service, request=request, detail={"name": service.name})
    return service


def add_kpi(
    user: Any, service: CommissionedService, *, request: HttpRequest | None = None, **values: Any
) -> ServiceKpi:
    with transaction.atomic():
        kpi = ServiceKpi.objects.create(service=service, position=service.kpis.count() + 1, **values)
        log.record(
            user, AuditAction.CREATE, kpi, request=request, partnership=service.partnership, detail={"kpi": kpi.name}
        )
    return kpi


def _changed(record: Any, values: dict[str, Any]) -> dict[str, str]:
    return {name: str(getattr(record, name)) for name in values}


def update_service(
    user: Any,
    service: CommissionedService,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
    **values: Any,
) -> CommissionedService:
    with transaction.atomic():
        before = _changed(service, values)
        claim_version(service, expected_version, **values)
        changed = sorted(name for name, value in values.items() if before[name] != str(value))
        log.record(user, AuditAction.UPDATE, service, request=request, detail={"changed": changed})
    return service


def update_kpi(
    user: Any, kpi: ServiceKpi, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> ServiceKpi:
    with transaction.atomic():
        before = _changed(kpi, values)
        claim_version(kpi, expected_version, **values)
        changed = sorted(name for name, value in values.items() if before[name] != str(value))
        log.record(
            user,
            AuditAction.UPDATE,
            kpi,
            request=request,
            partnership=kpi.service.partnership,
            detail={"changed": changed},
        )
    return kpi


def request_return(
    user: Any,
    service: CommissionedService,
    *,
    period: str,
    due_on: datetime.date,
    request: HttpRequest | None = None,
) -> ProviderReturn:
    """Ask the provider for a quarter's return by a date; its provider users are e-mailed."""
    quarter = parse_period(period)
    with transaction.atomic():
        provider_return = ProviderReturn.objects.create(
            service=service, period=quarter.label, period_start=quarter.start, due_on=due_on, modified_by=user
        )
        log.record(
            user,
            AuditAction.CREATE,
            provider_return,
            request=request,
            partnership=service.partnership,
            detail={"period": quarter.label, "due_on": due_on.isoformat()},
        )
        _email_on_commit(provider_return, "requested")
    return provider_return


def save_return(
    user: Any,
    provider_return: ProviderReturn,
    *,
    values: dict[int, Decimal | None],
    narrative: str,
    case_studies: str,
    submit: bool,
    expected_version: int,
    request: HttpRequest | None = None,
) -> ProviderReturn:
    """The provider's figures (KPI id → value), narrative and case studies; submitted when `submit`."""
    with transaction.atomic():
        if provider_return.status not in (ReturnStatus.REQUESTED, ReturnStatus.RETURNED):
            raise ReturnRefused("This return has been submitted: it can be changed only if the analyst returns it.")
        changes: dict[str, Any] = {"narrative": narrative, "case_studies": case_studies}
        if submit:
            changes.update(status=ReturnStatus.SUBMITTED, submitted_by=user, submitted_at=timezone.now())
        claim_version(provider_return, expected_version, modified_by=user, **changes)
        for kpi_id, value in values.items():
            if value is None:
                ProviderReturnValue.objects.filter(provider_return=provider_return, kpi_id=kpi_id).delete()
            else:
                ProviderReturnValue.objects.update_or_create(
                    provider_return=provider_return, kpi_id=kpi_id, defaults={"value": value}
                )
        log.record(
            user,
            AuditAction.UPDATE,
            provider_return,
            request=request,
            partnership=provider_return.service.partnership,
            detail={"submitted": submit, "kpis": len([v for v in values.values() if v is not None])},
        )
        if submit:
            notices.queue("return_submitted", provider_return.pk, user)
    return provider_return


def feed_indicators(provider_return: ProviderReturn) -> int:
    """Store the figures of every indicator taking this service's KPIs, for the return's quarter and year."""
    quarter = parse_period(provider_return.period)
    fed = 0
    indicators = Indicator.objects.filter(source=Source.PROVIDER, kpi__service=provider_return.service)
    for indicator in indicators.select_related("partnership"):
        period = quarter if indicator.frequency == "quarter" else period_containing("year", quarter.start)
        store_computed(indicator, period, compute(indicator, period))
        fed += 1
    return fed


def accept_return(
    user: Any, provider_return: ProviderReturn, *, expected_version: int, request: HttpRequest | None = None
) -> ProviderReturn:
    with transaction.atomic():
        if provider_return.status != ReturnStatus.SUBMITTED:
            raise ReturnRefused("Only a submitted return can be accepted.")
        claim_version(
            provider_return,
            expected_version,
            modified_by=user,
            status=ReturnStatus.ACCEPTED,
            decided_by=user,
            decided_at=timezone.now(),
            returned_reason="",
        )
        fed = feed_indicators(provider_return)
        log.record(
            user,
            AuditAction.UPDATE,
            provider_return,
            request=request,
            partnership=provider_return.service.partnership,
            detail={"status": ReturnStatus.ACCEPTED, "indicators_fed": fed},
        )
    return provider_return


def return_to_provider(
    user: Any,
    provider_return: ProviderReturn,
    *,
    reason: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> ProviderReturn:
    with transaction.atomic():
        if provider_return.status != ReturnStatus.SUBMITTED:
            raise ReturnRefused("Only a submitted return can be returned to the provider.")
        claim_version(
            provider_return,
            expected_version,
            modified_by=user,
            status=ReturnStatus.RETURNED,
            decided_by=user,
            decided_at=timezone.now(),
            returned_reason=reason,
        )
        log.record(
            user,
            AuditAction.UPDATE,
            provider_return,
            request=request,
            partnership=provider_return.service.partnership,
            detail={"status": ReturnStatus.RETURNED},
        )
        _email_on_commit(provider_return, "returned")
    return provider_return


def remind(provider_return: ProviderReturn, today: datetime.date) -> bool:
    """Remind the provider of a return due soon or overdue, at most once a day; False when already reminded today."""
    with transaction.atomic():
        if (
            not ProviderReturn.objects.filter(pk=provider_return.pk)
            .exclude(reminded_on=today)
            .update(reminded_on=today)
        ):
            return False
        overdue = provider_return.due_on < today
        log.record(
            None,
            AuditAction.UPDATE,
            provider_return,
            partnership=provider_return.service.partnership,
            detail={"reminder": "overdue" if overdue else "due", "due_on": provider_return.due_on.isoformat()},
        )
        _email_on_commit(provider_return, "overdue" if overdue else "due")
    return True
