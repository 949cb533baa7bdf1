"""The hub's main journey in headless Chromium: referral form to closure; every page passes axe, one <h1>, no CSP errors."""

import pytest

from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out
from saferhub.directory.models import Category, Service, ServiceCategory
from saferhub.victims.models import HubReferral
from saferhub.victims.tests.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    world = build_world()
    rj = Service.objects.create(
        partnership=world.partnership, name="Calm Talk Mediation", how_to_refer="E-mail the form"
    )
    ServiceCategory.objects.create(service=rj, category=Category.RESTORATIVE_JUSTICE)
    return world


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert_accessible(page)


def submit(page, button):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_referral_to_closure(world, page):
    sign_in(page, world.shared.email, PASSWORD)
    visit(page, "/victims/referrals/new/")
    submit(page, "Send referral")
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Referrer’s name").fill("Tam Referrer")
    page.get_by_label("How to contact the referrer").fill("tam@example.org")
    page.get_by_label("Direct victim", exact=True).check()
    page.get_by_label("Crime type").select_option(label="Robbery")
    page.get_by_label("What has happened, and what support is asked for?").fill("Synthetic: robbed at a bus stop.")
    page.get_by_label("First name").fill("Robin")
    submit(page, "Send referral")
    hub = HubReferral.objects.get()
    assert page.url.endswith(f"/victims/referrals/{hub.pk}/")
    assert_accessible(page)

    sign_out(page)
    sign_in(page, world.owner.email, PASSWORD)
    for url in (
        "/victims/",
        "/victims/triage/",
        f"/victims/referrals/{hub.pk}/",
        f"/victims/referrals/{hub.pk}/accept/",
    ):
        visit(page, url)
    submit(page, "Accept and open a case")
    assert "a Victim Care Hub case is open" in page.content()
    assert_accessible(page)

    visit(page, f"/victims/referrals/{hub.pk}/contact/")
    page.get_by_label("Phone call").check()
    page.get_by_label("Yes", exact=True).check()
    submit(page, "Save attempt")
    for path in (
        "scores",
        "care-plan",
        "support",
        "safety-items",
        "onward",
        "rj-referral",
        "rights",
        "rj-informed",
        "details",
        "close",
    ):
        visit(page, f"/victims/referrals/{hub.pk}/{path}/")
    page.get_by_label("Support complete: needs met").check()
    # Rights left unrecorded: closing asks why (the integrity warning), on the page or after a first try.
    still_open = page.get_by_label("Why close the case with these still open?")
    if still_open.count():
        still_open.fill("The victim asked to close; the remaining rights were explained by phone")
    submit(page, "Close the case")
    if "Case closed." not in page.content() and still_open.count():
        page.get_by_label("Support complete: needs met").check()
        still_open.fill("The victim asked to close; the remaining rights were explained by phone")
        submit(page, "Close the case")
    assert "Case closed." in page.content()
    assert_accessible(page)
    visit(page, "/victims/cases/")
    visit(page, "/directory/")


def test_analyst_pages(world, page):
    sign_in(page, world.analyst.email, PASSWORD)
    visit(page, "/victims/")
    visit(page, "/victims/targets/")
    page.get_by_label("Q1 referral target").fill("24")
    submit(page, "Save targets")
    assert_accessible(page)
    visit(page, "/reports/run/?kind=victim-hub&date_from=2023-04-01&date_to=2024-03-31&fmt=html")


def test_admin_pages(world, page):
    sign_in(page, world.admin.email, PASSWORD)
    for url in ("/victims/settings/", "/directory/", "/directory/new/"):
        visit(page, url)
