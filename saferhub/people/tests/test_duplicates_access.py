"""Who may use the duplicates queue, compare two records, merge them and undo a merge.

Data managers (team managers) only, and only for pairs where they may see both records: a pair
with someone only in a restricted case is not revealed to a manager not named on it.
"""

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.tests.referral_world import client_for
from saferhub.people import actions
from saferhub.people.models import DuplicateStatus, Person, PersonMerge
from saferhub.people.tests.duplicates_world import build_duplicates_world

# The secret pair: one record only in a restricted case on which `manager` is named.
PAIR_EXPECTED = {
    "manager": 200,
    "restricted_outsider": 404,
    "other_manager": 404,
    "owner": 404,
    "colleague": 404,
    "other_agency": 404,
    "shared": 404,
    "analyst": 404,
    "anonymous": 302,
}
QUEUE_EXPECTED = {
    who: 200 if who.endswith("manager") or who == "restricted_outsider" else s for who, s in PAIR_EXPECTED.items()
}


@pytest.fixture
def world(db):
    return build_duplicates_world()


def _merge(world):
    people = world.people
    return actions.merge_people(
        world.manager, people.quinn, people.quin, kept_version=people.quinn.version, merged_version=people.quin.version
    )


@pytest.mark.parametrize(("who", "status"), QUEUE_EXPECTED.items())
def test_queue_lists_only_pairs_the_user_may_see_both_of(world, who, status):
    response = client_for(world, who).get(reverse("people:duplicates"))
    assert response.status_code == status
    if status != 200:
        return
    shown = {candidate.pk for candidate, _, _ in response.context["rows"]}
    expected = {
        "manager": {world.visible_pair.pk, world.secret_pair.pk},
        "restricted_outsider": {world.visible_pair.pk},
        "other_manager": set(),
    }[who]
    assert shown == expected
    body = response.content.decode()
    assert ("Testquin Yarow" in body) == (who == "manager")


@pytest.mark.parametrize(("who", "status"), PAIR_EXPECTED.items())
def test_compare_page(world, who, status):
    response = client_for(world, who).get(reverse("people:duplicate", args=[world.secret_pair.pk]))
    assert response.status_code == status
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEW, person_id=world.people.quin.pk).exists()
    assert viewed == (status == 200)


@pytest.mark.parametrize(("who", "status"), PAIR_EXPECTED.items())
def test_merge_and_dismiss_are_refused_to_outsiders(world, who, status):
    people = world.people
    client = client_for(world, who)
    data = {"keep": "a", "version_a": people.quinn.version, "version_b": people.quin.version}
    merged = client.post(reverse("people:duplicate", args=[world.secret_pair.pk]), data)
    if who == "manager":
        assert merged.status_code == 302
        assert PersonMerge.objects.filter(kept=people.quinn, merged=people.quin).exists()
        return
    assert merged.status_code == (302 if who == "anonymous" else 404)
    dismissed = client.post(reverse("people:duplicate-dismiss", args=[world.secret_pair.pk]))
    assert dismissed.status_code == (302 if who == "anonymous" else 404)
    world.secret_pair.refresh_from_db()
    assert world.secret_pair.status == DuplicateStatus.OPEN
    assert not PersonMerge.objects.exists()
    assert Person.objects.get(pk=people.quin.pk).archived_at is None


@pytest.mark.parametrize(("who", "status"), PAIR_EXPECTED.items())
def test_merge_record_and_undo(world, who, status):
    merge = _merge(world)
    client = client_for(world, who)
    assert client.get(reverse("people:merge", args=[merge.pk])).status_code == status
    undo = client.post(reverse("people:merge-undo", args=[merge.pk]), {"version": merge.version})
    merge.refresh_from_db()
    if who == "manager":
        assert undo.status_code == 302 and merge.is_undone
    else:
        assert undo.status_code == (302 if who == "anonymous" else 404)
        assert not merge.is_undone


def test_queue_query_count(world, django_assert_max_num_queries):
    client = client_for(world, "manager")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("people:duplicates"))
    assert response.status_code == 200


def test_search_page_links_to_the_queue_for_managers_only(world):
    link = reverse("people:duplicates")
    assert link in client_for(world, "manager").get(reverse("people:search")).content.decode()
    assert link not in client_for(world, "owner").get(reverse("people:search")).content.decode()
