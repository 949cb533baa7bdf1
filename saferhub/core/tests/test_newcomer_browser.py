"""The newcomer's journey on the demo partnership, in headless Chromium (issue: platform foundation).

Sign in as the demo caseworker, work a referral from the inbox into a case, add a note,
and fail to open another agency's unshared case. Every page visited passes axe.
"""

import re

import pytest
from django.core.management import call_command

from saferhub import policy
from saferhub.accounts.models import User
from saferhub.cases.models import Case, Referral, ReferralDecision
from saferhub.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
from saferhub.core.tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    settings.SAFERHUB_DEMO = True
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    return User.objects.get(email=f"caseworker@{DEMO_DOMAIN}")


def test_newcomer_works_a_referral_into_a_case(demo, page):
    caseworker = demo
    referral = Referral.objects.filter(to_team=caseworker.team, decision=ReferralDecision.PENDING).order_by(
        "received_at"
    )[0]

    sign_in(page, caseworker.email, DEMO_PASSWORD)
    assert page.locator("h1").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Referrals").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/cases/referrals/")
    assert_accessible(page)

    page.goto(f"/cases/referrals/{referral.pk}/")
    assert_accessible(page)
    page.goto(f"/cases/referrals/{referral.pk}/accept/")
    page.get_by_label("Title of the new case").fill("Support after a synthetic burglary")
    page.get_by_role("button", name="Accept referral").click()
    page.wait_for_load_state()

    referral.refresh_from_db()
    assert referral.decision == ReferralDecision.ACCEPTED and referral.case is not None
    case = referral.case
    assert re.search(rf"/cases/{re.escape(case.reference)}/$", page.url)
    assert case.reference in page.locator("h1").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Add a note").click()
    page.get_by_label("Note").fill("Spoke to the victim; a safety plan is agreed.")
    assert_accessible(page)
    page.get_by_role("button", name="Save note").click()
    page.wait_for_load_state()
    assert "a safety plan is agreed" in page.content()
    assert case.notes.count() == 1

    # Another agency's case that nobody shared with the caseworker's agency or team.
    hidden = Case.objects.exclude(pk__in=policy.visible_cases(caseworker)).filter(restricted=False).first()
    assert hidden is not None
    response = page.goto(f"/cases/{hidden.reference}/")
    assert response.status == 404
    assert hidden.title not in page.content()
    page.goto(f"/cases/?q={hidden.reference}")
    assert "No cases match" in page.content()
    assert page.locator(f'a[href="/cases/{hidden.reference}/"]').count() == 0
