"""Following the e-mailed link: a new password that works, refused links and weak passwords."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.accounts.models import User
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "marmalade-lighthouse-47"
SITE = "https://saferhub.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def newcomer():
    user = UserFactory(email="new.starter@example.org", full_name="Nova Starter")
    user.set_unusable_password()
    user.save()
    return user


def link_for(client, mailoutbox, email):
    client.post(reverse("accounts:password-reset"), {"email": email})
    (url,) = re.findall(re.escape(SITE) + r"(/sign-in/reset/\S+/)", mailoutbox[-1].body)
    return url


def choose(client, url, password=NEW_PASSWORD, again=None):
    form_url = client.get(url)["Location"]  # Django swaps the token for a session key before showing the form
    return client.post(form_url, {"new_password1": password, "new_password2": again or password}, follow=True)


def test_new_account_sets_a_password_and_can_sign_in(client, mailoutbox, newcomer):
    url = link_for(client, mailoutbox, newcomer.email)
    page = client.get(client.get(url)["Location"])
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Set up your sign-in" in html

    response = choose(client, url)
    assert response.redirect_chain[-1][0] == reverse("accounts:password-reset-complete")
    assert "Your password has been set" in response.content.decode()
    assert reverse("accounts:sign-in") in response.content.decode()
    assert User.objects.get(pk=newcomer.pk).check_password(NEW_PASSWORD)

    signed_in = client.post(reverse("accounts:sign-in"), {"username": newcomer.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert int(client.session["_auth_user_id"]) == newcomer.pk


def test_setting_the_password_is_audited_as_the_account_holder(client, mailoutbox, newcomer):
    choose(client, link_for(client, mailoutbox, newcomer.email))
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, detail__password="set")
    assert event.user == newcomer
    assert event.object_id == str(newcomer.pk)
    assert event.detail == {"password": "set", "via": "e-mail link"}


def test_existing_user_resets_and_the_old_password_stops_working(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org")
    choose(client, link_for(client, mailoutbox, user.email))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password("correct horse battery staple")
    assert AuditEvent.objects.filter(detail__password="reset", user=user).count() == 1


def test_the_link_works_only_once(client, mailoutbox, newcomer):
    url = link_for(client, mailoutbox, newcomer.email)
    choose(client, url)
    again = client.get(url)
    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/sign-in/reset/MQ/not-a-token/",
        "/sign-in/reset/%21%21/abc-def/",
        "/sign-in/reset/OTk5OTk5/abc-def/",
    ],
)
def test_bad_links_show_a_clear_page(client, url, newcomer):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "This link does not work" in html
    assert reverse("accounts:password-reset") in html
    assert 'name="new_password1"' not in html


def test_posting_to_a_bad_link_changes_nothing(client, newcomer):
    response = client.post(
        "/sign-in/reset/MQ/set-password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "This link does not work" in response.content.decode()
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()


def test_a_deactivated_account_cannot_use_an_earlier_link(client, mailoutbox, newcomer):
    url = link_for(client, mailoutbox, newcomer.email)
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    assert "This link does not work" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short1", None, "This password is too short. It must contain at least 12 characters."),
        ("password1234", None, "This password is too common."),
        ("839274619283", None, "This password is entirely numeric."),
        (NEW_PASSWORD, "something-else-entirely", "The passwords do not match"),
    ],
)
def test_weak_or_mismatched_password_is_refused_with_the_reason(client, mailoutbox, newcomer, password, again, message):
    response = choose(client, link_for(client, mailoutbox, newcomer.email), password, again)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()
    assert not AuditEvent.objects.filter(detail__password="set").exists()


def test_other_sessions_end_when_the_password_is_reset(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org")
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(reverse("accounts:password-change")).status_code == 200
    choose(client, link_for(client, mailoutbox, user.email))
    assert elsewhere.get(reverse("accounts:password-change")).status_code == 302
