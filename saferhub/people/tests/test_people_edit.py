"""Changing a person's record: each change its own page, validated, audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.tests.referral_world import client_for
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people.models import Alias, ContactDetail, Identifier
from saferhub.people.tests.people_world import build_people_world


@pytest.fixture
def people_world(db):
    return build_people_world()


def _edit_data(**overrides):
    data = {
        "first_name": "Testolivia",
        "last_name": "Zedwick",
        "date_of_birth": "",
        "age": "",
        "gender": "female",
        "ethnicity": "",
        "disability": "unknown",
        "first_language": "",
        "version": "1",  # the person as created: never saved since
    }
    data.update(overrides)
    return data


def test_edit_saves_demographics_with_an_audit_row(people_world):
    person = people_world.people.known
    response = client_for(people_world, "owner").post(
        reverse("people:edit", args=[person.pk]),
        _edit_data(date_of_birth="1990-04-01", first_language="Testlandic", interpreter_needed="on", disability="yes"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.date_of_birth == datetime.date(1990, 4, 1)
    assert person.first_language == "Testlandic"
    assert person.interpreter_needed is True
    assert person.disability == "yes"
    assert person.modified_by == people_world.owner
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, person_id=person.pk)
    assert event.detail["fields"] == ["date_of_birth", "disability", "first_language", "gender", "interpreter_needed"]


def test_age_is_dated_when_recorded(people_world):
    person = people_world.people.known
    client_for(people_world, "owner").post(reverse("people:edit", args=[person.pk]), _edit_data(age="41"))
    person.refresh_from_db()
    assert person.age == 41
    assert person.age_recorded_on == timezone.localdate()


def test_bad_input_writes_nothing(people_world):
    person = people_world.people.known
    response = client_for(people_world, "owner").post(
        reverse("people:edit", args=[person.pk]), _edit_data(first_name="Testchanged", date_of_birth="2999-01-01")
    )
    assert response.status_code == 200
    assert "Date of birth must be today or in the past" in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Testolivia"
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_ethnicity_is_chosen_from_the_partnerships_codes(people_world):
    ReferenceCode.objects.create(
        partnership=people_world.partnership,
        code_list=ReferenceList.ETHNICITY,
        code="other_any",
        label="Any other",
        group="Other",
    )
    person = people_world.people.known
    client = client_for(people_world, "owner")
    assert client.post(reverse("people:edit", args=[person.pk]), _edit_data(ethnicity="made_up")).status_code == 200
    client.post(reverse("people:edit", args=[person.pk]), _edit_data(ethnicity="other_any"))
    person.refresh_from_db()
    assert person.ethnicity == "other_any"
    assert "Any other" in client.get(reverse("people:detail", args=[person.pk])).content.decode()


def test_add_confidential_contact_detail_keeps_the_value_out_of_the_audit_trail(people_world):
    person = people_world.people.known
    client_for(people_world, "owner").post(
        reverse("people:add-contact", args=[person.pk]),
        {"kind": "address", "value": "2 Testsafe Close", "confidential": "on"},
    )
    detail = ContactDetail.objects.get(value="2 Testsafe Close")
    assert detail.confidential is True
    assert detail.safe_to_contact is False  # unticked box
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, person_id=person.pk)
    assert "Testsafe" not in str(event.detail) and event.detail["confidential"] is True


def test_add_alias_and_identifier(people_world):
    person = people_world.people.known
    client = client_for(people_world, "owner")
    client.post(reverse("people:add-alias", args=[person.pk]), {"name": "Testolly"})
    client.post(reverse("people:add-identifier", args=[person.pk]), {"system": "NHS", "value": "TEST-123"})
    assert set(Alias.objects.filter(person=person).values_list("name", flat=True)) == {"Testlivvy", "Testolly"}
    assert Identifier.objects.filter(person=person, system="NHS", value="TEST-123").exists()
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, person_id=person.pk).count() == 2


def test_duplicate_identifier_is_refused(people_world):
    person = people_world.people.known
    response = client_for(people_world, "owner").post(
        reverse("people:add-identifier", args=[person.pk]), {"system": "Police", "value": "TP-000111"}
    )
    assert response.status_code == 200
    assert "This person already has that identifier." in response.content.decode()
    assert Identifier.objects.filter(person=person).count() == 1


def test_required_fields_are_named(people_world):
    person = people_world.people.known
    response = client_for(people_world, "owner").post(reverse("people:add-alias", args=[person.pk]), {"name": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and page.count("<h1") == 1
    assert Alias.objects.filter(person=person).count() == 1
