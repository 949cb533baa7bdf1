"""Single sign-on per partnership, set by the set-up file, against two real loopback providers.

Each provider (oidc-provider-mock) requires registered clients, so a sign-in works only with the
secret the provider issued: that proves the secret is read from the environment variable the
set-up file names. Partnership A's provider signs in A's people only; B's people are never matched
(nor made) through it, and the reverse. Password sign-in is switched off for A only.
"""

import logging
import tomllib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from oidc_provider_mock import run_server_in_thread

from saferhub.accounts.forms import INVALID_SIGN_IN_OR_SSO
from saferhub.api.models import SingleSignOn
from saferhub.api.tests.world import api_world
from saferhub.audit.models import AuditEvent
from saferhub.core.tests.browser import assert_accessible, sign_out
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


def authorize(client, slug, subject):
    """Start at Saferhub, sign in at the provider as `subject` (its e-mail): where the provider sends the browser back."""
    start = client.get(f"/sign-in/sso/start/{slug}/")
    assert start.status_code == 302, start.status_code
    back = requests.post(start["Location"], data={"sub": subject}, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK)
    return urlsplit(back.headers["Location"])


def sign_in(client, slug, subject):
    """Start at Saferhub, sign in at the provider as `subject` (its e-mail), come back; the signed-in user's pk."""
    callback = authorize(client, slug, subject)
    client.get(f"{callback.path}?{callback.query}")
    return client.session.get("_auth_user_id")


def refused_back_to_sign_in(response):
    """mozilla-django-oidc answers a state this session does not hold with 400, or, once it holds none, the sign-in page."""
    return response.status_code == 400 or (response.status_code == 302 and response["Location"] == "/sign-in/")


def test_a_sign_in_started_for_one_partnership_cannot_complete_as_another(two, provider_a, provider_b, caplog):
    """The callback is one address for every partnership: the state decides whose provider finishes it."""
    client = Client()
    at_a = parse_qs(authorize(client, two.partnership.slug, two.owner.email).query)
    at_b = parse_qs(authorize(client, two.elsewhere.slug, two.stranger.email).query)
    assert at_a["state"] != at_b["state"]
    # B's code under A's state goes to A's provider, which never issued it; and the reverse.
    with caplog.at_level(logging.ERROR, logger="saferhub.api.sso"):
        client.get("/sign-in/sso/callback/", {"code": at_b["code"][0], "state": at_a["state"][0]})
        assert "_auth_user_id" not in client.session
        client.get("/sign-in/sso/callback/", {"code": at_a["code"][0], "state": at_b["state"][0]})
        assert "_auth_user_id" not in client.session
    refused = [record.getMessage() for record in caplog.records if record.name == "saferhub.api.sso"]
    assert len(refused) == 2
    assert refused[0].startswith(f"Single sign-on of {two.partnership.slug} failed at the provider")
    assert f"{provider_a['base']}/oauth2/token" in refused[0]  # the code was taken to A's provider
    assert refused[1].startswith(f"Single sign-on of {two.elsewhere.slug} failed at the provider")
    assert f"{provider_b['base']}/oauth2/token" in refused[1]
    # Each state finishes once: used (even wrongly), it cannot be tried again with the right code.
    replay = client.get("/sign-in/sso/callback/", {"code": at_a["code"][0], "state": at_a["state"][0]})
    assert refused_back_to_sign_in(replay) and "_auth_user_id" not in client.session
    # Two sign-ins under way in one browser: each finishes with its own partnership's provider.
    at_a = authorize(client, two.partnership.slug, two.owner.email)
    at_b = authorize(client, two.elsewhere.slug, two.stranger.email)
    client.get(f"{at_b.path}?{at_b.query}")
    assert client.session["_auth_user_id"] == str(two.stranger.pk)
    client.get(f"{at_a.path}?{at_a.query}")
    assert client.session["_auth_user_id"] == str(two.owner.pk)
    event = AuditEvent.objects.filter(user=two.owner, detail__via="single sign-on").get()
    assert event.detail["partnership"] == two.partnership.slug
    # A state started in someone else's browser is refused in this one.
    elsewhere = authorize(Client(), two.partnership.slug, two.owner.email)
    stranger_browser = Client()
    assert refused_back_to_sign_in(stranger_browser.get(f"{elsewhere.path}?{elsewhere.query}"))
    assert "_auth_user_id" not in stranger_browser.session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caseworkers_sign_in_through_their_own_partnerships_provider_in_the_browser(
    page, live_server, provider, second_provider, settings, monkeypatch
):
    """Both partnerships set up by the set-up file; Elsewhere has switched its password sign-in off."""
    world = api_world()
    elsewhere = world.stranger.partnership
    settings.OIDC_VERIFY_KID = False  # the test provider signs its ID tokens without a key id
    settings.REQUIRE_TWO_FACTOR = True
    # The loopback providers take any client and secret; the secret must still be set on the server.
    monkeypatch.setenv("TESTSHIRE_OIDC_SECRET", "testshire-synthetic-secret")
    monkeypatch.setenv("ELSEWHERE_OIDC_SECRET", "elsewhere-synthetic-secret")
    set_up(world.partnership, {"base": provider, "client_id": "saferhub-testshire"}, "TESTSHIRE_OIDC_SECRET")
    set_up(
        elsewhere,
        {"base": second_provider, "client_id": "saferhub-elsewhere"},
        "ELSEWHERE_OIDC_SECRET",
        password_sign_in="false",
    )
    world.stranger.set_password("a long synthetic password")
    world.stranger.save()

    page.goto("/sign-in/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with Testshire Safer Communities Partnership account").click()
    assert page.url.startswith(provider)  # Testshire's own provider, not Elsewhere's
    page.fill("input[name=sub]", world.owner.email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == f"{world.owner.get_short_name()}, welcome to Saferhub"
    assert "two-factor" not in page.url  # the provider's second factor stands in for Saferhub's

    # Elsewhere's caseworker: the page says password sign-in is not theirs, and the password is refused.
    sign_out(page)
    page.goto("/sign-in/")
    assert page.get_by_test_id("sso-only").inner_text() == (
        f"People of {elsewhere.name} sign in with {elsewhere.name} account only, not with a password."
    )
    page.get_by_label("E-mail address").fill(world.stranger.email)
    page.get_by_label("Password").fill("a long synthetic password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/sign-in/"
    assert INVALID_SIGN_IN_OR_SSO in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=f"Sign in with {elsewhere.name} account").click()
    assert page.url.startswith(second_provider)
    page.fill("input[name=sub]", world.stranger.email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == f"{world.stranger.get_short_name()}, welcome to Saferhub"


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
    # The page says why a password may not work (of every partnership signing in that way, never of the address).
    assert INVALID_SIGN_IN_OR_SSO in refused.content.decode()
    only = f"People of {two.partnership.name} sign in with {two.partnership.name} account only, not with a password."
    assert only in refused.content.decode()
    assert f"People of {two.elsewhere.name}" not in refused.content.decode()
    allowed = Client().post("/sign-in/", {"username": two.stranger.email, "password": "a long synthetic password"})
    assert allowed.status_code == 302


def test_no_password_link_is_sent_where_password_sign_in_is_off(two, mailoutbox):
    for user in (two.owner, two.stranger):
        answer = Client().post("/sign-in/reset/", {"email": user.email})
        assert answer.status_code == 302  # the same answer page either way
    assert [message.to for message in mailoutbox] == [[two.stranger.email]]


def test_a_start_for_a_partnership_without_single_sign_on_is_not_found(two):
    SingleSignOn.objects.filter(partnership=two.elsewhere).update(active=False)
    assert Client().get(f"/sign-in/sso/start/{two.elsewhere.slug}/").status_code == 404
    assert Client().get("/sign-in/sso/start/no-such-partnership/").status_code == 404
    assert f"/sign-in/sso/start/{two.elsewhere.slug}/" not in Client().get("/sign-in/").content.decode()
