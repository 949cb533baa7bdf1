"""Adding people: an existing person the user may see, or a new (possibly anonymous) person."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Participant
from saferhub.cases.tests.factories import CaseFactory, ParticipantFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people.models import Person


@pytest.fixture
def world(db):
    return build_world()


def _url(name, case):
    return reverse(name, kwargs={"reference": case.reference})


def test_search_finds_only_people_the_user_may_see(client, world):
    mine = CaseFactory(owning_team=world.owner_team, case_type=world.case_type)
    visible = ParticipantFactory(case=mine, person__first_name="Yolanda", person__last_name="Madeup").person
    hidden_case = CaseFactory(owning_team=world.police_team, case_type=world.case_type)
    hidden = ParticipantFactory(case=hidden_case, person__first_name="Yolanda", person__last_name="Secretperson").person
    client.force_login(world.owner)
    response = client.get(_url("cases:add-participant", world.case), {"q": "yolanda"})
    page = response.content.decode()
    assert visible.display_name in page
    assert hidden.display_name not in page
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, detail__text="yolanda").exists()

    client.post(_url("cases:add-participant", world.case), {"person": visible.pk, "role": "witness"})
    assert Participant.objects.filter(case=world.case, person=visible, role="witness").exists()


def test_a_hidden_person_cannot_be_added_by_posting_their_id(client, world):
    hidden_case = CaseFactory(owning_team=world.police_team, case_type=world.case_type)
    hidden = ParticipantFactory(case=hidden_case).person
    client.force_login(world.owner)
    response = client.post(_url("cases:add-participant", world.case), {"person": hidden.pk, "role": "witness"})
    assert response.status_code == 200
    assert "Choose a person from the list" in response.content.decode()
    assert not Participant.objects.filter(case=world.case).exists()


def test_new_person_with_ethnicity_code(client, world):
    ReferenceCode.objects.create(
        partnership=world.partnership, code_list=ReferenceList.ETHNICITY, code="W1", label="Invented label W1"
    )
    client.force_login(world.owner)
    assert "Invented label W1" in client.get(_url("cases:add-new-participant", world.case)).content.decode()
    response = client.post(
        _url("cases:add-new-participant", world.case),
        {
            "first_name": "Ignatius",
            "last_name": "Notreal",
            "age": "34",
            "gender": "male",
            "ethnicity": "W1",
            "role": "subject",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(first_name="Ignatius")
    assert person.partnership == world.partnership
    assert person.age == 34 and person.age_recorded_on is not None
    assert person.ethnicity == "W1"
    assert Participant.objects.filter(case=world.case, person=person, role="subject").exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, person_id=person.pk).exists()


def test_anonymous_person_is_allowed(client, world):
    client.force_login(world.owner)
    response = client.post(_url("cases:add-new-participant", world.case), {"role": "direct_victim"})
    assert response.status_code == 302
    person = Participant.objects.get(case=world.case).person
    assert person.first_name == "" and person.last_name == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_of_birth": "2000-01-01", "age": "30"}, "Give either a date of birth or an age, not both"),
        ({"date_of_birth": "2099-01-01"}, "Date of birth must be in the past"),
        ({"date_of_birth": "2999-01-01"}, "Enter date of birth between 1 January 1900 and 31 December 2100"),
        ({"age": "400"}, "must be 120 or less"),
        ({"ethnicity": "NOT-A-CODE"}, "Select one of the options listed"),
        ({"role": ""}, "Choose the person’s role in the case"),
    ],
)
def test_bad_new_person_input_writes_nothing(client, world, data, message):
    client.force_login(world.owner)
    values = {"first_name": "Invented", "role": "witness", **data}
    people = Person.objects.count()
    response = client.post(_url("cases:add-new-participant", world.case), values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == people
    assert not Participant.objects.filter(case=world.case).exists()
