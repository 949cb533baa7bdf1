"""Strategies, indicators and commissioned services' returns.

Strategies and indicators are the partnership's own measures and hold no personal data:
analysts and partnership administrators manage them; team managers and board members
read them (the same readers as action plans, `policy.governance`).

A commissioned service's returns are seen by those readers and by the service's own
provider users: users with the provider role whose agency is the service's provider.
A provider user sees no other service (404) and nothing else of the partnership. The
provider fills in and submits a return while it is requested or returned; an analyst or
partnership administrator accepts a submitted one or returns it with a reason.
"""

from typing import Any

from django.http import Http404

from saferhub.accounts.models import Role
from saferhub.policy.governance import can_manage_governance, can_view_governance
from saferhub.policy.roles import _active


def is_provider(user: Any) -> bool:
    return _active(user) and bool(user.agency_id) and user.has_role(Role.PROVIDER)


def can_view_services(user: Any) -> bool:
    return can_view_governance(user) or is_provider(user)


def visible_strategies(user: Any) -> Any:
    from saferhub.governance.models import Strategy

    if not can_view_governance(user):
        return Strategy.objects.none()
    return Strategy.objects.of(user.partnership_id)


def visible_indicators(user: Any) -> Any:
    from saferhub.governance.models import Indicator

    if not can_view_governance(user):
        return Indicator.objects.none()
    return Indicator.objects.of(user.partnership_id)


def visible_services(user: Any) -> Any:
    from saferhub.governance.models import CommissionedService

    services = CommissionedService.objects.of(user.partnership_id) if _active(user) else None
    if services is None:
        return CommissionedService.objects.none()
    if can_view_governance(user):
        return services
    if is_provider(user):
        return services.filter(agency_id=user.agency_id)
    return CommissionedService.objects.none()


def visible_provider_returns(user: Any) -> Any:
    from saferhub.governance.models import ProviderReturn

    return ProviderReturn.objects.filter(service__in=visible_services(user))


def can_fill_in_return(user: Any, provider_return: Any) -> bool:
    """The service's own provider users, while the return waits for them."""
    from saferhub.governance.models import ReturnStatus

    return (
        is_provider(user)
        and provider_return.service.agency_id == user.agency_id
        and provider_return.service.partnership_id == user.partnership_id
        and provider_return.status in (ReturnStatus.REQUESTED, ReturnStatus.RETURNED)
    )


def can_decide_return(user: Any, provider_return: Any) -> bool:
    from saferhub.governance.models import ReturnStatus

    return (
        can_manage_governance(user)
        and provider_return.service.partnership_id == user.partnership_id
        and provider_return.status == ReturnStatus.SUBMITTED
    )


def _one(queryset: Any, pk: int, what: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No such {what}")
    return found


def get_strategy_for_user(user: Any, pk: int) -> Any:
    return _one(visible_strategies(user), pk, "strategy")


def get_priority_for_user(user: Any, pk: int) -> Any:
    from saferhub.governance.models import Priority

    return _one(
        Priority.objects.filter(strategy__in=visible_strategies(user)).select_related("strategy"), pk, "priority"
    )


def get_indicator_for_user(user: Any, pk: int) -> Any:
    return _one(
        visible_indicators(user).select_related("priority__strategy", "kpi__service", "partnership"), pk, "indicator"
    )


def get_service_for_user(user: Any, pk: int) -> Any:
    return _one(visible_services(user).select_related("agency"), pk, "commissioned service")


def get_kpi_for_user(user: Any, pk: int) -> Any:
    from saferhub.governance.models import ServiceKpi

    return _one(ServiceKpi.objects.filter(service__in=visible_services(user)).select_related("service"), pk, "KPI")


def get_provider_return_for_user(user: Any, pk: int) -> Any:
    return _one(visible_provider_returns(user).select_related("service__agency"), pk, "return")
