"""Notes and actions: contributors add them; owners or editors tick actions off."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Action, ActionStatus, Note
from saferhub.cases.tests.test_case_world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"reference": case.reference, **kwargs})


def test_shared_agency_adds_a_note(client, world):
    client.force_login(world.shared)
    response = client.post(_url("cases:add-note", world.case), {"text": "  Invented home visit.  "})
    assert response.status_code == 302
    note = Note.objects.get(case=world.case)
    assert note.text == "Invented home visit."
    assert note.agency == world.housing
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, case_id=world.case.pk, object_type="cases.note"
    ).exists()


def test_blank_note_is_refused(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:add-note", world.case), {"text": "   "})
    assert "Enter the note" in response.content.decode()
    assert not Note.objects.exists()


def test_action_owner_may_be_in_the_owning_team_or_a_shared_agency(client, world):
    client.force_login(world.owner)
    page = client.get(_url("cases:add-action", world.case)).content.decode()
    assert "Sasha Sharer" in page
    assert "Tobias Teammate" in page
    assert "Otto Officer" not in page
    assert "Ana Analyst" not in page
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        _url("cases:add-action", world.case), {"title": "Invented check-in", "owner": world.shared.pk, "due_on": due}
    )
    assert response.status_code == 302
    assert Action.objects.get(title="Invented check-in").owner == world.shared


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"owner": "OUTSIDER"}, "Choose someone who works on this case"),
        ({"due_on": "2001-01-01"}, "Due date must be today or in the future"),
        ({"due_on": ""}, "Enter the due date"),
        ({"title": ""}, "Enter what needs to be done"),
    ],
)
def test_bad_action_input_writes_nothing(client, world, data, message):
    values = {
        "title": "Invented task",
        "owner": world.teammate.pk,
        "due_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    }
    values.update(data)
    if values["owner"] == "OUTSIDER":
        values["owner"] = world.other_agency.pk
    client.force_login(world.owner)
    before = Action.objects.count()
    response = client.post(_url("cases:add-action", world.case), values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Action.objects.count() == before


def test_editor_marks_an_action_done(client, world):
    client.force_login(world.owner)
    client.post(_url("cases:action-done", world.case, pk=world.action.pk))
    action = Action.objects.get(pk=world.action.pk)
    assert action.status == ActionStatus.DONE
    assert action.completed_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="cases.action").exists()


def test_action_owner_with_contribute_access_may_cancel_their_own(client, world):
    own = Action.objects.create(case=world.case, title="Invented own", owner=world.shared, due_on=timezone.localdate())
    client.force_login(world.shared)
    assert client.post(_url("cases:action-cancel", world.case, pk=own.pk)).status_code == 302
    assert Action.objects.get(pk=own.pk).status == ActionStatus.CANCELLED
    # Not somebody else's.
    assert client.post(_url("cases:action-done", world.case, pk=world.action.pk)).status_code == 403
    assert Action.objects.get(pk=world.action.pk).status == ActionStatus.OPEN


def test_action_of_another_case_is_not_found(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:action-done", world.case, pk=world.restricted_action.pk))
    assert response.status_code == 404
