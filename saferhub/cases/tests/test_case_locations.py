"""Places on a case: added with ward and LSOA by the owning team, removed again, audited."""

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditEvent
from saferhub.cases.models import CaseLocation
from saferhub.cases.tests.factories import CaseFactory, CaseShareFactory
from saferhub.places.models import Location, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def owner(case):
    return UserFactory(team=case.owning_team)


def add_url(case):
    return reverse("cases:add-location", kwargs={"reference": case.reference})


def test_owner_adds_a_location_with_ward_and_lsoa(client, case, owner):
    ward = Ward.objects.create(partnership=case.partnership, name="Riverside")
    client.force_login(owner)
    response = client.post(
        add_url(case),
        {
            "address": "Footpath behind 12 Example Row",
            "postcode": "en51aa",
            "ward": ward.pk,
            "lsoa": "e01000123",
            "description": "Where the incident happened",
        },
    )
    assert response.status_code == 302
    link = CaseLocation.objects.get(case=case)
    assert (link.location.postcode, link.location.lsoa, link.location.ward) == ("EN5 1AA", "E01000123", ward)
    assert link.location.partnership == case.partnership
    assert AuditEvent.objects.filter(case_id=case.pk, detail__location_added=link.location.pk).exists()
    page = client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()
    assert "Footpath behind 12 Example Row" in page and "Riverside ward" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"address": ""}, "Enter the address or a description of the place"),
        ({"address": "Park", "postcode": "NOT A CODE"}, "Enter a real postcode"),
        ({"address": "Park", "lsoa": "X123"}, "Enter an LSOA code like E01000123"),
    ],
)
def test_bad_input_is_named_and_nothing_written(client, case, owner, data, message):
    client.force_login(owner)
    response = client.post(add_url(case), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content and "govuk-error-summary" in content
    assert not Location.objects.exists()


def test_wards_of_other_partnerships_are_refused(client, case, owner):
    elsewhere = Ward.objects.create(partnership=UserFactory().partnership, name="Elsewhere")
    client.force_login(owner)
    response = client.post(add_url(case), {"address": "Park", "ward": elsewhere.pk})
    assert response.status_code == 200 and not Location.objects.exists()


def test_remove_location(client, case, owner):
    client.force_login(owner)
    client.post(add_url(case), {"address": "Bus shelter on Example Road"})
    link = CaseLocation.objects.get(case=case)
    url = reverse("cases:remove-location", kwargs={"reference": case.reference, "pk": link.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not CaseLocation.objects.exists()
    assert Location.objects.count() == 1  # kept for the audit trail


@pytest.mark.parametrize(
    ("who", "expected"),
    [("colleague", 404), ("other_agency", 404), ("shared", 403), ("analyst", 404), ("anonymous", 302)],
)
def test_only_the_owning_team_changes_locations(client, case, who, expected):
    shared_team = TeamFactory(agency=AgencyFactory(partnership=case.partnership))
    CaseShareFactory(case=case, agency=shared_team.agency)
    users = {
        "colleague": lambda: UserFactory(team=TeamFactory(agency=case.owning_team.agency)),
        "other_agency": lambda: UserFactory(team=TeamFactory(agency=AgencyFactory(partnership=case.partnership))),
        "shared": lambda: UserFactory(team=shared_team),
        "analyst": lambda: UserFactory(team=case.owning_team, roles=[Role.ANALYST]),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    assert client.get(add_url(case)).status_code == expected
    assert client.post(add_url(case), {"address": "Anywhere"}).status_code == expected
    assert not Location.objects.exists()
