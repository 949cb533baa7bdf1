"""Person search and the person page run a bounded number of queries."""

import pytest
from django.urls import reverse

from saferhub.cases.tests.factories import CaseFactory, ParticipantFactory
from saferhub.cases.tests.referral_world import client_for
from saferhub.people.models import Alias, ContactDetail, Identifier
from saferhub.people.tests.factories import PersonFactory
from saferhub.people.tests.people_world import build_people_world


@pytest.fixture
def people_world(db):
    return build_people_world()


def test_search_is_bounded(people_world, django_assert_max_num_queries):
    w = people_world
    case = CaseFactory(owning_team=w.vch, case_type=w.case_type)
    for n in range(40):
        person = PersonFactory(partnership=w.partnership, last_name=f"Zedwick{n}")
        ParticipantFactory(case=case, person=person)
        Alias.objects.create(person=person, name=f"Testalias{n}")
    client = client_for(w, "owner")
    client.get(reverse("people:search"), {"q": "Zedwick"})
    with django_assert_max_num_queries(14):
        response = client.get(reverse("people:search"), {"q": "Zedwick"})
    assert response.context["page_obj"].paginator.count == 42
    assert len(response.context["page_obj"]) == 25


def test_detail_is_bounded(people_world, django_assert_max_num_queries):
    w = people_world
    person = w.people.known
    for n in range(10):
        ParticipantFactory(case=CaseFactory(owning_team=w.vch, case_type=w.case_type), person=person)
        Alias.objects.create(person=person, name=f"Testalias{n}")
        Identifier.objects.create(person=person, system="Test", value=f"T{n}")
        ContactDetail.objects.create(person=person, kind="phone", value=f"07700 9000{n:02d}", confidential=bool(n % 2))
    client = client_for(w, "owner")
    client.get(reverse("people:detail", args=[person.pk]))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("people:detail", args=[person.pk]))
    assert len(response.context["participations"]) == 11
