"""Issue 13: recording a meeting as held says what is still open (a date to come, cases unheard) and asks why."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.panels import actions
from saferhub.panels.models import MeetingStatus
from saferhub.panels.tests.world import build_world, meeting, person, refer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    for n, name in enumerate(["Alder", "Birch"]):
        refer(world, person(world, "Test", name), TODAY - datetime.timedelta(days=30 - n))
    world.meeting = meeting(world, TODAY + datetime.timedelta(days=4))
    actions.build_agenda(world.coordinator, world.meeting)
    world.client = Client()
    world.client.force_login(world.coordinator)
    return world


def test_holding_early_with_cases_unheard_lists_them_and_needs_a_reason(world):
    url = f"/panels/meetings/{world.meeting.pk}/held/"
    day = world.meeting.date
    # The meeting page's button: nothing is held yet, the page says what is open.
    page = world.client.post(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert f"The meeting is dated {day.day} {day:%B %Y}, which has not come yet." in text
    assert "2 cases on the agenda have no outcome recorded." in text
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.SCHEDULED
    refused = world.client.post(url, {"confirm": "1", "reason": ""})
    assert refused.context["form"].errors["reason"] == [
        "Enter why the meeting is recorded as held with these still open"
    ]
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.SCHEDULED
    done = world.client.post(url, {"confirm": "1", "reason": "The chair closed the meeting early: fire alarm"})
    assert done.status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.HELD
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="panels.meeting").latest("pk")
    assert event.reason == "The chair closed the meeting early: fire alarm"
    assert len(event.detail["still_open"]) == 2


def test_a_meeting_with_nothing_open_is_held_at_once(world):
    for hearing in world.meeting.hearings.all():
        hearing.outcome = "review"
        hearing.save()
    world.meeting.date = TODAY
    world.meeting.save()
    response = world.client.post(f"/panels/meetings/{world.meeting.pk}/held/")
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.HELD
