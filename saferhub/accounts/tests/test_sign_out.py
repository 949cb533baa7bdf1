"""Signing out: POST only, audited, and the session is gone afterwards."""

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saferhub.accounts.tests.sign_in_urls")]


@pytest.fixture
def user():
    return UserFactory(roles=[])


def test_sign_out_ends_the_session_and_says_so(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-in")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You have signed out" in page
    assert client.get("/protected/").status_code == 302


def test_sign_out_is_audited(client, user):
    client.force_login(user)
    client.post(reverse("accounts:sign-out"))
    event = AuditEvent.objects.get(action=AuditAction.SIGN_OUT)
    assert event.user == user
    assert event.partnership == user.partnership


def test_sign_out_refuses_get(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:sign-out"))
    assert response.status_code == 405
    assert "_auth_user_id" in client.session
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


def test_user_waiting_for_the_second_factor_can_sign_out(client, user, settings):
    settings.REQUIRE_TWO_FACTOR = True
    client.force_login(user)
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:sign-in")
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("accounts:sign-out")).status_code == 403
    assert "_auth_user_id" in client.session
