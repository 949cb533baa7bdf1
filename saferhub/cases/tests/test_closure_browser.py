"""Closing with approval in headless Chromium: a caseworker asks, the team manager approves from the home page."""

import pytest

from saferhub.cases.models import Case, CaseStatus
from saferhub.cases.tests.factories import CaseFactory
from saferhub.cases.tests.referral_world import build_world
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    world = build_world()
    world.case_type.closure_needs_approval = True
    world.case_type.save()
    ReferenceCode.objects.create(
        partnership=world.partnership,
        code_list=ReferenceList.CASE_CLOSURE_REASON,
        code="support_complete",
        label="Support complete",
    )
    return world


def test_caseworker_asks_and_manager_approves(world, page):
    case = CaseFactory(
        owning_team=world.vch, case_type=world.case_type, assigned_to=world.owner, title="Testcase to close"
    )
    sign_in(page, world.owner.email, PASSWORD)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_role("button", name="Ask to close the case").click()
    page.wait_for_load_state()
    assert_accessible(page)
    # Sent empty, the form says what to do, accessibly.
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Support complete").check()
    page.get_by_label("More detail").fill("All the goals of the support plan are met")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/cases/{case.reference}/")
    assert page.get_by_test_id("closure-awaiting-approval").is_visible()
    assert_accessible(page)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN
    sign_out(page)

    sign_in(page, world.manager.email, PASSWORD)
    page.goto("/")
    assert page.locator('[data-count="closures-awaiting"]').inner_text() == "1"
    assert_accessible(page)
    page.get_by_test_id("closures-awaiting").get_by_role("link", name=case.reference).click()
    page.wait_for_load_state()
    assert "All the goals of the support plan are met" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and close the case").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/cases/{case.reference}/")
    assert "Closure approved" in page.content()
    assert_accessible(page)
    closed = Case.objects.get(pk=case.pk)
    assert closed.status == CaseStatus.CLOSED and closed.closure_reason == "support_complete"
