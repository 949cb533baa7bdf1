"""The create_user management command."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from saferhub.accounts.models import Role, User
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern orchard pebble 42"


@pytest.fixture
def team():
    partnership = PartnershipFactory(slug="northvale")
    agency = AgencyFactory(partnership=partnership, name="Northvale Council")
    return TeamFactory(agency=agency, name="Community Safety Team")


@pytest.fixture
def env_password(monkeypatch):
    monkeypatch.setenv("SAFERHUB_PASSWORD", GOOD_PASSWORD)


def create(email="pat.invented@example.org", **overrides):
    options = {
        "name": "Pat Invented",
        "partnership": "northvale",
        "agency": "Northvale Council",
        "team": "Community Safety Team",
        "role": ["caseworker"],
    }
    options.update(overrides)
    args = [email]
    for key, value in options.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            args += [f"--{key}", item]
    call_command("create_user", *args)


def test_creates_a_user_with_roles_who_can_sign_in(team, env_password):
    create(role=["caseworker", "analyst"])
    user = User.objects.get(email="pat.invented@example.org")
    assert user.full_name == "Pat Invented"
    assert (user.partnership, user.agency, user.team) == (team.partnership, team.agency, team)
    assert user.roles == {Role.CASEWORKER, Role.ANALYST}
    assert authenticate(RequestFactory().post("/sign-in/"), username=user.email, password=GOOD_PASSWORD) == user


def test_creation_is_audited(team, env_password):
    create()
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.object_type == "accounts.user"
    assert event.partnership == team.partnership
    assert event.detail["roles"] == ["caseworker"]


def test_team_is_optional_and_names_are_not_case_sensitive(team, env_password):
    create(team=None, agency="NORTHVALE council", email="Sam.Invented@Example.org")
    user = User.objects.get(email="sam.invented@example.org")
    assert user.agency == team.agency
    assert user.team is None


def test_password_is_asked_for_twice_when_not_in_the_environment(team, monkeypatch):
    monkeypatch.delenv("SAFERHUB_PASSWORD", raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    create()
    assert User.objects.get().check_password(GOOD_PASSWORD)


def test_passwords_that_differ_are_refused(team, monkeypatch):
    monkeypatch.delenv("SAFERHUB_PASSWORD", raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        create()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password1234", "too common"), ("", "cannot be empty"), ("patinvented1", "too similar")],
)
def test_weak_passwords_are_refused(team, monkeypatch, password, message):
    monkeypatch.setenv("SAFERHUB_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        create()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"partnership": "southvale"}, "No partnership has the slug 'southvale'"),
        ({"agency": "Southvale Police"}, "has no agency called 'Southvale Police'"),
        ({"team": "Night Patrol"}, "has no team called 'Night Patrol'"),
        ({"role": ["caseworker", "wizard"]}, "Unknown role 'wizard'"),
        ({"email": "not-an-address"}, "is not a valid e-mail address"),
        ({"name": "  "}, "full name"),
    ],
)
def test_bad_arguments_are_named_and_nothing_is_written(team, env_password, overrides, message):
    with pytest.raises(CommandError, match=message):
        create(**overrides)
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_agency_of_another_partnership_is_unknown(team, env_password):
    AgencyFactory(partnership=PartnershipFactory(slug="southvale"), name="Southvale Police")
    with pytest.raises(CommandError, match="has no agency called 'Southvale Police'"):
        create(agency="Southvale Police")


def test_archived_agency_is_unknown(team, env_password):
    team.agency.archived_at = timezone.now()
    team.agency.save()
    with pytest.raises(CommandError, match="has no agency"):
        create()


def test_existing_email_is_refused(team, env_password):
    create()
    with pytest.raises(CommandError, match="already exists"):
        create(email="PAT.invented@example.org")
    assert User.objects.count() == 1
