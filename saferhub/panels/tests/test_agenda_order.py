"""The coordinator reorders the agenda (one URL per move) and removes items; the DOCX follows the order."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.panels import actions
from saferhub.panels.tests.world import build_world, meeting, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    for n, name in enumerate(["Alder", "Birch", "Cedar"]):
        refer(world, person(world, "Test", name), TODAY - datetime.timedelta(days=30 - n))
    world.meeting = meeting(world, TODAY + datetime.timedelta(days=3))
    actions.build_agenda(world.coordinator, world.meeting)
    return world


def _client(world, who="coordinator"):
    client = Client()
    client.force_login(world.users[who])
    return client


def _order(world):
    return [h.panel_case.person.last_name for h in world.meeting.hearings.select_related("panel_case__person")]


def _hearing(world, name):
    return world.meeting.hearings.get(panel_case__person__last_name=name)


def _docx_order(response):
    text = [
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    ]
    names = [t for t in text if t.startswith("Test ")]
    return [n.split()[-1] for n in dict.fromkeys(names)]


def test_moving_up_and_down_renumbers_and_the_agenda_document_follows(world):
    client = _client(world)
    assert _order(world) == ["Alder", "Birch", "Cedar"]
    assert client.post(f"/panels/hearings/{_hearing(world, 'Cedar').pk}/move-up/").status_code == 302
    assert _order(world) == ["Alder", "Cedar", "Birch"]
    client.post(f"/panels/hearings/{_hearing(world, 'Alder').pk}/move-down/")
    assert _order(world) == ["Cedar", "Alder", "Birch"]
    assert [h.position for h in world.meeting.hearings.all()] == [1, 2, 3]
    assert _docx_order(client.get(f"/panels/meetings/{world.meeting.pk}/agenda.docx")) == ["Cedar", "Alder", "Birch"]
    assert AuditEvent.objects.filter(detail__agenda_moved__isnull=False).count() == 2


def test_moving_past_either_end_is_refused_with_a_message(world):
    client = _client(world)
    response = client.post(f"/panels/hearings/{_hearing(world, 'Alder').pk}/move-up/", follow=True)
    assert "already at the top" in response.content.decode()
    response = client.post(f"/panels/hearings/{_hearing(world, 'Cedar').pk}/move-down/", follow=True)
    assert "already at the bottom" in response.content.decode()
    assert _order(world) == ["Alder", "Birch", "Cedar"]


def test_removing_an_item_takes_it_off_and_the_page_offers_the_buttons(world):
    client = _client(world)
    page = client.get(f"/panels/meetings/{world.meeting.pk}/").content.decode()
    assert page.count("move-up/") == 2 and page.count("move-down/") == 2 and page.count("/remove/") == 3
    client.post(f"/panels/hearings/{_hearing(world, 'Birch').pk}/remove/")
    assert _order(world) == ["Alder", "Cedar"]


def test_a_held_meeting_keeps_its_order(world):
    actions.mark_held(world.coordinator, world.meeting)
    _client(world).post(f"/panels/hearings/{_hearing(world, 'Cedar').pk}/move-up/")
    assert _order(world) == ["Alder", "Birch", "Cedar"]
    assert "move-up/" not in _client(world).get(f"/panels/meetings/{world.meeting.pk}/").content.decode()


@pytest.mark.parametrize("who", ["colleague", "police", "analyst"])
def test_only_coordinators_reorder(world, who):
    response = _client(world, who).post(f"/panels/hearings/{_hearing(world, 'Cedar').pk}/move-up/")
    assert response.status_code == 403
    assert _order(world) == ["Alder", "Birch", "Cedar"]
