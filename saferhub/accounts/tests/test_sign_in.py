"""Signing in with e-mail and password: messages, audit rows and safe redirects."""

import pytest
from django.urls import reverse

from saferhub.accounts.tests.factories import PartnershipFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saferhub.accounts.tests.sign_in_urls")]

PASSWORD = "correct horse battery staple"
GENERIC_ERROR = "Enter a correct e-mail address and password"


@pytest.fixture
def user():
    return UserFactory(email="casey.example@example.org", roles=[])


def sign_in(client, email, password=PASSWORD, **query):
    url = reverse("accounts:sign-in")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, {"username": email, "password": password})


def test_sign_in_page_asks_for_email_and_password(client):
    response = client.get(reverse("accounts:sign-in"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'name="username"' in html
    assert "E-mail address" in html
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html


def test_correct_details_sign_in_and_are_audited(client, user):
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == user.pk
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.user == user
    assert event.partnership == user.partnership
    assert event.ip_address == "127.0.0.1"


def test_email_is_not_case_sensitive(client, user):
    response = sign_in(client, "  Casey.Example@EXAMPLE.org ")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("casey.example@example.org", "wrong password entirely"),
        ("nobody.here@example.org", PASSWORD),
    ],
    ids=["wrong-password", "unknown-email"],
)
def test_wrong_details_get_the_same_generic_message(client, user, email, password):
    response = sign_in(client, email, password)
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_ERROR in html
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert "_auth_user_id" not in client.session
    # Nothing on the page says whether the address has an account.
    assert "not found" not in html.lower()
    assert "no account" not in html.lower()


def test_failed_sign_in_is_audited_with_the_email_but_not_the_password(client, user):
    sign_in(client, user.email, "wrong password entirely")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.user is None
    assert event.detail == {"email": user.email, "reason": "wrong_password"}
    assert event.partnership == user.partnership
    assert "wrong password entirely" not in str(event.detail)


def test_failed_sign_in_for_an_unknown_email_is_audited_without_a_partnership(client):
    PartnershipFactory()
    sign_in(client, "nobody.here@example.org", "whatever it is")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.detail["email"] == "nobody.here@example.org"
    assert event.partnership is None


def test_inactive_user_gets_the_generic_message(client):
    user = UserFactory(is_active=False, roles=[])
    response = sign_in(client, user.email)
    assert GENERIC_ERROR in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Enter your e-mail address", "Enter your password"]),
        ({"username": "not-an-email", "password": "x"}, ["Enter an e-mail address in the correct format"]),
    ],
    ids=["empty", "bad-format"],
)
def test_missing_or_malformed_fields_are_named_and_not_audited(client, data, messages):
    response = client.post(reverse("accounts:sign-in"), data)
    html = response.content.decode()
    for message in messages:
        assert message in html
    assert 'href="#id_username"' in html
    assert not AuditEvent.objects.exists()


def test_next_page_is_honoured(client, user):
    response = sign_in(client, user.email, next="/protected/?tab=notes")
    assert response["Location"] == "/protected/?tab=notes"


def test_next_page_is_kept_in_the_form(client):
    response = client.get(reverse("accounts:sign-in") + "?next=/protected/")
    assert 'name="next" value="/protected/"' in response.content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://attacker.example.com/",
        "//attacker.example.com/",
        "/\\attacker.example.com/",
        "https:attacker.example.com",
        "javascript:alert(1)",
    ],
)
def test_next_page_on_another_site_is_ignored(client, user, next_url):
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_page_needing_sign_in_sends_anonymous_users_to_sign_in_and_back(client, user):
    response = client.get("/protected/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in") + "?next=/protected/"
    response = sign_in(client, user.email, next="/protected/")
    assert response["Location"] == "/protected/"
    assert client.get("/protected/").status_code == 200


def test_signed_in_user_visiting_sign_in_is_sent_on(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:sign-in") + "?next=/protected/")
    assert response.status_code == 302
    assert response["Location"] == "/protected/"
