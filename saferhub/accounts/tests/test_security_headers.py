"""Security headers on every kind of response, and CSRF on the sign-in form."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saferhub.accounts.tests.sign_in_urls")]

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/sign-in/", 200), ("/no-such-page/", 404), ("/protected/", 302)],
    ids=["page", "not-found", "redirect"],
)
def test_every_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_page_has_no_inline_script_or_style(client):
    html = client.get("/sign-in/").content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_sign_in_is_not_cached(client):
    assert "no-store" in client.get("/sign-in/")["Cache-Control"]


@pytest.mark.django_db
def test_sign_in_post_without_a_csrf_token_is_refused():
    user = UserFactory(roles=[])
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_sign_in_post_with_the_form_token_works():
    user = UserFactory(roles=[])
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:sign-in")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
