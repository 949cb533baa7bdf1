"""Administrators add, change, deactivate and reactivate users and reset their second factor."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts import administration
from saferhub.accounts.models import Role, RoleAssignment, User
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent


@pytest.fixture
def team(db):
    return TeamFactory(name="Victim Care Hub", agency=AgencyFactory(name="Westfold Council"))


@pytest.fixture
def admin(team):
    return UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN], full_name="Admin Example")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def subject(team):
    return UserFactory(team=team, roles=[Role.CASEWORKER], full_name="Bram Invented", email="bram@example.org")


def _create_data(home_team, /, **overrides):
    data = {
        "full_name": "Cleo Madeup",
        "email": "Cleo.Madeup@Example.org",
        "job_title": "Caseworker",
        "agency": home_team.agency_id,
        "team": home_team.pk,
        "roles": [Role.CASEWORKER, Role.TEAM_MANAGER],
        "password1": "",
        "password2": "",
    }
    data.update(overrides)
    return data


def _events(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


# Creating -------------------------------------------------------------------


def test_create_without_password_makes_an_account_that_must_be_set_up(admin_client, admin, team):
    response = admin_client.post(reverse("accounts:admin-user-create"), _create_data(team), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:admin-users")
    user = User.objects.get(email="cleo.madeup@example.org")
    assert user.partnership_id == admin.partnership_id
    assert user.agency == team.agency and user.team == team
    assert not user.has_usable_password()
    assert user.roles == {Role.CASEWORKER, Role.TEAM_MANAGER}
    assert "send them the sign-in set-up" in response.content.decode()
    event = _events(AuditAction.CREATE, user).get()
    assert event.user == admin
    assert event.partnership_id == admin.partnership_id
    assert event.detail == {"roles": [Role.CASEWORKER, Role.TEAM_MANAGER], "initial_password": False}


def test_create_with_a_valid_initial_password(admin_client, team):
    password = "lantern-orchard-quibble-42"
    data = _create_data(team, password1=password, password2=password)
    response = admin_client.post(reverse("accounts:admin-user-create"), data, follow=True)
    user = User.objects.get(email="cleo.madeup@example.org")
    assert user.check_password(password)
    assert "initial password you set" in response.content.decode()
    assert password not in str(_events(AuditAction.CREATE, user).get().detail)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "bram@example.org"}, "email", "Another user already has this e-mail address"),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address like name@example.org"),
        ({"full_name": ""}, "full_name", "Enter the user's full name"),
        ({"roles": []}, "roles", "Choose at least one role"),
        ({"roles": ["wizard"]}, "roles", "Choose roles from the list"),
        ({"agency": ""}, "agency", "Choose the user's agency"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password1234", "password2": "password1234"}, "password1", "too common"),
        ({"password1": "lantern-orchard-quibble-42", "password2": "other"}, "password2", "do not match"),
    ],
)
def test_create_refuses_bad_input(admin_client, team, subject, overrides, field, message):
    users_before, events_before = User.objects.count(), AuditEvent.objects.count()
    response = admin_client.post(reverse("accounts:admin-user-create"), _create_data(team, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "There is a problem" in page and page.count("<h1") == 1
    assert User.objects.count() == users_before
    assert AuditEvent.objects.count() == events_before


def test_create_refuses_a_team_of_another_agency(admin_client, team):
    other_team = TeamFactory(agency=AgencyFactory(partnership=team.partnership, name="Eastvale Police"))
    response = admin_client.post(reverse("accounts:admin-user-create"), _create_data(team, team=other_team.pk))
    assert "Choose a team that is part of Westfold Council" in " ".join(response.context["form"].errors["team"])
    assert not User.objects.filter(email="cleo.madeup@example.org").exists()


@pytest.mark.parametrize("what", ["agency", "team"])
def test_create_refuses_an_agency_or_team_of_another_partnership(admin_client, team, what):
    foreign_team = TeamFactory(agency=AgencyFactory(partnership=PartnershipFactory()))
    value = foreign_team.agency_id if what == "agency" else foreign_team.pk
    response = admin_client.post(reverse("accounts:admin-user-create"), _create_data(team, **{what: value}))
    assert "from the list" in " ".join(response.context["form"].errors[what])
    assert not User.objects.filter(email="cleo.madeup@example.org").exists()


def test_create_refuses_an_archived_team(admin_client, admin, team):
    archived = TeamFactory(agency=team.agency)
    archived.archive(admin, "merged")
    response = admin_client.post(reverse("accounts:admin-user-create"), _create_data(team, team=archived.pk))
    assert "team" in response.context["form"].errors


def test_create_page_explains_the_password_choice(admin_client):
    page = admin_client.get(reverse("accounts:admin-user-create")).content.decode()
    assert "sign-in set-up" in page and "in person" in page


# Editing --------------------------------------------------------------------


def test_edit_changes_details_and_roles_with_an_audit_row(admin_client, admin, subject, team):
    other_team = TeamFactory(agency=team.agency, name="Community Safety Team")
    data = {
        "full_name": "Bram Renamed",
        "email": "bram@example.org",
        "job_title": "Senior caseworker",
        "agency": team.agency_id,
        "team": other_team.pk,
        "roles": [Role.TEAM_MANAGER],
        "version": subject.version,
    }
    response = admin_client.post(reverse("accounts:admin-user-edit", args=[subject.pk]), data)
    assert response.status_code == 302
    subject.refresh_from_db()
    subject.__dict__.pop("_roles_cache", None)
    assert subject.full_name == "Bram Renamed" and subject.team == other_team
    assert subject.roles == {Role.TEAM_MANAGER}
    changes = _events(AuditAction.UPDATE, subject).get().detail["changes"]
    assert changes["full_name"] == {"from": "Bram Invented", "to": "Bram Renamed"}
    assert changes["team"] == {"from": team.pk, "to": other_team.pk}
    assert changes["roles"] == {"from": [Role.CASEWORKER], "to": [Role.TEAM_MANAGER]}
    assert "email" not in changes


def test_edit_with_no_change_writes_no_audit_row(admin_client, subject, team):
    data = {
        "full_name": subject.full_name,
        "email": subject.email,
        "job_title": "",
        "agency": team.agency_id,
        "team": team.pk,
        "roles": [Role.CASEWORKER],
        "version": subject.version,
    }
    admin_client.post(reverse("accounts:admin-user-edit", args=[subject.pk]), data)
    assert not _events(AuditAction.UPDATE, subject).exists()


def test_edit_refuses_another_users_email(admin_client, subject, admin, team):
    data = {"full_name": "Bram", "email": admin.email.upper(), "agency": team.agency_id, "roles": [Role.CASEWORKER]}
    response = admin_client.post(reverse("accounts:admin-user-edit", args=[subject.pk]), data)
    assert "Another user already has this e-mail address" in " ".join(response.context["form"].errors["email"])
    subject.refresh_from_db()
    assert subject.email == "bram@example.org" and subject.full_name == "Bram Invented"
    assert not AuditEvent.objects.exists()


def test_admin_cannot_remove_their_own_admin_role(admin_client, admin, team):
    data = {"full_name": "Admin Example", "email": admin.email, "agency": team.agency_id, "roles": [Role.AUDITOR]}
    data["version"] = admin.version
    response = admin_client.post(reverse("accounts:admin-user-edit", args=[admin.pk]), data)
    assert response.status_code == 200
    assert "cannot remove your own administrator role" in response.content.decode()
    assert RoleAssignment.objects.filter(user=admin, role=Role.PARTNERSHIP_ADMIN).exists()
    assert not RoleAssignment.objects.filter(user=admin, role=Role.AUDITOR).exists()


# Deactivating, reactivating, two-factor -------------------------------------


def test_deactivate_asks_first_then_deactivates_on_post(admin_client, admin, subject):
    url = reverse("accounts:admin-user-deactivate", args=[subject.pk])
    page = admin_client.get(url).content.decode()
    assert "Deactivate this user?" in page
    subject.refresh_from_db()
    assert subject.is_active
    response = admin_client.post(url)
    assert response.status_code == 302
    subject.refresh_from_db()
    assert not subject.is_active
    assert User.objects.filter(pk=subject.pk).exists()
    event = _events(AuditAction.ARCHIVE, subject).get()
    assert event.user == admin and event.detail == {"change": "deactivated"}


def test_admin_cannot_deactivate_themselves(admin_client, admin):
    url = reverse("accounts:admin-user-deactivate", args=[admin.pk])
    page = admin_client.get(url).content.decode()
    assert "You cannot deactivate your own account" in page
    assert "Deactivate user</button>" not in page
    response = admin_client.post(url, follow=True)
    assert "You cannot deactivate your own account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEvent.objects.filter(action=AuditAction.ARCHIVE).exists()


def test_reactivate(admin_client, admin, subject):
    subject.is_active = False
    subject.save()
    admin_client.post(reverse("accounts:admin-user-reactivate", args=[subject.pk]))
    subject.refresh_from_db()
    assert subject.is_active
    assert _events(AuditAction.UPDATE, subject).get().detail == {"change": "reactivated"}


def test_reactivating_an_active_user_changes_nothing(admin_client, subject):
    response = admin_client.post(reverse("accounts:admin-user-reactivate", args=[subject.pk]), follow=True)
    assert "already active" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_reset_two_factor_deletes_the_devices(admin_client, admin, subject):
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    keep = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    url = reverse("accounts:admin-user-reset-two-factor", args=[subject.pk])
    assert "Reset this user" in admin_client.get(url).content.decode()
    assert TOTPDevice.objects.filter(user=subject).exists()
    admin_client.post(url)
    assert not TOTPDevice.objects.filter(user=subject).exists()
    assert TOTPDevice.objects.filter(pk=keep.pk).exists()
    event = _events(AuditAction.UPDATE, subject).get()
    assert event.detail == {"change": "two_factor_reset", "devices": 1}


def test_the_audit_row_is_written_in_the_same_transaction(admin, subject, monkeypatch):
    """If the audit row cannot be written, the change is not kept either."""

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(administration.log, "record", broken)
    with pytest.raises(RuntimeError):
        administration.deactivate_user(admin, subject)
    subject.refresh_from_db()
    assert subject.is_active


# The list -------------------------------------------------------------------


def test_list_shows_roles_status_and_two_factor(admin_client, subject):
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    page = admin_client.get(reverse("accounts:admin-users")).content.decode()
    assert "Bram Invented" in page and "bram@example.org" in page
    assert "Westfold Council" in page and "Victim Care Hub" in page
    assert "Caseworker" in page and "Partnership administrator" in page
    assert "Set up" in page and "Not set up" in page


def test_list_runs_a_bounded_number_of_queries(admin_client, team, django_assert_max_num_queries):
    for n in range(45):
        user = UserFactory(team=team, roles=[Role.CASEWORKER, Role.TEAM_MANAGER])
        if n % 3 == 0:
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("accounts:admin-users"))
    assert response.status_code == 200
    assert len(response.context["users"]) == 46
