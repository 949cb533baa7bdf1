"""Browser journey (headless Chromium, axe, 375 px): a coordinator records a child going missing, sees the
deadlines, records the return and gives the interview to the out-of-borough provider, whose worker records it."""

import pytest

from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in, sign_out
from saferhub.missing.models import Episode

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    from django.core.cache import cache

    from saferhub.missing.tests.world import build_world

    cache.clear()
    return build_world()


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _check(page):
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)


def test_missing_episode_to_completed_interview(world, page):
    sign_in(page, world.coordinator.email, PASSWORD)
    page.get_by_role("link", name="Missing children").first.click()
    _check(page)
    page.get_by_role("button", name="Record a child going missing").click()
    _check(page)
    page.get_by_role("button", name="Record episode").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("First name").fill("Remy")
    page.get_by_label("Last name").fill("Testmissing")
    fill_date(page, "Date of birth", "2011-02-03")
    fill_date(page, "Missing from", "2026-03-02 18:30")
    page.get_by_label("Police reference (optional)").fill("CAD 4242")
    page.get_by_label("Police risk grading (optional)").select_option("high")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record episode").click()
    _check(page)
    assert "Due by 5 March 2026, 18:30" in page.content()

    page.get_by_role("link", name="Record the return").click()
    _check(page)
    fill_date(page, "Returned at", "2026-03-03 09:15")
    page.get_by_label("Where found (optional)").fill("Train station in another county")
    page.get_by_role("button", name="Record return").click()
    _check(page)
    assert "To be offered by 6 March 2026, 09:15" in page.content()

    page.get_by_role("link", name="Choose the provider").click()
    _check(page)
    page.get_by_label("Provider").select_option(label="Invented Return Interviews: Return Interviews")
    page.get_by_role("button", name="Give the interview to this provider").click()
    _check(page)
    assert "Return home interview given to Invented Return Interviews" in page.content()

    sign_out(page)
    sign_in(page, world.worker.email, PASSWORD)
    page.goto(page.url.split("/missing/")[0] + "/missing/interviews/")
    _check(page)
    assert "Testmissing" not in page.content()
    page.get_by_role("link", name="Remy").click()
    _check(page)
    assert "Testmissing" not in page.content()
    fill_date(page, "Interview offered at (optional)", "2026-03-04 10:00")
    page.get_by_label("No", exact=True).check()
    fill_date(page, "Interview held at (optional)", "2026-03-05 16:00")
    page.get_by_label("Pull factors (what drew them away) (optional)").fill("Older friends offering lifts")
    page.get_by_role("button", name="Save interview").click()
    _check(page)
    assert "Return home interview saved" in page.content()
    episode = Episode.objects.get(police_reference="CAD 4242")
    assert episode.rhi_completed_at is not None and episode.rhi_team == world.rhi_team
