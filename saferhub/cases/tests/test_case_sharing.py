"""Sharing a case with another agency or team, and revoking it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import CaseShare
from saferhub.cases.tests.test_case_world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


def _data(recipient, **overrides):
    data = {"recipient": recipient, "purpose": "Invented joint visit", "lawful_basis": "cda_s115", "expires_on": ""}
    data.update(overrides)
    return data


def test_share_with_an_agency_gives_its_users_access(client, world):
    client.force_login(world.owner)
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(_url("cases:share", world.case), _data(f"agency:{world.police.pk}", expires_on=expires))
    assert response.status_code == 302
    share = CaseShare.objects.get(case=world.case, agency=world.police)
    assert share.lawful_basis == "cda_s115"
    assert share.expires_on.isoformat() == expires
    event = AuditEvent.objects.get(action=AuditAction.SHARE, case_id=world.case.pk)
    assert event.reason == "Invented joint visit"
    client.force_login(world.other_agency)
    assert client.get(_url("cases:detail", world.case)).status_code == 200


def test_share_with_a_team(client, world):
    client.force_login(world.owner)
    client.post(_url("cases:share", world.case), _data(f"team:{world.sister_team.pk}"))
    client.force_login(world.colleague)
    assert client.get(_url("cases:detail", world.case)).status_code == 200


def test_owning_team_is_not_offered(client, world):
    client.force_login(world.owner)
    page = client.get(_url("cases:share", world.case)).content.decode()
    assert f"team:{world.owner_team.pk}" not in page
    assert f"team:{world.sister_team.pk}" in page
    response = client.post(_url("cases:share", world.case), _data(f"team:{world.owner_team.pk}"))
    assert response.status_code == 200
    assert not CaseShare.objects.filter(team=world.owner_team).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": "  "}, "Enter the purpose of sharing"),
        ({"lawful_basis": ""}, "Choose the lawful basis for sharing"),
        ({"expires_on": "2001-01-01"}, "The share must end on a date in the future"),
        ({"recipient": ""}, "Choose an agency or team to share with"),
        ({"recipient": "HOUSING"}, "already shared with them"),
    ],
)
def test_bad_input_writes_nothing(client, world, overrides, message):
    if overrides.get("recipient") == "HOUSING":
        overrides = {"recipient": f"agency:{world.housing.pk}"}
    client.force_login(world.owner)
    shares, events = CaseShare.objects.count(), AuditEvent.objects.count()
    data = _data(f"agency:{world.police.pk}")
    data.update(overrides)
    response = client.post(_url("cases:share", world.case), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CaseShare.objects.count() == shares
    assert AuditEvent.objects.count() == events


def test_revoke_ends_access(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:revoke-share", world.case, pk=world.share.pk))
    assert response.status_code == 302
    share = CaseShare.objects.get(pk=world.share.pk)
    assert share.revoked_at is not None and share.revoked_by == world.owner
    assert AuditEvent.objects.filter(action=AuditAction.SHARE, detail__revoked="Invented Housing").exists()
    client.force_login(world.shared)
    assert client.get(_url("cases:detail", world.case)).status_code == 404


def test_share_of_another_case_is_not_found(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:revoke-share", world.case, pk=world.restricted_share.pk))
    assert response.status_code == 404
    assert CaseShare.objects.get(pk=world.restricted_share.pk).revoked_at is None
