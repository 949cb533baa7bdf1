"""Close, reopen, hold and resume: one URL each, version-checked, stage-logged."""

import pytest
from django.urls import reverse

from saferhub.cases.models import Case, CaseStatus, StageLog
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.models import ReferenceCode, ReferenceList


@pytest.fixture
def world(db):
    return build_world()


def _url(name, case):
    return reverse(name, kwargs={"reference": case.reference})


def test_close_with_a_reason_from_the_partnership_list(client, world):
    ReferenceCode.objects.create(
        partnership=world.partnership,
        code_list=ReferenceList.CASE_CLOSURE_REASON,
        code="support_complete",
        label="Support complete",
    )
    client.force_login(world.owner)
    page = client.get(_url("cases:close", world.case)).content.decode()
    assert "Support complete" in page
    response = client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": "support_complete"})
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "support_complete"
    assert case.closed_on is not None
    assert StageLog.objects.filter(case=case, to_status=CaseStatus.CLOSED).exists()


def test_close_refuses_a_code_not_in_the_list(client, world):
    ReferenceCode.objects.create(
        partnership=world.partnership,
        code_list=ReferenceList.CASE_CLOSURE_REASON,
        code="support_complete",
        label="Support complete",
    )
    client.force_login(world.owner)
    response = client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": "made_up"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN


def test_close_without_a_list_takes_text_and_requires_it(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": ""})
    assert "Enter why the case is closing" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN
    client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": "Moved away"})
    assert Case.objects.get(pk=world.case.pk).closure_reason == "Moved away"


def test_hold_resume_close_reopen(client, world):
    client.force_login(world.owner)
    client.post(_url("cases:hold", world.case), {"version": 1, "reason": "Awaiting court date"})
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ON_HOLD
    client.post(_url("cases:resume", world.case), {"version": 2})
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN
    client.post(_url("cases:close", world.case), {"version": 3, "closure_reason": "Done"})
    client.post(_url("cases:reopen", world.case), {"version": 4, "reason": "New incident"})
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.OPEN
    assert case.closed_on is None
    assert list(StageLog.objects.filter(case=case).values_list("to_status", flat=True)) == [
        "on_hold",
        "open",
        "closed",
        "open",
    ]


def test_invalid_transition_is_explained(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:reopen", world.case), {"version": 1})
    assert response.status_code == 200
    assert "cannot be made open" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).version == 1


def test_stale_version_is_refused(client, world):
    client.force_login(world.owner)
    client.post(_url("cases:hold", world.case), {"version": 1})
    response = client.post(_url("cases:close", world.case), {"version": 1, "closure_reason": "Done"})
    assert "This case was changed by someone else after you opened it" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ON_HOLD
