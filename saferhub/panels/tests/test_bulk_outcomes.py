"""Outcomes for several of a meeting's cases at once: each through record_outcome, all or nothing."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.cases.models import Case, CaseStatus
from saferhub.panels import actions
from saferhub.panels.models import Hearing, HearingOutcome
from saferhub.panels.tests.world import build_world, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    world.kept = refer(world, person(world, "Cal", "Ashbury"), TODAY - datetime.timedelta(days=10))
    world.closed = refer(world, person(world, "Dot", "Pennyfold"), TODAY - datetime.timedelta(days=10))
    world.meeting = actions.schedule_meeting(world.coordinator, world.da, date=TODAY)
    actions.build_agenda(world.coordinator, world.meeting)
    world.hearings = {h.panel_case_id: h for h in world.meeting.hearings.select_related("panel_case__case")}
    return world


def coordinator(world):
    client = Client()
    client.force_login(world.coordinator)
    return client


def form_data(world, outcomes):
    data = {}
    for panel_case_id, hearing in world.hearings.items():
        data[f"version_{hearing.pk}"] = hearing.version
        data[f"outcome_{hearing.pk}"] = outcomes.get(panel_case_id, "")
    return data


def test_record_several_outcomes(world):
    client = coordinator(world)
    url = f"/panels/meetings/{world.meeting.pk}/outcomes/"
    page = client.get(url).content.decode()
    for hearing in world.hearings.values():
        assert hearing.panel_case.case.reference in page
    outcomes = {world.kept.panel_case_id: HearingOutcome.REVIEW, world.closed.panel_case_id: HearingOutcome.CLOSED}
    response = client.post(url, form_data(world, outcomes))
    assert response.status_code == 302
    stored = dict(Hearing.objects.filter(meeting=world.meeting).values_list("panel_case_id", "outcome"))
    assert stored == outcomes
    closed_case = world.hearings[world.closed.panel_case_id].panel_case.case
    assert Case.objects.get(pk=closed_case.pk).status == CaseStatus.CLOSED
    audited = AuditEvent.objects.filter(object_type="panels.hearing").count()
    assert audited >= 2


def test_a_hearing_changed_meanwhile_refuses_the_batch_and_is_named(world):
    client = coordinator(world)
    data = form_data(
        world, {world.kept.panel_case_id: HearingOutcome.REVIEW, world.closed.panel_case_id: HearingOutcome.CLOSED}
    )
    stale = world.hearings[world.closed.panel_case_id]
    Hearing.objects.filter(pk=stale.pk).update(version=stale.version + 1)
    response = client.post(f"/panels/meetings/{world.meeting.pk}/outcomes/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"The outcome for {stale.panel_case.case.reference} was changed by someone else" in text
    assert not Hearing.objects.filter(meeting=world.meeting).exclude(outcome="").exists()


@pytest.mark.parametrize(
    ("who", "expected"), [("coordinator", 200), ("police", 403), ("analyst", 403), ("anonymous", 302)]
)
def test_only_coordinators_record_outcomes(world, who, expected):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who] if who in world.users else getattr(world, who))
    assert client.get(f"/panels/meetings/{world.meeting.pk}/outcomes/").status_code == expected
