"""The IOM officer's cohort review journey in headless Chromium: open a cohort record, add it to the
next cohort review meeting, open the meeting and find the person on its agenda with their RAG status.
Every page passes axe."""

import datetime

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.iom import reviews
from saferhub.iom.tests.world import PASSWORD, adopt, build_world
from saferhub.panels import actions as panel_actions
from saferhub.panels.models import Hearing, PanelType

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build_world()
    world.officer = UserFactory(
        team=world.iom, full_name="Ira Reviewer", roles=[Role.CASEWORKER, Role.PANEL_COORDINATOR]
    )
    reviews.install_review_panel(world.partnership)
    review = PanelType.objects.get(partnership=world.partnership, code=reviews.REVIEW_CODE)
    today = timezone.localdate()
    world.next_meeting = panel_actions.schedule_meeting(world.officer, review, date=today + datetime.timedelta(days=9))
    panel_actions.schedule_meeting(world.officer, review, date=today + datetime.timedelta(days=37))
    world.stay = adopt(world, rag="amber")
    return world


def test_an_iom_officer_puts_a_cohort_record_on_the_next_review_meeting(world, page):
    sign_in(page, world.officer.email, PASSWORD)
    response = page.goto(f"/iom/stays/{world.stay.pk}/")
    assert response.status == 200
    assert_accessible(page)
    page.get_by_role("link", name="Add to a cohort review meeting").click()
    page.wait_for_load_state()
    assert_accessible(page)
    # The soonest meeting is chosen already.
    assert page.get_by_label(str(world.next_meeting)).is_checked()
    page.get_by_role("button", name="Add to the agenda").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/iom/stays/{world.stay.pk}/")
    assert "on the review meeting's agenda" in page.content()
    assert_accessible(page)
    assert Hearing.objects.get().meeting == world.next_meeting

    page.get_by_role("link", name=str(world.next_meeting)).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/panels/meetings/{world.next_meeting.pk}/")
    agenda = page.locator("table").first.inner_text()
    assert world.stay.case.reference in agenda and "Testy Cohortson" in agenda
    assert "RAG status: Amber" in agenda and "Next contact due" in agenda
    assert_accessible(page)
