"""Bulk changes: reassign or close several cases, complete several actions — all or nothing, audited per item."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.cases.models import Action, ActionStatus, Case, CaseStatus
from saferhub.cases.tests.factories import ActionFactory, CaseFactory
from saferhub.cases.tests.test_case_world import build_world

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def items(*cases):
    return [f"{c.pk}:{c.version}" for c in cases]


@pytest.fixture
def w():
    world = build_world()
    world.second = CaseFactory(owning_team=world.owner_team, case_type=world.case_type, reference="WLD-2024-00003")
    return world


def test_the_case_list_offers_bulk_choices(w):
    page = client_for(w.owner).get("/cases/").content.decode()
    assert f'value="{w.case.pk}:{w.case.version}"' in page
    assert 'formaction="/cases/bulk/reassign/"' in page and 'formaction="/cases/bulk/close/"' in page


def test_reassign_several_cases_audits_each(w):
    client = client_for(w.owner)
    page = client.get("/cases/bulk/reassign/", {"item": items(w.case, w.second)})
    assert page.status_code == 200
    assert "WLD-2024-00001" in page.content.decode() and "WLD-2024-00003" in page.content.decode()
    before = AuditEvent.objects.filter(action="update", object_type="cases.case").count()
    response = client.post("/cases/bulk/reassign/", {"item": items(w.case, w.second), "assigned_to": w.teammate.pk})
    assert response.status_code == 302
    assert set(Case.objects.filter(pk__in=[w.case.pk, w.second.pk]).values_list("assigned_to", flat=True)) == {
        w.teammate.pk
    }
    events = AuditEvent.objects.filter(action="update", object_type="cases.case").order_by("pk")[before:]
    assert sorted(e.case_id for e in events) == sorted([w.case.pk, w.second.pk])


def test_a_stale_case_refuses_the_whole_batch_and_names_it(w):
    client = client_for(w.owner)
    chosen = items(w.case, w.second)
    Case.objects.filter(pk=w.second.pk).update(version=w.second.version + 1)  # someone else saved it
    response = client.post("/cases/bulk/reassign/", {"item": chosen, "assigned_to": w.teammate.pk})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Case WLD-2024-00003 was changed by someone else after you chose it" in text
    assert "Nothing has been changed" in text
    w.case.refresh_from_db()
    assert w.case.assigned_to == w.owner  # the first case was not changed either


def test_a_case_the_user_may_not_change_refuses_the_batch(w):
    # Housing sees the case (shared) but cannot change it.
    response = client_for(w.shared).post("/cases/bulk/close/", {"item": items(w.case), "closure_reason": "done"})
    assert response.status_code == 200
    assert "You cannot change case WLD-2024-00001" in response.content.decode()
    assert Case.objects.get(pk=w.case.pk).status == CaseStatus.OPEN


def test_cases_the_user_cannot_see_are_left_out_unseen(w):
    response = client_for(w.other_agency).get("/cases/bulk/close/", {"item": items(w.case)})
    assert response.status_code == 302 and response.url == "/cases/"
    assert "WLD-2024-00001" not in client_for(w.other_agency).get(response.url).content.decode()


def test_close_several_cases(w):
    response = client_for(w.owner).post(
        "/cases/bulk/close/", {"item": items(w.case, w.second), "closure_reason": "Support complete"}
    )
    assert response.status_code == 302
    closed = Case.objects.filter(pk__in=[w.case.pk, w.second.pk], status=CaseStatus.CLOSED)
    assert closed.count() == 2
    assert {c.closure_reason for c in closed} == {"Support complete"}


def test_close_needs_a_reason_named_in_the_message(w):
    response = client_for(w.owner).post("/cases/bulk/close/", {"item": items(w.case)})
    assert response.status_code == 200
    assert "why the case is closing" in response.content.decode()
    assert Case.objects.get(pk=w.case.pk).status == CaseStatus.OPEN


def test_complete_several_actions_and_refuse_one_already_done(w):
    due = timezone.localdate() + datetime.timedelta(days=2)
    second = ActionFactory(case=w.case, owner=w.teammate, due_on=due)
    client = client_for(w.teammate)
    page = client.get(f"/cases/{w.case.reference}/").content.decode()
    assert f'id="choose-action-{second.pk}"' in page and 'action="/cases/actions/done/"' in page

    Action.objects.filter(pk=second.pk).update(status=ActionStatus.DONE)
    response = client.post("/cases/actions/done/", {"action": [w.action.pk, second.pk], "back": "/cases/"})
    assert response.status_code == 302
    assert Action.objects.get(pk=w.action.pk).status == ActionStatus.OPEN  # the batch was refused
    message = client.get("/cases/").content.decode()
    assert f"The action on {w.case.reference} due {due.day} {due:%B %Y} is already done" in message

    Action.objects.filter(pk=second.pk).update(status=ActionStatus.OPEN)
    client.post("/cases/actions/done/", {"action": [w.action.pk, second.pk], "back": "/cases/"})
    assert set(Action.objects.filter(pk__in=[w.action.pk, second.pk]).values_list("status", flat=True)) == {"done"}
    assert AuditEvent.objects.filter(object_type="cases.action", detail__status="done").count() == 2


def test_an_outsider_cannot_complete_an_action(w):
    response = client_for(w.other_agency).post("/cases/actions/done/", {"action": [w.action.pk]})
    assert response.status_code == 302
    assert Action.objects.get(pk=w.action.pk).status == ActionStatus.OPEN


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200), ("teammate", 200), ("colleague", 302), ("other_agency", 302),
        ("shared", 200), ("analyst", 403), ("anonymous", "sign-in"),
    ],
)  # fmt: skip
def test_bulk_page_access(w, who, expected):
    client = Client() if who == "anonymous" else client_for(getattr(w, who))
    response = client.get("/cases/bulk/reassign/", {"item": items(w.case)})
    if expected == "sign-in":
        assert response.status_code == 302 and "/sign-in/" in response.url
    else:
        # Those who cannot see the case are sent back to the list with nothing chosen.
        assert response.status_code == expected
