"""An administrator of a fresh partnership walks the Set-up checklist in headless Chromium until
everything is done, adding a panel type and a case type on the way. Every page passes axe."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.partnerships import create_partnership
from saferhub.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from saferhub.cases.models import CaseType
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.panels.models import PanelType
from saferhub.places.models import Population, Ward
from saferhub.setup.checklist import checklist

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def fresh(transactional_db):
    partnership = create_partnership("northwick", "Northwick Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northwick Council")
    police = AgencyFactory(partnership=partnership, name="Northwick Police", kind="police")
    TeamFactory(agency=council, name="Victim Care Hub")
    TeamFactory(agency=council, name="Community Safety Team")
    TeamFactory(agency=police, name="Public Protection Desk")
    admin = UserFactory(
        team=None,
        agency=council,
        partnership=partnership,
        email="admin@northwick.example",
        roles=[Role.PARTNERSHIP_ADMIN],
    )
    return partnership, admin


def _fits_375(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _choose_team(page, team_label):
    page.get_by_label("Team").select_option(label=team_label)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def test_an_administrator_completes_the_checklist_in_the_browser(fresh, page):
    partnership, admin = fresh
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/")
    page.get_by_role("link", name="Set-up").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Set-up"
    assert_accessible(page)
    _fits_375(page)

    # A panel type of the partnership's own, coordinated by the Community Safety Team.
    page.get_by_role("link", name="Panel types").click()
    assert_accessible(page)
    _fits_375(page)
    page.get_by_role("button", name="Add a panel type").click()
    page.get_by_label("Code").fill("ceam")
    page.get_by_label("Name").fill("Child Exploitation and Missing meeting")
    page.get_by_label("Monthly").check()
    page.get_by_label("Northwick Police").check()
    page.get_by_label("Summaries open this many days before a meeting").fill("90")
    page.get_by_role("button", name="Add panel type").click()
    page.wait_for_load_state()
    assert "There is a problem" in page.content() and "Enter a whole number from 0 to 60" in page.content()
    assert_accessible(page)
    page.get_by_label("Summaries open this many days before a meeting").fill("5")
    page.get_by_label("Coordinating team").select_option(label="Community Safety Team (Northwick Council)")
    page.get_by_role("button", name="Add panel type").click()
    page.wait_for_load_state()
    assert PanelType.objects.get(partnership=partnership, code="ceam").summary_days_before == 5

    # A case type.
    page.goto("/admin/set-up/case-types/")
    assert_accessible(page)
    _fits_375(page)
    page.get_by_role("button", name="Add a case type").click()
    page.get_by_label("Code").fill("hate_crime")
    page.get_by_label("Name").fill("Hate crime")
    page.get_by_label("Reference prefix").fill("HC")
    assert_accessible(page)
    page.get_by_role("button", name="Add case type").click()
    page.wait_for_load_state()
    assert CaseType.objects.filter(partnership=partnership, code="hate_crime", prefix="HC").exists()

    # Every duty from the checklist's own links.
    holders = {
        "Victim Care Hub team": "Victim Care Hub (Northwick Council)",
        "DA MARAC coordinators": ("Public Protection Desk (Northwick Police)"),
    }
    page.goto("/admin/set-up/")
    for item in checklist(partnership):
        if item.done or not item.url.startswith("/admin/set-up/duties/"):
            continue
        page.get_by_role("link", name=item.title, exact=True).click()
        page.wait_for_load_state()
        assert_accessible(page)
        _choose_team(page, holders.get(item.title, "Community Safety Team (Northwick Council)"))
        assert page.url.endswith("/admin/set-up/")

    page.get_by_role("link", name="Local authority areas").click()
    page.get_by_label("Local authority areas").fill("E09000901")
    page.get_by_label("Peer group").fill("E09000902, E09000903")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # Wards and population: the checklist links to their pages.
    page.get_by_role("link", name="Wards", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Add a ward").click()
    page.get_by_label("Ward name").fill("Edgware & Mill")
    page.get_by_role("button", name="Add ward").click()
    page.wait_for_load_state()
    assert Ward.objects.filter(partnership=partnership, name="Edgware & Mill").exists()
    for measure, value in (("Residents", "389000"), ("Women aged 16 and over", "160000")):
        page.goto("/admin/set-up/")
        page.get_by_role("link", name="Population", exact=True).click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Add a figure").click()
        page.get_by_label("Area code").fill("E09000901")
        page.get_by_label("Year the figure describes").fill("2021")
        page.get_by_label(measure, exact=True).check()
        page.get_by_label("Figure", exact=True).fill(value)
        page.get_by_role("button", name="Add figure").click()
        page.wait_for_load_state()
    assert Population.objects.filter(partnership=partnership, area_code="E09000901").count() == 2

    page.goto("/admin/set-up/")
    assert "Everything on the checklist is set up." in page.content()
    assert "To do" not in page.locator(".govuk-task-list").inner_text()
    assert_accessible(page)
    partnership.refresh_from_db()
    assert all(item.done for item in checklist(partnership))
    assert partnership.areas == ["E09000901"] and partnership.peer_group == ["E09000902", "E09000903"]
    assert PanelType.objects.get(partnership=partnership, code="da_marac").coordinating_team.name == (
        "Public Protection Desk"
    )
