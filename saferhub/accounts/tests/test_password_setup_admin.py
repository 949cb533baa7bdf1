"""Administrators send a user the sign-in set-up e-mail: who may, what is sent, what is audited."""

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Community Safety Team", agency=AgencyFactory(name="Eastvale Council"))


@pytest.fixture
def newcomer(team):
    user = UserFactory(team=team, email="new.starter@example.org", full_name="Nova Starter")
    user.set_unusable_password()
    user.save()
    return user


def _url(user):
    return reverse("accounts:admin-user-send-setup", args=[user.pk])


def _sent_events(user):
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="accounts.user", object_id=str(user.pk), detail__password_reset="sent"
    )


def _who(who, team):
    if who == "admin":
        return UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN])
    if who == "caseworker":
        return UserFactory(team=team, roles=[Role.CASEWORKER])
    if who == "other partnership admin":
        other = TeamFactory(agency=AgencyFactory(partnership=PartnershipFactory()))
        return UserFactory(team=other, roles=[Role.PARTNERSHIP_ADMIN])
    return None


@pytest.mark.parametrize(
    ("who", "get_status", "post_status", "mails"),
    [
        ("admin", 200, 302, 1),
        ("caseworker", 403, 403, 0),
        ("other partnership admin", 404, 404, 0),
        ("anonymous", 302, 302, 0),
    ],
)
def test_who_may_send_the_set_up(client, mailoutbox, team, newcomer, who, get_status, post_status, mails):
    user = _who(who, team)
    if user is not None:
        client.force_login(user)
    assert client.get(_url(newcomer)).status_code == get_status
    response = client.post(_url(newcomer))
    assert response.status_code == post_status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert len(mailoutbox) == mails
    assert _sent_events(newcomer).count() == mails


@pytest.fixture
def admin_client(client, team):
    admin = UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN], full_name="Admin Example")
    client.force_login(admin)
    client.admin = admin
    return client


def test_confirm_page_names_the_user_and_the_address(admin_client, newcomer):
    html = admin_client.get(_url(newcomer)).content.decode()
    assert html.count("<h1") == 1
    assert "Send the sign-in set-up?" in html
    assert "new.starter@example.org" in html
    assert "Nova Starter" in html


def test_sending_mails_the_set_up_link_and_audits_the_admin(admin_client, mailoutbox, newcomer, settings):
    settings.SITE_URL = "https://saferhub.example.org"
    response = admin_client.post(_url(newcomer), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:admin-user-edit", args=[newcomer.pk])
    assert "We have sent Nova Starter an e-mail to set up their sign-in." in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == ["new.starter@example.org"]
    assert mail.subject == "Set up your Saferhub sign-in"
    assert "https://saferhub.example.org/sign-in/reset/" in mail.body
    event = _sent_events(newcomer).get()
    assert event.user == admin_client.admin
    assert event.partnership_id == newcomer.partnership_id
    assert event.detail == {"password_reset": "sent", "purpose": "set_up", "sent_by": "administrator"}


def test_an_administrator_can_send_again_straight_away(admin_client, mailoutbox, newcomer):
    admin_client.post(_url(newcomer))
    admin_client.post(_url(newcomer))
    assert len(mailoutbox) == 2


def test_a_deactivated_user_is_refused(admin_client, mailoutbox, team):
    user = UserFactory(team=team, is_active=False)
    html = admin_client.get(_url(user)).content.decode()
    assert "Reactivate it before sending" in html
    assert "Send e-mail" not in html
    response = admin_client.post(_url(user), follow=True)
    assert "is deactivated" in response.content.decode()
    assert mailoutbox == []
    assert not _sent_events(user).exists()


def test_user_page_shows_password_state_and_links_the_action(admin_client, newcomer):
    html = admin_client.get(reverse("accounts:admin-user-edit", args=[newcomer.pk])).content.decode()
    assert "Not set yet" in html
    assert _url(newcomer) in html


def test_create_without_password_points_to_the_set_up(admin_client, team):
    data = {
        "full_name": "Cleo Madeup",
        "email": "cleo.madeup@example.org",
        "job_title": "Caseworker",
        "agency": team.agency_id,
        "team": team.pk,
        "roles": [Role.CASEWORKER],
        "password1": "",
        "password2": "",
    }
    response = admin_client.post(reverse("accounts:admin-user-create"), data, follow=True)
    assert "Send sign-in set-up" in response.content.decode()
