"""Personal access tokens: hashed at rest, scoped, expiring, revocable; the command; the pages; rate limits."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from saferhub.api.models import ApiToken
from saferhub.api.tests.world import ApiClient, api_world, client_as
from saferhub.api.tokens import create_token, digest
from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return api_world()


def test_the_command_prints_a_token_once_and_keeps_only_its_digest(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", world.system.email, "--scope", "write", "--days", "30", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=world.system)
    assert secret.startswith("shb_") and len(secret) > 40
    assert token.digest == digest(secret) and secret not in (token.digest, token.prefix)
    assert token.scope == "write"
    assert (token.expires_at - timezone.now()).days in (29, 30)
    assert "shown once" in err.getvalue()
    assert ApiClient(secret).get("cases/").status_code == 200
    with pytest.raises(CommandError, match="No user has the e-mail address"):
        call_command("create_api_token", "nobody@example.org", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="between 1 and 366"):
        call_command("create_api_token", world.system.email, "--days", "0", stdout=out, stderr=err)


def test_no_token_a_wrong_one_an_expired_or_revoked_one_is_401(world):
    assert ApiClient(None).get("cases/").status_code == 401
    assert ApiClient("shb_not-a-real-token").get("cases/").status_code == 401
    token, secret = create_token(world.owner, name="Expiring")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert ApiClient(secret).get("cases/").status_code == 401
    token, secret = create_token(world.owner, name="Revoked")
    assert ApiClient(secret).get("cases/").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert ApiClient(secret).get("cases/").status_code == 401
    # A deactivated user's tokens stop working at once.
    token, secret = create_token(world.owner, name="Leaver")
    world.owner.is_active = False
    world.owner.save()
    assert ApiClient(secret).get("cases/").status_code == 401


def test_a_read_token_may_not_write(world):
    from saferhub.victims.tests.world import accepted_referral

    reference = accepted_referral(world).referral.case.reference
    reader = client_as(world, "owner", scope="read")
    assert reader.get(f"cases/{reference}/").status_code == 200
    refused = reader.post(f"cases/{reference}/notes/", {"text": "Synthetic note"})
    assert refused.status_code == 403 and "write scope" in refused.json()["detail"]


def test_the_session_counts_only_after_the_second_factor(world, settings):
    settings.REQUIRE_TWO_FACTOR = True
    client = Client()
    client.force_login(world.owner)  # password only: not verified
    assert client.get("/api/v1/cases/").status_code == 401
    # Nor can the token page be reached to make one: the page sign-in asks for the second factor.
    response = client.get("/account/api-tokens/new/")
    assert response.status_code == 302 and "two-factor" in response.url


def test_owner_makes_lists_and_revokes_tokens_on_the_account_page(world):
    client = Client()
    client.force_login(world.owner)
    assert client.get("/account/api-tokens/").status_code == 200
    bad = client.post("/account/api-tokens/new/", {"name": "", "scope": "write", "days": "400"})
    assert bad.status_code == 200
    assert "Enter what the token is for" in bad.content.decode()
    assert "between 1 and 366" in bad.content.decode()
    made = client.post("/account/api-tokens/new/", {"name": "Council case system", "scope": "write", "days": "90"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.owner)
    page = made.content.decode()
    secret = page.split('id="api-token" class="saferhub-break-anywhere">')[1].split("<")[0]
    assert digest(secret) == token.digest
    listing = client.get("/account/api-tokens/").content.decode()
    assert "Council case system" in listing and secret not in listing
    assert AuditEvent.objects.filter(user=world.owner, action=AuditAction.CREATE, object_type="api.apitoken").exists()
    # Someone else's token is not theirs to revoke (404); their own is.
    other, _ = create_token(world.colleague, name="Colleague's")
    assert client.post(f"/account/api-tokens/{other.pk}/revoke/").status_code == 404
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.owner
    assert ApiClient(secret).get("cases/").status_code == 401


def test_administrators_see_and_revoke_every_token_of_their_partnership(world):
    token, _ = create_token(world.colleague, name="Colleague's system")
    foreign, _ = create_token(world.stranger, name="Elsewhere's system")
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get("/admin/api-tokens/").content.decode()
    assert "Colleague&#x27;s system" in page and "Elsewhere" not in page
    assert admin.post(f"/account/api-tokens/{foreign.pk}/revoke/", {"back": "admin"}).status_code == 404
    assert admin.post(f"/account/api-tokens/{token.pk}/revoke/", {"back": "admin"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.admin
    caseworker = Client()
    caseworker.force_login(world.owner)
    assert caseworker.get("/admin/api-tokens/").status_code == 403


def test_requests_over_the_rate_limit_are_refused(world, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {"user": "3/minute", "anon": "2/minute"}
    try:
        client = client_as(world, "owner")
        codes = [client.get("cases/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        assert api_settings.DEFAULT_THROTTLE_RATES["user"] != "3/minute"
