"""In headless Chromium: a report with long labels fits the window, in the page's font, labels in full; the form pages pass axe."""

import os

import pytest

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import TeamFactory, UserFactory
from saferhub.cases.tests.factories import CaseFactory, CaseTypeFactory
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.reporting.tests.fixtures import D, caseload  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

LONG = "Victims who reported to the police and are assisting the investigation"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def long_labels(transactional_db, caseload):  # noqa: F811 - the fixture above
    team = TeamFactory(agency__partnership=caseload, name="Team with a long name for a chart label to wrap")
    long_type = CaseTypeFactory(partnership=caseload, code="long", name=LONG, prefix="LNG")
    for _ in range(3):
        CaseFactory(owning_team=team, case_type=long_type, opened_on=D(2023, 6, 1))
    return UserFactory(team=team, roles=[Role.ANALYST])


def test_a_report_with_long_labels_fits_the_window(long_labels, page):
    sign_in(page, long_labels.email, PASSWORD)
    response = page.goto("/reports/run/?kind=caseload&date_from=2023-04-01&date_to=2023-12-31&fmt=html")
    assert response.status == 200
    if os.environ.get("SAFERHUB_SCREENSHOTS"):  # to look at it: SAFERHUB_SCREENSHOTS=/some/dir
        page.screenshot(path=os.path.join(os.environ["SAFERHUB_SCREENSHOTS"], "report-chart.png"), full_page=True)
    assert_accessible(page)
    viewport = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    for box in page.locator("svg.saferhub-chart").evaluate_all("els => els.map(e => e.getBoundingClientRect())"):
        assert box["width"] <= 960 and box["right"] <= viewport
    font = page.locator("svg.saferhub-chart").first.evaluate(
        "e => getComputedStyle(e.querySelector('text')).fontFamily"
    )
    assert "serif" not in font.replace("sans-serif", "")
    labels = page.locator("#table-by-case-type-heading ~ div svg text").all_text_contents()
    assert any("assisting the investigation" in text for text in labels)


def test_the_two_report_form_pages_are_accessible(long_labels, page):
    sign_in(page, long_labels.email, PASSWORD)
    page.goto("/reports/run/")
    assert_accessible(page)
    page.get_by_label("Caseload").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url.endswith("/reports/run/?kind=caseload")
    assert_accessible(page)
    assert page.get_by_text("Panel type").count() == 0
    page.get_by_label("Other dates").check()  # and no dates typed: the error page
    page.get_by_role("button", name="Run report").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
