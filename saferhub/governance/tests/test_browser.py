"""Browser journey: an analyst opens a plan (axe, 375 px) and records a commitment's new status."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.governance.models import CommitmentStatus, CommitmentUpdate
from saferhub.governance.tests.factories import ActionPlanFactory, ActivityFactory, CommitmentFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(transactional_db):
    from django.core.cache import cache

    cache.clear()
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Northbrook Council"))
    plan = ActionPlanFactory(partnership=partnership, name="Invented Strategy action plan")
    for index, status in enumerate(CommitmentStatus.values):
        CommitmentFactory(
            plan=plan,
            priority=["Protecting victims of domestic abuse and their children", "Reducing reoffending"][index % 2],
            text=f"Invented commitment number {index + 1} with a long description that wraps on a phone",
            status=status,
        )
    ActivityFactory(partnership=partnership, title="Restorative practice for officers")
    return UserFactory(team=team, roles=[Role.ANALYST])


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_analyst_reads_a_plan_and_updates_a_status(analyst, page):
    sign_in(page, analyst.email, PASSWORD)
    page.get_by_role("link", name="Governance").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Invented Strategy action plan").click()
    page.wait_for_load_state()
    assert page.locator("svg.saferhub-chart").count() == 1
    assert_accessible(page)
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Update status of this commitment").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    fill_date(page, "Date of this status", "")
    page.get_by_role("button", name="Save status").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Completed").check()
    fill_date(page, "Date of this status", "2024-06-30")
    page.get_by_label("Progress note (optional)").fill("Delivered (synthetic)")
    page.get_by_role("button", name="Save status").click()
    page.wait_for_load_state()
    assert "Status recorded" in page.content()
    assert CommitmentUpdate.objects.filter(status="completed", text="Delivered (synthetic)").exists()

    page.get_by_role("link", name="Activities").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Record an activity").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)
