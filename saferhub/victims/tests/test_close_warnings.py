"""Issue 13: closing a hub case lists what is still open (care plan items, onward referrals awaiting a response,
Victims' Code rights unrecorded) and asks why; "Other" needs its details."""

import datetime

import pytest
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import StageLog
from saferhub.victims import actions
from saferhub.victims.models import CarePlanCategory
from saferhub.victims.tests.world import accepted_referral, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.accepted = accepted_referral(world)
    return world


def _close(world, **extra):
    hub = world.accepted
    hub.referral.case.refresh_from_db()
    data = {
        "closure_reason": "support_complete",
        "closed_on": timezone.localdate().isoformat(),
        "version": hub.referral.case.version,
        **extra,
    }
    return client_for(world, "owner").post(f"/victims/referrals/{hub.pk}/close/", data)


def test_closing_with_open_items_lists_them_and_needs_a_reason_recorded_in_the_stage_log(world):
    hub = world.accepted
    actions.add_care_plan_item(
        world.owner,
        hub,
        category=CarePlanCategory.HOUSING,
        description="Apply for a housing transfer",
        owner=world.owner,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    page = client_for(world, "owner").get(f"/victims/referrals/{hub.pk}/close/").content.decode()
    assert "1 care plan item still open: Apply for a housing transfer" in page
    assert "12 of 12 Victims&#x27; Code rights not recorded as informed or met" in page
    refused = _close(world)
    assert refused.context["form"].errors["close_anyway_reason"] == [
        "Enter why the case is closing with these still open"
    ]
    hub.referral.case.refresh_from_db()
    assert hub.referral.case.status == "open"
    assert _close(world, close_anyway_reason="The person moved away and asked us to stop").status_code == 302
    log = StageLog.objects.filter(case=hub.referral.case).latest("pk")
    assert "Apply for a housing transfer" in log.reason and "The person moved away" in log.reason
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, case_id=hub.referral.case_id).latest("pk")
    assert event.reason == "The person moved away and asked us to stop"
    assert len(event.detail["closed_with_open_items"]) == 2


def test_other_needs_its_details(world):
    response = _close(world, closure_reason="other", close_anyway_reason="Moved away")
    assert response.context["form"].errors["closure_details"] == [
        "Give details of the reason for closing, as you chose Other"
    ]
    assert (
        _close(world, closure_reason="other", closure_details="Moved abroad", close_anyway_reason="x").status_code
        == 302
    )
    assert "Moved abroad" in StageLog.objects.filter(case=world.accepted.referral.case).latest("pk").reason
