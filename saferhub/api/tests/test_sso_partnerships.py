"""Single sign-on per partnership, set by the set-up file, against two real loopback providers.

Each provider (oidc-provider-mock) requires registered clients, so a sign-in works only with the
secret the provider issued: that proves the secret is read from the environment variable the
set-up file names. Partnership A's provider signs in A's people only; B's people are never matched
(nor made) through it, and the reverse. Password sign-in is switched off for A only.
"""

import tomllib
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from oidc_provider_mock import run_server_in_thread

from saferhub.api.models import SingleSignOn
from saferhub.api.tests.world import api_world
from saferhub.audit.models import AuditEvent
from saferhub.setup.setupfile import configure, export

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/sign-in/sso/callback/"


def _provider():
    with run_server_in_thread(require_client_registration=True) as server:
        base = f"http://localhost:{server.server_port}"
        registered = requests.post(
            f"{base}/oauth2/clients",
            json={"redirect_uris": [CALLBACK], "token_endpoint_auth_method": "client_secret_post"},
            timeout=10,
        ).json()
        yield {"base": base, "client_id": registered["client_id"], "secret": registered["client_secret"]}


@pytest.fixture
def provider_a():
    yield from _provider()


@pytest.fixture
def provider_b():
    yield from _provider()


def set_up(partnership, provider, env, **more):
    lines = [
        "[partnership]",
        f'slug = "{partnership.slug}"',
        "",
        "[single_sign_on]",
        f'provider_name = "{partnership.name} account"',
        f'discovery_url = "{provider["base"]}/.well-known/openid-configuration"',
        f'client_id = "{provider["client_id"]}"',
        f'client_secret_env = "{env}"',
    ]
    lines += [f"{key} = {value}" for key, value in more.items()]
    return configure("\n".join(lines) + "\n")


@pytest.fixture
def two(settings, monkeypatch, provider_a, provider_b):
    world = api_world()
    world.elsewhere = world.stranger.partnership
    settings.OIDC_VERIFY_KID = False  # the test provider signs its ID tokens without a key id
    settings.REQUIRE_TWO_FACTOR = True
    monkeypatch.setenv("TESTSHIRE_OIDC_SECRET", provider_a["secret"])
    monkeypatch.setenv("ELSEWHERE_OIDC_SECRET", provider_b["secret"])
    set_up(world.partnership, provider_a, "TESTSHIRE_OIDC_SECRET", password_sign_in="false")
    set_up(world.elsewhere, provider_b, "ELSEWHERE_OIDC_SECRET")
    return world


def sign_in(client, slug, subject):
    """Start at Saferhub, sign in at the provider as `subject` (its e-mail), come back; the signed-in user's pk."""
    start = client.get(f"/sign-in/sso/start/{slug}/")
    assert start.status_code == 302, start.status_code
    back = requests.post(start["Location"], data={"sub": subject}, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK)
    callback = urlsplit(back.headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_offers_each_partnerships_provider(two):
    page = Client().get("/sign-in/").content.decode()
    assert "Sign in with Testshire Safer Communities Partnership account" in page
    assert f"Sign in with {two.elsewhere.name} account" in page
    assert f'href="/sign-in/sso/start/{two.partnership.slug}/"' in page


def test_each_partnership_signs_in_through_its_own_provider_only(two):
    client = Client()
    assert sign_in(client, two.partnership.slug, two.owner.email) == str(two.owner.pk)
    assert client.session["saferhub_sso"] is True  # the provider's second factor stands in for ours
    assert client.get("/cases/").status_code == 200
    event = AuditEvent.objects.filter(user=two.owner, detail__via="single sign-on").get()
    assert event.detail["partnership"] == two.partnership.slug
    # B's caseworker through A's provider: not matched into A, and not made there either.
    assert sign_in(Client(), two.partnership.slug, two.stranger.email) is None
    # Through B's own provider, B's caseworker is signed in, and A's caseworker is not.
    assert sign_in(Client(), two.elsewhere.slug, two.stranger.email) == str(two.stranger.pk)
    assert sign_in(Client(), two.elsewhere.slug, two.owner.email) is None


def test_a_user_made_by_a_provider_joins_that_partnership_only(two, provider_a):
    set_up(
        two.partnership,
        provider_a,
        "TESTSHIRE_OIDC_SECRET",
        agency_domains='["council.testshire.example = Testshire Council"]',
        create_users="true",
        default_role='"caseworker"',
    )
    made = sign_in(Client(), two.partnership.slug, "nia.new@council.testshire.example")
    user = two.owner.__class__.objects.get(pk=made)
    assert user.partnership == two.partnership and user.agency == two.council and set(user.roles) == {"caseworker"}
    # B's provider makes no one: its set-up does not create users.
    assert sign_in(Client(), two.elsewhere.slug, "nia.other@council.testshire.example") is None


def test_the_client_secret_is_read_from_the_named_environment_variable(two, monkeypatch, provider_a):
    monkeypatch.setenv("TESTSHIRE_OIDC_SECRET", "not-the-secret-the-provider-issued")
    assert sign_in(Client(), two.partnership.slug, two.owner.email) is None
    monkeypatch.delenv("TESTSHIRE_OIDC_SECRET")
    assert sign_in(Client(), two.partnership.slug, two.owner.email) is None
    monkeypatch.setenv("TESTSHIRE_OIDC_SECRET", provider_a["secret"])
    assert sign_in(Client(), two.partnership.slug, two.owner.email) == str(two.owner.pk)
    # The secret is in neither the database nor the export: only the variable's name.
    row = SingleSignOn.objects.get(partnership=two.partnership)
    assert provider_a["secret"] not in str(SingleSignOn.objects.filter(pk=row.pk).values().get())
    exported = export(two.partnership)
    assert provider_a["secret"] not in exported
    assert tomllib.loads(exported)["single_sign_on"]["client_secret_env"] == "TESTSHIRE_OIDC_SECRET"


def test_password_sign_in_is_refused_where_the_partnership_switched_it_off(two, settings):
    settings.REQUIRE_TWO_FACTOR = False
    for user in (two.owner, two.stranger):
        user.set_password("a long synthetic password")
        user.save()
    refused = Client().post("/sign-in/", {"username": two.owner.email, "password": "a long synthetic password"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    allowed = Client().post("/sign-in/", {"username": two.stranger.email, "password": "a long synthetic password"})
    assert allowed.status_code == 302


def test_a_start_for_a_partnership_without_single_sign_on_is_not_found(two):
    SingleSignOn.objects.filter(partnership=two.elsewhere).update(active=False)
    assert Client().get(f"/sign-in/sso/start/{two.elsewhere.slug}/").status_code == 404
    assert Client().get("/sign-in/sso/start/no-such-partnership/").status_code == 404
    assert f"/sign-in/sso/start/{two.elsewhere.slug}/" not in Client().get("/sign-in/").content.decode()
