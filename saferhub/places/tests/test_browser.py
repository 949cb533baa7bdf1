"""Browser journey through the ward pages as an administrator, with axe on every page and at 375 px."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.places.models import Lsoa, Ward
from saferhub.places.tests.factories import LsoaFactory, PopulationFactory, WardFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(transactional_db):
    from django.core.cache import cache

    cache.clear()
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership", areas=["E09000901"])
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Northbrook Council"))
    ward = WardFactory(partnership=partnership, name="Mill & Meadow", code="E05900001")
    LsoaFactory(ward=ward, code="E01900001", name="Northbrook 001A")
    PopulationFactory(partnership=partnership, area_name="Northbrook", value=101_000)
    return UserFactory(team=team, roles=[Role.PARTNERSHIP_ADMIN])


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_administrator_adds_a_ward_and_an_lsoa_and_disables_it(admin, page):
    sign_in(page, admin.email, PASSWORD)
    page.goto("/places/wards/")
    assert_accessible(page)
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Add a ward").click()
    page.wait_for_load_state()
    assert_accessible(page)
    # A clash first: names match without regard to case and with & = and.
    page.get_by_label("Ward name").fill("mill and meadow")
    page.get_by_role("button", name="Add ward").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Ward name").fill("Upper Green")
    page.get_by_label("ONS ward code (optional)").fill("E05900002")
    page.get_by_role("button", name="Add ward").click()
    page.wait_for_load_state()
    assert "Ward Upper Green added" in page.content()
    assert_accessible(page)
    _no_horizontal_scroll(page)

    page.get_by_role("button", name="Add an LSOA").click()
    page.wait_for_load_state()
    page.get_by_label("LSOA code (2021)").fill("E01900002")
    page.get_by_role("button", name="Add LSOA").click()
    page.wait_for_load_state()
    assert Lsoa.objects.get(code="E01900002").ward.name == "Upper Green"
    page.get_by_role("link", name="Disable E01900002").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Disable LSOA").click()
    page.wait_for_load_state()
    assert not Lsoa.objects.get(code="E01900002").active
    assert Ward.objects.filter(name="Upper Green", code="E05900002").exists()

    page.goto("/places/population/")
    assert_accessible(page)
    _no_horizontal_scroll(page)
