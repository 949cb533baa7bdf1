"""A small synthetic partnership for the referral, home and people page tests.

Council (Victim Care Hub = the receiving/owning team, and a same-agency
Community Safety Team), Police (another agency) and Housing (the agency a case
is shared with, and which sends the referral). All names are invented.
"""

from types import SimpleNamespace

from django.test import Client

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    TeamFactory,
    UserFactory,
)
from saferhub.cases.tests.factories import CaseTypeFactory, ReferralFactory

# Who is asking, in every authorisation table.
VIEWERS = ["owner", "colleague", "other_agency", "shared", "analyst", "anonymous"]


def caseworker(team, name: str, **kwargs):
    # UserFactory with explicit roles: CaseworkerFactory's class-level `roles` shadows the post-generation hook.
    return UserFactory(team=team, full_name=name, roles=[Role.CASEWORKER], **kwargs)


def build_world() -> SimpleNamespace:
    partnership = PartnershipFactory(name="Testshire Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Testshire Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory(partnership=partnership, name="Testshire Police", kind=AgencyKind.POLICE)
    housing = AgencyFactory(partnership=partnership, name="Testshire Homes", kind=AgencyKind.HOUSING)
    vch = TeamFactory(agency=council, name="Victim Care Hub")
    cst = TeamFactory(agency=council, name="Community Safety Team")
    police_team = TeamFactory(agency=police, name="Neighbourhood Policing")
    housing_team = TeamFactory(agency=housing, name="Tenancy Sustainment")
    closed_team = TeamFactory(agency=council, name="Old Team", accepts_referrals=False)
    case_type = CaseTypeFactory(partnership=partnership, code="vch", name="Victim Care Hub", prefix="VCH")
    users = {
        "owner": caseworker(vch, "Owen Owner"),
        "colleague": caseworker(cst, "Cora Colleague"),
        "other_agency": caseworker(police_team, "Otto Otheragency"),
        "shared": caseworker(housing_team, "Shari Shared"),
        "analyst": UserFactory(team=vch, full_name="Ana Analyst", roles=[Role.ANALYST]),
    }
    manager = UserFactory(team=vch, full_name="Mo Manager", roles=[Role.TEAM_MANAGER])
    return SimpleNamespace(
        partnership=partnership,
        council=council,
        police=police,
        housing=housing,
        vch=vch,
        cst=cst,
        police_team=police_team,
        housing_team=housing_team,
        closed_team=closed_team,
        case_type=case_type,
        users=users,
        manager=manager,
        **users,
    )


def client_for(world: SimpleNamespace, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def referral_to_vch(world: SimpleNamespace, **fields):
    """A pending referral from Housing to the Victim Care Hub."""
    fields.setdefault("from_agency", world.housing)
    fields.setdefault("from_team", world.housing_team)
    return ReferralFactory(to_team=world.vch, case_type=world.case_type, **fields)
