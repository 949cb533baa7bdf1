"""The referral and home pages in headless Chromium: axe finds no violations, one <h1>, no CSP errors."""

import pytest

from saferhub.cases.tests.factories import ActionFactory, CaseFactory
from saferhub.cases.tests.referral_world import build_world, referral_to_vch
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_referral_journey_is_accessible(world, page):
    case = CaseFactory(owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner)
    ActionFactory(case=case, owner=world.owner)
    referral = referral_to_vch(world, person=PersonFactory(partnership=world.partnership))
    referral_to_vch(world, decision="declined", decision_reason="Test", decided_by=world.owner)
    sign_in(page, world.owner.email, PASSWORD)
    for url in (
        "/",
        "/cases/referrals/",
        "/cases/referrals/decided/",
        "/cases/referrals/sent/",
        "/cases/referrals/new/",
        f"/cases/referrals/{referral.pk}/",
        f"/cases/referrals/{referral.pk}/accept/",
        f"/cases/referrals/{referral.pk}/decline/",
        f"/cases/referrals/{referral.pk}/redirect/",
    ):
        response = page.goto(url)
        assert response.status == 200 and page.url.endswith(url), url
        assert_accessible(page)

    # A form with errors shows the error summary, and stays accessible.
    page.goto("/cases/referrals/new/")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)

    page.goto(f"/cases/referrals/{referral.pk}/decline/")
    page.get_by_role("button", name="Decline referral").click()
    page.wait_for_load_state()
    assert "Enter the reason for declining the referral." in page.content()
    assert_accessible(page)


def test_analyst_home_is_accessible(world, page):
    sign_in(page, world.analyst.email, PASSWORD)
    page.goto("/")
    assert_accessible(page)
