"""The IOM officer's journey through the pages, each change audited, and the rules the actions keep."""

import datetime

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.cases.models import CaseStatus
from saferhub.iom.models import CohortStay, Contact, Offence, PlanItem, RagStatus
from saferhub.iom.tests.world import adopt, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_an_iom_officer_adopts_a_person_and_records_the_plan_rag_offences_and_contacts(world):
    client = client_for(world, "owner")
    response = client.post(
        "/iom/adopt/",
        {
            "first_name": "Testa",
            "last_name": "Rosslyn",
            "date_of_birth": "2004-05-06",
            "gender": "male",
            "ethnicity": "white_british",
            "adopted_on": "2024-01-15",
            "cohort": "fixed",
            "management": "statutory",
            "selection_reason": "Repeat robbery on licence",
            "lead_agency": world.probation.pk,
            "offender_manager": world.manager.pk,
            "rag": "red",
        },
    )
    stay = CohortStay.objects.get(person__last_name="Rosslyn")
    assert response.status_code == 302 and response.url == f"/iom/stays/{stay.pk}/"
    assert stay.case.case_type.code == "iom" and stay.case.owning_team == world.iom
    assert stay.turns_adult_within() is False
    url = f"/iom/stays/{stay.pk}/"
    assert client.post(url + "rag/", {"rag": "blue", "on": "2024-02-01", "note": "Remanded"}).status_code == 302
    assert client.post(url + "plan/", {"pathway": "accommodation", "action": "Hostel place", "status": "referred",
                                       "referred_to": "Testshire Homes", "referred_on": "2024-01-20"}).status_code == 302  # fmt: skip
    assert client.post(url + "offences/", {"offence_date": "2024-03-01", "offence_group": "robbery",
                                           "charged": "yes"}).status_code == 302  # fmt: skip
    assert client.post(url + "contacts/", {"contacted_on": "2024-03-02", "kind": "home_visit"}).status_code == 302
    item = PlanItem.objects.get(stay=stay)
    done = {"pathway": "accommodation", "action": "Hostel place", "status": "completed", "referred_to": "Testshire Homes",
            "referred_on": "2024-01-20", "outcome": "positive", "version": item.version}  # fmt: skip
    assert client.post(url + f"plan/{item.pk}/", done).status_code == 302
    item.refresh_from_db()
    assert item.completed_on is not None and item.outcome == "positive"
    assert list(RagStatus.objects.filter(stay=stay).values_list("rag", flat=True)) == ["blue", "red"]
    assert Offence.objects.get(person=stay.person).offence_group == "robbery"
    assert Contact.objects.filter(stay=stay).count() == 1
    page = client.get(url).content.decode()
    for text in (
        "Hostel place",
        "Blue (in custody or on remand)",
        "Robbery",
        "Home visit",
        "Repeat robbery on licence",
    ):
        assert text in page
    # Every view and change is in the audit trail of the case.
    assert AuditEvent.objects.filter(case_id=stay.case_id).count() >= 7

    stay.refresh_from_db()
    response = client.post(
        url + "deselect/", {"left_on": "2024-06-30", "reason": "reduced_risk", "version": stay.version}
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    stay.case.refresh_from_db()
    assert stay.left_on == datetime.date(2024, 6, 30) and stay.case.status == CaseStatus.CLOSED
    # A stay that has ended records nothing more.
    assert client.get(url + "rag/").status_code == 403


def test_errors_name_the_field_and_what_to_do(world):
    client = client_for(world, "owner")
    response = client.post("/iom/adopt/", {"first_name": "Testa"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["last_name"] == ["Enter the last name"]
    assert errors["adopted_on"] == ["Enter the date adopted into the cohort"]
    assert errors["cohort"] == ["Choose the cohort"]
    stay = adopt(world, adopted_on=datetime.date(2024, 1, 10))
    response = client.post(f"/iom/stays/{stay.pk}/rag/", {"rag": "green", "on": "2023-12-01"})
    assert "on or after the day the person joined" in response.context["form"].errors["on"][0]


def test_a_person_already_in_the_cohort_cannot_be_adopted_twice(world):
    stay = adopt(world)
    client = client_for(world, "owner")
    response = client.post(
        f"/iom/adopt/?person={stay.person_id}",
        {"adopted_on": "2024-01-15", "cohort": "flex", "management": "statutory", "selection_reason": "Again",
         "rag": "red"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "already in the cohort" in str(response.context["form"].errors)


def test_transition_flag_for_an_18th_birthday_within_the_cohort(world):
    from saferhub.people.tests.factories import PersonFactory

    young = PersonFactory(partnership=world.partnership, date_of_birth=datetime.date(2006, 3, 1))
    stay = adopt(world, person=young, adopted_on=datetime.date(2023, 9, 1))
    assert stay.turns_adult_within()
    page = client_for(world, "owner").get(f"/iom/stays/{stay.pk}/").content.decode()
    assert "Youth to adult transition" in page


def test_overdue_contact_follows_the_rag_setting(world):
    old = datetime.date.today() - datetime.timedelta(days=10)
    stay = adopt(world, adopted_on=old, rag="green")
    page = client_for(world, "owner").get("/iom/").content.decode()
    assert "Overdue" in page
    Contact.objects.create(stay=stay, contacted_on=datetime.date.today(), kind="phone")
    page = client_for(world, "owner").get("/iom/").content.decode()
    assert "Overdue" not in page
