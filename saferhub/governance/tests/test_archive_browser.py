"""Browser journey: an analyst changes a commissioned service's KPI, then archives a strategy's priority (with a
reason) and restores it. axe on every page, no horizontal scroll at 375 px. Everything is synthetic."""

from decimal import Decimal

import pytest

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.core.tests.browser import assert_accessible, sign_in
from saferhub.governance import actions
from saferhub.governance.models import Priority, ServiceKpi, Unit

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db):
    from django.core.cache import cache

    cache.clear()
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northbrook Council", kind=AgencyKind.COUNCIL)
    refuge = AgencyFactory(partnership=partnership, name="Invented Refuge", kind=AgencyKind.VOLUNTARY)
    analyst = UserFactory(team=TeamFactory(agency=council), roles=[Role.ANALYST])
    service = actions.create_service(analyst, name="Invented outreach service", agency=refuge)
    kpi = actions.add_kpi(
        analyst, service, name="Clients supported", unit=Unit.COUNT, good_direction="up", quarterly_target=60
    )
    strategy = actions.create_strategy(analyst, name="Invented Safer Streets Strategy", runs="", summary="")
    kept = actions.add_priority(analyst, strategy, title="Supporting victims", outcomes="Victims feel safer")
    archived = actions.add_priority(analyst, strategy, title="Reducing reoffending", outcomes="")
    return {"analyst": analyst, "kpi": kpi, "kept": kept, "archived": archived}


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _check(page):
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)


def test_an_analyst_changes_a_kpi_then_archives_and_restores_a_priority(world, page):
    kpi, priority = world["kpi"], world["archived"]
    sign_in(page, world["analyst"].email, PASSWORD)
    page.get_by_role("link", name="Governance").first.click()
    page.get_by_role("link", name="Commissioned services").click()
    _check(page)
    page.get_by_role("link", name="Invented outreach service").click()
    _check(page)

    # Change the KPI: a blank name is an error naming the field; then the new name and target are saved.
    page.get_by_role("link", name="Change Clients supported").click()
    _check(page)
    page.get_by_label("KPI", exact=True).fill("")
    page.get_by_role("button", name="Save the KPI").click()
    page.wait_for_load_state()
    assert "Enter the KPI's name" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("KPI", exact=True).fill("Clients supported to safety")
    page.get_by_label("Target per quarter (optional)").fill("75")
    page.get_by_role("button", name="Save the KPI").click()
    page.wait_for_load_state()
    assert "KPI saved" in page.content()
    changed = ServiceKpi.objects.get(pk=kpi.pk)
    assert (changed.name, changed.quarterly_target, changed.version) == (
        "Clients supported to safety",
        Decimal(75),
        kpi.version + 1,
    )
    row = page.get_by_role("row", name="Clients supported to safety")
    assert "75" in row.inner_text()
    _check(page)

    # Archive a priority with a reason: it leaves the strategy's priorities for "Archived priorities".
    page.get_by_role("link", name="Governance").first.click()
    page.get_by_role("link", name="Strategies and indicators").click()
    _check(page)
    page.get_by_role("link", name="Invented Safer Streets Strategy").click()
    _check(page)
    page.get_by_role("link", name="Archive the priority Reducing reoffending").click()
    _check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Archive the priority?"
    page.get_by_label("Why is it being archived? (optional)").fill("Merged into Supporting victims")
    page.get_by_role("button", name="Archive the priority").click()
    page.wait_for_load_state()
    assert "Priority Reducing reoffending archived" in page.content()
    archived = Priority.objects.get(pk=priority.pk)
    assert archived.archived_at is not None and archived.archive_reason == "Merged into Supporting victims"
    assert page.get_by_role("heading", name="Archived priorities").count() == 1
    assert page.get_by_role("link", name="Archive the priority Reducing reoffending").count() == 0
    assert page.get_by_role("link", name="Archive the priority Supporting victims").count() == 1
    _check(page)

    # Restore it: back among the priorities, and each step has its audit row.
    page.get_by_role("link", name="Restore Reducing reoffending").click()
    _check(page)
    assert "Merged into Supporting victims" in page.content()
    page.get_by_role("button", name="Restore the priority").click()
    page.wait_for_load_state()
    assert "Priority Reducing reoffending restored" in page.content()
    assert Priority.objects.get(pk=priority.pk).archived_at is None
    assert page.get_by_role("heading", name="Archived priorities").count() == 0
    assert page.get_by_role("link", name="Archive the priority Reducing reoffending").count() == 1
    _check(page)
    audited = AuditEvent.objects.filter(object_type="governance.priority", object_id=str(priority.pk))
    assert audited.filter(action=AuditAction.ARCHIVE).count() == 1
    assert audited.filter(action=AuditAction.UPDATE, detail__restored=True).count() == 1
