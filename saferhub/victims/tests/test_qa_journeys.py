"""QA regressions found by walking the hub's journeys in the browser: what the pages say and allow."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from saferhub.directory.models import Category, Service, ServiceCategory
from saferhub.victims import actions
from saferhub.victims.models import ContactAttempt, QuarterlyTarget, VictimType
from saferhub.victims.tests.world import accepted_referral, build_world, client_for, new_referral

pytestmark = pytest.mark.django_db

DJANGO_DEFAULTS = ("This field is required", "Ensure this value", "Select a valid choice", "Enter a whole number")


@pytest.fixture
def world():
    return build_world()


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _closed(world):
    hub = accepted_referral(world)
    case = hub.referral.case
    actions.close_hub_case(
        world.owner,
        hub,
        closure_reason="support_complete",
        closed_on=timezone.localdate(),
        satisfaction_end=None,
        safety_end=None,
        expected_version=case.version,
    )
    hub.refresh_from_db()
    return hub


def test_every_hub_form_names_what_is_wrong(world):
    hub = accepted_referral(world)
    item = actions.add_care_plan_item(
        world.owner, hub, category="housing", description="Locks", owner=world.owner, due_on=timezone.localdate()
    )
    service = Service.objects.create(partnership=world.partnership, name="Calm Talk", how_to_refer="Phone")
    onward = actions.make_onward_referral(world.owner, hub, service=service, referred_on=timezone.localdate())
    client = client_for(world, "owner")
    paths = [
        "/victims/referrals/new/",
        f"/victims/referrals/{hub.pk}/contact/",
        f"/victims/referrals/{hub.pk}/scores/",
        f"/victims/referrals/{hub.pk}/care-plan/",
        f"/victims/referrals/{hub.pk}/care-plan/{item.pk}/",
        f"/victims/referrals/{hub.pk}/support/",
        f"/victims/referrals/{hub.pk}/safety-items/",
        f"/victims/referrals/{hub.pk}/onward/",
        f"/victims/referrals/{hub.pk}/onward/{onward.pk}/",
        f"/victims/referrals/{hub.pk}/rights/",
        f"/victims/referrals/{hub.pk}/rj-informed/",
        f"/victims/referrals/{hub.pk}/close/",
    ]
    for path in paths:
        response = client.post(path, {"quantity": "0", "satisfaction": "11"})
        assert response.status_code == 200, path
        errors = [str(e) for errors in response.context["form"].errors.values() for e in errors]
        assert errors, path
        assert not [e for e in errors if e.startswith(DJANGO_DEFAULTS)], (path, errors)


def test_the_direct_or_indirect_question_is_not_labelled_optional(world):
    client = client_for(world, "owner")
    page = client.get("/victims/referrals/new/").content.decode()
    assert "Direct or indirect victim" in page and "Direct or indirect victim (optional)" not in page
    response = client.post("/victims/referrals/new/", {"referral_kind": "victim"})
    assert response.context["form"].errors["victim_type"] == [
        "Choose whether the person is a direct or an indirect victim"
    ]
    response = client.post("/victims/referrals/new/", {"referral_kind": "crime_prevention"})
    assert "victim_type" not in response.context["form"].errors


def test_a_closed_case_takes_no_more_records_and_says_why(world):
    hub = _closed(world)
    client = client_for(world, "owner")
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/victims/referrals/{hub.pk}/contact/", {"made_on": today, "method": "phone", "successful": "yes"}
    )
    assert response.status_code == 302 and response.url == f"/victims/referrals/{hub.pk}/"
    assert _messages(response) == ["The case is closed. To record more, reopen it from the case page."]
    assert not ContactAttempt.objects.filter(hub_referral=hub).exists()
    for path in ("scores", "care-plan", "support", "safety-items", "onward", "rj-referral", "rights", "rj-informed"):
        assert client.get(f"/victims/referrals/{hub.pk}/{path}/").status_code == 302, path


def test_a_pending_referral_explains_that_it_must_be_accepted_first(world):
    hub = new_referral(world)
    response = client_for(world, "owner").get(f"/victims/referrals/{hub.pk}/care-plan/")
    assert response.status_code == 302 and response.url == f"/victims/referrals/{hub.pk}/"
    assert _messages(response)[0].startswith("Accept the referral first")


def test_the_targets_page_shows_and_saves_the_chosen_year(world):
    client = client_for(world, "analyst")
    actions.set_targets(world.analyst, world.partnership, 2023, {1: 30})
    form = client.get("/victims/targets/", {"year": "2023"}).context["form"]
    assert form.initial == {"year": 2023, "q1": 30}
    response = client.post("/victims/targets/?year=2023", {"year": "2023", "q1": "31", "q2": "20"})
    assert response.status_code == 302 and response.url == "/victims/targets/?year=2023"
    assert client.get(response.url).context["form"].initial == {"year": 2023, "q1": 31, "q2": 20}
    assert list(QuarterlyTarget.objects.values_list("year", "quarter", "referrals")) == [(2023, 1, 31), (2023, 2, 20)]
    bad = client.post("/victims/targets/", {"year": "2023", "q2": "-1"})
    assert bad.context["form"].errors["q2"] == ["Enter the Q2 target as a whole number, 0 or more"]


def test_the_referral_page_names_the_hub_worker(world):
    hub = accepted_referral(world)
    content = client_for(world, "owner").get(f"/victims/referrals/{hub.pk}/").content.decode()
    assert "Hub worker: Hana Hubworker" in content


def test_onward_referral_choices_say_what_each_service_helps_with(world):
    service = Service.objects.create(partnership=world.partnership, name="Calm Talk", how_to_refer="Phone")
    ServiceCategory.objects.create(service=service, category=Category.RESTORATIVE_JUSTICE)
    hub = accepted_referral(world)
    content = client_for(world, "owner").get(f"/victims/referrals/{hub.pk}/onward/").content.decode()
    assert "Calm Talk (Restorative justice)" in content


def test_triage_rows_are_short_and_the_overdue_bar_does_not_cover_the_date(world):
    received = timezone.now() - datetime.timedelta(days=10)
    new_referral(world, received_at=received, victim_type=VictimType.INDIRECT)
    content = client_for(world, "owner").get("/victims/triage/").content.decode()
    assert "Indirect victim<" in content and "for example, the child" not in content
    assert 'class="govuk-table__header govuk-!-padding-left-2"' in content
