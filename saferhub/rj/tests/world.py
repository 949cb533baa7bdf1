"""A small synthetic partnership for the RJ tests, built on the Victim Care Hub's test world.
Every name is invented.

Council: the Restorative Justice Service (owner, its manager and an unnamed member for
restricted cases) and the Victim Care Hub (hub worker: same agency); Police (the officer, an
agency an RJ case is shared with); Housing (another agency). An analyst and an administrator.
A directory with one RJ provider; the assessment templates installed.
"""

import datetime
from types import SimpleNamespace
from typing import Any

from django.test import Client

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.definitions import install_templates
from saferhub.assessments.models import AssessmentTemplate
from saferhub.cases.models import LawfulBasis
from saferhub.cases.tests.factories import CaseShareFactory
from saferhub.directory.models import Category, Service, ServiceCategory
from saferhub.people.tests.factories import PersonFactory
from saferhub.rj import actions
from saferhub.rj.models import HarmKind, RjCase, Source, SpecialistHarm
from saferhub.rj.setup import ENHANCED_TEMPLATE, RISK_TEMPLATE, setup_rj
from saferhub.victims.tests import world as hub_world

WHO = ["owner", "colleague", "other_agency", "shared", "restricted_outsider", "analyst", "anonymous"]
DAY = datetime.date(2026, 10, 5)


def build_world() -> SimpleNamespace:
    world = hub_world.build_world()
    hub_users = world.users
    world.rj_team = TeamFactory(agency=world.council, name="Restorative Justice Service")
    setup_rj(world.partnership)
    install_templates(world.partnership)
    users = {
        "owner": UserFactory(team=world.rj_team, full_name="Rowan Rjworker", roles=[Role.CASEWORKER]),
        "manager": UserFactory(team=world.rj_team, full_name="Mara Manager", roles=[Role.TEAM_MANAGER]),
        "restricted_outsider": UserFactory(team=world.rj_team, full_name="Rhys Unnamed", roles=[Role.CASEWORKER]),
        "colleague": hub_users["owner"],  # the hub caseworker: same agency as the RJ service
        "shared": hub_users["other_agency"],  # a police officer: RJ cases are shared with the police
        "other_agency": hub_users["shared"],  # Housing
        "analyst": hub_users["analyst"],
        "admin": hub_users["admin"],
    }
    world.hub_users = hub_users
    world.users = users
    for name, user in users.items():
        setattr(world, name, user)
    world.officer = users["shared"]
    world.provider = Service.objects.create(
        partnership=world.partnership, name="Calm Talk Mediation", how_to_refer="E-mail the duty mediator."
    )
    ServiceCategory.objects.create(service=world.provider, category=Category.RESTORATIVE_JUSTICE)
    return world


def client_for(world: SimpleNamespace, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def new_case(world: SimpleNamespace, *, shared: bool = True, **fields: Any) -> RjCase:
    fields.setdefault("source", Source.POLICE)
    fields.setdefault("referred_on", DAY)
    fields.setdefault("harm_kind", HarmKind.CRIME)
    fields.setdefault("harmed", PersonFactory(partnership=world.partnership, first_name="Hattie", last_name="Harmed"))
    fields.setdefault(
        "responsible", PersonFactory(partnership=world.partnership, first_name="Reggie", last_name="Responsible")
    )
    rj = actions.refer(world.owner, world.partnership, **fields)
    if shared:
        CaseShareFactory(
            case=rj.case, agency=world.police, purpose="Officer in the case", lawful_basis=LawfulBasis.PUBLIC_TASK
        )
    return rj


def assess(world: SimpleNamespace, rj: RjCase, *, enhanced: bool = False) -> None:
    code = ENHANCED_TEMPLATE if enhanced else RISK_TEMPLATE
    template = AssessmentTemplate.objects.get(partnership=world.partnership, code=code, active=True)
    record_assessment(world.owner, rj.case, template, {q.code: "no" for q in template.questions.all()})


def suitable_case(world: SimpleNamespace, **fields: Any) -> RjCase:
    rj = new_case(world, **fields)
    enhanced = rj.specialist_harm != SpecialistHarm.NONE
    assess(world, rj, enhanced=enhanced)
    rj.refresh_from_db()
    return actions.screen(world.owner, rj, expected_version=rj.version, suitability="suitable", screened_on=DAY)
