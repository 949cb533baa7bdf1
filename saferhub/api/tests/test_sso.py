"""Single sign-on through a real OpenID Connect provider (oidc-provider-mock) on loopback.

The browser journey: a caseworker signs in through the provider and lands on Saferhub with no
second factor asked by Saferhub (the provider's stands in). Around it: matching by e-mail and
agency, no one created with more than the default role, and password sign-in switched off.
"""

import json
import urllib.request

import pytest
from django.test import Client

from saferhub.api.sso import PartnershipOIDCBackend
from saferhub.api.tests.world import api_world
from saferhub.core.tests.browser import assert_accessible

pytestmark = pytest.mark.django_db


def _configure(settings, base, partnership, **more):
    with urllib.request.urlopen(f"{base}/.well-known/openid-configuration") as response:  # noqa: S310 - loopback
        discovered = json.load(response)
    settings.OIDC_PARTNERSHIP = partnership.slug
    settings.OIDC_RP_CLIENT_ID = "saferhub-test"
    settings.OIDC_RP_CLIENT_SECRET = "saferhub-test-secret"  # noqa: S105 - the loopback provider's test client
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovered["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovered["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovered["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovered["jwks_uri"]
    settings.REQUIRE_TWO_FACTOR = True
    settings.OIDC_VERIFY_KID = False  # the test provider signs its ID tokens without a key id
    for name, value in more.items():
        setattr(settings, name, value)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_caseworker_signs_in_through_the_identity_provider(page, live_server, provider, settings):
    world = api_world()
    _configure(settings, provider, world.partnership)
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with your organisation’s account").click()
    # The provider's own page: sign in as the caseworker (the mock asks for the subject).
    page.fill("input[name=sub]", world.owner.email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/**")
    assert "/sign-in/" not in page.url and "two-factor" not in page.url
    page.goto(f"{live_server.url}/cases/")
    assert page.locator("h1").count() == 1
    assert "/sign-in/" not in page.url and "two-factor" not in page.url


def _claims(email, **more):
    return {"email": email, "sub": email, **more}


def test_users_are_matched_by_email_and_agency_and_never_created_beyond_the_default_role(provider, settings):
    world = api_world()
    _configure(settings, provider, world.partnership, OIDC_AGENCY_CLAIM="agency")
    backend = PartnershipOIDCBackend()
    assert list(backend.filter_users_by_claims(_claims(world.owner.email.upper()))) == [world.owner]
    assert list(backend.filter_users_by_claims(_claims(world.owner.email, agency="Testshire Council"))) == [world.owner]
    assert not backend.filter_users_by_claims(_claims(world.owner.email, agency="Testshire Police")).exists()
    assert not backend.filter_users_by_claims(_claims(world.stranger.email)).exists()  # another partnership
    # No one is created unless switched on, and then only with the default role at most.
    assert backend.create_user(_claims("new.person@council.example.org")) is None
    world.council.external_ref = "council"
    world.council.save()
    settings.OIDC_CREATE_USERS = True
    settings.OIDC_AGENCY_DOMAINS = ["council.example.org=council"]
    settings.OIDC_DEFAULT_ROLE = "partnership_admin"
    assert backend.create_user(_claims("new.person@council.example.org")) is None  # more than a default role
    settings.OIDC_DEFAULT_ROLE = "caseworker"
    made = backend.create_user(_claims("new.person@council.example.org", name="Nia Newperson"))
    assert made.agency == world.council and made.partnership == world.partnership
    assert set(made.roles) == {"caseworker"}
    assert backend.create_user(_claims("someone@unknown.example.org")) is None
    assert backend.create_user(_claims(world.stranger.email)) is None  # never taken over


def test_password_sign_in_can_be_switched_off_for_the_partnership(provider, settings):
    world = api_world()
    world.owner.set_password("a long synthetic password")
    world.owner.save()
    _configure(settings, provider, world.partnership)
    settings.REQUIRE_TWO_FACTOR = False
    form = {"username": world.owner.email, "password": "a long synthetic password"}
    assert Client().post("/sign-in/", form).status_code == 302  # signed in
    settings.OIDC_PASSWORD_SIGN_IN = False
    refused = Client().post("/sign-in/", form)
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    # Another partnership keeps its password sign-in.
    world.stranger.set_password("another synthetic password")
    world.stranger.save()
    other = {"username": world.stranger.email, "password": "another synthetic password"}
    assert Client().post("/sign-in/", other).status_code == 302
