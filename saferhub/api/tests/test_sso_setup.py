"""The set-up file's `[single_sign_on]` table: checked, applied all or nothing, exported, shown."""

import tomllib

import pytest

from saferhub.accounts.models import Agency, Partnership
from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.api.models import SingleSignOn
from saferhub.audit.models import AuditEvent
from saferhub.setup.setupfile import SetupFileError, configure, export

pytestmark = pytest.mark.django_db

HEAD = """
[partnership]
slug = "northwick"
name = "Northwick Safer Communities Partnership"

[[agencies]]
name = "Northwick Council"
kind = "council"
"""

GOOD = {
    "provider_name": '"Northwick Council account"',
    "discovery_url": '"https://login.northwick.example/.well-known/openid-configuration"',
    "client_id": '"saferhub-northwick"',
    "client_secret_env": '"NORTHWICK_OIDC_SECRET"',
    "agency_claim": '"agency"',
    "agency_domains": '["northwick.gov.example = Northwick Council"]',
    "default_role": '"caseworker"',
    "create_users": "true",
    "password_sign_in": "false",
}
ENDPOINTS = {
    "authorization_endpoint": '"https://login.northwick.example/authorize"',
    "token_endpoint": '"https://login.northwick.example/token"',
    "userinfo_endpoint": '"https://login.northwick.example/userinfo"',
    "jwks_endpoint": '"https://login.northwick.example/jwks"',
}


def text(table):
    return HEAD + "\n[single_sign_on]\n" + "".join(f"{key} = {value}\n" for key, value in table.items())


def with_(**changes):
    table = dict(GOOD)
    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    return table


def test_a_partnership_gets_its_single_sign_on_from_the_file():
    result = configure(text(GOOD))
    assert "single sign-on: set up with Northwick Council account" in result.changes
    row = SingleSignOn.objects.get(partnership__slug="northwick")
    council = Agency.objects.get(partnership=row.partnership, name="Northwick Council")
    assert row.client_secret_env == "NORTHWICK_OIDC_SECRET" and row.agency_domains == {
        "northwick.gov.example": council.pk
    }
    assert (row.default_role, row.create_users, row.password_sign_in) == ("caseworker", True, False)
    assert AuditEvent.objects.filter(detail__source="configure_partnership", object_id=str(row.pk)).exists()
    # Applying the file again changes nothing; a change is noted and audited.
    assert configure(text(GOOD)).changes == []
    changed = configure(text(with_(client_id='"saferhub-northwick-2"')))
    assert changed.changes == ["single sign-on: client_id 'saferhub-northwick' → 'saferhub-northwick-2'"]


def test_the_export_holds_single_sign_on_and_applying_it_changes_nothing():
    configure(text(with_(discovery_url=None, **ENDPOINTS)))
    partnership = Partnership.objects.get(slug="northwick")
    exported = export(partnership)
    table = tomllib.loads(exported)["single_sign_on"]
    assert table["client_secret_env"] == "NORTHWICK_OIDC_SECRET" and "discovery_url" not in table
    assert table["agency_domains"] == ["northwick.gov.example = Northwick Council"]
    assert table["token_endpoint"] == "https://login.northwick.example/token"
    assert table["default_role"] == "caseworker" and table["password_sign_in"] is False
    assert configure(exported).changes == []
    assert export(partnership) == exported


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (with_(provider_name=None), "single_sign_on.provider_name: is required"),
        (with_(client_id='""'), "single_sign_on.client_id: must not be blank"),
        (
            with_(client_secret='"s3cr3t-value"'),
            "single_sign_on.client_secret: never put the client secret in the set-up file",
        ),
        (
            with_(client_secret_env='"my secret value"'),
            "single_sign_on.client_secret_env: is not the name of an environment variable",
        ),
        (with_(discovery_url=None), "single_sign_on: say where the provider is: discovery_url"),
        (
            with_(**ENDPOINTS),
            "single_sign_on.discovery_url: give the discovery address or the four endpoints, not both",
        ),
        (
            with_(discovery_url=None, **{**ENDPOINTS, "jwks_endpoint": None}),
            "single_sign_on.jwks_endpoint: is required with the other endpoints (missing: jwks_endpoint)",
        ),
        (
            with_(discovery_url='"http://login.northwick.example/.well-known/openid-configuration"'),
            "single_sign_on.discovery_url: must start with https://",
        ),
        (
            with_(discovery_url='"login.northwick.example"'),
            "single_sign_on.discovery_url: 'login.northwick.example' is",
        ),
        (with_(default_role='"partnership_admin"'), "single_sign_on.default_role: 'partnership_admin' is not one of"),
        (with_(create_users='"yes"'), "single_sign_on.create_users: must be true or false (no quotes)"),
        (
            with_(agency_domains='["northwick.gov.example = Northwick Polise"]'),
            "single_sign_on.agency_domains[0]: unknown agency 'Northwick Polise'",
        ),
        (
            with_(agency_domains='["not a domain = Northwick Council"]'),
            "single_sign_on.agency_domains[0]: 'not a domain' is not an e-mail domain",
        ),
        (with_(agency_domains="[]"), "single_sign_on.create_users: new users need an agency"),
        (
            with_(active="false"),
            "single_sign_on.password_sign_in: cannot be false while single sign-on is switched off",
        ),
        (with_(colour='"blue"'), "single_sign_on.colour: unknown key"),
    ],
)
def test_a_bad_single_sign_on_table_names_the_field_and_writes_nothing(table, expected):
    with pytest.raises(SetupFileError) as raised:
        configure(text(table))
    assert any(problem.startswith(expected) for problem in raised.value.problems), raised.value.problems
    # All or nothing: neither the partnership, its agency nor single sign-on was written.
    assert not Partnership.objects.filter(slug="northwick").exists()
    assert not SingleSignOn.objects.exists() and not Agency.objects.filter(name="Northwick Council").exists()


def test_two_partnerships_cannot_share_a_provider_name():
    other = PartnershipFactory(slug="southmere", name="Southmere Partnership")
    SingleSignOn.objects.create(
        partnership=other,
        provider_name="Northwick Council account",
        discovery_url="https://login.southmere.example/.well-known/openid-configuration",
        client_id="x",
        client_secret_env="SOUTHMERE_OIDC_SECRET",
    )
    with pytest.raises(SetupFileError) as raised:
        configure(text(GOOD))
    assert raised.value.problems[0].startswith(
        "single_sign_on.provider_name: 'Northwick Council account' is the provider name of another partnership"
    )


def test_the_set_up_page_shows_single_sign_on_without_its_secret(client, monkeypatch):
    from saferhub.accounts.models import Role
    from saferhub.accounts.tests.factories import UserFactory

    configure(text(GOOD))
    partnership = Partnership.objects.get(slug="northwick")
    admin = UserFactory(
        team=None,
        agency=Agency.objects.get(partnership=partnership),
        partnership=partnership,
        roles=[Role.PARTNERSHIP_ADMIN],
    )
    client.force_login(admin)
    page = client.get("/admin/set-up/").content.decode()
    assert "Northwick Council account" in page and "saferhub-northwick" in page
    assert "northwick.gov.example: Northwick Council" in page
    assert "<strong>not set on this server</strong>" in page
    assert "Switched off: the partnership's users sign in with Northwick Council account only" in page
    monkeypatch.setenv("NORTHWICK_OIDC_SECRET", "synthetic-secret-value")
    page = client.get("/admin/set-up/").content.decode()
    assert "set on this server" in page and "synthetic-secret-value" not in page


def test_a_provider_that_cannot_be_reached_sends_people_back_to_sign_in(client):
    configure(text(with_(discovery_url='"http://127.0.0.1:9/.well-known/openid-configuration"')))
    response = client.get("/sign-in/sso/start/northwick/", follow=True)
    assert response.redirect_chain == [("/sign-in/", 302)]
    assert "Northwick Council account cannot be reached just now" in response.content.decode()
