"""Making a referral: who it may go to, who it comes from, and the person referred."""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Referral, ReferralSource
from saferhub.cases.tests.factories import ParticipantFactory
from saferhub.cases.tests.referral_world import build_world, client_for
from saferhub.people.models import Person
from saferhub.people.tests.factories import PersonFactory


@pytest.fixture
def world(db):
    return build_world()


def _data(world, **overrides):
    data = {
        "to_team": world.vch.pk,
        "case_type": world.case_type.pk,
        "source": ReferralSource.AGENCY,
        "from_agency": world.council.pk,
        "reason": "Anti-social behaviour in the stairwell; asks for support.",
        "consent_given": "unknown",
    }
    data.update(overrides)
    return data


def _post(world, who="colleague", **overrides):
    return client_for(world, who).post(reverse("cases:referral-create"), _data(world, **overrides))


def test_form_defaults_to_own_agency_and_lists_only_teams_taking_referrals(world):
    response = client_for(world, "colleague").get(reverse("cases:referral-create"))
    form = response.context["form"]
    assert form["from_agency"].value() == world.council.pk
    teams = set(form.fields["to_team"].queryset)
    assert world.vch in teams and world.police_team in teams
    assert world.closed_team not in teams
    assert response.content.decode().count("<h1") == 1


def test_cannot_refer_to_a_team_that_takes_no_referrals(world):
    response = _post(world, to_team=world.closed_team.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["to_team"]
    assert not Referral.objects.exists()


def test_agency_referral_records_the_users_team(world):
    _post(world)
    referral = Referral.objects.get()
    assert referral.from_agency == world.council
    assert referral.from_team == world.cst
    assert referral.source_display == str(world.cst)
    assert referral.person is None


def test_recording_another_agencys_referral_does_not_name_my_team(world):
    _post(world, from_agency=world.police.pk, referrer_name="PC Testperson", referrer_contact="101 ext 0000")
    referral = Referral.objects.get()
    assert referral.from_agency == world.police
    assert referral.from_team is None
    assert referral.referrer_name == "PC Testperson"


def test_self_referral_taken_by_phone(world):
    _post(world, source=ReferralSource.SELF, referrer_name="Testa Caller", referrer_contact="07700 900000")
    referral = Referral.objects.get()
    assert referral.source == ReferralSource.SELF
    assert referral.from_agency is None
    assert referral.source_display == "Self-referral"
    assert referral.referrer_contact == "07700 900000"


def test_anonymous_referral_cannot_name_the_referrer(world):
    response = _post(world, source=ReferralSource.ANONYMOUS, referrer_name="Testa Caller")
    assert "An anonymous referral has no referrer’s name" in response.content.decode()
    assert not Referral.objects.exists()


def test_reason_is_required_and_nothing_is_written(world):
    response = _post(world, reason="", first_name="Testnew")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Referral.objects.exists()
    assert not Person.objects.exists()


def test_new_person_is_created_with_an_audit_row(world):
    _post(world, first_name="Testnew", last_name="Person", age="34", date_of_birth="")
    person = Referral.objects.get().person
    assert (person.first_name, person.last_name, person.age) == ("Testnew", "Person", 34)
    assert person.age_recorded_on is not None
    assert person.created_by == world.colleague
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, person_id=person.pk).exists()


def test_future_date_of_birth_is_refused(world):
    response = _post(world, first_name="Testnew", date_of_birth="2999-01-01")
    assert "Date of birth must be today or in the past" in response.content.decode()
    assert not Referral.objects.exists()


def test_existing_person_visible_to_the_user(world):
    part = ParticipantFactory(case__owning_team=world.cst, case__case_type=world.case_type)
    url = reverse("cases:referral-create") + f"?person={part.person.pk}"
    page = client_for(world, "colleague").get(url).content.decode()
    assert part.person.display_name in page
    _post(world, person=part.person.pk)
    assert Referral.objects.get().person == part.person
    assert Person.objects.count() == 1


def test_existing_person_the_user_cannot_see_is_refused(world):
    hidden = PersonFactory(partnership=world.partnership, first_name="Testhidden")
    ParticipantFactory(person=hidden, case__owning_team=world.police_team, case__case_type=world.case_type)
    page = (
        client_for(world, "colleague").get(reverse("cases:referral-create") + f"?person={hidden.pk}").content.decode()
    )
    assert "Testhidden" not in page
    response = _post(world, person=hidden.pk)
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_existing_person_and_new_details_together_are_refused(world):
    part = ParticipantFactory(case__owning_team=world.cst, case__case_type=world.case_type)
    response = _post(world, person=part.person.pk, first_name="Testother")
    assert "Choose an existing person or enter a new person’s details, not both." in response.content.decode()
    assert not Referral.objects.exists()
