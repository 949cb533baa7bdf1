"""A Victim Care Hub case whose case type needs a team manager's approval to close: the hub's close page
asks instead of closing, with the person's end scores recorded at once; the manager's approval closes it."""

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases import actions as case_actions
from saferhub.cases.models import ClosureRequest, ClosureRequestStatus
from saferhub.victims.tests.world import accepted_referral, build_world, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.accepted = accepted_referral(world)
    case = world.accepted.referral.case
    case.case_type.closure_needs_approval = True
    case.case_type.save(update_fields=["closure_needs_approval"])
    world.manager = UserFactory(team=world.hub, full_name="Mona Manager", roles=[Role.TEAM_MANAGER])
    world.users["manager"] = world.manager
    return world


def _post(world, who, **extra):
    hub = world.accepted
    hub.referral.case.refresh_from_db()
    data = {
        "closure_reason": "support_complete",
        "closed_on": timezone.localdate().isoformat(),
        "satisfaction_end": "8",
        "safety_end": "7",
        "close_anyway_reason": "The person asked us to stop",
        "version": hub.referral.case.version,
        **extra,
    }
    return client_for(world, who).post(f"/victims/referrals/{world.accepted.pk}/close/", data)


def test_the_caseworker_asks_and_the_end_scores_are_kept(world):
    page = client_for(world, "owner").get(f"/victims/referrals/{world.accepted.pk}/close/").content.decode()
    assert "Ask to close the case" in page
    assert "Date closed" not in page  # it closes on the day it is approved
    assert _post(world, "owner").status_code == 302
    hub = world.accepted
    hub.refresh_from_db()
    hub.referral.case.refresh_from_db()
    assert hub.referral.case.status == "open"
    assert (hub.satisfaction_end, hub.safety_end) == (8, 7)
    closure = ClosureRequest.objects.get(case=hub.referral.case)
    assert closure.status == ClosureRequestStatus.PENDING
    assert closure.closure_reason == "support_complete"
    assert closure.requested_by == world.owner


def test_asking_twice_is_refused_and_the_manager_closes_it(world):
    _post(world, "owner")
    again = client_for(world, "owner").get(f"/victims/referrals/{world.accepted.pk}/close/")
    assert again.status_code == 302
    assert ClosureRequest.objects.filter(case=world.accepted.referral.case).count() == 1
    case = world.accepted.referral.case
    case.refresh_from_db()
    case_actions.approve_closure(world.manager, case, expected_version=case.version)
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.closed_on == timezone.localdate()
    assert case.closure_reason == "support_complete"


def test_the_teams_manager_closes_directly(world):
    page = client_for(world, "manager").get(f"/victims/referrals/{world.accepted.pk}/close/").content.decode()
    assert "Date closed" in page
    assert _post(world, "manager").status_code == 302
    world.accepted.referral.case.refresh_from_db()
    assert world.accepted.referral.case.status == "closed"
    assert not ClosureRequest.objects.exists()
