"""Administrators send a user the sign-in set-up e-mail: who may, what is sent, what is audited."""

import pytest
from django.urls import reverse

from saferhub.accounts import administration
from saferhub.accounts.models import Role, User
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.api.models import SingleSignOn
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.setup.setupfile import configure

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


# Partnerships whose people sign in through their identity provider only --------------------------

PROVIDER = "Eastvale Council account"


def _single_sign_on(partnership, password_sign_in):
    """The partnership's `[single_sign_on]` from a set-up file, as test_sso_partnerships sets it up."""
    configure(
        "[partnership]\n"
        f'slug = "{partnership.slug}"\n\n'
        "[single_sign_on]\n"
        f'provider_name = "{PROVIDER}"\n'
        'discovery_url = "https://login.eastvale.example/.well-known/openid-configuration"\n'
        'client_id = "saferhub-eastvale"\n'
        'client_secret_env = "EASTVALE_OIDC_SECRET"\n'
        f"password_sign_in = {'true' if password_sign_in else 'false'}\n"
    )
    assert SingleSignOn.objects.get(partnership=partnership).password_sign_in is password_sign_in


@pytest.fixture
def provider_only(team):
    _single_sign_on(team.agency.partnership, password_sign_in=False)
    return f"People of {team.agency.partnership.name} sign in with {PROVIDER} and need no Saferhub password."


def test_no_set_up_is_offered_or_sent_where_password_sign_in_is_off(admin_client, mailoutbox, newcomer, provider_only):
    html = admin_client.get(_url(newcomer)).content.decode()
    assert html.count("<h1") == 1
    assert provider_only in html
    assert "Send e-mail" not in html
    response = admin_client.post(_url(newcomer), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:admin-user-edit", args=[newcomer.pk])
    assert f"{provider_only} No e-mail was sent." in response.content.decode()
    assert mailoutbox == []
    assert not _sent_events(newcomer).exists()


def test_sending_is_refused_by_the_administration_function_too(admin_client, mailoutbox, newcomer, provider_only):
    with pytest.raises(administration.AdministrationError, match="need no Saferhub password"):
        administration.send_sign_in_setup(admin_client.admin, newcomer)
    assert mailoutbox == []


def test_user_page_says_they_sign_in_with_the_provider(admin_client, newcomer, provider_only):
    html = admin_client.get(reverse("accounts:admin-user-edit", args=[newcomer.pk])).content.decode()
    assert html.count("<h1") == 1
    assert f'<div class="govuk-inset-text">{provider_only}</div>' in html
    assert f"Not needed: they sign in with {PROVIDER}" in html
    assert f"Asked for by {PROVIDER}" in html
    assert _url(newcomer) not in html
    assert "Not set yet" not in html


def test_user_list_says_they_sign_in_with_the_provider(admin_client, newcomer, provider_only):
    html = admin_client.get(reverse("accounts:admin-users")).content.decode()
    assert html.count("<h1") == 1
    assert provider_only in html
    assert "Not set up" not in html


def _new_user(team, password=""):
    return {
        "full_name": "Cleo Madeup",
        "email": "cleo.madeup@example.org",
        "job_title": "Caseworker",
        "agency": team.agency_id,
        "team": team.pk,
        "roles": [Role.CASEWORKER],
        "password1": password,
        "password2": password,
    }


def test_create_page_offers_no_password_where_password_sign_in_is_off(admin_client, provider_only):
    html = admin_client.get(reverse("accounts:admin-user-create")).content.decode()
    assert html.count("<h1") == 1
    assert provider_only in html
    assert 'name="password1"' not in html
    assert "set up two-factor authentication" not in html


def test_creating_sends_nothing_and_gives_no_password(admin_client, mailoutbox, team, provider_only):
    # A password posted anyway (an old form) is ignored: the account gets none.
    data = _new_user(team, password="lantern orchard pebble 42")
    response = admin_client.post(reverse("accounts:admin-user-create"), data, follow=True)
    html = response.content.decode()
    assert f"Account created for Cleo Madeup. {provider_only} They can sign in now." in html
    assert "Send sign-in set-up" not in html
    user = User.objects.get(email="cleo.madeup@example.org")
    assert not user.has_usable_password()
    assert mailoutbox == []
    assert AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk)).detail["initial_password"] is False


def test_the_administration_function_refuses_an_initial_password(admin_client, team, provider_only):
    with pytest.raises(administration.AdministrationError, match="Leave the initial password blank"):
        administration.create_user(
            admin_client.admin,
            email="cleo.madeup@example.org",
            full_name="Cleo Madeup",
            agency=team.agency,
            team=team,
            roles=[Role.CASEWORKER],
            password="lantern orchard pebble 42",
        )
    assert not User.objects.filter(email="cleo.madeup@example.org").exists()


def test_reset_two_factor_says_the_provider_asks_for_it(admin_client, newcomer, provider_only):
    html = admin_client.get(reverse("accounts:admin-user-reset-two-factor", args=[newcomer.pk])).content.decode()
    assert html.count("<h1") == 1
    assert f"{PROVIDER} asks for their second factor, so they set up no new authenticator" in html


@pytest.fixture
def password_also(team):
    """Single sign-on with password sign-in still on; and another partnership signing in by its provider only."""
    _single_sign_on(team.agency.partnership, password_sign_in=True)
    other = PartnershipFactory()
    configure(
        f'[partnership]\nslug = "{other.slug}"\n\n[single_sign_on]\nprovider_name = "Elsewhere account"\n'
        'discovery_url = "https://login.elsewhere.example/.well-known/openid-configuration"\n'
        'client_id = "x"\nclient_secret_env = "ELSEWHERE_OIDC_SECRET"\npassword_sign_in = false\n'
    )


def test_with_password_sign_in_on_the_set_up_is_still_offered_and_sent(
    admin_client, mailoutbox, newcomer, password_also
):
    page = admin_client.get(reverse("accounts:admin-user-edit", args=[newcomer.pk])).content.decode()
    assert _url(newcomer) in page
    assert "need no Saferhub password" not in page
    assert "Send e-mail" in admin_client.get(_url(newcomer)).content.decode()
    admin_client.post(_url(newcomer))
    assert [mail.to for mail in mailoutbox] == [["new.starter@example.org"]]
    assert _sent_events(newcomer).count() == 1


def test_with_password_sign_in_on_a_user_is_created_with_a_password_field(admin_client, team, password_also):
    assert 'name="password1"' in admin_client.get(reverse("accounts:admin-user-create")).content.decode()
    response = admin_client.post(reverse("accounts:admin-user-create"), _new_user(team), follow=True)
    assert "Send sign-in set-up" in response.content.decode()
    admin_client.post(
        reverse("accounts:admin-user-create"),
        _new_user(team, "lantern orchard pebble 42") | {"email": "second.madeup@example.org"},
    )
    assert User.objects.get(email="second.madeup@example.org").has_usable_password()
