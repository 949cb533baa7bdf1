"""Administrators add and change agencies and teams, and archive teams that no longer own open cases."""

import pytest
from django.urls import reverse

from saferhub.accounts.models import Agency, AgencyKind, Role, Team
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.tests.factories import CaseFactory, ClosedCaseFactory


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Westfold Council", kind=AgencyKind.COUNCIL)


@pytest.fixture
def team(agency):
    return TeamFactory(agency=agency, name="Community Safety Team")


@pytest.fixture
def admin(team):
    return UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN])


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _events(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


# Agencies -------------------------------------------------------------------


def test_create_agency_with_a_parent(admin_client, admin, agency):
    data = {"name": "Family Services", "kind": AgencyKind.COUNCIL, "parent": agency.pk, "external_ref": "FS1"}
    response = admin_client.post(reverse("accounts:admin-agency-create"), data)
    assert response.status_code == 302
    created = Agency.objects.get(name="Family Services")
    assert created.partnership_id == admin.partnership_id and created.parent == agency
    assert _events(AuditAction.CREATE, created).get().user == admin


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "westfold council"}, "name", "already has this name"),
        ({"name": ""}, "name", "Enter the agency's name"),
        ({"kind": "spaceship"}, "kind", "Choose a kind of agency from the list"),
    ],
)
def test_create_agency_refuses_bad_input(admin_client, agency, data, field, message):
    before = Agency.objects.count()
    response = admin_client.post(reverse("accounts:admin-agency-create"), {"name": "New", "kind": "council", **data})
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert Agency.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_parent_must_be_in_the_same_partnership(admin_client, agency):
    foreign = AgencyFactory(partnership=PartnershipFactory())
    data = {"name": "Family Services", "kind": "council", "parent": foreign.pk}
    response = admin_client.post(reverse("accounts:admin-agency-create"), data)
    assert "parent" in response.context["form"].errors
    assert not Agency.objects.filter(name="Family Services").exists()


def test_parent_may_not_make_a_cycle(admin_client, agency):
    child = AgencyFactory(partnership=agency.partnership, name="Family Services", parent=agency)
    grandchild = AgencyFactory(partnership=agency.partnership, name="Early Help", parent=child)
    data = {"name": agency.name, "kind": agency.kind, "parent": grandchild.pk}
    response = admin_client.post(reverse("accounts:admin-agency-edit", args=[agency.pk]), data)
    assert "sits under it already" in " ".join(response.context["form"].errors["parent"])
    agency.refresh_from_db()
    assert agency.parent is None
    assert not AuditEvent.objects.exists()


def test_agency_cannot_be_its_own_parent(admin_client, agency):
    data = {"name": agency.name, "kind": agency.kind, "parent": agency.pk}
    response = admin_client.post(reverse("accounts:admin-agency-edit", args=[agency.pk]), data)
    assert "Choose another agency of your partnership" in " ".join(response.context["form"].errors["parent"])


def test_edit_agency_records_the_change(admin_client, admin, agency):
    data = {
        "name": "Westfold Borough Council",
        "kind": AgencyKind.COUNCIL,
        "parent": "",
        "external_ref": "",
        "version": 1,
    }
    admin_client.post(reverse("accounts:admin-agency-edit", args=[agency.pk]), data)
    agency.refresh_from_db()
    assert agency.name == "Westfold Borough Council"
    changes = _events(AuditAction.UPDATE, agency).get().detail["changes"]
    assert changes == {"name": {"from": "Westfold Council", "to": "Westfold Borough Council"}}


def test_agency_list_counts_teams_and_users(admin_client, agency, team):
    TeamFactory(agency=agency)
    UserFactory.create_batch(2, team=team, roles=[Role.CASEWORKER])
    response = admin_client.get(reverse("accounts:admin-agencies"))
    listed = {a.name: a for a in response.context["agencies"]}
    assert listed["Westfold Council"].team_count == 2
    assert listed["Westfold Council"].user_count == 3


# Teams ----------------------------------------------------------------------


def test_create_team(admin_client, admin, agency):
    data = {"agency": agency.pk, "name": "Victim Care Hub", "email": "vch@example.org", "accepts_referrals": "on"}
    assert admin_client.post(reverse("accounts:admin-team-create"), data).status_code == 302
    created = Team.objects.get(name="Victim Care Hub")
    assert created.partnership_id == admin.partnership_id and created.accepts_referrals
    assert _events(AuditAction.CREATE, created).get().user == admin


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "community safety team"}, "name", "already has a team with this name"),
        ({"name": ""}, "name", "Enter the team's name"),
        ({"email": "not an address"}, "email", "Enter an e-mail address like team@example.org"),
        ({"agency": ""}, "agency", "Choose the team's agency"),
    ],
)
def test_create_team_refuses_bad_input(admin_client, agency, team, data, field, message):
    before = Team.objects.count()
    response = admin_client.post(reverse("accounts:admin-team-create"), {"agency": agency.pk, "name": "New", **data})
    assert message in " ".join(response.context["form"].errors[field])
    assert Team.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_create_team_refuses_an_agency_of_another_partnership(admin_client):
    foreign = AgencyFactory(partnership=PartnershipFactory())
    response = admin_client.post(reverse("accounts:admin-team-create"), {"agency": foreign.pk, "name": "Sneaky"})
    assert "agency" in response.context["form"].errors
    assert not Team.objects.filter(name="Sneaky").exists()


def test_edit_team_keeps_its_agency(admin_client, admin, team):
    elsewhere = AgencyFactory(partnership=team.partnership)
    data = {"agency": elsewhere.pk, "name": "Community Safety and ASB Team", "email": "", "version": team.version}
    admin_client.post(reverse("accounts:admin-team-edit", args=[team.pk]), data)
    team.refresh_from_db()
    assert team.name == "Community Safety and ASB Team"
    assert team.agency_id != elsewhere.pk
    changes = _events(AuditAction.UPDATE, team).get().detail["changes"]
    assert set(changes) == {"name", "accepts_referrals"}


def test_archive_team_asks_then_archives(admin_client, admin, agency):
    quiet = TeamFactory(agency=agency, name="Old Team")
    ClosedCaseFactory(owning_team=quiet)
    url = reverse("accounts:admin-team-archive", args=[quiet.pk])
    assert "Archive Old Team?" in admin_client.get(url).content.decode()
    quiet.refresh_from_db()
    assert quiet.archived_at is None
    assert admin_client.post(url, {"reason": "Merged into the hub"}).status_code == 302
    quiet.refresh_from_db()
    assert quiet.archived_at is not None and quiet.archived_by == admin
    assert quiet.archive_reason == "Merged into the hub"
    assert Team.objects.filter(pk=quiet.pk).exists()
    assert _events(AuditAction.ARCHIVE, quiet).get().reason == "Merged into the hub"


def test_archive_refused_while_the_team_owns_open_cases(admin_client, team):
    CaseFactory.create_batch(2, owning_team=team)
    url = reverse("accounts:admin-team-archive", args=[team.pk])
    page = admin_client.get(url).content.decode()
    assert "still owns 2 open cases" in page
    assert "Archive team</button>" not in page
    response = admin_client.post(url, {"reason": "Trying anyway"}, follow=True)
    assert "still owns 2 open cases" in response.content.decode()
    team.refresh_from_db()
    assert team.archived_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.ARCHIVE).exists()


def test_team_list_shows_archived_teams_last_with_counts(admin_client, admin, agency, team):
    old = TeamFactory(agency=agency, name="Archived Team")
    old.archive(admin, "gone")
    CaseFactory(owning_team=team)
    ClosedCaseFactory(owning_team=team)
    response = admin_client.get(reverse("accounts:admin-teams"))
    teams = list(response.context["teams"])
    assert teams[-1] == old
    assert teams[0].open_case_count == 1 and teams[0].member_count == 1
    assert "Archived" in response.content.decode()
