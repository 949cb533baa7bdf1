"""A small synthetic partnership for the board pack tests: panel types with referrals and a meeting,
an action plan and activities. Every name is invented."""

import datetime
from types import SimpleNamespace

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.governance.models import CommitmentStatus
from saferhub.governance.tests.factories import ActionPlanFactory, ActivityFactory, CommitmentFactory
from saferhub.panels.tests.world import build_world as panels_world
from saferhub.panels.tests.world import meeting, person, refer

D = datetime.date
Q1 = (D(2024, 4, 1), D(2024, 6, 30))


def build_world() -> SimpleNamespace:
    world = panels_world()
    partnership = world.partnership
    for index in range(7):
        refer(world, person(world, first=f"Ivy{index}", last="Quillmarsh"), D(2024, 4, 10 + index))
    refer(world, person(world, first="Uma", last="Tarnwick"), D(2024, 5, 2), panel_type=world.cs)
    meeting(world, D(2024, 5, 20))
    plan = ActionPlanFactory(partnership=partnership, name="Invented Strategy action plan")
    for status in (CommitmentStatus.ON_TRACK, CommitmentStatus.OFF_TRACK, CommitmentStatus.COMPLETED):
        CommitmentFactory(plan=plan, status=status)
    for participants in (12, 3):
        ActivityFactory(partnership=partnership, held_on=D(2024, 5, 1), participants=participants)
    team = TeamFactory(agency=world.council, name="Partnership Team")
    outsider_team = TeamFactory(agency=AgencyFactory(partnership=PartnershipFactory(name="Outerfield CSP")))
    world.users.update(
        {
            "admin": UserFactory(team=team, full_name="Adam Admin", roles=[Role.PARTNERSHIP_ADMIN]),
            "board_member": UserFactory(team=team, full_name="Bea Board", roles=[Role.BOARD_MEMBER]),
            "team_manager": UserFactory(team=team, full_name="Tam Manager", roles=[Role.TEAM_MANAGER]),
            "caseworker": UserFactory(team=team, full_name="Cas Worker", roles=[Role.CASEWORKER]),
            "auditor": UserFactory(team=team, full_name="Aud Itor", roles=[Role.AUDITOR]),
            "other_analyst": UserFactory(team=outsider_team, full_name="Otto Outer", roles=[Role.ANALYST]),
            "anonymous": None,
        }
    )
    world.analyst = world.users["analyst"]
    world.plan = plan
    return world
