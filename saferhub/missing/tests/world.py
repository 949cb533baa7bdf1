"""The partnership the missing-children tests run in (a helper module: it holds no tests)."""

import datetime
from types import SimpleNamespace

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.partnerships import setup_partnership
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.cases.models import CaseShare, LawfulBasis
from saferhub.missing import actions
from saferhub.missing.config import UK
from saferhub.people.tests.factories import PersonFactory


def at(text: str) -> datetime.datetime:
    """A UK local time written YYYY-MM-DD HH:MM."""
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UK)


def build_world() -> SimpleNamespace:
    p = PartnershipFactory.create(slug="invented-missing", name="Invented Borough Safer Partnership")
    council = AgencyFactory.create(partnership=p, name="Invented Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory.create(partnership=p, name="Invented Police", kind=AgencyKind.POLICE)
    provider = AgencyFactory.create(partnership=p, name="Invented Return Interviews", kind=AgencyKind.VOLUNTARY)
    other_provider = AgencyFactory.create(partnership=p, name="Invented Early Help Hub", kind=AgencyKind.COUNCIL)
    tve = TeamFactory.create(agency=council, name="Tackling Violence and Exploitation")
    sister = TeamFactory.create(agency=council, name="Youth Offending Service")
    police_team = TeamFactory.create(agency=police, name="Missing Persons Unit")
    rhi_team = TeamFactory.create(agency=provider, name="Return Interviews")
    hub_team = TeamFactory.create(agency=other_provider, name="Early Help Hub North")
    setup_partnership(p)
    w = SimpleNamespace(
        partnership=p,
        council=council,
        police=police,
        provider=provider,
        early_help=other_provider,
        tve=tve,
        rhi_team=rhi_team,
        coordinator=UserFactory.create(team=tve, full_name="Cleo Coordinator", roles=[Role.CASEWORKER]),
        manager=UserFactory.create(team=tve, full_name="Mina Manager", roles=[Role.TEAM_MANAGER]),
        colleague=UserFactory.create(team=sister, full_name="Cora Colleague", roles=[Role.CASEWORKER]),
        other_agency=UserFactory.create(team=police_team, full_name="Otto Officer", roles=[Role.CASEWORKER]),
        worker=UserFactory.create(team=rhi_team, full_name="Wren Worker", roles=[Role.CASEWORKER]),
        hub_worker=UserFactory.create(team=hub_team, full_name="Hal Hubworker", roles=[Role.CASEWORKER]),
        analyst=UserFactory.create(team=tve, full_name="Ana Analyst", roles=[Role.ANALYST]),
        admin=UserFactory.create(
            team=None, agency=council, partnership=p, full_name="Ada Admin", roles=[Role.PARTNERSHIP_ADMIN]
        ),
    )
    actions.set_missing_team(w.admin, p, tve)
    w.child_person = PersonFactory.create(
        partnership=p, first_name="Tia", last_name="Testchild", date_of_birth=datetime.date(2010, 5, 1)
    )
    w.child = actions.child_record(w.coordinator, w.child_person)
    w.episode = actions.record_episode(
        w.coordinator, w.child, missing_from=at("2024-06-01 18:00"), returned_at=at("2024-06-02 09:30")
    )
    w.episode = actions.assign_rhi(
        w.coordinator, w.episode, expected_version=w.episode.version, provider=provider, team=rhi_team
    )
    w.shared = w.hub_worker  # the Early Help Hub the case is shared with
    CaseShare.objects.create(
        case=w.child.case, team=hub_team, purpose="Early help plan", lawful_basis=LawfulBasis.PUBLIC_TASK
    )
    w.outsider = _outsider()
    return w


def _outsider():
    """A caseworker of another partnership's missing team."""
    other = PartnershipFactory.create(slug="elsewhere-missing", name="Elsewhere Partnership")
    agency = AgencyFactory.create(partnership=other, name="Elsewhere Council", kind=AgencyKind.COUNCIL)
    team = TeamFactory.create(agency=agency, name="Elsewhere Exploitation Team")
    user = UserFactory.create(team=team, full_name="Oscar Outsider", roles=[Role.CASEWORKER])
    actions.set_missing_team(user, other, team)
    return user


def with_intelligence(w: SimpleNamespace) -> SimpleNamespace:
    """The CEAM panel type (council and police as members, not the providers), a place and a group only
    the team sees, a place shared with CEAM members, and the child linked to both."""
    from saferhub.missing.models import LinkSource, PlaceKind, Visibility
    from saferhub.setup.actions import create_panel_type

    create_panel_type(
        w.admin,
        w.partnership,
        code="ceam",
        values={
            "name": "Child Exploitation and Missing meeting",
            "cadence": "monthly",
            "coordinating_team_id": w.tve.pk,
        },
        member_agencies=[w.council, w.police],
    )
    day = datetime.date(2024, 6, 3)
    w.place_team = actions.create_place(
        w.coordinator, w.partnership, name="Testing flat above a shop", kind=PlaceKind.ADDRESS, identified_on=day
    )
    w.place_ceam = actions.create_place(
        w.coordinator, w.partnership, name="Testing skate park", kind=PlaceKind.PARK, identified_on=day,
        visibility=Visibility.CEAM,
    )  # fmt: skip
    w.group = actions.create_group(w.coordinator, w.partnership, name="Testing Street crew", identified_on=day)
    w.link_ceam = actions.add_link(
        w.coordinator, w.partnership, person=w.child_person, place=w.place_ceam, source=LinkSource.OUTREACH,
        recorded_on=day, visibility=Visibility.CEAM,
    )  # fmt: skip
    w.link_team = actions.add_link(
        w.coordinator, w.partnership, person=w.child_person, group=w.group, source=LinkSource.POLICE, recorded_on=day
    )
    return w
