"""Hub pages: the triage queue's deadlines, bounded queries, targets and settings set in the interface."""

import datetime

import pytest
from django.utils import timezone

from saferhub.cases.models import Case, Referral
from saferhub.core.models import ReferenceList
from saferhub.reporting.periods import financial_year_start
from saferhub.victims import actions
from saferhub.victims.hub import hub_team, setting_value
from saferhub.victims.models import HubReferral, QuarterlyTarget, SettingKey
from saferhub.victims.tests.world import accepted_referral, build_world, client_for, code, new_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_triage_shows_waiting_time_and_flags_overdue_first_contact(world):
    overdue = new_referral(world, received_at=timezone.now() - datetime.timedelta(days=10))
    fresh = new_referral(world)
    contacted = accepted_referral(world)
    actions.record_contact_attempt(
        world.owner, contacted, made_on=timezone.localdate(), method="phone", successful=True
    )
    response = client_for(world, "owner").get("/victims/triage/")
    rows = list(response.context["page_obj"])
    assert [hub.pk for hub in rows] == [overdue.pk, fresh.pk]
    assert rows[0].overdue and rows[0].days_waiting == 10
    assert not rows[1].overdue
    content = response.content.decode()
    assert "Overdue" in content and "10 days" in content


def test_an_unsuccessful_attempt_keeps_the_referral_in_the_queue(world):
    hub = accepted_referral(world)
    actions.record_contact_attempt(world.owner, hub, made_on=timezone.localdate(), method="phone", successful=False)
    assert hub.pk in [h.pk for h in client_for(world, "owner").get("/victims/triage/").context["page_obj"]]
    assert HubReferral.objects.get(pk=hub.pk).first_contact_on is None


def test_lists_and_the_referral_page_run_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    hubs = [accepted_referral(world) for _ in range(6)] + [new_referral(world) for _ in range(4)]
    hub = hubs[0]
    for number in ("1", "2", "3"):
        actions.record_right(
            world.owner,
            hub,
            right=code(world, ReferenceList.VCOP_RIGHT, number),
            informed_on=timezone.localdate(),
            met_on=None,
        )
    for _ in range(3):
        actions.record_support(
            world.owner,
            hub,
            support_type=code(world, ReferenceList.VICTIM_SUPPORT_TYPE, "signposting"),
            delivered_on=timezone.localdate(),
        )
        actions.add_care_plan_item(
            world.owner,
            hub,
            category="housing",
            description="Housing advice",
            owner=world.owner,
            due_on=timezone.localdate(),
        )
        actions.record_contact_attempt(world.owner, hub, made_on=timezone.localdate(), method="phone", successful=False)
    client = client_for(world, "owner")
    for url in ("/victims/triage/", "/victims/cases/", "/victims/", f"/victims/referrals/{hub.pk}/"):
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200


def test_an_analyst_sets_the_quarterly_targets(world):
    client = client_for(world, "analyst")
    response = client.post("/victims/targets/", {"year": "2023", "q1": "24", "q2": "24", "q3": "24", "q4": ""})
    assert response.status_code == 302
    assert list(QuarterlyTarget.objects.values_list("quarter", "referrals")) == [(1, 24), (2, 24), (3, 24)]
    client.post("/victims/targets/", {"year": "2023", "q1": "30", "q2": "", "q3": "24", "q4": "10"})
    assert list(QuarterlyTarget.objects.values_list("quarter", "referrals")) == [(1, 30), (3, 24), (4, 10)]
    this_year = financial_year_start(timezone.localdate())
    actions.set_targets(world.analyst, world.partnership, this_year, {2: 18})
    assert client.get("/victims/targets/").context["form"].initial == {"year": this_year, "q2": 18}
    bad = client.post("/victims/targets/", {"year": "1999", "q1": "-3"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"year", "q1"}


def test_an_administrator_sets_the_hub_team_and_a_dated_first_contact_target(world):
    client = client_for(world, "admin")
    assert client.post("/victims/settings/team/", {"team": world.cst.pk}).status_code == 302
    assert hub_team(world.partnership.pk) == world.cst
    response = client.post(
        "/victims/settings/first-contact/",
        {"key": SettingKey.FIRST_CONTACT_WORKING_DAYS, "value": "5", "effective_from": "2024-04-01"},
    )
    assert response.status_code == 302
    key = SettingKey.FIRST_CONTACT_WORKING_DAYS
    assert setting_value(world.partnership, key, datetime.date(2024, 3, 31)) == 2
    assert setting_value(world.partnership, key, datetime.date(2024, 4, 1)) == 5
    bad = client.post("/victims/settings/first-contact/", {"key": key, "value": "0", "effective_from": "soon"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"value", "effective_from"}


def test_declining_through_the_referral_pages_takes_it_off_the_queue(world):
    hub = new_referral(world)
    Referral.objects.filter(pk=hub.referral_id).update(decision="declined")
    assert hub.pk not in [h.pk for h in client_for(world, "owner").get("/victims/triage/").context["page_obj"]]


def test_closing_needs_a_reason_and_a_current_version(world):
    hub = accepted_referral(world)
    client = client_for(world, "owner")
    url = f"/victims/referrals/{hub.pk}/close/"
    response = client.post(url, {"closed_on": timezone.localdate().isoformat(), "version": hub.referral.case.version})
    assert "Choose the reason for closing" in response.context["form"].errors["closure_reason"]
    # A version older than the case's: someone saved it after the form was opened.
    case = hub.referral.case
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    stale = client.post(
        url,
        {
            "closure_reason": "no_contact",
            "closed_on": timezone.localdate().isoformat(),
            "version": case.version,
            "close_anyway_reason": "No contact after three attempts",
        },
    )
    assert stale.status_code == 409 and "after you opened it" in str(stale.context["form"].non_field_errors())
    hub.referral.case.refresh_from_db()
    assert hub.referral.case.status == "open"
