"""A small synthetic partnership with Victim Care Hub history for retention tests. Every name is invented.

Hub cases are imported closed in 2018 (long past "end of year plus 6"), one person (P1)
has a second, open referral, so her details must survive the erasure of the first.
"""

import datetime
import io
from types import SimpleNamespace

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.cases.models import Case, Note
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.people.models import Alias, ContactDetail, ContactKind, Identifier, Person
from saferhub.places.models import Location
from saferhub.victims.tests.world import build_world as victims_world

HEADER = (
    "external_ref,received_on,referrer_organisation,referrer_group,referral_kind,victim_type,crime_type,"
    "reported_to_police,assisting_investigation,person_ref,first_name,age,gender,ethnicity,support_provided,"
    "vcop_informed_on,rj_informed_on,closed_on"
)
ROWS = [
    "R1,2018-05-03,Testshire Homes,,victim,direct,robbery,yes,yes,P1,Ada,34,female,white_british,"
    "vcop_rights;personal_safety,2018-05-05,,2018-06-01",
    "R2,2018-05-10,Testshire Police,,victim,indirect,gbh,no,,P2,Bea,51,male,,emotional_support,,,2018-07-01",
    "R3,2018-06-10,Testshire Police,,crime_prevention,,crime_prevention,,,,,,,,signposting,,,2018-06-20",
    # P1 again, still open: her details are still needed.
    "R4,2024-02-01,Testshire Homes,,victim,direct,burglary,yes,yes,P1,Ada,40,female,white_british,,,,",
]


def build_world() -> SimpleNamespace:
    world = victims_world()
    world.partnership.slug = "testshire"
    world.partnership.save()
    result = run_import(
        get_kind("victim-hub-referrals"),
        io.StringIO("\n".join([HEADER, *ROWS]) + "\n"),
        partnership=world.partnership,
        filename="history.csv",
    )
    assert result.ok, result.errors
    world.manager = UserFactory(team=world.hub, full_name="Mona Manager", roles=[Role.TEAM_MANAGER])
    world.other_manager = UserFactory(team=world.cst, full_name="Otis Othermanager", roles=[Role.TEAM_MANAGER])
    world.auditor = UserFactory(
        team=None, agency=world.council, partnership=world.partnership, full_name="Aud Itor", roles=[Role.AUDITOR]
    )
    elsewhere = PartnershipFactory(name="Elsewhere Safer Communities Partnership")
    elsewhere_agency = AgencyFactory(partnership=elsewhere, name="Elsewhere Council")
    world.outside_admin = UserFactory(
        team=TeamFactory(agency=elsewhere_agency), full_name="Ezra Elsewhere", roles=[Role.PARTNERSHIP_ADMIN]
    )
    world.old = Case.objects.get(external_ref="R1")
    world.old_other = Case.objects.get(external_ref="R2")
    world.live = Case.objects.get(external_ref="R4")
    world.ada = Person.objects.get(external_ref="P1")
    world.bea = Person.objects.get(external_ref="P2")
    # What erasure must remove: a note, an alias, contact details, an identifier, an address.
    Note.objects.create(case=world.old_other, text="Bea said her neighbour at 4 Synthetic Row threatened her.")
    Alias.objects.create(person=world.bea, name="Bee Synthetic")
    ContactDetail.objects.create(person=world.bea, kind=ContactKind.PHONE, value="01632 960001")
    Identifier.objects.create(person=world.bea, system="Police", value="PNC-SYN-1")
    world.bea.date_of_birth = datetime.date(1967, 3, 1)
    world.bea.save()
    location = Location.objects.create(partnership=world.partnership, address="4 Synthetic Row", postcode="ZZ1 1ZZ")
    world.old_other.case_locations.create(location=location, description="Bea's home")
    world.location = location
    return world
