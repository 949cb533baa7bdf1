"""The stored "awaits first contact" state follows the rule, and the hub's lists cost the same whatever they hold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saferhub.cases import actions as case_actions
from saferhub.cases.models import CaseStatus
from saferhub.victims import actions
from saferhub.victims.models import HubReferral
from saferhub.victims.tests.world import accepted_referral, build_world, client_for, new_referral

pytestmark = pytest.mark.django_db

HUB_LISTS = ("/victims/", "/victims/triage/", "/victims/cases/")


@pytest.fixture
def world():
    return build_world()


def _state(hub: HubReferral) -> bool:
    return HubReferral.objects.values_list("awaits_first_contact", flat=True).get(pk=hub.pk)


def _agrees_with_the_rule() -> None:
    stored = set(HubReferral.objects.filter(awaits_first_contact=True).values_list("pk", flat=True))
    rule = set(HubReferral.objects.first_contact_rule().values_list("pk", flat=True))
    assert stored == rule


def test_a_new_referral_awaits_first_contact_until_a_successful_attempt(world):
    hub = new_referral(world)
    assert _state(hub)
    actions.record_contact_attempt(world.owner, hub, made_on=timezone.localdate(), method="phone", successful=False)
    assert _state(hub)
    actions.record_contact_attempt(world.owner, hub, made_on=timezone.localdate(), method="phone", successful=True)
    assert not _state(hub)
    _agrees_with_the_rule()


def test_accepting_keeps_it_declining_and_redirecting_take_it_off(world):
    accepted = accepted_referral(world)
    assert _state(accepted)
    declined = new_referral(world)
    case_actions.decline_referral(world.owner, declined.referral, "Not for the hub")
    assert not _state(declined)
    redirected = new_referral(world)
    case_actions.redirect_referral(world.owner, redirected.referral, world.police_team, "A police matter")
    assert not _state(redirected)
    _agrees_with_the_rule()


def test_closing_the_case_takes_it_off_and_reopening_puts_it_back(world):
    hub = accepted_referral(world)
    case = hub.referral.case
    case = case_actions.change_status(
        world.owner, case, CaseStatus.CLOSED, expected_version=case.version, closure_reason="support_complete"
    )
    assert not _state(hub)
    case_actions.change_status(world.owner, case, CaseStatus.OPEN, expected_version=case.version, reason="Back")
    assert _state(hub)
    _agrees_with_the_rule()


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", HUB_LISTS)
def test_hub_lists_run_the_same_queries_for_3_rows_as_for_30(world, url):
    client = client_for(world, "owner")
    for _ in range(2):
        accepted_referral(world, shared=False)
    new_referral(world)
    few = _queries(client, url)
    for _ in range(15):
        accepted_referral(world, shared=False)
    for _ in range(12):
        new_referral(world)
    assert _queries(client, url) == few
