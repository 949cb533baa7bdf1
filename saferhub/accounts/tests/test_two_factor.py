"""The second factor: setting up an authenticator app and entering its codes."""

import re
from base64 import b32encode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saferhub.accounts.tests.sign_in_urls")]

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def user():
    return UserFactory(roles=[])


@pytest.fixture
def device(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def current_code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device):
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


def sign_in(client, user, next_url=None):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:sign-in"), data)


def is_verified(client):
    return "otp_device_id" in client.session


# Without a device: set one up ----------------------------------------------------


def test_password_alone_leads_to_the_second_factor(client, user, device):
    response = sign_in(client, user)
    assert response["Location"] == reverse("accounts:two-factor")
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_user_without_a_device_is_sent_to_set_one_up(client, user):
    sign_in(client, user)
    response = client.get(reverse("accounts:two-factor"))
    assert response["Location"] == reverse("accounts:two-factor-setup")


@pytest.mark.parametrize("path", ["/", "/protected/"])
def test_unverified_user_cannot_reach_other_pages(client, user, path):
    sign_in(client, user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor")


def test_page_before_the_second_factor_offers_only_signing_out(client, user):
    sign_in(client, user)
    html = client.get(reverse("accounts:two-factor-setup")).content.decode()
    assert "Sign out" in html
    # Each of these would only bounce back here, and the bell's fragment would nest this page in itself.
    assert 'id="notifications-bell"' not in html
    assert 'id="header-search"' not in html
    assert reverse("accounts:password-change") not in html


def test_fragment_request_before_the_second_factor_moves_the_whole_page(client, user):
    sign_in(client, user)
    response = client.get(reverse("notifications:count"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:two-factor")
    assert response.content == b""


def test_fragment_request_after_sign_out_moves_the_whole_page_to_sign_in(client):
    response = client.get(reverse("notifications:count"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:sign-in")


def test_fragment_request_after_the_second_factor_is_answered(client, user, device):
    sign_in(client, user)
    client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    response = client.get(reverse("notifications:count"), headers={"HX-Request": "true"})
    assert "HX-Redirect" not in response


def test_setup_page_shows_a_qr_code_and_the_secret(client, user):
    sign_in(client, user)
    response = client.get(reverse("accounts:two-factor-setup"))
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert response.status_code == 200
    assert not device.confirmed
    assert html.count("<h1") == 1
    assert re.search(r"<svg [^>]*class=\"saferhub-qr\"", html)
    assert " ".join(re.findall(".{1,4}", b32encode(device.bin_key).decode())) in html


def test_setup_page_needs_nothing_a_strict_csp_would_block(client, user):
    sign_in(client, user)
    html = client.get(reverse("accounts:two-factor-setup")).content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "data:image" not in html


def test_reloading_setup_keeps_the_same_secret(client, user):
    sign_in(client, user)
    client.get(reverse("accounts:two-factor-setup"))
    client.get(reverse("accounts:two-factor-setup"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_valid_code_confirms_the_device_and_completes_sign_in(client, user):
    sign_in(client, user, next_url="/protected/")
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two-factor-setup"), {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/protected/"
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    assert client.get("/protected/").status_code == 200
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN).detail == {"two_factor": "totp"}
    created = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert created.user == user
    assert created.object_type == "otp_totp.totpdevice"


def test_wrong_code_does_not_confirm_the_device(client, user):
    sign_in(client, user)
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two-factor-setup"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "The code is not correct" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not is_verified(client)


def test_setup_is_refused_once_a_device_exists(client, user, device):
    # Knowing the password must not be enough to add a second device.
    sign_in(client, user)
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response["Location"] == reverse("accounts:two-factor")
    assert TOTPDevice.objects.filter(user=user).count() == 1


# With a device: enter its code ------------------------------------------------------


def test_code_page_asks_for_the_code(client, user, device):
    sign_in(client, user)
    response = client.get(reverse("accounts:two-factor"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html


def test_correct_code_completes_sign_in_and_goes_to_the_next_page(client, user, device):
    sign_in(client, user, next_url="/protected/")
    response = client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert response["Location"] == "/protected/"
    assert is_verified(client)
    assert client.get("/protected/").status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.user == user
    assert event.detail == {"two_factor": "totp"}


def test_code_may_contain_spaces(client, user, device):
    sign_in(client, user)
    code = current_code(device)
    response = client.post(reverse("accounts:two-factor"), {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert is_verified(client)


def test_completing_the_second_factor_changes_the_session_key(client, user, device):
    sign_in(client, user)
    before = client.session.session_key
    client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert client.session.session_key != before


def test_wrong_code_is_refused_counted_and_audited(client, user, device):
    sign_in(client, user)
    response = client.post(reverse("accounts:two-factor"), {"code": wrong_code(device)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The code is not correct" in html
    assert "govuk-error-summary" in html
    assert not is_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.user == user
    assert event.detail == {"email": user.email, "reason": "wrong_code"}


@pytest.mark.parametrize(("code", "message"), [("", "Enter the 6-digit code"), ("12ab56", "The code must be 6 digits")])
def test_malformed_code_is_explained_and_not_counted(client, user, device, code, message):
    sign_in(client, user)
    response = client.post(reverse("accounts:two-factor"), {"code": code})
    assert message in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).exists()


def test_even_the_right_code_waits_while_the_device_is_throttled(client, user, device):
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    sign_in(client, user)
    response = client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    assert "You entered a wrong code too recently" in response.content.decode()
    assert not is_verified(client)


def test_a_code_cannot_be_used_twice(client, user, device):
    code = current_code(device)
    sign_in(client, user)
    client.post(reverse("accounts:two-factor"), {"code": code})
    client.post(reverse("accounts:sign-out"))
    sign_in(client, user)
    response = client.post(reverse("accounts:two-factor"), {"code": code})
    assert response.status_code == 200
    assert not is_verified(client)


def test_verified_user_is_sent_on_from_the_code_page(client, user, device):
    sign_in(client, user)
    client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    response = client.get(reverse("accounts:two-factor"))
    assert response["Location"] == reverse("core:home")


@pytest.mark.parametrize("name", ["accounts:two-factor", "accounts:two-factor-setup"])
def test_second_factor_pages_need_the_password_first(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_without_the_requirement_sign_in_goes_straight_on(client, user, settings):
    settings.REQUIRE_TWO_FACTOR = False
    response = sign_in(client, user, next_url="/protected/")
    assert response["Location"] == "/protected/"
    assert client.get("/protected/").status_code == 200
    assert AuditEvent.objects.get(action=AuditAction.SIGN_IN).detail == {"two_factor": "not required"}
