"""The crime dashboard in headless Chromium: axe finds nothing, one <h1>, no page-wide horizontal scroll at 375 px."""

import os

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.crime.models import Boundary
from saferhub.crime.tests.test_maps import WARDS
from saferhub.crime.tests.world import add_wards, build_world

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(transactional_db):
    world = build_world()
    add_wards(world)
    for code, name, geometry in WARDS:  # so the ward map is drawn and checked too
        Boundary.objects.create(
            partnership=world.partnership, level="ward", code=code, name=name, geometry=geometry, source=world.source
        )
    return UserFactory(team=TeamFactory(agency__partnership=world.partnership), roles=[Role.ANALYST])


def test_dashboard_page_is_accessible_and_fits_a_phone(analyst, page):
    sign_in(page, analyst.email, PASSWORD)
    response = page.goto("/crime/")
    assert response.status == 200
    assert_accessible(page)
    assert page.locator("h1").count() == 1
    assert page.get_by_role("heading", name="Ward map: the rolling year").count() == 1
    page.get_by_label("Crime group for the trend chart").select_option("THEFT")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "group=THEFT" in page.url
    assert page.get_by_role("heading", name="THEFT: 36 months").count() == 1
    if os.environ.get("SAFERHUB_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SAFERHUB_SCREENSHOTS"], "crime-dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    if os.environ.get("SAFERHUB_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SAFERHUB_SCREENSHOTS"], "crime-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    page.get_by_role("link", name="Add commentary on THEFT").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Commentary").fill("Shoplifting up in the town centres.")
    page.get_by_role("button", name="Save commentary").click()
    page.wait_for_load_state()
    assert page.get_by_text("Shoplifting up in the town centres.").count() == 1
