"""Idle sessions expire after SESSION_COOKIE_AGE; every request pushes the expiry back."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from saferhub.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saferhub.accounts.tests.sign_in_urls")]


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(roles=[]))
    return client


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def set_stored_expiry(client, when):
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=when)


def test_idle_limit_is_thirty_minutes_and_refreshed_on_every_request():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


def test_idle_session_has_expired(signed_in):
    set_stored_expiry(signed_in, timezone.now() - datetime.timedelta(seconds=1))
    response = signed_in.get("/protected/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_activity_extends_the_session(signed_in, settings):
    # 25 minutes idle: 5 minutes left.
    nearly_expired = timezone.now() + datetime.timedelta(minutes=5)
    set_stored_expiry(signed_in, nearly_expired)
    assert signed_in.get("/protected/").status_code == 200
    extended = stored_expiry(signed_in)
    assert extended > nearly_expired + datetime.timedelta(minutes=20)
    assert extended <= timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_session_is_still_valid_after_activity(signed_in):
    set_stored_expiry(signed_in, timezone.now() + datetime.timedelta(minutes=1))
    signed_in.get("/protected/")
    assert signed_in.get("/protected/").status_code == 200
