"""The case list: only visible cases, filters, audited search, pagination, bounded queries."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import CaseStatus, RiskLevel
from saferhub.cases.tests.factories import CaseFactory, CaseShareFactory, ParticipantFactory
from saferhub.cases.tests.test_case_world import build_world

URL = reverse("cases:list")


@pytest.fixture
def world(db):
    return build_world()


def _references(response):
    return [c.reference for c in response.context["page_obj"].object_list]


def test_lists_only_cases_the_user_may_see(client, world):
    hidden = CaseFactory(owning_team=world.police_team, case_type=world.case_type, reference="HID-2024-00099")
    client.force_login(world.owner)
    refs = _references(client.get(URL))
    assert world.case.reference in refs
    assert world.restricted_case.reference in refs  # the owner is named on it
    assert hidden.reference not in refs

    client.force_login(world.teammate)
    refs = _references(client.get(URL))
    assert world.restricted_case.reference not in refs
    assert world.restricted_case.title not in client.get(URL).content.decode()


def test_shared_cases_are_listed_for_the_shared_agency(client, world):
    client.force_login(world.shared)
    assert _references(client.get(URL)) == [world.case.reference]


def test_filters(client, world):
    held = CaseFactory(
        owning_team=world.owner_team, case_type=world.case_type, status=CaseStatus.ON_HOLD, risk_level=RiskLevel.HIGH
    )
    theirs = CaseFactory(owning_team=world.housing_team, case_type=world.case_type)
    CaseShareFactory(case=theirs, team=world.owner_team)
    client.force_login(world.owner)
    assert _references(client.get(URL, {"status": "on_hold"})) == [held.reference]
    assert _references(client.get(URL, {"risk_level": "high"})) == [held.reference]
    assert _references(client.get(URL, {"team": "shared"})) == [theirs.reference]
    assert theirs.reference not in _references(client.get(URL, {"team": "mine"}))
    assert _references(client.get(URL, {"assigned_to_me": "on"})) == [world.case.reference]
    assert set(_references(client.get(URL, {"case_type": world.case_type.pk}))) >= {held.reference, theirs.reference}


def test_search_by_participant_name_is_audited(client, world):
    ParticipantFactory(case=world.case, person__first_name="Zebedee", person__last_name="Imaginary")
    client.force_login(world.owner)
    response = client.get(URL, {"q": "zebedee"})
    assert _references(response) == [world.case.reference]
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.user == world.owner
    assert event.detail["text"] == "zebedee"


def test_search_by_reference_and_title(client, world):
    client.force_login(world.owner)
    assert _references(client.get(URL, {"q": "wld-2024-00001"})) == [world.case.reference]
    assert _references(client.get(URL, {"q": "case one"})) == [world.case.reference]


def test_plain_listing_writes_no_search_row(client, world):
    client.force_login(world.owner)
    client.get(URL)
    client.get(URL, {"status": "open"})
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_bad_filter_shows_error_summary(client, world):
    client.force_login(world.owner)
    response = client.get(URL, {"status": "nonsense"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert _references(response) == []


def test_paginated_25_a_page_keeping_filters(client, world):
    CaseFactory.create_batch(30, owning_team=world.owner_team, case_type=world.case_type)
    client.force_login(world.owner)
    first = client.get(URL, {"status": "open"})
    page = first.context["page_obj"]
    assert len(page.object_list) == 25
    assert f"status=open&amp;after={page.next_cursor}" in first.content.decode()
    second = client.get(URL, {"status": "open", "after": page.next_cursor})
    # 30 new cases, the world's open case and its restricted case (the owner is named on it).
    assert len(second.context["page_obj"].object_list) == 32 - 25
    assert not {c.pk for c in page.object_list} & {c.pk for c in second.context["page_obj"].object_list}
    back = client.get(URL, {"status": "open", "before": second.context["page_obj"].previous_cursor})
    assert list(back.context["page_obj"].object_list) == list(page.object_list)


def test_query_count_does_not_grow_with_cases(client, world, django_assert_max_num_queries):
    cases = CaseFactory.create_batch(
        35, owning_team=world.owner_team, case_type=world.case_type, assigned_to=world.teammate
    )
    for case in cases[:10]:
        CaseShareFactory(case=case, team=world.police_team)
    client.force_login(world.owner)
    client.get(URL)  # warm the session and role caches
    # 13 on PostgreSQL: the navigation asks once whether a caseworker holds a seat on a board.
    with django_assert_max_num_queries(13):
        response = client.get(URL, {"q": "Test case", "status": "open"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 25
