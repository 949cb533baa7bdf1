"""People placed in the test partnership of `saferhub.cases.tests.referral_world`.

- `known`: a direct victim in a Victim Care Hub case that is shared with Housing.
  Has a public phone number and a confidential (refuge) address.
- `police_only`: only in the Police case; nobody else may learn they exist.
- `referred`: only named on a pending referral to the Victim Care Hub.
"""

from types import SimpleNamespace

from saferhub.cases.tests.factories import CaseFactory, CaseShareFactory, ParticipantFactory
from saferhub.cases.tests.referral_world import build_world, referral_to_vch
from saferhub.people.models import Alias, ContactDetail, ContactKind, Identifier
from saferhub.people.tests.factories import PersonFactory


def build_people(world: SimpleNamespace) -> SimpleNamespace:
    p = world.partnership
    known = PersonFactory.create(partnership=p, first_name="Testolivia", last_name="Zedwick")
    police_only = PersonFactory.create(partnership=p, first_name="Testpetra", last_name="Zedwick")
    referred = PersonFactory.create(partnership=p, first_name="Testrhea", last_name="Zedwick")
    vch_case = CaseFactory(owning_team=world.vch, case_type=world.case_type, title="Testcase support")
    police_case = CaseFactory(owning_team=world.police_team, case_type=world.case_type, title="Testcase police enquiry")
    CaseShareFactory(case=vch_case, agency=world.housing)
    ParticipantFactory(case=vch_case, person=known)
    ParticipantFactory(case=police_case, person=police_only)
    referral_to_vch(world, person=referred)
    Alias.objects.create(person=known, name="Testlivvy")
    Identifier.objects.create(person=known, system="Police", value="TP-000111")
    ContactDetail.objects.create(person=known, kind=ContactKind.PHONE, value="07700 900111")
    ContactDetail.objects.create(person=known, kind=ContactKind.ADDRESS, value="1 Testrefuge Way", confidential=True)
    return SimpleNamespace(
        known=known, police_only=police_only, referred=referred, vch_case=vch_case, police_case=police_case
    )


def build_people_world() -> SimpleNamespace:
    world = build_world()
    world.people = build_people(world)
    return world
