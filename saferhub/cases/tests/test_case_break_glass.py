"""Emergency access: a typed reason, a time-limited grant, a banner, and no hint about other cases."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import BreakGlassGrant
from saferhub.cases.tests.test_case_world import build_world

START = reverse("cases:break-glass-start")


@pytest.fixture
def world(db):
    return build_world()


def _url(case):
    return reverse("cases:break-glass", kwargs={"reference": case.reference})


def test_start_form_sends_to_the_warning_page(client, world):
    client.force_login(world.other_agency)
    response = client.post(START, {"reference": world.case.reference.lower()})
    assert response.status_code == 302
    assert response["Location"] == _url(world.case)


@pytest.mark.parametrize("which", ["missing", "restricted", "already_visible"])
def test_start_form_answers_the_same_for_every_refusal(client, world, which):
    user = world.shared if which == "already_visible" else world.other_agency
    reference = {
        "missing": "GEN-2024-99999",
        "restricted": world.restricted_case.reference,
        "already_visible": world.case.reference,
    }[which]
    client.force_login(user)
    response = client.post(START, {"reference": reference})
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == [
        "We could not find a case you can open in an emergency with that reference"
    ]


def test_grant_with_reason_opens_the_case_with_a_banner(client, world):
    client.force_login(world.other_agency)
    page = client.get(_url(world.case)).content.decode()
    assert "Why do you need emergency access?" in page
    response = client.post(_url(world.case), {"reason": "Invented: immediate risk reported by a neighbour"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"reference": world.case.reference})
    assert BreakGlassGrant.objects.filter(case=world.case, user=world.other_agency).exists()
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.flagged and event.case_id == world.case.pk
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "You are seeing this case through emergency access" in detail.content.decode()
    assert reverse("cases:add-note", kwargs={"reference": world.case.reference}) not in detail.content.decode()
    # Emergency access is read-only.
    assert client.get(reverse("cases:add-note", kwargs={"reference": world.case.reference})).status_code == 403


@pytest.mark.parametrize("reason", ["", "too short"])
def test_reason_is_required(client, world, reason):
    client.force_login(world.other_agency)
    response = client.post(_url(world.case), {"reason": reason})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()


def test_owner_sees_no_banner(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("cases:detail", kwargs={"reference": world.case.reference})).content.decode()
    assert "emergency access" not in page.replace("Emergency access to a case", "")
