"""A small synthetic world for strategies, indicators and commissioned services' returns.

Northbrook partnership: a council (analyst, administrator, team manager, board member,
caseworker, auditor), two provider organisations each with a provider user and a
commissioned service with KPIs, a strategy with a priority and an indicator of each
source. Southmere: another partnership with its own analyst. Everything is invented.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.governance import actions
from saferhub.governance.models import Source, Unit

QUARTER = "2024/25 Q1"  # 1 April to 30 June 2024


def build() -> SimpleNamespace:
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northbrook Council", kind=AgencyKind.COUNCIL)
    team = TeamFactory(agency=council)
    refuge = AgencyFactory(partnership=partnership, name="Invented Refuge", kind=AgencyKind.VOLUNTARY)
    academy = AgencyFactory(partnership=partnership, name="Invented Mentoring Academy", kind=AgencyKind.VOLUNTARY)
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    users = {
        "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN]),
        "analyst": UserFactory(team=team, roles=[Role.ANALYST]),
        "team_manager": UserFactory(team=team, roles=[Role.TEAM_MANAGER]),
        "board_member": UserFactory(team=team, roles=[Role.BOARD_MEMBER]),
        "caseworker": UserFactory(team=team, roles=[Role.CASEWORKER]),
        "auditor": UserFactory(team=team, roles=[Role.AUDITOR]),
        "provider": UserFactory(team=TeamFactory(agency=refuge), roles=[Role.PROVIDER]),
        "refuge_caseworker": UserFactory(team=TeamFactory(agency=refuge), roles=[Role.CASEWORKER]),
        "other_provider": UserFactory(team=TeamFactory(agency=academy), roles=[Role.PROVIDER]),
        "other_analyst": UserFactory(team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.ANALYST]),
        "anonymous": None,
    }
    analyst = users["analyst"]
    service = actions.create_service(analyst, name="Invented outreach service", agency=refuge)
    clients = actions.add_kpi(
        analyst, service, name="Clients supported", unit=Unit.COUNT, good_direction="up", quarterly_target=Decimal(60)
    )
    safer = actions.add_kpi(
        analyst, service, name="Clients feeling safer", unit=Unit.PERCENT, good_direction="up", quarterly_target=None
    )
    other_service = actions.create_service(analyst, name="Invented mentoring", agency=academy)
    actions.add_kpi(
        analyst, other_service, name="Young people mentored", unit=Unit.COUNT, good_direction="up", quarterly_target=25
    )
    provider_return = actions.request_return(analyst, service, period=QUARTER, due_on=datetime.date(2024, 7, 31))
    other_return = actions.request_return(analyst, other_service, period=QUARTER, due_on=datetime.date(2024, 7, 31))
    strategy = actions.create_strategy(analyst, name="Invented Safer Streets Strategy", runs="2024 to 2027", summary="")
    priority = actions.add_priority(analyst, strategy, title="Supporting victims", outcomes="Victims feel safer")
    common: dict[str, Any] = {
        "definition": "",
        "good_direction": "up",
        "frequency": "quarter",
        "baseline_value": None,
        "baseline_period": "",
        "amber_tolerance": Decimal(10),
        "report": "",
        "measure_path": "",
        "kpi": None,
    }
    entered = actions.create_indicator(
        analyst,
        priority,
        **{**common, "name": "Residents feeling safe", "unit": Unit.PERCENT, "source": Source.ENTERED},
    )
    from_return = actions.create_indicator(
        analyst,
        priority,
        **{
            **common,
            "name": "People trained",
            "unit": Unit.COUNT,
            "source": Source.RETURN,
            "report": "activities",
            "measure_path": "total.participants",
        },
    )
    from_provider = actions.create_indicator(
        analyst,
        priority,
        **{
            **common,
            "name": "Clients supported by outreach",
            "unit": Unit.COUNT,
            "source": Source.PROVIDER,
            "kpi": clients,
        },
    )
    return SimpleNamespace(
        partnership=partnership,
        other=other,
        users=users,
        service=service,
        clients=clients,
        safer=safer,
        other_service=other_service,
        provider_return=provider_return,
        other_return=other_return,
        strategy=strategy,
        priority=priority,
        entered=entered,
        from_return=from_return,
        from_provider=from_provider,
    )
