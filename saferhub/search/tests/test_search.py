"""Search everywhere: what each kind of user finds from the header, and that every search is audited."""

import datetime

import pytest
from django.urls import reverse

from saferhub.asb.models import CaseReview, Incident
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Participant, ParticipantRole
from saferhub.cases.tests.factories import ReferralFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.directory.models import Service
from saferhub.people.models import Alias, Identifier
from saferhub.people.tests.factories import PersonFactory
from saferhub.search.engine import Query

pytestmark = pytest.mark.django_db
URL = "/search/"


@pytest.fixture
def world():
    w = build_world()
    w.person = PersonFactory(
        partnership=w.partnership,
        first_name="Marigold",
        last_name="Pennyworth",
        date_of_birth=datetime.date(1990, 12, 4),
    )
    Participant.objects.create(case=w.case, person=w.person, role=ParticipantRole.DIRECT_VICTIM)
    w.hidden = PersonFactory(partnership=w.partnership, first_name="Evander", last_name="Quillfeather")
    Participant.objects.create(case=w.restricted_case, person=w.hidden, role=ParticipantRole.DIRECT_VICTIM)
    return w


def _user(world, who):
    return {
        "owner": world.owner,
        "colleague": world.colleague,
        "other_agency": world.other_agency,
        "shared": world.shared,
        "restricted_outsider": world.teammate,
        "analyst": world.analyst,
    }.get(who)


def _search(client, world, who, text):
    user = _user(world, who)
    if user is not None:
        client.force_login(user)
    return client.get(URL, {"q": text})


@pytest.mark.parametrize(
    ("who", "finds_case", "finds_person", "finds_restricted"),
    [
        ("owner", True, True, True),
        ("colleague", False, False, False),
        ("other_agency", False, False, False),
        ("shared", True, True, False),
        ("restricted_outsider", True, True, False),
        ("analyst", False, False, False),
    ],
)
def test_each_user_finds_only_what_they_may_see(client, world, who, finds_case, finds_person, finds_restricted):
    by_reference = _search(client, world, who, "wld-2024-00001").content.decode()
    assert ("Invented case one" in by_reference) is finds_case
    by_name = _search(client, world, who, "Marigold Pennyworth").content.decode()
    assert (reverse("people:detail", args=[world.person.pk]) in by_name) is finds_person
    restricted = _search(client, world, who, "WLD-2024-00002").content.decode()
    assert ("Invented restricted case" in restricted) is finds_restricted
    hidden_person = _search(client, world, who, "Quillfeather").content.decode()
    assert (reverse("people:detail", args=[world.hidden.pk]) in hidden_person) is finds_restricted


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL, {"q": "Pennyworth"})
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_person_by_date_of_birth_alias_and_identifier(client, world):
    Alias.objects.create(person=world.person, name="Goldie Penn")
    Identifier.objects.create(person=world.person, system="Police", value="PNC-77-123")
    client.force_login(world.owner)
    person_url = reverse("people:detail", args=[world.person.pk])
    for text in ("4/12/1990", "4 December 1990", "1990-12-04", "Goldie", "PNC-77-123"):
        assert person_url in client.get(URL, {"q": text}).content.decode(), text


def test_a_misspelt_name_finds_the_person_and_their_cases(client, world):
    client.force_login(world.owner)
    page = client.get(URL, {"q": "Marigold Penyworth"}).content.decode()
    assert reverse("people:detail", args=[world.person.pk]) in page
    assert reverse("cases:detail", args=[world.case.reference]) in page


def test_a_reference_prefix_finds_the_cases_it_starts(client, world):
    client.force_login(world.owner)
    page = client.get(URL, {"q": "WLD-2024"}).content.decode()
    assert "WLD-2024-00001" in page and "WLD-2024-00002" in page
    assert "WLD-2024-00001" not in client.get(URL, {"q": "WLD-2023"}).content.decode()


def test_referrals_case_reviews_incidents_and_services(client, world):
    referral = ReferralFactory(to_team=world.owner_team, person=world.person, case_type=world.case_type)
    invisible = ReferralFactory(to_team=world.police_team, case_type=world.case_type)
    review = CaseReview.objects.create(
        partnership=world.partnership, reference="CR-2026-00007", owning_team=world.owner_team, applicant_name="Ivo Ash"
    )
    Incident.objects.create(case=world.case, behaviour_on=datetime.date(2026, 3, 1), summary="Fireworks at the bins")
    Service.objects.create(partnership=world.partnership, name="Lanternwell Advocacy", how_to_refer="Phone")
    client.force_login(world.owner)
    assert (
        reverse("cases:referral-detail", args=[referral.pk])
        in client.get(URL, {"q": str(referral.pk)}).content.decode()
    )
    assert f"Referral {invisible.pk} " not in client.get(URL, {"q": str(invisible.pk)}).content.decode()
    assert f"Referral {referral.pk} " in client.get(URL, {"q": "Pennyworth"}).content.decode()
    assert reverse("asb:review", args=[review.reference]) in client.get(URL, {"q": "CR-2026-00007"}).content.decode()
    assert "Fireworks at the bins" in client.get(URL, {"q": "fireworks"}).content.decode()
    assert "Lanternwell Advocacy" in client.get(URL, {"q": "lanternwell"}).content.decode()
    # Another team's caseworker sees none of the owner's records.
    client.force_login(world.other_agency)
    assert "Fireworks" not in client.get(URL, {"q": "fireworks"}).content.decode()
    assert "Case Review CR-2026-00007" not in client.get(URL, {"q": "CR-2026-00007"}).content.decode()


def test_every_search_is_audited_with_its_query(client, world):
    client.force_login(world.owner)
    client.get(URL, {"q": "Pennyworth"})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, user=world.owner)
    assert event.detail["query"] == "Pennyworth"
    assert event.detail["results"]["people"] == 1
    assert event.detail["results"]["cases"] == 1


def test_an_empty_or_too_long_search_reads_nothing(client, world):
    client.force_login(world.owner)
    assert client.get(URL).status_code == 200
    response = client.get(URL, {"q": "x" * 101})
    assert "Search must be 100 characters or fewer" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_the_header_search_box_is_on_signed_in_pages(client, world):
    client.force_login(world.owner)
    assert 'id="header-search"' in client.get(reverse("cases:list")).content.decode()


def test_query_reading():
    assert Query.parse("asb-2026-00012").reference == "ASB-2026-00012"
    assert Query.parse("asb-2026").reference_prefix == "ASB-2026"
    assert Query.parse("172").number == 172
    assert Query.parse("4 Dec 1990").date == datetime.date(1990, 12, 4)
    assert Query.parse("  Ann   Smith ").text == "Ann Smith"
    assert Query.parse("Ann Smith").is_words


def test_the_search_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.owner)
    client.get(URL, {"q": "Pennyworth"})
    with django_assert_max_num_queries(30):
        client.get(URL, {"q": "Pennyworth"})
