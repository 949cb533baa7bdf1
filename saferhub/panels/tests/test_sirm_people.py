"""A serious incident referral records several people, each as victim, suspect or both."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.panels.models import IncidentPerson
from saferhub.panels.tests.world import build_world, person, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    world = build_world()
    world.victim = person(world, "Tam", "Harrowgate")
    world.referral = refer(
        world,
        world.victim,
        TODAY - datetime.timedelta(days=2),
        panel_type=world.sirm,
        incident_type="knife",
        follow_up_route="sirm",
        people_involved=[(world.victim, "victim")],
    )
    return world


def _client(world, who="coordinator"):
    client = Client()
    client.force_login(world.users[who])
    return client


def _url(world, suffix=""):
    return f"/panels/referrals/{world.referral.pk}/people/add/{suffix}"


def test_add_a_known_person_as_suspect_and_someone_new_as_both(world):
    client = _client(world)
    suspect = person(world, "Rex", "Bramblewick")
    # Known to the panel from an earlier incident, so the coordinator can find him.
    refer(world, suspect, TODAY - datetime.timedelta(days=90), panel_type=world.sirm, incident_type="gun")
    page = client.get(_url(world, "?q=Bramblewick")).content.decode()
    assert f"?person={suspect.pk}" in page
    assert client.get(_url(world, f"?person={suspect.pk}")).status_code == 200
    assert client.post(_url(world, f"?person={suspect.pk}"), {"role": "suspect"}).status_code == 302
    response = client.post(_url(world), {"person_first_name": "Moss", "person_last_name": "Tidewell", "role": "both"})
    assert response.status_code == 302
    involved = {(row.person.last_name, row.role) for row in world.referral.people_involved.select_related("person")}
    assert involved == {("Harrowgate", "victim"), ("Bramblewick", "suspect"), ("Tidewell", "both")}
    detail = client.get(f"/panels/referrals/{world.referral.pk}/").content.decode()
    assert "Victim and suspect" in detail and "Rex Bramblewick" in detail
    assert AuditEvent.objects.filter(detail__person_involved_added__isnull=False).count() == 2


def test_errors_name_what_is_wrong_and_write_nothing(world):
    client = _client(world)
    page = client.post(_url(world), {"person_first_name": "", "person_last_name": ""}).content.decode()
    assert "govuk-error-summary" in page
    assert "Choose whether they are a victim, a suspect or both" in page
    assert "Enter the person&#x27;s first name, last name or both" in page
    page = client.post(_url(world, f"?person={world.victim.pk}"), {"role": "both"}).content.decode()
    assert "Tam Harrowgate is already recorded as involved" in page
    assert IncidentPerson.objects.count() == 1


def test_remove_a_person_involved(world):
    row = world.referral.people_involved.get()
    response = _client(world).post(f"/panels/referrals/{world.referral.pk}/people/{row.pk}/remove/")
    assert response.status_code == 302 and not IncidentPerson.objects.exists()


def test_only_serious_incident_referrals_record_people(world):
    da = refer(world, person(world, "Ula", "Pennycress"), TODAY)
    assert _client(world).get(f"/panels/referrals/{da.pk}/people/add/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("colleague", 404), ("police", 404), ("analyst", 403)])
def test_only_coordinators_change_the_people_involved(world, who, status):
    row = world.referral.people_involved.get()
    client = _client(world, who)
    assert client.post(_url(world), {"person_last_name": "Nobody", "role": "victim"}).status_code == status
    assert client.post(f"/panels/referrals/{world.referral.pk}/people/{row.pk}/remove/").status_code == status
    assert IncidentPerson.objects.count() == 1
