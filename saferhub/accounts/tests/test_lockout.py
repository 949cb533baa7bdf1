"""Lock-out after repeated wrong passwords or codes (django-axes), per e-mail address and network address."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saferhub.accounts.tests.sign_in_urls")]

PASSWORD = "correct horse battery staple"
LOCKED = "You cannot sign in at the moment"


@pytest.fixture
def user():
    return UserFactory(roles=[])


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password})


def fail(client, email, times):
    return [sign_in(client, email, "not the password") for _ in range(times)]


def test_fifth_wrong_password_locks_the_account(client, user):
    responses = fail(client, user.email, 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    html = responses[-1].content.decode()
    assert LOCKED in html
    assert html.count("<h1") == 1
    assert "Wait 30 minutes" in html
    assert "contact your partnership administrator" in html


def test_locked_account_refuses_even_the_right_password(client, user):
    fail(client, user.email, 5)
    response = sign_in(client, user.email)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_is_audited(client, user):
    fail(client, user.email, 5)
    sign_in(client, user.email)
    reasons = list(
        AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
        .order_by("pk")
        .values_list("detail__reason", flat=True)
    )
    assert reasons == ["wrong_password"] * 4 + ["locked_out"] * 2
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_fewer_failures_do_not_lock_and_success_starts_the_count_again(client, user):
    fail(client, user.email, 4)
    assert sign_in(client, user.email).status_code == 302
    client.post(reverse("accounts:sign-out"))
    responses = fail(client, user.email, 4)
    assert all(r.status_code == 200 for r in responses)


def test_lock_out_does_not_depend_on_letter_case(client, user):
    for email in [user.email.upper(), user.email.title(), user.email, user.email.upper(), user.email]:
        response = sign_in(client, email, "not the password")
    assert response.status_code == 429


def test_other_accounts_and_other_addresses_are_not_locked(client, user):
    fail(client, user.email, 5)
    colleague = UserFactory(roles=[])
    assert sign_in(client, colleague.email).status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert sign_in(elsewhere, user.email).status_code == 302


def test_fifth_wrong_code_locks_the_account(client, user, settings):
    settings.REQUIRE_TWO_FACTOR = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting between codes, so only the lock-out is tested
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    wrong = f"{(code + 500_000) % 1_000_000:06d}"
    sign_in(client, user.email)
    responses = [client.post(reverse("accounts:two-factor"), {"code": wrong}) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED in responses[-1].content.decode()
    # The half-signed-in session is ended, and the password cannot start a new one.
    assert "_auth_user_id" not in client.session
    assert sign_in(client, user.email).status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, detail__reason="wrong_code").count() == 5
