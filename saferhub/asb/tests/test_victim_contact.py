"""Each victim has a single point of contact (2025 guidance): their own, else the case's contact officer."""

import pytest
from django.urls import reverse

from saferhub.asb import actions
from saferhub.asb.models import Channel, VictimContact
from saferhub.asb.tests.world import build_world
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Participant, ParticipantRole
from saferhub.people.tests.factories import PersonFactory


@pytest.fixture
def world(db):
    w = build_world()
    w.victim_row = Participant.objects.get(case=w.case, person=w.victim, role=ParticipantRole.DIRECT_VICTIM)
    w.second = PersonFactory(partnership=w.partnership, first_name="Wren", last_name="Testneighbour")
    w.second_row = actions.case_actions.add_participant(w.owner, w.case, w.second, ParticipantRole.INDIRECT_VICTIM)
    return w


def url(w, participant):
    return reverse("asb:victim-contact", args=[w.case.reference, participant.pk])


def test_victims_default_to_the_case_contact_officer(world):
    default = actions.default_contact(world.asb)
    assert default == world.owner
    for row in actions.victims(world.case):
        assert actions.contact_for(row, default) == world.owner
    assert {row.person for row in actions.victims(world.case)} == {world.victim, world.second}


def test_without_a_case_contact_the_case_officer_is_the_default(world):
    actions.update_asb_details(world.owner, world.asb, single_point_of_contact=None)
    assert actions.default_contact(world.asb) == world.case.assigned_to


def test_a_victim_gets_their_own_contact_shown_on_the_case_page(world, client):
    client.force_login(world.owner)
    response = client.post(url(world, world.second_row), {"officer": world.manager.pk})
    assert response.status_code == 302
    assert VictimContact.objects.get(participant=world.second_row).officer == world.manager
    event = AuditEvent.objects.filter(case_id=world.case.pk, action=AuditAction.UPDATE).latest("pk")
    assert event.detail == {"victim_contact": world.second_row.pk, "officer": world.manager.pk}
    page = client.get(reverse("asb:case", args=[world.case.reference]))
    victims = {v.person.pk: v for v in page.context["victims"]}
    assert victims[world.second.pk].contact == world.manager and victims[world.second.pk].own_contact
    assert victims[world.victim.pk].contact == world.owner and not victims[world.victim.pk].own_contact
    assert "Mo Manager" in page.content.decode()


def test_choosing_the_default_again_removes_the_victims_own(world, client):
    actions.set_victim_contact(world.owner, world.second_row, world.manager)
    client.force_login(world.owner)
    assert client.post(url(world, world.second_row), {"officer": ""}).status_code == 302
    assert not VictimContact.objects.exists()


def test_an_officer_who_cannot_see_the_case_is_refused(world, client):
    client.force_login(world.owner)
    response = client.post(url(world, world.second_row), {"officer": world.other_agency.pk})
    assert response.status_code == 200
    assert "cannot see this case" in response.context["form"].errors["officer"][0]
    assert not VictimContact.objects.exists()


def test_only_victims_have_a_contact(world, client):
    subject_row = Participant.objects.get(case=world.case, person=world.subject)
    client.force_login(world.owner)
    assert client.get(url(world, subject_row)).status_code == 404
    with pytest.raises(ValueError):
        actions.set_victim_contact(world.owner, subject_row, world.owner)


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("shared", 403), ("colleague", 404), ("other_agency", 404), ("analyst", 404)]
)
def test_who_may_change_a_victims_contact(world, client, who, status):
    client.force_login(getattr(world, who))
    assert client.get(url(world, world.victim_row)).status_code == status


def test_the_case_review_page_shows_each_victims_contact(world, client):
    actions.set_victim_contact(world.owner, world.second_row, world.manager)
    review = actions.submit_case_review(
        world.owner, partnership=world.partnership, applicant_name="Wren Testneighbour", channel=Channel.PHONE
    )
    actions.link_case_review(world.owner, review, world.case)
    client.force_login(world.owner)
    response = client.get(reverse("asb:review", args=[review.reference]))
    contacts = {v.person.pk: v.contact for v in response.context["victims"]}
    assert contacts == {world.victim.pk: world.owner, world.second.pk: world.manager}


def test_case_page_queries_do_not_grow_with_victims(world, client, django_assert_max_num_queries):
    for n in range(6):
        person = PersonFactory(partnership=world.partnership, first_name=f"Extra{n}", last_name="Testvictim")
        row = actions.case_actions.add_participant(world.owner, world.case, person, ParticipantRole.DIRECT_VICTIM)
        actions.set_victim_contact(world.owner, row, world.manager)
    client.force_login(world.owner)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("asb:case", args=[world.case.reference])).status_code == 200
