"""Linking cases: only to a case the user may see, without revealing any other."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import CaseLink
from saferhub.cases.tests.factories import CaseFactory
from saferhub.cases.tests.test_case_world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _url(case):
    return reverse("cases:link", kwargs={"reference": case.reference})


def test_links_to_a_visible_case(client, world):
    other = CaseFactory(owning_team=world.owner_team, case_type=world.case_type)
    client.force_login(world.owner)
    response = client.post(_url(world.case), {"reference": other.reference.lower(), "reason": "Same invented street"})
    assert response.status_code == 302
    link = CaseLink.objects.get()
    assert (link.from_case, link.to_case, link.reason) == (world.case, other, "Same invented street")
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, case_id=other.pk, detail__linked_from=world.case.reference
    ).exists()


def test_invisible_and_missing_cases_get_the_same_answer(client, world):
    hidden = CaseFactory(owning_team=world.police_team, case_type=world.case_type)
    client.force_login(world.owner)
    answers = []
    for reference in (hidden.reference, "NOPE-2024-99999"):
        response = client.post(_url(world.case), {"reference": reference})
        assert response.status_code == 200
        answers.append(response.context["form"].errors["reference"])
    assert answers[0] == answers[1] == ["There is no case with that reference that you can open"]
    assert not CaseLink.objects.exists()


def test_cannot_link_to_itself_or_twice(client, world):
    other = CaseFactory(owning_team=world.owner_team, case_type=world.case_type)
    CaseLink.objects.create(from_case=other, to_case=world.case)
    client.force_login(world.owner)
    response = client.post(_url(world.case), {"reference": world.case.reference})
    assert "Enter the reference of a different case" in response.content.decode()
    response = client.post(_url(world.case), {"reference": other.reference})
    assert "already linked" in response.content.decode()
    assert CaseLink.objects.count() == 1
