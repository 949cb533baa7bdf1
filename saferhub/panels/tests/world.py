"""A small synthetic partnership for the panel tests. All names are invented.

Council: the MARAC Coordination team (owns the panel cases; the coordinator and a
caseworker colleague work there) and a Community Safety Team (same agency, other
team). Police and Health are DA MARAC member agencies (invited to meetings);
Housing is not a member. An analyst sees aggregates only.
"""

import datetime
from types import SimpleNamespace

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.core.seeding import seed_reference_codes
from saferhub.panels import actions
from saferhub.panels.models import PanelType
from saferhub.panels.setup import install_panel_types
from saferhub.people.models import Gender, Person
from saferhub.places.models import Population, PopulationMeasure

PASSWORD = "correct horse battery staple"


def user(team, name, *roles):
    return UserFactory(team=team, full_name=name, roles=list(roles) or [Role.CASEWORKER])


def build_world(women: int | None = None) -> SimpleNamespace:
    partnership = PartnershipFactory.create(name="Testshire Safer Communities Partnership", areas=["E09000901"])
    if women is not None:
        Population.objects.create(
            partnership=partnership,
            area_code="E09000901",
            year=2021,
            measure=PopulationMeasure.WOMEN_16_PLUS,
            value=women,
        )
    seed_reference_codes(partnership)
    install_panel_types(partnership)
    council = AgencyFactory.create(partnership=partnership, name="Testshire Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory.create(partnership=partnership, name="Testshire Police", kind=AgencyKind.POLICE)
    health = AgencyFactory.create(partnership=partnership, name="Testshire Health", kind=AgencyKind.HEALTH)
    housing = AgencyFactory.create(partnership=partnership, name="Testshire Homes", kind=AgencyKind.HOUSING)
    marac_team = TeamFactory.create(agency=council, name="MARAC Coordination")
    cst = TeamFactory.create(agency=council, name="Community Safety Team")
    police_team = TeamFactory.create(agency=police, name="Safeguarding Hub")
    health_team = TeamFactory.create(agency=health, name="Hospital IDVA Service")
    housing_team = TeamFactory.create(agency=housing, name="Tenancy Sustainment")
    for panel_type in PanelType.objects.filter(partnership=partnership):
        panel_type.coordinating_team = marac_team
        panel_type.save()
        panel_type.member_agencies.set([council, police, health])
    users = {
        "coordinator": user(marac_team, "Cleo Coordinator", Role.PANEL_COORDINATOR),
        "colleague": user(marac_team, "Colm Colleague"),
        "same_agency": user(cst, "Sam Sameagency"),
        "police": user(police_team, "Pat Police"),
        "health": user(health_team, "Hal Health"),
        "housing": user(housing_team, "Hugo Housing"),
        "analyst": UserFactory.create(
            team=None, agency=council, partnership=partnership, full_name="Ana Analyst", roles=[Role.ANALYST]
        ),
    }
    return SimpleNamespace(
        partnership=partnership,
        council=council,
        police=police,
        health=health,
        housing=housing,
        marac_team=marac_team,
        police_team=police_team,
        housing_team=housing_team,
        da=PanelType.objects.get(partnership=partnership, code="da_marac"),
        cs=PanelType.objects.get(partnership=partnership, code="cs_marac"),
        sirm=PanelType.objects.get(partnership=partnership, code="sirm"),
        aar=PanelType.objects.get(partnership=partnership, code="adults_at_risk"),
        users=users,
        coordinator=users["coordinator"],
    )


def person(world, first="Ivy", last="Quillmarsh", **fields):
    return Person.objects.create(
        partnership=world.partnership,
        first_name=first,
        last_name=last,
        gender=fields.pop("gender", Gender.FEMALE),
        **fields,
    )


def refer(world, who, day, panel_type=None, agency=None, **fields):
    return actions.create_referral(
        world.coordinator,
        panel_type or world.da,
        person=who,
        referral_date=day,
        referring_agency=agency or world.police,
        **fields,
    )


def meeting(world, day, panel_type=None):
    return actions.schedule_meeting(world.coordinator, panel_type or world.da, date=day)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
