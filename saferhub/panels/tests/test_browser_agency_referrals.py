"""An agency refers online and the coordinator reviews, corrects, reorders and cancels, in headless Chromium.
Each page passes axe and has one <h1>."""

import datetime

import pytest
from django.utils import timezone

from saferhub.assessments.definitions import install_templates
from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out
from saferhub.panels import actions
from saferhub.panels.models import PanelReferral, ReferralStatus
from saferhub.panels.tests.world import PASSWORD, build_world, meeting, person, refer

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


@pytest.fixture
def world(transactional_db):
    world = build_world()
    install_templates(world.partnership)
    return world


def _visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert_accessible(page)


def _click(page, role, name):
    page.get_by_role(role, name=name).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_agency_refers_and_coordinator_accepts(world, page):
    sign_in(page, world.users["police"].email, PASSWORD)
    _visit(page, "/panels/")
    _click(page, "link", "Refer someone to DA MARAC")
    _visit(page, "/panels/types/da_marac/submit/?q=Ashcombe")
    _click(page, "link", "The person is not listed: refer someone new")
    _click(page, "button", "Send referral")
    assert page.locator(".govuk-error-summary").count() == 1
    page.get_by_label("First name").fill("Juniper")
    page.get_by_label("Last name").fill("Ashcombe")
    page.get_by_label("Reason for the referral").fill("Threats after separation")
    page.get_by_label("Risk checklist score").fill("15")
    page.get_by_label("Basis of the referral").select_option("visible_high_risk")
    _click(page, "button", "Send referral")
    referral = PanelReferral.objects.get()
    assert referral.status == ReferralStatus.SUBMITTED
    _visit(page, "/panels/referrals/mine/")

    sign_out(page)
    sign_in(page, world.coordinator.email, PASSWORD)
    _visit(page, "/panels/referrals/awaiting-review/")
    _visit(page, f"/panels/referrals/{referral.pk}/")
    _visit(page, f"/panels/referrals/{referral.pk}/return/")
    _click(page, "button", "Return the referral")
    assert page.locator(".govuk-error-summary").count() == 1
    _visit(page, f"/panels/referrals/{referral.pk}/accept/")
    _click(page, "button", "Accept onto the panel")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    _visit(page, f"/panels/referrals/{referral.pk}/edit/")
    page.get_by_label("Children in the household").fill("2")
    _click(page, "button", "Save changes")
    referral.refresh_from_db()
    assert referral.children_in_household == 2


def test_coordinator_reorders_cancels_and_records_people_involved(world, page):
    for name in ("Alder", "Birch"):
        refer(world, person(world, "Test", name), TODAY - datetime.timedelta(days=10))
    upcoming = meeting(world, TODAY + datetime.timedelta(days=3))
    actions.build_agenda(world.coordinator, upcoming)
    victim = person(world, "Tam", "Harrowgate")
    sirm = refer(world, victim, TODAY, panel_type=world.sirm, incident_type="knife", follow_up_route="sirm")
    sign_in(page, world.coordinator.email, PASSWORD)
    _visit(page, f"/panels/meetings/{upcoming.pk}/")
    first = upcoming.hearings.first()
    page.locator(f"form[action='/panels/hearings/{first.pk}/move-down/'] button").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert [h.panel_case.person.last_name for h in upcoming.hearings.select_related("panel_case__person")] == [
        "Birch",
        "Alder",
    ]
    _visit(page, f"/panels/meetings/{upcoming.pk}/cancel/")
    page.get_by_label("Why is the meeting cancelled?").fill("Chair unavailable")
    _click(page, "button", "Cancel the meeting")
    assert "Chair unavailable" in page.content()
    _visit(page, f"/panels/referrals/{sirm.pk}/")
    _click(page, "link", "Add a person involved")
    page.get_by_label("First name").fill("Moss")
    page.get_by_label("Last name").fill("Tidewell")
    page.get_by_label("Victim and suspect").check()
    _click(page, "button", "Add the person")
    assert "Moss Tidewell" in page.content()
