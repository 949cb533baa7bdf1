"""The administrators' pages for OAuth2 clients: who may use them, the secret shown once, revoking, bad input."""

import base64
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import AccessToken, Application

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.api import actions
from saferhub.api.models import OAuthClient, TokenScope
from saferhub.api.tests.world import api_world
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LIST = "/admin/api-clients/"
NEW = "/admin/api-clients/new/"


@pytest.fixture
def world():
    world = api_world()
    world.users["stranger_admin"] = UserFactory(
        team=None,
        agency=world.stranger.agency,
        partnership=world.stranger.partnership,
        full_name="Sam Strangeadmin",
        roles=[Role.PARTNERSHIP_ADMIN],
    )
    world.client, world.secret = actions.create_api_client(
        world.system, name="Council case system", scope=TokenScope.WRITE, created_by=world.admin
    )
    return world


def _as(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def _token(client_id, secret, scope="read"):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return Client().post(
        "/api/oauth/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )


# Who may open each page: the administrator of the partnership only. Others get 403 on the
# partnership-wide pages (as /admin/api-tokens/ does) and the other partnership's administrator
# gets 404 for this partnership's client (as for its tokens); anonymous visitors go to sign-in.
PAGES = {
    "list": (lambda w: LIST, {"admin": 200, "stranger_admin": 200}),
    "add": (lambda w: NEW, {"admin": 200, "stranger_admin": 200}),
    "revoke": (lambda w: f"/admin/api-clients/{w.client.pk}/revoke/", {"admin": 200, "stranger_admin": 404}),
}


@pytest.mark.parametrize("who", ["admin", "owner", "colleague", "analyst", "system", "stranger_admin", "anonymous"])
@pytest.mark.parametrize("page", list(PAGES))
def test_only_the_partnerships_administrators_manage_its_clients(world, page, who):
    url, allowed = PAGES[page]
    response = _as(world, who).get(url(world))
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
        return
    assert response.status_code == allowed.get(who, 403)
    # Nobody but the administrator can revoke it either.
    if who != "admin" and page == "revoke":
        _as(world, who).post(url(world))
        world.client.refresh_from_db()
        assert world.client.revoked_at is None


def test_the_other_partnerships_administrator_does_not_see_the_client(world):
    page = _as(world, "stranger_admin").get(LIST).content.decode()
    assert "Council case system" not in page and world.client.application.client_id not in page


def test_the_list_shows_the_clients_of_the_partnership(world):
    page = _as(world, "admin").get(LIST).content.decode()
    assert "Council case system" in page
    assert world.system.full_name in page
    assert "Read and write" in page
    assert "Not known" in page  # never used yet
    assert world.secret not in page


def test_the_list_takes_the_same_number_of_queries_however_many_clients(world):
    admin = _as(world, "admin")
    admin.get(LIST)
    with CaptureQueriesContext(connection) as one:
        admin.get(LIST)
    for n in range(3):
        actions.create_api_client(world.system, name=f"System {n}", created_by=world.admin)
    with CaptureQueriesContext(connection) as four:
        assert admin.get(LIST).content.decode().count("/revoke/") == 4
    assert len(four) == len(one)


def test_adding_a_client_shows_the_secret_once_and_keeps_it_hashed(world):
    admin = _as(world, "admin")
    assert "Add a client" in admin.get(LIST).content.decode()
    made = admin.post(NEW, {"name": "Police records system", "system_account": world.system.pk, "scope": "read"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    client = OAuthClient.objects.get(application__name="Police records system")
    page = made.content.decode()
    assert "Copy the secret now" in page
    secret = page.split('id="client-secret" class="saferhub-break-anywhere">')[1].split("<")[0]
    assert len(secret) > 30
    assert client.application.client_id in page
    assert client.application.client_secret != secret  # kept hashed
    assert client.scope == TokenScope.READ and client.created_by == world.admin
    assert client.partnership == world.partnership and client.application.user == world.system
    # Never shown again: not on the list, not on the revoke page.
    assert secret not in admin.get(LIST).content.decode()
    assert secret not in admin.get(f"/admin/api-clients/{client.pk}/revoke/").content.decode()
    # It works, for reading only.
    assert _token(client.application.client_id, secret, scope="read").status_code == 200
    assert _token(client.application.client_id, secret, scope="read write").status_code == 400
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="api.oauthclient", object_id=str(client.pk))
    assert event.user == world.admin and event.detail["scope"] == "read"


def test_last_use_is_recorded(world):
    access = _token(world.client.application.client_id, world.secret).json()["access_token"]
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200
    world.client.refresh_from_db()
    assert world.client.last_used_at is not None
    assert "Not known" not in _as(world, "admin").get(LIST).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scope": "read"}, "name", "Enter what the client is"),
        ({"name": "   ", "scope": "read"}, "name", "Enter what the client is"),
        ({"name": "X", "scope": "admin"}, "scope", "What may it do"),
        ({"name": "X", "scope": "read", "system_account": "stranger"}, "system_account", "Choose an active user"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(world, data, field, message):
    data = dict(data)
    account = data.pop("system_account", "system")
    data["system_account"] = world.users[account].pk
    before = (Application.objects.count(), OAuthClient.objects.count(), AuditEvent.objects.count())
    response = _as(world, "admin").post(NEW, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert f'href="#id_{field}' in response.content.decode()  # the error summary links to the field
    assert (Application.objects.count(), OAuthClient.objects.count(), AuditEvent.objects.count()) == before


def test_the_revoke_page_asks_then_a_revoked_client_gets_nothing(world):
    client_id = world.client.application.client_id
    issued = _token(client_id, world.secret, scope="read write")
    assert issued.status_code == 200
    access = issued.json()["access_token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"}
    assert Client().get("/api/v1/cases/", **headers).status_code == 200
    admin = _as(world, "admin")
    ask = admin.get(f"/admin/api-clients/{world.client.pk}/revoke/")
    assert "Revoke the client" in ask.content.decode()
    world.client.refresh_from_db()
    assert world.client.revoked_at is None  # asking changes nothing
    done = admin.post(f"/admin/api-clients/{world.client.pk}/revoke/")
    assert done.status_code == 302 and done["Location"] == LIST
    world.client.refresh_from_db()
    assert world.client.revoked_at is not None and world.client.revoked_by == world.admin
    # Its token stops working at once, and it cannot get another.
    assert Client().get("/api/v1/cases/", **headers).status_code == 401
    assert _token(client_id, world.secret).status_code == 401
    assert not AccessToken.objects.filter(application=world.client.application, expires__gt=world.client.revoked_at)
    # Still listed, as revoked, without a revoke link.
    page = admin.get(LIST).content.decode()
    assert "Revoked" in page and "/revoke/" not in page
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="api.oauthclient")
    assert event.user == world.admin and event.detail["revoked"] is True
    # Revoking again changes nothing and writes no second row.
    admin.post(f"/admin/api-clients/{world.client.pk}/revoke/")
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="api.oauthclient").count() == 1


def test_a_token_of_a_revoked_client_is_refused_even_before_it_expires(world):
    """The validator checks the client, not only the token's expiry."""
    access = _token(world.client.application.client_id, world.secret).json()["access_token"]
    OAuthClient.objects.filter(pk=world.client.pk).update(revoked_at=world.client.created_at)
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401


def test_the_command_uses_the_same_action_and_audits(world):
    out = io.StringIO()
    call_command(
        "create_api_client",
        world.system.email,
        "--name",
        "Reporting",
        "--scope",
        "read",
        stdout=out,
        stderr=io.StringIO(),
    )
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    client = OAuthClient.objects.get(application__client_id=values["client_id"])
    assert client.scope == TokenScope.READ and client.created_by is None
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="api.oauthclient", object_id=str(client.pk))
    assert _token(values["client_id"], values["client_secret"]).status_code == 200


def test_the_administration_index_links_to_the_clients(world):
    page = _as(world, "admin").get("/admin/").content.decode()
    assert 'href="/admin/api-clients/"' in page and "1 active client" in page
