"""Asking for a password link: the same answer for every address, mail only to active accounts, rate limited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import User
from saferhub.accounts.password_forms import RESET_EMAIL_INTERVAL
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

SAME_ANSWER = "If that address has an account, we have sent a link"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://saferhub.example.org/"


def _sent_events(user):
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="accounts.user", object_id=str(user.pk), detail__password_reset="sent"
    )


def ask(client, email):
    return client.post(reverse("accounts:password-reset"), {"email": email}, follow=True)


def test_reset_page_is_public_and_has_one_heading(client):
    response = client.get(reverse("accounts:password-reset"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'name="email"' in html


def test_sign_in_page_links_to_the_reset_page(client):
    html = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Forgotten your password?" in html
    assert reverse("accounts:password-reset") in html


def _no_password_user():
    user = UserFactory(email="new.starter@example.org", full_name="Nova Starter")
    user.set_unusable_password()
    user.save()
    return user


# Which addresses get mail: the page is the same for all of them.
CASES = {
    "existing": (lambda: UserFactory(email="dana.sample@example.org"), "dana.sample@example.org", 1),
    "different case": (lambda: UserFactory(email="dana.sample@example.org"), "Dana.Sample@EXAMPLE.org ", 1),
    "unknown": (lambda: UserFactory(email="dana.sample@example.org"), "nobody@example.org", 0),
    "inactive": (lambda: UserFactory(email="dana.sample@example.org", is_active=False), "dana.sample@example.org", 0),
    "no password yet": (_no_password_user, "new.starter@example.org", 1),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_same_page_for_every_address_and_mail_only_for_active_accounts(client, mailoutbox, case):
    make, email, expected_mails = CASES[case]
    user = make()
    response = ask(client, email)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("accounts:password-reset-done")
    assert SAME_ANSWER in response.content.decode()
    assert len(mailoutbox) == expected_mails
    assert _sent_events(user).count() == expected_mails


def test_reset_mail_is_plain_text_with_a_link_on_the_site_url(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org", full_name="Dana Sample")
    ask(client, user.email)
    (mail,) = mailoutbox
    assert mail.to == ["dana.sample@example.org"]
    assert mail.subject == "Reset your Saferhub password"
    assert not mail.alternatives
    assert "https://saferhub.example.org/sign-in/reset/" in mail.body
    assert "works once, for 3 days" in mail.body
    assert "Dear Dana," in mail.body


def test_account_without_password_gets_the_set_up_wording(client, mailoutbox):
    _no_password_user()
    ask(client, "new.starter@example.org")
    (mail,) = mailoutbox
    assert mail.subject == "Set up your Saferhub sign-in"
    assert "set up your Saferhub sign-in" in mail.body


def test_each_send_is_audited_without_naming_an_actor(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org")
    ask(client, user.email)
    event = _sent_events(user).get()
    assert event.user is None
    assert event.partnership_id == user.partnership_id
    assert event.detail == {"password_reset": "sent", "purpose": "reset", "sent_by": "user"}
    assert event.ip_address == "127.0.0.1"


def test_asking_again_straight_away_sends_nothing_but_shows_the_same_page(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org")
    ask(client, user.email)
    response = ask(client, user.email)
    assert SAME_ANSWER in response.content.decode()
    assert len(mailoutbox) == 1
    assert _sent_events(user).count() == 1


def test_a_new_link_can_be_sent_once_the_interval_has_passed(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org")
    AuditEvent.objects.create(
        action=AuditAction.UPDATE,
        object_type="accounts.user",
        object_id=str(user.pk),
        detail={"password_reset": "sent"},
        at=timezone.now() - RESET_EMAIL_INTERVAL - timedelta(seconds=1),
    )
    ask(client, user.email)
    assert len(mailoutbox) == 1


def test_rate_limit_is_per_account(client, mailoutbox):
    first = UserFactory(email="dana.sample@example.org")
    UserFactory(email="eli.sample@example.org")
    ask(client, first.email)
    ask(client, "eli.sample@example.org")
    assert sorted(mail.to[0] for mail in mailoutbox) == ["dana.sample@example.org", "eli.sample@example.org"]


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Enter your e-mail address"), ("not-an-address", "Enter an e-mail address in the correct format")],
)
def test_bad_input_shows_an_error_summary_and_sends_nothing(client, mailoutbox, email, message):
    response = client.post(reverse("accounts:password-reset"), {"email": email})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert mailoutbox == []


def test_asking_never_changes_the_password(client, mailoutbox):
    user = UserFactory(email="dana.sample@example.org")
    ask(client, user.email)
    assert User.objects.get(pk=user.pk).check_password("correct horse battery staple")
