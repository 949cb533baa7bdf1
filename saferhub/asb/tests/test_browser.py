"""ASB journeys in headless Chromium: a resident applies without an account; an officer works a case
from first report to closure order and cannot skip the written warning. axe on every page."""

import datetime
import re

import pytest
from django.utils import timezone

from saferhub.asb.models import CaseReview, Intervention
from saferhub.asb.tests.world import build_world
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_resident_applies_for_a_case_review_without_an_account(world, page):
    page.goto(f"/asb/apply/{world.partnership.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Vera Testvictim")
    page.get_by_label("E-mail address").fill("vera@example.org")
    page.get_by_label("What is the anti-social behaviour?").fill("Loud music every night")
    page.get_by_label("Where does it happen?").fill("1 Invented Row")
    page.get_by_label("When did you report it, and to whom?").fill("Council in March")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    review = CaseReview.objects.get()
    assert review.reference in page.content()
    assert_accessible(page)


def test_officer_records_from_first_report_to_closure_order(world, page):
    sign_in(page, world.owner.email, PASSWORD)
    ref = world.case.reference
    for url in (
        "/asb/",
        f"/asb/cases/{ref}/",
        "/asb/tools-and-powers/",
        "/asb/case-reviews/",
        "/asb/pspos/",
        "/asb/settings/",
        "/asb/case-reviews/new/",
        "/asb/cases/new/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)

    today = timezone.localdate()
    page.goto(f"/asb/cases/{ref}/reports/new/")
    assert_accessible(page)
    fill_date(page, "Date of the behaviour", str(today - datetime.timedelta(days=3)))
    page.get_by_label("What happened").fill("Shouting in the street")
    page.get_by_label("Council").check()
    fill_date(page, "Date reported", str(today - datetime.timedelta(days=2)))
    with page.expect_navigation():
        page.get_by_role("button", name="Save report").click()
    assert "Report recorded" in page.content()

    def record(kind: str, **fields: str) -> None:
        # The first page asks which tool or power; the second only for its fields.
        page.goto(f"/asb/cases/{ref}/tools/new/")
        page.get_by_label(kind, exact=True).check()
        # Wait for the answer to each post: without it the next goto can race the form's navigation.
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        for label, value in fields.items():
            if re.fullmatch(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", value):
                fill_date(page, label, value)  # the GOV.UK date input: day, month, year (and time)
                continue
            field = page.get_by_label(re.compile("^" + re.escape(label)))
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()

    served = str(today - datetime.timedelta(days=20))
    record("Community Protection Notice", **{"Served on": "Sid Testsubject", "Date served": served})
    assert "CPN needs a written warning" in page.content() and page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    record("Community Protection Notice written warning", **{"Served on": "Sid Testsubject", "Date served": served})
    record(
        "Community Protection Notice",
        **{"Served on": "Sid Testsubject", "Date served": str(today - datetime.timedelta(days=10))},
    )
    notice = f"{today - datetime.timedelta(days=2)} 10:00"
    record(
        "Closure notice",
        **{
            "Premises (closure notices and orders)": "1 Invented Row",
            "Time the closure notice was served": notice,
            "Time of the court hearing (closure notice)": f"{today - datetime.timedelta(days=1)} 09:00",
        },
    )
    record(
        "Closure order",
        **{
            "Premises (closure notices and orders)": "1 Invented Row",
            "Date served": str(today - datetime.timedelta(days=1)),
            "End date": str(today + datetime.timedelta(days=80)),
        },
    )
    assert list(Intervention.objects.order_by("pk").values_list("kind__code", flat=True)) == [
        "cpn_warning",
        "cpn",
        "closure_notice",
        "closure_order",
    ]
    page.goto(f"/asb/cases/{ref}/")
    assert "Closure order" in page.content()
    assert_accessible(page)
