"""The coordinator corrects a referral (audited, repeats recomputed) and cancels a meeting (with a reason)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub import policy
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.panels import actions
from saferhub.panels.models import Hearing, MeetingStatus
from saferhub.panels.tests.world import build_world, meeting, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def world():
    return build_world()


def _client(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def _edit_data(world, referral, **changes):
    data = {
        "referral_date": referral.referral_date.isoformat(),
        "referring_agency": referral.referring_agency_id,
        "referrer_name": referral.referrer_name,
        "reason": referral.reason,
        "basis": referral.basis,
        "dash_score": "" if referral.dash_score is None else referral.dash_score,
        "children_in_household": "" if referral.children_in_household is None else referral.children_in_household,
        "mental_health_need": referral.mental_health_need,
        "version": referral.version,
    }
    return {**data, **changes}


def test_changing_the_date_recomputes_the_repeat_flags_and_is_audited(world):
    ivy = person(world)
    first = refer(world, ivy, days(-200))
    second = refer(world, ivy, days(-10))
    assert second.is_repeat
    coordinator = _client(world, "coordinator")
    assert coordinator.get(f"/panels/referrals/{first.pk}/edit/").status_code == 200
    response = coordinator.post(
        f"/panels/referrals/{first.pk}/edit/",
        _edit_data(world, first, referral_date=days(-400).isoformat(), children_in_household="3"),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.referral_date == days(-400) and first.children_in_household == 3
    assert not second.is_repeat  # now more than 12 months after the first
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, detail__fields__isnull=False).latest("pk")
    assert event.detail["fields"] == ["children_in_household", "referral_date"]


def test_an_invalid_change_writes_nothing(world):
    referral = refer(world, person(world), days(-5), basis="visible_high_risk", dash_score=16)
    page = (
        _client(world, "coordinator")
        .post(f"/panels/referrals/{referral.pk}/edit/", _edit_data(world, referral, basis="professional_judgement"))
        .content.decode()
    )
    assert "govuk-error-summary" in page and "Enter the reason for referring on professional judgement" in page
    referral.refresh_from_db()
    assert referral.basis == "visible_high_risk"


@pytest.mark.parametrize(
    ("who", "status"),
    # Caseworkers may not read a referral they did not send; analysts do not use the panel pages.
    [("colleague", 404), ("police", 404), ("housing", 404), ("analyst", 403), ("anonymous", 302)],
)
def test_only_coordinators_change_referrals(world, who, status):
    referral = refer(world, person(world), days(-5))
    client = _client(world, who)
    assert client.get(f"/panels/referrals/{referral.pk}/edit/").status_code == status
    assert client.post(f"/panels/referrals/{referral.pk}/edit/", _edit_data(world, referral)).status_code == status


# Cancelling a meeting -------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_sends_the_cases_back_to_wait(world):
    referral = refer(world, person(world), days(-10))
    first = meeting(world, days(3))
    actions.build_agenda(world.coordinator, first)
    assert policy.can_view_panel_summary(world.users["police"], referral.panel_case.case)
    coordinator = _client(world, "coordinator")
    page = coordinator.post(f"/panels/meetings/{first.pk}/cancel/", {"reason": ""}).content.decode()
    assert "Enter the reason for cancelling the meeting" in page
    response = coordinator.post(f"/panels/meetings/{first.pk}/cancel/", {"reason": "Chair unavailable"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == MeetingStatus.CANCELLED and first.cancellation_reason == "Chair unavailable"
    assert not Hearing.objects.filter(meeting=first).exists()
    # A cancelled meeting opens no summaries.
    assert not policy.can_view_panel_summary(world.users["police"], referral.panel_case.case)
    assert (
        _client(world, "police").get(f"/panels/cases/{referral.panel_case.case.reference}/summary/").status_code == 404
    )
    # The case is waiting for a meeting again: the next agenda picks it up as new.
    later = meeting(world, days(10))
    assert [(h.panel_case, h.reason) for h in actions.build_agenda(world.coordinator, later)] == [
        (referral.panel_case, "new")
    ]
    event = AuditEvent.objects.filter(detail__status="cancelled").get()
    assert event.reason == "Chair unavailable" and event.detail["agenda_removed"] == [
        referral.panel_case.case.reference
    ]
    assert "Chair unavailable" in coordinator.get(f"/panels/meetings/{first.pk}/").content.decode()


def test_a_meeting_with_anything_recorded_or_held_cannot_be_cancelled(world):
    refer(world, person(world), days(-10))
    held = meeting(world, days(-1))
    hearing = actions.build_agenda(world.coordinator, held)[0]
    actions.record_outcome(world.coordinator, hearing, outcome="review")
    with pytest.raises(actions.PanelError, match="record it as held"):
        actions.cancel_meeting(world.coordinator, held, reason="Oops")
    actions.mark_held(world.coordinator, held)
    response = _client(world, "coordinator").post(f"/panels/meetings/{held.pk}/cancel/", {"reason": "Oops"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("police", 403), ("anonymous", 302)])
def test_only_coordinators_cancel_meetings(world, who, status):
    upcoming = meeting(world, days(5))
    assert _client(world, who).post(f"/panels/meetings/{upcoming.pk}/cancel/", {"reason": "x"}).status_code == status
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.SCHEDULED
