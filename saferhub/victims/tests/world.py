"""A small synthetic partnership for the Victim Care Hub tests. Every name is invented.

Council: the Victim Care Hub team (owner) and a same-agency Community Safety Team
(colleague); Police (another agency); Housing (the agency a hub case is shared
with, which also makes referrals). An analyst and an administrator.
"""

import datetime
from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.utils import timezone

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.cases.models import LawfulBasis
from saferhub.cases.tests.factories import CaseShareFactory
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.seeding import seed_reference_codes
from saferhub.people.tests.factories import PersonFactory
from saferhub.victims import actions
from saferhub.victims.hub import setup_hub
from saferhub.victims.models import HubReferral, ReferralKind, VictimType

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only
VIEWERS = ["owner", "colleague", "other_agency", "shared", "restricted_outsider", "analyst", "anonymous"]


def build_world() -> SimpleNamespace:
    partnership = PartnershipFactory(name="Testshire Safer Communities Partnership")
    seed_reference_codes(partnership)
    council = AgencyFactory(partnership=partnership, name="Testshire Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory(partnership=partnership, name="Testshire Police", kind=AgencyKind.POLICE)
    housing = AgencyFactory(partnership=partnership, name="Testshire Homes", kind=AgencyKind.HOUSING)
    hub = TeamFactory(agency=council, name="Victim Care Hub")
    cst = TeamFactory(agency=council, name="Community Safety Team")
    police_team = TeamFactory(agency=police, name="Neighbourhood Policing")
    housing_team = TeamFactory(agency=housing, name="Tenancy Sustainment")
    setup_hub(partnership)
    users = {
        "owner": UserFactory(team=hub, full_name="Hana Hubworker", roles=[Role.CASEWORKER]),
        "colleague": UserFactory(team=cst, full_name="Cora Colleague", roles=[Role.CASEWORKER]),
        "other_agency": UserFactory(team=police_team, full_name="Otto Otheragency", roles=[Role.CASEWORKER]),
        "shared": UserFactory(team=housing_team, full_name="Shari Shared", roles=[Role.CASEWORKER]),
        "restricted_outsider": UserFactory(team=hub, full_name="Rhys Unnamed", roles=[Role.CASEWORKER]),
        "analyst": UserFactory(
            team=None, agency=council, partnership=partnership, full_name="Ana Analyst", roles=[Role.ANALYST]
        ),
        "admin": UserFactory(
            team=None, agency=council, partnership=partnership, full_name="Adam Admin", roles=[Role.PARTNERSHIP_ADMIN]
        ),
    }
    return SimpleNamespace(
        partnership=partnership,
        council=council,
        police=police,
        housing=housing,
        hub=hub,
        cst=cst,
        police_team=police_team,
        housing_team=housing_team,
        users=users,
        **users,
    )


def code(world: SimpleNamespace, code_list: str, value: str) -> ReferenceCode:
    return ReferenceCode.objects.get(partnership=world.partnership, code_list=code_list, code=value)


def new_referral(
    world: SimpleNamespace, *, person: Any = None, received_at: Any = None, **hub_fields: Any
) -> HubReferral:
    """A pending hub referral from Housing, made through the hub's own action."""
    hub_fields.setdefault("referral_kind", ReferralKind.VICTIM)
    hub_fields.setdefault("victim_type", VictimType.DIRECT)
    hub_fields.setdefault("crime_type", code(world, ReferenceList.VICTIM_HUB_CRIME_TYPE, "burglary"))
    referral_fields = {
        "from_agency": world.housing,
        "from_team": world.housing_team,
        "reason": "Synthetic: burglary at a flat; the tenant asks for help with security.",
    }
    if received_at is not None:
        referral_fields["received_at"] = received_at
    return actions.create_hub_referral(
        world.shared,
        partnership=world.partnership,
        referral_fields=referral_fields,
        hub_fields=hub_fields,
        person=person,
    )


def accepted_referral(world: SimpleNamespace, *, shared: bool = True, **kwargs: Any) -> HubReferral:
    """An accepted hub referral with its case, shared with Housing (the "shared" viewer)."""
    person = kwargs.pop("person", None) or PersonFactory(
        partnership=world.partnership, first_name="Ivy", last_name="Testwell"
    )
    hub = new_referral(world, person=person, **kwargs)
    case = actions.accept_hub_referral(world.owner, hub, assigned_to=world.owner)
    if shared:
        CaseShareFactory(
            case=case, agency=world.housing, purpose="Joint safety planning", lawful_basis=LawfulBasis.PUBLIC_TASK
        )
    hub.refresh_from_db()
    return hub


def client_for(world: SimpleNamespace, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)
