"""A signed-in user changes their password: the current one is needed, other sessions end, it is audited."""

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

CURRENT = "correct horse battery staple"
NEW = "marmalade-lighthouse-47"
URL = "/account/password/"


@pytest.fixture
def user():
    return UserFactory(email="dana.sample@example.org")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def change(client, current=CURRENT, new=NEW, again=None):
    return client.post(URL, {"old_password": current, "new_password1": new, "new_password2": again or new}, follow=True)


def test_url_name():
    assert reverse("accounts:password-change") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_page_asks_for_current_and_new_password(signed_in):
    html = signed_in.get(URL).content.decode()
    assert html.count("<h1") == 1
    assert 'name="old_password"' in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_change_keeps_this_session_ends_others_and_is_audited(signed_in, user):
    elsewhere = Client()
    elsewhere.force_login(user)
    response = change(signed_in)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Your password has been changed" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(NEW)
    assert signed_in.get(URL).status_code == 200
    assert elsewhere.get(URL).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, detail__password="changed")
    assert event.user == user
    assert event.object_id == str(user.pk)


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong-password-entirely", NEW, None, "Your current password is not correct"),
        (CURRENT, "short1", None, "This password is too short. It must contain at least 12 characters."),
        (CURRENT, NEW, "a-different-new-one", "The passwords do not match"),
        (CURRENT, "", None, "Enter a new password"),
    ],
)
def test_refused_changes_say_why_and_change_nothing(signed_in, user, current, new, again, message):
    response = change(signed_in, current, new, again)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert User.objects.get(pk=user.pk).check_password(CURRENT)
    assert not AuditEvent.objects.filter(detail__password="changed").exists()
