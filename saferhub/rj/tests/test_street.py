"""The street page's server side: the JSON end is idempotent on the phone's UUID, CSRF-protected,
answers errors by field, and the page works as a plain form without script."""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.rj.models import RjCase, Stage
from saferhub.rj.tests.world import build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def payload(**extra):
    return {
        "client_uuid": str(uuid.uuid4()),
        "happened_on": timezone.localdate().isoformat(),
        "harm_kind": "crime",
        "summary": "Synthetic: a window broken with a football",
        "responsible_first_name": "Kit",
        "responsible_last_name": "Kicker",
        "consent": "on",
        "outcome": "resolved",
        "agreed": "Pay for the glass",
        **extra,
    }


def send(client, data):
    return client.post("/rj/street/submit/", json.dumps(data), content_type="application/json")


def test_a_resend_returns_the_same_case_and_writes_nothing(world):
    client = client_for(world, "shared")  # the police officer
    data = payload()
    first = send(client, data)
    assert first.status_code == 201
    second = send(client, data)
    assert second.status_code == 200 and second.json() == {**first.json(), "created": False}
    rj = RjCase.objects.get()
    assert rj.stage == Stage.INTERVENTION and rj.recorded_by == world.officer and rj.case.owning_team == world.rj_team
    assert rj.parties.get(role="responsible").person.last_name == "Kicker"
    assert rj.case.participants.count() == 1


def test_refer_on_needs_a_provider_and_records_the_referral(world):
    client = client_for(world, "shared")
    response = send(client, payload(outcome="refer", agreed=""))
    assert response.status_code == 400 and "provider" in response.json()["errors"]
    assert not RjCase.objects.exists()
    assert send(client, payload(outcome="refer", agreed="", provider=world.provider.pk)).status_code == 201
    rj = RjCase.objects.get()
    assert rj.provider == world.provider and rj.provider_outcome == "awaiting" and rj.stage == Stage.PREPARATION


def test_another_accounts_uuid_is_refused(world):
    data = payload()
    assert send(client_for(world, "shared"), data).status_code == 201
    response = send(client_for(world, "owner"), data)
    assert response.status_code == 409 and RjCase.objects.count() == 1


def test_the_json_end_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    assert send(client, payload()).status_code == 403
    assert not RjCase.objects.exists()


def test_without_script_the_page_is_a_plain_form(world):
    client = client_for(world, "shared")
    page = client.get("/rj/street/")
    data = {**payload(), "client_uuid": page.context["form"].initial["client_uuid"]}
    data.pop("consent")
    response = client.post("/rj/street/", data)
    assert "Confirm both parties agreed to take part" in response.content.decode()
    data["consent"] = "on"
    assert client.post("/rj/street/", data).status_code == 302
    assert client.post("/rj/street/", data).status_code == 302  # a double tap
    assert RjCase.objects.count() == 1


def test_colleagues_outside_the_police_cannot_post(world):
    assert send(client_for(world, "other_agency"), payload()).status_code == 403
