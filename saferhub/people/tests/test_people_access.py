"""Who may open each person page.

The person takes part in a Victim Care Hub case ("owner") shared with Housing
("shared"). Outsiders get 404 (existence not revealed); the shared agency may
read the record but not change it (403).
"""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.tests.referral_world import client_for
from saferhub.people.models import Alias, ContactDetail, Identifier
from saferhub.people.tests.people_world import build_people_world

SEARCH_EXPECTED = {"owner": 200, "colleague": 200, "other_agency": 200, "shared": 200, "analyst": 403, "anonymous": 302}
DETAIL_EXPECTED = {"owner": 200, "colleague": 404, "other_agency": 404, "shared": 200, "analyst": 404, "anonymous": 302}
EDIT_EXPECTED = {"owner": 200, "colleague": 404, "other_agency": 404, "shared": 403, "analyst": 404, "anonymous": 302}

EDIT_URLS = {
    "people:edit": {"first_name": "Testchanged", "disability": "no", "version": "1"},
    "people:add-alias": {"name": "Testalias"},
    "people:add-contact": {"kind": "phone", "value": "07700 900999"},
    "people:add-identifier": {"system": "NHS", "value": "TEST-999"},
}


@pytest.fixture
def people_world(db):
    return build_people_world()


@pytest.mark.parametrize(("who", "status"), SEARCH_EXPECTED.items())
def test_search(people_world, who, status):
    assert client_for(people_world, who).get(reverse("people:search"), {"q": "Zedwick"}).status_code == status


@pytest.mark.parametrize(("who", "status"), DETAIL_EXPECTED.items())
def test_detail(people_world, who, status):
    person = people_world.people.known
    response = client_for(people_world, who).get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == status
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEW, person_id=person.pk).exists()
    assert viewed == (status == 200)


@pytest.mark.parametrize("name", EDIT_URLS)
@pytest.mark.parametrize(("who", "status"), EDIT_EXPECTED.items())
def test_edit_pages(people_world, name, who, status):
    person = people_world.people.known
    assert client_for(people_world, who).get(reverse(name, args=[person.pk])).status_code == status


@pytest.mark.parametrize("name", EDIT_URLS)
@pytest.mark.parametrize(("who", "status"), [(w, s) for w, s in EDIT_EXPECTED.items() if w != "owner"])
def test_only_owning_team_changes_the_record(people_world, name, who, status):
    person = people_world.people.known
    response = client_for(people_world, who).post(reverse(name, args=[person.pk]), EDIT_URLS[name])
    assert response.status_code == status
    person.refresh_from_db()
    assert person.first_name == "Testolivia"
    assert Alias.objects.filter(person=person).count() == 1
    assert ContactDetail.objects.filter(person=person).count() == 2
    assert Identifier.objects.filter(person=person).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, person_id=person.pk).exists()


@pytest.mark.parametrize("name", EDIT_URLS)
def test_owning_team_changes_the_record(people_world, name):
    person = people_world.people.known
    response = client_for(people_world, "owner").post(reverse(name, args=[person.pk]), EDIT_URLS[name])
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, person_id=person.pk, user=people_world.owner).exists()
