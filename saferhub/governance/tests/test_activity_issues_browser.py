"""Browser journey: an analyst opens a ward walk from the activities (axe, 375 px), records an issue raised on
it and turns it into an action, then finds the action on the plan's page and follows its link back."""

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.governance.models import ActivityIssue, ActivityKind
from saferhub.governance.tests.factories import ActionPlanFactory, ActivityFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(transactional_db):
    from django.core.cache import cache

    cache.clear()
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Northbrook Council"))
    ActionPlanFactory(partnership=partnership, name="Invented Safer Streets action plan")
    ActivityFactory(partnership=partnership, kind=ActivityKind.WARD_WALK, programme="", title="Station ward walk")
    return UserFactory(team=team, roles=[Role.ANALYST], full_name="Invented Analyst")


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_analyst_turns_a_ward_walk_issue_into_an_action(analyst, page):
    sign_in(page, analyst.email, PASSWORD)
    page.goto("/governance/activities/")
    page.get_by_role("link", name="Station ward walk").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)

    page.get_by_role("button", name="Record an issue raised").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Issue raised", exact=True).fill("Overgrown bushes hide the footpath (synthetic)")
    page.get_by_label("Where (optional)").fill("Mill Lane")
    page.get_by_label("Raised by (organisation)").fill("Mill Lane Residents' Association")
    page.get_by_role("button", name="Record issue").click()
    page.wait_for_load_state()
    assert "Issue recorded" in page.content()
    assert_accessible(page)
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Turn into an action").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Action plan", exact=True).select_option(label="Invented Safer Streets action plan")
    page.get_by_label("Owner (person) (optional)").select_option(label="Invented Analyst")
    fill_date(page, "Due date", "2027-01-31")
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_load_state()
    assert "Action added to Invented Safer Streets action plan" in page.content()
    issue = ActivityIssue.objects.get()
    assert issue.commitment is not None and issue.commitment.owner_user_id == analyst.pk

    page.get_by_role("link", name="Overgrown bushes hide the footpath (synthetic)").click()
    page.wait_for_load_state()
    assert_accessible(page)
    card = page.locator(f"#commitment-{issue.commitment_id}")
    assert "Invented Analyst" in card.inner_text()
    card.get_by_role("link", name="Station ward walk").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/governance/activities/{issue.activity_id}/#issue-{issue.pk}")
