"""The partnership the ASB tests run in (a helper module: it holds no tests)."""

import datetime
from types import SimpleNamespace

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.partnerships import setup_partnership
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.asb import actions
from saferhub.asb.models import AsbDesk
from saferhub.cases.models import CaseShare, LawfulBasis, ParticipantRole, RestrictedAccess
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people.tests.factories import PersonFactory
from saferhub.places.models import Ward


def code(partnership, code_list, value):
    return ReferenceCode.objects.get(partnership=partnership, code_list=code_list, code=value)


def kind(partnership, value):
    return code(partnership, ReferenceList.ASB_TOOL_OR_POWER, value)


def offence(partnership, value):
    return code(partnership, ReferenceList.FPN_OFFENCE, value)


def build_world() -> SimpleNamespace:
    p = PartnershipFactory.create(slug="invented-asb", name="Invented Borough Safer Partnership")
    setup_partnership(p)
    council = AgencyFactory.create(partnership=p, name="Invented Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory.create(partnership=p, name="Invented Police", kind=AgencyKind.POLICE)
    housing = AgencyFactory.create(partnership=p, name="Invented Housing", kind=AgencyKind.HOUSING)
    asb_team = TeamFactory.create(agency=council, name="ASB Team")
    sister_team = TeamFactory.create(agency=council, name="Victim Care Hub")
    police_team = TeamFactory.create(agency=police, name="Neighbourhood Policing")
    housing_team = TeamFactory.create(agency=housing, name="Tenancy Sustainment")
    w = SimpleNamespace(
        partnership=p,
        asb_team=asb_team,
        owner=UserFactory.create(team=asb_team, full_name="Olive Officer", roles=[Role.CASEWORKER]),
        manager=UserFactory.create(team=asb_team, full_name="Mo Manager", roles=[Role.TEAM_MANAGER]),
        colleague=UserFactory.create(team=sister_team, full_name="Cora Colleague", roles=[Role.CASEWORKER]),
        other_agency=UserFactory.create(team=police_team, full_name="Otto Officer", roles=[Role.CASEWORKER]),
        shared=UserFactory.create(team=housing_team, full_name="Sasha Sharer", roles=[Role.CASEWORKER]),
        analyst=UserFactory.create(team=asb_team, full_name="Ana Analyst", roles=[Role.ANALYST]),
        admin=UserFactory.create(
            team=None, agency=council, partnership=p, full_name="Ada Admin", roles=[Role.PARTNERSHIP_ADMIN]
        ),
        ward=Ward.objects.create(partnership=p, name="Invented Ward"),
    )
    AsbDesk.objects.create(partnership=p, team=asb_team)
    w.asb = actions.create_asb_case(
        w.owner,
        owning_team=asb_team,
        title="Noise from an invented flat",
        category=code(p, ReferenceList.ASB_CASE_CATEGORY, "asb_nuisance"),
        ward=w.ward,
        location="1 Invented Row",
        opened_on=datetime.date(2024, 1, 10),
        assigned_to=w.owner,
    )
    w.case = w.asb.case
    w.victim = PersonFactory.create(partnership=p, first_name="Vera", last_name="Testvictim")
    w.subject = PersonFactory.create(
        partnership=p, first_name="Sid", last_name="Testsubject", date_of_birth=datetime.date(1990, 5, 1)
    )
    w.teen = PersonFactory.create(
        partnership=p, first_name="Tam", last_name="Testteen", date_of_birth=datetime.date(2010, 5, 1)
    )
    w.unknown_age = PersonFactory.create(partnership=p, first_name="Una", last_name="Testunknown")
    for person, role in (
        (w.victim, ParticipantRole.DIRECT_VICTIM),
        (w.subject, ParticipantRole.SUBJECT),
        (w.teen, ParticipantRole.SUBJECT),
        (w.unknown_age, ParticipantRole.SUBJECT),
    ):
        actions.case_actions.add_participant(w.owner, w.case, person, role)
    CaseShare.objects.create(case=w.case, agency=housing, purpose="Joint working", lawful_basis=LawfulBasis.PUBLIC_TASK)
    w.restricted = actions.create_asb_case(
        w.owner,
        owning_team=asb_team,
        title="Invented restricted ASB case",
        category=code(p, ReferenceList.ASB_CASE_CATEGORY, "asb_personal"),
    ).case
    w.restricted.restricted = True
    w.restricted.save()
    RestrictedAccess.objects.create(case=w.restricted, user=w.manager)
    return w
