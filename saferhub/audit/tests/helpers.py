"""A small partnership for the audit viewer tests: users of every kind, a case and a break-glass grant."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.cases.models import BreakGlassGrant
from saferhub.cases.tests.factories import CaseFactory


def make_world() -> SimpleNamespace:
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    team = TeamFactory(agency=AgencyFactory(partnership=partnership), name="Victim Care Hub")
    elsewhere = TeamFactory(agency=AgencyFactory(partnership=partnership), name="Anti-social Behaviour Team")
    other_team = TeamFactory(agency=AgencyFactory(partnership=PartnershipFactory()))
    # UserFactory with explicit roles: the role factories' class-level `roles` shadows the post-generation hook.
    caseworker = UserFactory.create(team=elsewhere, roles=[Role.CASEWORKER], full_name="Cass Worker")
    users = {
        "auditor": UserFactory(team=team, roles=[Role.AUDITOR], full_name="Audra Checker"),
        "admin": UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN], full_name="Adam Minister"),
        "caseworker": caseworker,
        "analyst": UserFactory(team=team, roles=[Role.ANALYST], full_name="Ana Lyst"),
        "other_admin": UserFactory(team=other_team, roles=[Role.PARTNERSHIP_ADMIN]),
        "other_auditor": UserFactory(team=other_team, roles=[Role.AUDITOR]),
        "anonymous": None,
    }
    case = CaseFactory.create(owning_team=team, reference="VCH-2024-00031")
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=caseworker,
        reason="Caller reported an immediate risk out of hours",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    return SimpleNamespace(partnership=partnership, team=team, users=users, case=case, grant=grant)


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user
