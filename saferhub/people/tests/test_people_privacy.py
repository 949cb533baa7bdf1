"""A person's part in cases the viewer cannot see is never revealed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import ParticipantRole
from saferhub.cases.tests.factories import CaseShareFactory, ParticipantFactory, RestrictedCaseFactory
from saferhub.cases.tests.referral_world import client_for
from saferhub.people.tests.people_world import build_people_world


@pytest.fixture
def people_world(db):
    return build_people_world()


def _found(world, who, q):
    response = client_for(world, who).get(reverse("people:search"), {"q": q})
    return set(response.context["page_obj"] or []) if response.context["page_obj"] is not None else set()


def test_person_only_in_another_agencys_unshared_case_is_hidden(people_world):
    w = people_world
    for who in ("owner", "colleague", "shared"):
        assert w.people.police_only not in _found(w, who, "Zedwick")
        assert client_for(w, who).get(reverse("people:detail", args=[w.people.police_only.pk])).status_code == 404
    # The police team that holds the case does see them.
    assert w.people.police_only in _found(w, "other_agency", "Zedwick")


def test_search_finds_only_visible_people(people_world):
    w = people_world
    assert _found(w, "owner", "Zedwick") == {w.people.known, w.people.referred}
    assert _found(w, "shared", "Zedwick") == {w.people.known}
    assert _found(w, "colleague", "Zedwick") == set()


def test_search_matches_aliases_and_identifiers(people_world):
    w = people_world
    assert _found(w, "owner", "testlivvy") == {w.people.known}
    assert _found(w, "owner", "TP-000111") == {w.people.known}


def test_search_is_audited(people_world):
    client_for(people_world, "owner").get(reverse("people:search"), {"q": "Zedwick"})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.user == people_world.owner
    assert event.detail["query"] == "Zedwick"
    assert event.detail["results"] == 2


def test_empty_search_shows_the_form_and_writes_nothing(people_world):
    response = client_for(people_world, "owner").get(reverse("people:search"))
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()
    assert response.content.decode().count("<h1") == 1


def test_case_list_is_limited_to_cases_the_viewer_sees(people_world):
    w = people_world
    ParticipantFactory(case=w.people.police_case, person=w.people.known, role=ParticipantRole.SUBJECT)
    owner_page = client_for(w, "owner").get(reverse("people:detail", args=[w.people.known.pk])).content.decode()
    assert w.people.vch_case.reference in owner_page
    assert w.people.police_case.reference not in owner_page
    assert "Testcase police enquiry" not in owner_page
    police_page = client_for(w, "other_agency").get(reverse("people:detail", args=[w.people.known.pk])).content.decode()
    assert w.people.police_case.reference in police_page
    assert w.people.vch_case.reference not in police_page


def test_confidential_contacts_only_for_the_owning_team(people_world):
    w = people_world
    owner_page = client_for(w, "owner").get(reverse("people:detail", args=[w.people.known.pk])).content.decode()
    assert "1 Testrefuge Way" in owner_page
    assert "07700 900111" in owner_page
    shared_page = client_for(w, "shared").get(reverse("people:detail", args=[w.people.known.pk])).content.decode()
    assert "1 Testrefuge Way" not in shared_page
    assert "07700 900111" in shared_page
    assert "Confidential details are held by the owning team" in shared_page


def test_expired_share_hides_the_person(people_world):
    w = people_world
    w.people.vch_case.shares.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client_for(w, "shared").get(reverse("people:detail", args=[w.people.known.pk])).status_code == 404
    assert _found(w, "shared", "Zedwick") == set()


def test_person_only_in_a_restricted_case_is_hidden_from_unnamed_users(people_world):
    w = people_world
    restricted = RestrictedCaseFactory(owning_team=w.vch, case_type=w.case_type, named=[w.manager])
    CaseShareFactory(case=restricted, agency=w.housing)
    secret = ParticipantFactory(case=restricted, person__partnership=w.partnership, person__last_name="Zedwick").person
    for who in ("owner", "shared"):
        assert client_for(w, who).get(reverse("people:detail", args=[secret.pk])).status_code == 404
        assert secret not in _found(w, who, "Zedwick")
    client = client_for(w, "anonymous")
    client.force_login(w.manager)
    assert client.get(reverse("people:detail", args=[secret.pk])).status_code == 200


def test_person_named_on_a_referral_is_visible_to_the_receiving_team_only(people_world):
    w = people_world
    assert client_for(w, "owner").get(reverse("people:detail", args=[w.people.referred.pk])).status_code == 200
    assert client_for(w, "colleague").get(reverse("people:detail", args=[w.people.referred.pk])).status_code == 404
