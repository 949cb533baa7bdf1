"""The partnership the case-page tests run in (a helper module: it holds no tests).

Test modules build it through their own `world` fixture: `world = pytest.fixture(build_world)`
would hide the database mark, so each module writes a two-line fixture instead.
"""

from types import SimpleNamespace

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    TeamFactory,
    UserFactory,
)
from saferhub.cases.models import CaseStatus
from saferhub.cases.tests.factories import (
    ActionFactory,
    CaseFactory,
    CaseShareFactory,
    CaseTypeFactory,
    RestrictedCaseFactory,
)


def _caseworker(**kwargs):
    # CaseworkerFactory's class-level `roles` replaces the post-generation hook, so name the role here.
    return UserFactory(roles=[Role.CASEWORKER], **kwargs)


def build_world() -> SimpleNamespace:
    """Owner team and a sister team in the council, the police, and housing (which the case is shared with)."""
    p = PartnershipFactory(slug="invented-borough", name="Invented Borough Safer Partnership")
    council = AgencyFactory(partnership=p, name="Invented Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory(partnership=p, name="Invented Police", kind=AgencyKind.POLICE)
    housing = AgencyFactory(partnership=p, name="Invented Housing", kind=AgencyKind.HOUSING)
    owner_team = TeamFactory(agency=council, name="Victim Care Hub")
    sister_team = TeamFactory(agency=council, name="Community Safety Team")
    police_team = TeamFactory(agency=police, name="Neighbourhood Policing")
    housing_team = TeamFactory(agency=housing, name="Tenancy Sustainment")
    w = SimpleNamespace(
        partnership=p,
        council=council,
        police=police,
        housing=housing,
        owner_team=owner_team,
        sister_team=sister_team,
        police_team=police_team,
        housing_team=housing_team,
        owner=_caseworker(team=owner_team, full_name="Olive Owner"),
        teammate=_caseworker(team=owner_team, full_name="Tobias Teammate"),
        colleague=_caseworker(team=sister_team, full_name="Cora Colleague"),
        other_agency=_caseworker(team=police_team, full_name="Otto Officer"),
        shared=_caseworker(team=housing_team, full_name="Sasha Sharer"),
        analyst=UserFactory(team=owner_team, full_name="Ana Analyst", roles=[Role.ANALYST]),
        case_type=CaseTypeFactory(partnership=p, code="general", name="General", prefix="GEN"),
    )
    w.case = CaseFactory(
        owning_team=owner_team,
        case_type=w.case_type,
        reference="WLD-2024-00001",
        title="Invented case one",
        assigned_to=w.owner,
        status=CaseStatus.OPEN,
    )
    w.share = CaseShareFactory(case=w.case, agency=housing, created_by=w.owner)
    w.action = ActionFactory(case=w.case, owner=w.teammate, title="Phone the invented victim")
    # Restricted to the owner: the teammate is in the owning team but not named.
    w.restricted_case = RestrictedCaseFactory(
        owning_team=owner_team,
        case_type=w.case_type,
        reference="WLD-2024-00002",
        title="Invented restricted case",
        named=[w.owner],
    )
    w.restricted_share = CaseShareFactory(case=w.restricted_case, agency=housing, created_by=w.owner)
    w.restricted_action = ActionFactory(case=w.restricted_case, owner=w.owner)
    return w
