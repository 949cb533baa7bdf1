"""Who sees a panel summary: the meeting-window rule, audited, and the ordinary rules outside the window."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub import policy
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.actions import share_case
from saferhub.cases.models import LawfulBasis
from saferhub.panels import actions
from saferhub.panels.tests.world import build_world, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    world.referral = refer(world, person(world), TODAY - datetime.timedelta(days=20))
    world.case = world.referral.panel_case.case
    return world


def _listed(world, meeting_day):
    meeting = actions.schedule_meeting(world.coordinator, world.da, date=meeting_day)
    actions.build_agenda(world.coordinator, meeting)
    return meeting


def _get(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client.get(f"/panels/cases/{world.case.reference}/summary/")


# DA MARAC window: 7 days before the meeting to 7 days after.
@pytest.mark.parametrize(
    ("who", "meeting_in_days", "status"),
    [
        ("coordinator", None, 200),
        ("colleague", None, 200),  # owning team: ordinary rules
        ("same_agency", None, 404),
        ("police", None, 404),
        ("police", 5, 200),  # listed, invited, inside the window
        ("health", -7, 200),  # last day of the window
        ("police", 8, 404),  # agenda not yet published
        ("police", -8, 404),  # window closed
        ("housing", 5, 404),  # agency not invited
        ("analyst", 5, 404),
        ("anonymous", 5, 302),
    ],
)
def test_summary_access(world, who, meeting_in_days, status):
    if meeting_in_days is not None:
        _listed(world, TODAY + datetime.timedelta(days=meeting_in_days))
    assert _get(world, who).status_code == status


def test_every_window_view_is_audited_with_its_ground(world):
    _listed(world, TODAY + datetime.timedelta(days=3))
    _get(world, "police")
    event = AuditEvent.objects.filter(user=world.users["police"], action=AuditAction.VIEW).get()
    assert event.case_id == world.case.pk
    assert event.detail == {"panel_summary": True, "access": "meeting_window"}


def test_window_gives_the_summary_not_the_case_file(world):
    _listed(world, TODAY + datetime.timedelta(days=3))
    client = Client()
    client.force_login(world.users["police"])
    assert client.get(f"/panels/cases/{world.case.reference}/summary/").status_code == 200
    assert client.get(f"/cases/{world.case.reference}/").status_code == 404
    assert policy.can_view_case(world.users["police"], world.case) is False


def test_outside_the_window_the_ordinary_rules_apply(world):
    _listed(world, TODAY - datetime.timedelta(days=30))
    police = world.users["police"]
    assert not policy.can_view_panel_summary(police, world.case)
    share_case(
        world.coordinator,
        world.case,
        purpose="Joint safety plan",
        lawful_basis=LawfulBasis.CDA_S115,
        agency=world.police,
    )
    assert policy.panel_summary_access(police, world.case) == "case"
    assert _get(world, "police").status_code == 200


def test_restricted_case_is_never_opened_by_the_window(world):
    _listed(world, TODAY + datetime.timedelta(days=3))
    world.case.restricted = True
    world.case.save()
    assert _get(world, "police").status_code == 404
    assert _get(world, "coordinator").status_code == 404


def test_cancelled_meeting_opens_no_window(world):
    meeting = _listed(world, TODAY + datetime.timedelta(days=3))
    meeting.status = "cancelled"
    meeting.save()
    assert _get(world, "police").status_code == 404


def test_visible_panel_cases_matches_the_summary_rule(world):
    _listed(world, TODAY + datetime.timedelta(days=3))
    assert list(policy.visible_panel_cases(world.users["police"])) == [world.case]
    assert list(policy.visible_panel_cases(world.users["housing"])) == []
    later = TODAY + datetime.timedelta(days=20)
    assert list(policy.visible_panel_cases(world.users["police"], later)) == []
