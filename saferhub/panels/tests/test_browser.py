"""The coordinator's DA MARAC journey in headless Chromium: each page passes axe, has one <h1>, no CSP errors."""

import datetime

import pytest
from django.utils import timezone

from saferhub.assessments.definitions import install_templates
from saferhub.core.tests.browser import assert_accessible, fill_date, sign_in
from saferhub.panels.models import Meeting, PanelReferral
from saferhub.panels.tests.world import PASSWORD, build_world, person, refer

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


@pytest.fixture
def world(transactional_db):
    world = build_world()
    install_templates(world.partnership)
    return world


def _visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert_accessible(page)


def test_coordinator_runs_a_marac(world, page):
    ivy = person(world, "Ivy", "Quillmarsh")
    refer(world, ivy, TODAY - datetime.timedelta(days=90))
    sign_in(page, world.coordinator.email, PASSWORD)
    _visit(page, "/panels/")
    _visit(page, "/panels/types/da_marac/")
    _visit(page, "/panels/types/da_marac/settings/")
    _visit(page, "/panels/types/da_marac/refer/?q=Quillmarsh")
    page.get_by_role("link", name="Refer Ivy Quillmarsh").click()
    page.wait_for_load_state()
    assert "Repeat referral" in page.content()
    assert_accessible(page)
    # Submitting with nothing chosen shows the error summary, and stays accessible.
    page.get_by_role("button", name="Save referral").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Referring agency").select_option(label="Testshire Health")
    page.get_by_label("Risk checklist score").fill("16")
    page.get_by_role("button", name="Save referral").click()
    page.wait_for_load_state()
    assert PanelReferral.objects.filter(person=ivy, is_repeat=True).exists()
    assert_accessible(page)

    _visit(page, "/panels/types/da_marac/meetings/new/")
    fill_date(page, "Date of the meeting", (TODAY + datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Schedule meeting").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get()
    page.get_by_role("button", name="Build the agenda").click()
    page.wait_for_load_state()
    assert_accessible(page)
    hearing = meeting.hearings.get()
    _visit(page, f"/panels/meetings/{meeting.pk}/attendance/")
    _visit(page, f"/panels/meetings/{meeting.pk}/agencies/add/")
    _visit(page, f"/panels/hearings/{hearing.pk}/")
    _visit(page, f"/panels/hearings/{hearing.pk}/information/")
    _visit(page, f"/panels/hearings/{hearing.pk}/actions/new/")
    _visit(page, f"/panels/hearings/{hearing.pk}/outcome/")
    page.get_by_label("Review again").check()
    page.get_by_role("button", name="Save outcome").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _visit(page, f"/panels/referrals/{PanelReferral.objects.latest('pk').pk}/")
    _visit(page, f"/panels/cases/{hearing.panel_case.case.reference}/summary/")
    _visit(page, "/panels/actions/overdue/")


def test_invited_agency_reads_the_summary(world, page):
    referral = refer(world, person(world), TODAY - datetime.timedelta(days=10))
    from saferhub.panels import actions

    meeting = actions.schedule_meeting(world.coordinator, world.da, date=TODAY + datetime.timedelta(days=2))
    actions.build_agenda(world.coordinator, meeting)
    sign_in(page, world.users["police"].email, PASSWORD)
    _visit(page, "/panels/")
    page.get_by_role("link", name=referral.panel_case.case.reference).click()
    page.wait_for_load_state()
    assert "panel summary" in page.content()
    assert_accessible(page)
