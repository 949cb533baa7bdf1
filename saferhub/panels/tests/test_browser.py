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


# The chart and the table it sits beside must not cover each other, on a wide screen or a phone.
OVERLAPS = """() => {
  const boxes = (selector) => [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect());
  const charts = boxes("svg.saferhub-chart"), tables = boxes("table");
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const hidden = [...document.querySelectorAll(".saferhub-table-scroll")].filter((e) => e.scrollWidth > e.clientWidth + 1);
  return {charts: charts.length, tables: tables.length, hidden: hidden.length,
          overlaps: charts.flatMap((c, i) => tables.map((t, j) => (meet(c, t) ? [i, j] : null)).filter(Boolean))};
}"""


def test_the_marac_report_s_charts_sit_beside_their_tables_at_1280_and_375_px(world, page):
    for number in range(6):
        refer(world, person(world, f"Testperson{number}", "Reportee"), TODAY - datetime.timedelta(days=10 + number))
    sign_in(page, world.users["analyst"].email, PASSWORD)
    start, end = TODAY - datetime.timedelta(days=60), TODAY
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(
            f"/reports/run/?kind=marac&panel_type={world.da.code}&period=custom&date_from-day={start.day}"
            f"&date_from-month={start.month}&date_from-year={start.year}&date_to-day={end.day}"
            f"&date_to-month={end.month}&date_to-year={end.year}&fmt=html"
        )
        assert response.status == 200
        found = page.evaluate(OVERLAPS)
        assert found["charts"] and found["tables"], f"the report at {width} px drew no chart or no table"
        assert not found["overlaps"], f"at {width} px charts cover tables: {found['overlaps']}"
        if width == 1280:  # a phone may scroll a wide table; a desktop shows every column
            assert not found["hidden"], f"{found['hidden']} tables hide columns behind a scroll bar at 1280 px"
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert_accessible(page)
