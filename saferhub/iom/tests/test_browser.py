"""The IOM officer's journey in headless Chromium: adopt a person, record the plan, a RAG change and an
offence; every page passes axe, has one <h1> and no CSP errors."""

import pytest

from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.iom.models import CohortStay, Offence, PlanItem, RagStatus
from saferhub.iom.tests.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_world()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert_accessible(page)


def submit(page, button):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_an_iom_officer_adopts_a_person_and_records_plan_rag_and_offence(world, page):
    sign_in(page, world.owner.email, PASSWORD)
    visit(page, "/iom/")
    page.get_by_role("link", name="Adopt a person into the cohort").click()
    page.wait_for_load_state()
    assert_accessible(page)
    submit(page, "Adopt into the cohort")
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("First name").fill("Testa")
    page.get_by_label("Last name").fill("Marchbank")
    fill_date(page, "Date adopted into the cohort", "2024-02-01")
    page.get_by_label("Flex").check()
    page.get_by_label("Statutory (on licence, managed by probation)").check()
    page.get_by_label("Reason for selection").fill("Synthetic: repeat burglary while on licence.")
    page.get_by_label("Red", exact=True).check()
    submit(page, "Adopt into the cohort")
    stay = CohortStay.objects.get()
    assert page.url.endswith(f"/iom/stays/{stay.pk}/")
    assert_accessible(page)

    page.get_by_role("link", name="Add to the plan").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Drugs and alcohol").check()
    page.get_by_label("What will be done").fill("Structured treatment")
    page.get_by_label("Referred to").fill("Test Recovery Service")
    page.get_by_label("Referred", exact=True).check()
    submit(page, "Add to the plan")
    assert PlanItem.objects.filter(stay=stay, pathway="drugs_alcohol").exists()

    page.get_by_role("link", name="Record a RAG status").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Blue (in custody or on remand)").check()
    fill_date(page, "Date of this status", "2024-03-01")
    submit(page, "Record the status")
    assert RagStatus.objects.filter(stay=stay, rag="blue").exists()

    page.get_by_role("link", name="Record an offence").click()
    page.wait_for_load_state()
    assert_accessible(page)
    fill_date(page, "Date of the offence", "2024-02-20")
    page.get_by_label("Offence group").select_option(label="Robbery")
    page.get_by_label("Yes", exact=True).check()
    submit(page, "Record the offence")
    assert Offence.objects.filter(person=stay.person, offence_group="robbery").exists()
    assert "Structured treatment" in page.content() and "Robbery" in page.content()
    assert_accessible(page)
    for url in ("/iom/cost-of-crime/", "/iom/reoffending/", "/iom/youth-justice-kpis/", "/iom/settings/"):
        visit(page, url)
