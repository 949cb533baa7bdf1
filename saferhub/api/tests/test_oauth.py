"""OAuth2 client credentials: a system account of one agency, through django-oauth-toolkit's token endpoint."""

import base64
import io

import pytest
from django.core.management import call_command
from django.test import Client

from saferhub.api.tests.world import api_world
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.victims.tests.world import accepted_referral

pytestmark = pytest.mark.django_db


def _client_for(world):
    out = io.StringIO()
    call_command(
        "create_api_client", world.system.email, "--name", "Council case system", stdout=out, stderr=io.StringIO()
    )
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    return values["client_id"], values["client_secret"]


def _token(client_id, secret, scope="read write"):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return Client().post(
        "/api/oauth/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )


def test_a_system_account_gets_a_token_and_sees_what_its_user_may_see():
    world = api_world()
    hub = accepted_referral(world)
    client_id, secret = _client_for(world)
    issued = _token(client_id, secret)
    assert issued.status_code == 200, issued.content
    access = issued.json()["access_token"]
    api = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"}
    assert api.get("/api/v1/cases/", **headers).json()["results"] == []  # the council's system owns no hub case
    assert api.get(f"/api/v1/cases/{hub.referral.case.reference}/", **headers).status_code == 404
    made = api.post(
        "/api/v1/referrals/",
        {
            "to_team": world.cst.pk,
            "case_type": hub.referral.case_type_id,
            "reason": "Synthetic: graffiti on a bus shelter",
        },
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201, made.content
    assert AuditEvent.objects.filter(user=world.system, action=AuditAction.SEARCH).exists()


def test_a_read_only_client_cannot_write_and_a_wrong_secret_gets_nothing():
    world = api_world()
    client_id, secret = _client_for(world)
    assert _token(client_id, "wrong").status_code == 401
    access = _token(client_id, secret, scope="read").json()["access_token"]
    refused = Client().post(
        "/api/v1/referrals/", {"reason": "x"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {access}"
    )
    assert refused.status_code == 403
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
