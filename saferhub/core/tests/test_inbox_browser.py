"""A hub caseworker, a team manager and a MARAC coordinator each sign in, find their work on their
home page with one count per queue, and the queue page it links to shows the same count."""

import pytest

from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out
from saferhub.core.tests.test_inbox import fill, inbox_world
from saferhub.victims.tests.world import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = inbox_world()
    world.generic, world.hubs, world.panels, world.review = fill(world)
    return world


def home_count(page, kind):
    return page.locator(f'[data-testid="inbox-queues"] [data-count="{kind}"]').inner_text()


def test_each_role_finds_their_work_with_one_count_per_queue(world, page):
    # The hub caseworker: their queues on the home page, each the count of the page it links to.
    sign_in(page, world.owner.email, PASSWORD)
    page.goto("/")
    assert_accessible(page)
    assert home_count(page, "referral") == "3"
    assert home_count(page, "hub") == "4"
    page.get_by_role("link", name="Victim Care Hub referrals").click()
    page.wait_for_load_state()
    assert page.locator('[data-count="hub"]').inner_text() == "4"
    assert page.locator("tbody tr").count() == 4
    assert_accessible(page)
    page.goto("/victims/triage/")
    assert "4 awaiting a decision or first contact" in page.locator("caption").inner_text()
    # One number per item: the generic address of a hub referral opens the hub's page, showing its reference.
    hub = world.hubs[0]
    page.goto(f"/cases/referrals/{hub.referral.pk}/")
    assert page.url.endswith(f"/victims/referrals/{hub.pk}/")
    assert hub.referral.reference in page.locator(".govuk-caption-l").first.inner_text()

    page.goto("/my-actions/")
    assert_accessible(page)

    # The team manager: the same queues, and the team's allocation and deadlines.
    sign_out(page)
    sign_in(page, world.manager.email, PASSWORD)
    page.goto("/")
    assert_accessible(page)
    assert home_count(page, "hub") == "4"
    assert home_count(page, "case_review") == "1"
    assert page.get_by_text("Caseload per worker").count() == 1
    page.get_by_role("link", name="ASB Case Review applications").click()
    page.wait_for_load_state()
    assert page.locator('[data-count="case_review"]').inner_text() == "1"
    page.goto("/asb/case-reviews/")
    assert page.get_by_role("link", name="Awaiting a decision: 1").count() == 1

    # The MARAC coordinator: referrals to review, on the home page and on Panels' own queue.
    sign_out(page)
    sign_in(page, world.coordinator.email, PASSWORD)
    page.goto("/")
    assert_accessible(page)
    assert home_count(page, "panel") == "2"
    assert page.locator('[data-count="panel-review"]').inner_text() == "2"
    page.get_by_role("link", name="Referrals to review").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 2
    assert_accessible(page)
    page.goto("/panels/")
    assert "Referrals awaiting review: 2" in page.locator("main").inner_text()
