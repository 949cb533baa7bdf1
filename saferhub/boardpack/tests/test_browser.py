"""Browser journey: an analyst starts a board pack, picks and orders sections, previews one, writes the
summary, issues the pack and downloads it (axe on every page, no horizontal scroll at 375 px)."""

import datetime

import pytest
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.boardpack.forms import last_complete_quarter
from saferhub.boardpack.models import BoardPack, PackStatus
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.governance.models import CommitmentStatus
from saferhub.governance.tests.factories import ActionPlanFactory, ActivityFactory, CommitmentFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def analyst(transactional_db):
    from django.core.cache import cache

    cache.clear()
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    team = TeamFactory(agency=AgencyFactory(partnership=partnership, name="Northbrook Council"))
    quarter = last_complete_quarter(timezone.localdate())
    plan = ActionPlanFactory(partnership=partnership, name="Invented Strategy action plan")
    for status in (CommitmentStatus.ON_TRACK, CommitmentStatus.AT_RISK, CommitmentStatus.OFF_TRACK):
        CommitmentFactory(plan=plan, status=status, status__on=quarter.start)
    for participants in (14, 3, 22):
        ActivityFactory(
            partnership=partnership, held_on=quarter.start + datetime.timedelta(days=10), participants=participants
        )
    return UserFactory(team=team, roles=[Role.ANALYST])


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _checked(page):
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)


def test_analyst_assembles_and_issues_a_board_pack(analyst, page):
    sign_in(page, analyst.email, PASSWORD)
    page.get_by_role("link", name="Board packs").first.click()
    _checked(page)
    page.get_by_role("link", name="Start a board pack").click()
    _checked(page)
    page.get_by_label("Meeting (optional)", exact=True).fill("Invented Partnership Board")
    fill_date(page, "Date of the meeting", "not a date")
    page.get_by_role("button", name="Start the pack").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    fill_date(page, "Date of the meeting", "2099-01-15")
    page.get_by_role("button", name="Start the pack").click()
    _checked(page)
    pack = BoardPack.objects.get()

    page.get_by_role("link", name="Choose and order the sections").click()
    _checked(page)
    for box in page.locator("input[name=sections]").all():
        if box.get_attribute("value") not in ("activities", "action-plan"):
            box.uncheck()
    page.get_by_label("Position of Action plan progress").fill("1")
    page.get_by_label("Position of Activities: training, meetings and outreach").fill("2")
    page.get_by_role("button", name="Save sections").click()
    _checked(page)
    pack.refresh_from_db()
    assert pack.sections == ["action-plan", "activities"]

    page.get_by_role("link", name="preview Activities: training, meetings and outreach").click()
    _checked(page)
    assert page.locator("svg.saferhub-chart").count() >= 1
    page.get_by_role("link", name="Show as published (small numbers suppressed)").click()
    _checked(page)
    assert "<5" in page.content() or "&lt;5" in page.content()
    page.get_by_role("link", name=f"{pack.period_label}, version 1").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Change the cover sheet, summary and recommendations").click()
    _checked(page)
    page.get_by_label("Summary").fill("Invented summary of the quarter.")
    page.get_by_label("Recommendations").fill("That the board notes the report.")
    page.get_by_role("button", name="Save cover sheet").click()
    _checked(page)

    page.get_by_role("link", name="Issue the pack").click()
    _checked(page)
    page.get_by_role("button", name="Issue the pack").click()
    _checked(page)
    pack.refresh_from_db()
    assert pack.status == PackStatus.ISSUED
    with page.expect_download() as download:
        page.get_by_role("link", name="Full pack (DOCX, OFFICIAL-SENSITIVE)").click()
    assert download.value.suggested_filename.endswith("OFFICIAL-SENSITIVE.docx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Publishable pack, small numbers suppressed (DOCX, OFFICIAL)").click()
    assert "publishable" in download.value.suggested_filename
