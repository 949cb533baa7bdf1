"""Every page of the foundation, as the role that uses it, through axe in headless Chromium.

Each page must have no axe violations, exactly one <h1> and no Content-Security-Policy errors
(the `page` fixture fails the test on any). Forms are also checked with their error summary.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferhub import policy
from saferhub.accounts.models import Team, User
from saferhub.cases.models import Participant
from saferhub.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
from saferhub.core.models import ReferenceList
from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, settings):
    settings.SAFERHUB_DEMO = True
    call_command("load_demo", verbosity=0)
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=DEMO_DOMAIN)}


def visit_all(page, urls):
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        assert_accessible(page)


def test_caseworker_pages(demo, page):
    user = demo["caseworker"]
    case = policy.visible_cases(user).filter(owning_team=user.team, status="open").first()
    person = Participant.objects.filter(case=case).first().person
    ref = case.reference
    sign_in(page, user.email, DEMO_PASSWORD)
    visit_all(
        page,
        [
            reverse("core:home"),
            reverse("cases:list"),
            reverse("cases:list") + "?q=a&status=open",
            reverse("cases:create"),
            reverse("cases:break-glass-start"),
            *(
                reverse(name, kwargs={"reference": ref})
                for name in (
                    "cases:detail",
                    "cases:edit",
                    "cases:close",
                    "cases:hold",
                    "cases:add-note",
                    "cases:add-action",
                    "cases:add-participant",
                    "cases:add-new-participant",
                    "cases:share",
                    "cases:link",
                    "cases:restricted-access",
                )
            ),
            reverse("people:search") + "?q=a",
            reverse("people:detail", args=[person.pk]),
            reverse("people:edit", args=[person.pk]),
            reverse("accounts:password-change"),
        ],
    )
    # Forms sent empty show an error summary that is itself accessible.
    for url in [
        reverse("cases:create"),
        reverse("cases:share", kwargs={"reference": ref}),
        reverse("cases:add-action", kwargs={"reference": ref}),
    ]:
        page.goto(url)
        page.locator("main form[method=post] button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").count() == 1, url
        assert_accessible(page)


def test_administration_pages(demo, page):
    admin = demo["admin"]
    team = Team.objects.filter(partnership=admin.partnership).first()
    sign_in(page, admin.email, DEMO_PASSWORD)
    visit_all(
        page,
        [
            reverse("accounts:admin-index"),
            reverse("accounts:admin-users"),
            reverse("accounts:admin-user-create"),
            reverse("accounts:admin-user-edit", args=[demo["caseworker"].pk]),
            reverse("accounts:admin-teams"),
            reverse("accounts:admin-team-edit", args=[team.pk]),
            reverse("accounts:admin-agencies"),
            reverse("accounts:admin-reference"),
            reverse("accounts:admin-reference-list", args=[ReferenceList.ETHNICITY]),
            reverse("accounts:admin-reference-create", args=[ReferenceList.ETHNICITY]),
            reverse("imports:index"),
            reverse("imports:upload"),
            reverse("reporting:index"),
        ],
    )


def test_auditor_and_analyst_pages(demo, page):
    sign_in(page, demo["auditor"].email, DEMO_PASSWORD)
    visit_all(page, [reverse("core:home"), reverse("audit:events"), reverse("audit:break-glass")])
    sign_out(page)
    sign_in(page, demo["analyst"].email, DEMO_PASSWORD)
    visit_all(
        page,
        [
            reverse("core:home"),
            reverse("reporting:index"),
            reverse("reporting:run") + "?kind=caseload&date_from=2024-04-01&date_to=2025-03-31&output=html",
        ],
    )


def test_sign_in_and_two_factor_set_up(demo, page, settings):
    settings.REQUIRE_TWO_FACTOR = True
    visit_all(page, [reverse("accounts:password-reset"), reverse("accounts:sign-in")])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    sign_in(page, demo["caseworker"].email, DEMO_PASSWORD)
    assert page.url.endswith(reverse("accounts:two-factor-setup"))
    assert_accessible(page)
