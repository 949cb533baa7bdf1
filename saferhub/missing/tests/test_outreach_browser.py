"""Browser journey (headless Chromium, axe, 375 px): a coordinator records a detached outreach session at a
place of concern, naming the young person a concern was passed on about, and sees it on the place's page."""

import pytest

from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.governance.models import Activity
from saferhub.missing.models import IntelLink

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    from django.core.cache import cache

    from saferhub.missing.tests.world import build_world, with_intelligence
    from saferhub.places.tests.factories import WardFactory

    cache.clear()
    w = with_intelligence(build_world())
    w.ward = WardFactory.create(partnership=w.partnership, name="Testing Riverside")
    return w


def _check(page):
    page.wait_for_load_state()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_coordinator_records_an_outreach_session_at_a_place(world, page):
    sign_in(page, world.coordinator.email, PASSWORD)
    page.goto(f"/missing/intelligence/places/{world.place_team.pk}/")
    _check(page)
    page.get_by_role("link", name="Record an outreach session at this place").click()
    _check(page)
    assert page.get_by_label("Place of concern (optional)").input_value() == str(world.place_team.pk)
    page.get_by_label("Young people engaged").fill("")
    page.get_by_role("button", name="Record session").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    fill_date(page, "Date of the session", "2024-07-03")
    page.get_by_label("Ward", exact=True).select_option(label="Testing Riverside")
    page.get_by_label("Young people engaged").fill("8")
    page.get_by_label("Concerns passed on (optional)").fill("Cash offered for errands; passed to the police.")
    page.get_by_label("Young person the concerns are about (optional)").select_option(label="Tia Testchild")
    page.get_by_role("button", name="Record session").click()
    _check(page)
    assert "Outreach session of 3 July 2024 recorded" in page.content()
    assert "Cash offered for errands" in page.content()
    assert "Young person linked: Tia Testchild" in page.content()
    session = Activity.objects.get(place=world.place_team)
    assert session.participants == 8
    assert IntelLink.objects.filter(outreach_session=session, person=world.child_person).exists()
