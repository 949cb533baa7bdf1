"""The people world of `people_world` with two pairs of likely duplicates and data managers.

- pair `visible`: `known` (Testolivia Zedwick) and `twin` (Testolivia Zedwik), same date of birth,
  both in the Victim Care Hub case.
- pair `secret`: `quinn` (in the Victim Care Hub case) and `quin`, only in a restricted case of
  the Victim Care Hub on which `manager` is named and `restricted_outsider` (a manager of the same team) is not.
- `other_manager` manages the police team: they see neither pair.
"""

import datetime
from types import SimpleNamespace

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases.models import ParticipantRole
from saferhub.cases.tests.factories import ParticipantFactory, RestrictedCaseFactory
from saferhub.people import actions
from saferhub.people.models import DuplicateCandidate
from saferhub.people.tests.people_world import build_people_world

BORN = datetime.date(1988, 6, 14)


def build_duplicates_world() -> SimpleNamespace:
    world = build_people_world()
    people = world.people
    manager = world.manager
    world.users["manager"] = manager
    world.users["other_manager"] = UserFactory(team=world.police_team, roles=[Role.TEAM_MANAGER])
    world.users["restricted_outsider"] = UserFactory(team=world.vch, roles=[Role.TEAM_MANAGER])
    people.known.date_of_birth = BORN
    people.known.save(update_fields=["date_of_birth"])
    p = world.partnership
    twin = actions.create_person(
        manager, partnership=p, first_name="Testolivia", last_name="Zedwik", date_of_birth=BORN
    )
    ParticipantFactory(case=people.vch_case, person=twin, role=ParticipantRole.WITNESS)
    quinn = actions.create_person(
        manager, partnership=p, first_name="Testquinn", last_name="Yarrow", date_of_birth=BORN
    )
    ParticipantFactory(case=people.vch_case, person=quinn)
    restricted = RestrictedCaseFactory(
        owning_team=world.vch, case_type=world.case_type, title="Testcase restricted", named=[manager]
    )
    quin = actions.create_person(manager, partnership=p, first_name="Testquin", last_name="Yarow", date_of_birth=BORN)
    ParticipantFactory(case=restricted, person=quin)
    people.twin, people.quinn, people.quin, people.restricted_case = twin, quinn, quin, restricted
    world.visible_pair = DuplicateCandidate.objects.get(person_a=people.known, person_b=twin)
    world.secret_pair = DuplicateCandidate.objects.get(person_a=quinn, person_b=quin)
    return world
