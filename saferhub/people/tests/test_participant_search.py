"""Adding a person to a case: each result shows date of birth, age, address and the cases the user may see;
the role has no default; a likely duplicate is shown before a new person is made."""

import pytest
from django.urls import reverse

from saferhub.cases.models import Participant, ParticipantRole
from saferhub.cases.tests.factories import CaseFactory, ParticipantFactory, RestrictedCaseFactory
from saferhub.cases.tests.referral_world import client_for
from saferhub.people.models import ContactDetail, ContactKind, DuplicateCandidate, Person
from saferhub.people.tests.duplicates_world import build_duplicates_world


@pytest.fixture
def world(db):
    world = build_duplicates_world()
    # The case people are added to, owned by the Victim Care Hub.
    world.target = CaseFactory(owning_team=world.vch, case_type=world.case_type, title="Testcase target")
    ContactDetail.objects.create(person=world.people.twin, kind=ContactKind.ADDRESS, value="9 Testmoor Road")
    return world


def test_results_show_date_of_birth_age_address_and_visible_cases_only(world, django_assert_max_num_queries):
    people = world.people
    restricted = RestrictedCaseFactory(owning_team=world.vch, case_type=world.case_type, named=[world.manager])
    ParticipantFactory(case=restricted, person=people.twin)
    client = client_for(world, "owner")
    url = reverse("cases:add-participant", args=[world.target.reference])
    with django_assert_max_num_queries(30):
        response = client.get(url, {"q": "Testolivia Zedwick"})
    body = response.content.decode()
    summaries = {s.person: s for s in response.context["results"]}
    assert set(summaries) >= {people.known, people.twin}
    twin = summaries[people.twin]
    assert "14 June 1988" in body and f"(age {twin.age})" in body
    assert "9 Testmoor Road" in body
    assert "1 Testrefuge Way" in body  # the owner's team owns known's case: the confidential address shows
    assert people.vch_case.reference in body
    assert [part.case for part in twin.cases] == [people.vch_case]  # the restricted case is not revealed
    assert restricted.reference not in body
    # A misspelt name still finds them.
    misspelt = client.get(url, {"q": "Olivia Zedwik"}).context["results"]
    assert people.known in [s.person for s in misspelt]


def test_confidential_address_stays_with_the_owning_team(world):
    client = client_for(world, "shared")  # Housing: the case is shared with them, but not theirs
    url = reverse("cases:add-participant", args=[world.target.reference])
    body = client.get(url, {"q": "Zedwick"}).content.decode()
    assert "1 Testrefuge Way" not in body  # either refused (not their case to edit) or hidden


def test_the_role_has_no_default_and_must_be_chosen(world):
    client = client_for(world, "owner")
    url = reverse("cases:add-participant", args=[world.target.reference])
    page = client.get(url, {"q": "Zedwick"}).content.decode()
    assert '<option value="" selected>Choose a role</option>' in page
    response = client.post(url, {"person": world.people.known.pk})
    assert response.status_code == 200
    assert "Choose the person’s role in the case" in response.content.decode()
    assert not Participant.objects.filter(case=world.target).exists()
    new_url = reverse("cases:add-new-participant", args=[world.target.reference])
    response = client.post(new_url, {"first_name": "Testnew", "last_name": "Person"})
    assert "Choose the person’s role in the case" in response.content.decode()
    assert not Person.objects.filter(first_name="Testnew").exists()
    response = client.post(url, {"person": world.people.known.pk, "role": ParticipantRole.WITNESS})
    assert response.status_code == 302
    assert Participant.objects.filter(case=world.target, person=world.people.known, role="witness").exists()


def test_a_likely_duplicate_is_shown_before_a_new_person_is_made(world):
    client = client_for(world, "owner")
    url = reverse("cases:add-new-participant", args=[world.target.reference])
    data = {
        "first_name": "Olivia",
        "last_name": "Zedwick",
        "date_of_birth": "1988-06-14",
        "role": ParticipantRole.INDIRECT_VICTIM,
    }
    count = Person.objects.count()
    warned = client.post(url, data)
    assert warned.status_code == 200
    assert {s.person for s in warned.context["duplicates"]} >= {world.people.known}
    assert "may be the person you are adding" in warned.content.decode()
    assert Person.objects.count() == count
    # They are someone else: the form, sent again, adds a new person (and queues the pair for review).
    confirmed = client.post(url, {**data, "confirmed_new": "True"})
    assert confirmed.status_code == 302
    new = Person.objects.get(first_name="Olivia")
    assert Participant.objects.filter(case=world.target, person=new, role="indirect_victim").exists()
    assert DuplicateCandidate.objects.filter(person_a=world.people.known, person_b=new).exists()
