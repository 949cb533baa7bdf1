"""The API exposes nothing the same user could not see on a page.

For each viewer (owner, same-agency colleague, other agency, shared-with agency, restricted
outsider, analyst, anonymous, and a caseworker of another partnership) and each object, the
API answers as the page does: 200 where the page shows it, 404 where the page hides it (never
403, never a hint). Lists hold exactly what the policy gives and nothing of another agency.
"""

import pytest
from django.test import Client

from saferhub.api.tests.world import api_world, client_as
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, RestrictedAccess
from saferhub.victims.tests.world import accepted_referral, new_referral

pytestmark = pytest.mark.django_db

VIEWERS = ["owner", "colleague", "other_agency", "shared", "restricted_outsider", "analyst", "stranger", "anonymous"]


@pytest.fixture
def world():
    world = api_world()
    world.accepted = accepted_referral(world)
    world.pending = new_referral(world)
    world.restricted = accepted_referral(world, shared=False)
    Case.objects.filter(pk=world.restricted.referral.case_id).update(restricted=True)
    RestrictedAccess.objects.create(case=world.restricted.referral.case, user=world.owner)
    return world


def _page(world, who, url):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    # A referral to the hub opens on the hub's page: follow it there.
    return client.get(url, follow=url.startswith("/cases/referrals/")).status_code


# (API path, page path) for each object, built from the world.
def _accepted_case(w):
    ref = w.accepted.referral.case.reference
    return f"cases/{ref}/", f"/cases/{ref}/"


def _restricted_case(w):
    ref = w.restricted.referral.case.reference
    return f"cases/{ref}/", f"/cases/{ref}/"


def _person(w):
    pk = w.accepted.referral.person_id
    return f"people/{pk}/", f"/people/{pk}/"


def _pending_referral(w):
    pk = w.pending.referral_id
    return f"referrals/{pk}/", f"/cases/referrals/{pk}/"


def _accepted_hub(w):
    return f"hub-referrals/{w.accepted.pk}/", f"/victims/referrals/{w.accepted.pk}/"


def _pending_hub(w):
    return f"hub-referrals/{w.pending.pk}/", f"/victims/referrals/{w.pending.pk}/"


OBJECTS = {
    "accepted case": (_accepted_case, {"owner", "shared", "restricted_outsider"}),
    "restricted case": (_restricted_case, {"owner"}),
    "person": (_person, {"owner", "shared", "restricted_outsider"}),
    "pending referral": (_pending_referral, {"owner", "shared", "restricted_outsider"}),
    "accepted hub referral": (_accepted_hub, {"owner", "shared", "restricted_outsider"}),
    "pending hub referral": (_pending_hub, {"owner", "shared", "restricted_outsider"}),
}


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("what", list(OBJECTS))
def test_the_api_answers_as_the_page_does(world, who, what):
    paths, seers = OBJECTS[what]
    api_path, page_path = paths(world)
    response = client_as(world, who, scope="read").get(api_path)
    if who == "anonymous":
        assert response.status_code == 401
        return
    expected = 200 if who in seers else 404
    assert response.status_code == expected, response.content
    assert _page(world, who, page_path) == expected  # the page agrees
    if expected == 200:
        assert AuditEvent.objects.filter(
            user=world.users[who], action=AuditAction.VIEW, path__startswith="/api/v1/"
        ).exists()


@pytest.mark.parametrize("who", VIEWERS)
def test_lists_hold_only_what_the_user_may_see(world, who):
    client = client_as(world, who, scope="read")
    cases = client.get("cases/")
    if who == "anonymous":
        assert cases.status_code == 401
        return
    seen = {row["reference"] for row in cases.json()["results"]}
    accepted, restricted = world.accepted.referral.case.reference, world.restricted.referral.case.reference
    expected = {
        "owner": {accepted, restricted},
        "shared": {accepted},
        "restricted_outsider": {accepted},
    }.get(who, set())
    assert seen == expected
    people = {row["id"] for row in client.get("people/").json()["results"]}
    assert (world.accepted.referral.person_id in people) == (who in {"owner", "shared", "restricted_outsider"})
    hubs = {row["id"] for row in client.get("hub-referrals/").json()["results"]}
    assert (world.pending.pk in hubs) == (who in {"owner", "shared", "restricted_outsider"})
    assert (world.restricted.pk in hubs) == (who == "owner")
    assert AuditEvent.objects.filter(user=world.users[who], action=AuditAction.SEARCH, detail__api="cases").exists()


def test_a_referral_shows_its_case_only_to_those_who_may_open_it(world):
    accepted = world.accepted.referral
    as_sender = client_as(world, "shared").get(f"referrals/{accepted.pk}/").json()
    assert as_sender["case"] == accepted.case.reference  # the case is shared with Housing
    restricted = world.restricted.referral
    hidden = client_as(world, "shared").get(f"referrals/{restricted.pk}/").json()
    assert hidden["decision"] == "accepted" and hidden["case"] is None


def test_modified_since_gives_only_later_changes(world):
    import datetime

    from django.utils import timezone

    owner = client_as(world, "owner")
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert owner.get("cases/", modified_since=later.isoformat()).json()["results"] == []
    assert len(owner.get("cases/", modified_since="2020-01-01").json()["results"]) == 2
    bad = owner.get("cases/", modified_since="yesterday")
    assert bad.status_code == 400 and "ISO 8601" in bad.json()["modified_since"][0]


def test_lists_page_with_a_cursor(world):
    owner = client_as(world, "owner")
    first = owner.get("cases/", page_size=1).json()
    assert len(first["results"]) == 1 and first["next"]
    second = owner.client.get(first["next"], **owner.headers).json()
    assert len(second["results"]) == 1 and second["results"][0]["reference"] != first["results"][0]["reference"]
