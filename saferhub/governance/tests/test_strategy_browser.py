"""Browser journey: an analyst defines an indicator from a figure of a return; a commissioned service's
provider submits its quarterly return; the analyst accepts it and the indicator it feeds shows the figure and
its RAG rating explained; and an indicator of the DA MARAC's referrals, its panel type chosen by name. axe on
every page, no horizontal scroll at 375 px. Everything is synthetic."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from saferhub.accounts.models import AgencyKind, Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out
from saferhub.governance import actions
from saferhub.governance.models import Indicator, ProviderReturn, ReturnStatus, Source, Unit
from saferhub.governance.periods import period_containing
from saferhub.governance.tests.factories import ActivityFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def _last_quarter():
    today = timezone.localdate()
    return period_containing("quarter", period_containing("quarter", today).start - datetime.timedelta(days=1))


@pytest.fixture
def world(transactional_db):
    from django.core.cache import cache

    cache.clear()
    quarter = _last_quarter()
    partnership = PartnershipFactory(name="Northbrook Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Northbrook Council", kind=AgencyKind.COUNCIL)
    refuge = AgencyFactory(partnership=partnership, name="Invented Refuge", kind=AgencyKind.VOLUNTARY)
    analyst = UserFactory(team=TeamFactory(agency=council), roles=[Role.ANALYST])
    provider = UserFactory(team=TeamFactory(agency=refuge), roles=[Role.PROVIDER])
    service = actions.create_service(analyst, name="Invented outreach service", agency=refuge)
    kpi = actions.add_kpi(
        analyst, service, name="Clients supported", unit=Unit.COUNT, good_direction="up", quarterly_target=60
    )
    actions.request_return(analyst, service, period=quarter.label, due_on=quarter.end + datetime.timedelta(days=30))
    strategy = actions.create_strategy(analyst, name="Invented Safer Streets Strategy", runs="", summary="")
    priority = actions.add_priority(analyst, strategy, title="Supporting victims", outcomes="")
    fed = actions.create_indicator(
        analyst,
        priority,
        name="Clients supported by outreach",
        definition="",
        unit=Unit.COUNT,
        good_direction="up",
        frequency="quarter",
        baseline_value=None,
        baseline_period="",
        amber_tolerance=Decimal(10),
        source=Source.PROVIDER,
        report="",
        measure_path="",
        kpi=kpi,
    )
    actions.set_target(analyst, fed, quarter, Decimal(60))
    ActivityFactory(partnership=partnership, held_on=quarter.start, participants=17)
    return {"analyst": analyst, "provider": provider, "quarter": quarter, "fed": fed}


def _no_horizontal_scroll(page):
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"scrolls at 375 px: {page.url}"
    page.set_viewport_size({"width": 1280, "height": 800})


def _check(page):
    page.wait_for_load_state()
    assert_accessible(page)
    _no_horizontal_scroll(page)


def test_indicator_from_a_return_then_a_provider_return_accepted_feeds_an_indicator(world, page):
    quarter = world["quarter"]
    sign_in(page, world["analyst"].email, PASSWORD)
    page.get_by_role("link", name="Governance").first.click()
    page.get_by_role("link", name="Strategies and indicators").click()
    _check(page)
    page.get_by_role("link", name="Invented Safer Streets Strategy").click()
    _check(page)
    page.get_by_role("link", name="Add an indicator to Supporting victims").click()
    _check(page)
    page.get_by_label("Return (optional)", exact=True).select_option(
        label="Activities: training, meetings and outreach"
    )
    page.get_by_role("button", name="Show the return's figures").click()
    _check(page)
    page.get_by_label("Name", exact=True).fill("People reached by training")
    page.get_by_label("Figure of the return (optional)").select_option("total.participants")
    page.get_by_role("button", name="Add indicator").click()
    page.wait_for_load_state()
    assert "Indicator People reached by training added" in page.content()
    indicator = Indicator.objects.get(name="People reached by training")
    assert (indicator.report, indicator.measure_path) == ("activities", "total.participants")
    assert indicator.values.get(period=quarter.label).value == 17
    assert page.locator("svg.saferhub-chart").count() == 1
    _check(page)
    sign_out(page)

    sign_in(page, world["provider"].email, PASSWORD)
    page.get_by_role("link", name="Service returns").first.click()
    _check(page)
    page.get_by_role("link", name=f"Invented outreach service: {quarter.label}").click()
    _check(page)
    page.get_by_role("button", name="Fill in the return").click()
    _check(page)
    page.get_by_role("button", name="Submit the return").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Clients supported (optional)").fill("63")
    page.get_by_label("Narrative (optional)").fill("A busy quarter (synthetic)")
    page.get_by_role("button", name="Submit the return").click()
    page.wait_for_load_state()
    assert "Return submitted" in page.content()
    assert ProviderReturn.objects.get().status == ReturnStatus.SUBMITTED
    sign_out(page)

    sign_in(page, world["analyst"].email, PASSWORD)
    page.goto(f"/governance/returns/{ProviderReturn.objects.get().pk}/")
    _check(page)
    page.get_by_role("button", name="Accept the return").click()
    page.wait_for_load_state()
    assert "Return accepted" in page.content()
    page.goto(f"/governance/indicators/{world['fed'].pk}/")
    _check(page)
    summary = page.locator(".govuk-inset-text").inner_text()
    assert f"{quarter.label}: 63" in summary
    assert "Green: 63 is at or above the target of 60." in summary


def test_an_analyst_adds_an_indicator_of_the_da_maracs_referrals(transactional_db, page):
    from django.core.cache import cache

    from saferhub.panels.reports import build_marac
    from saferhub.panels.tests.world import build_world, person, refer

    cache.clear()
    quarter = _last_quarter()
    panels = build_world()
    for n in range(3):
        refer(panels, person(panels, first=f"Ivy{n}"), quarter.start)
    refer(panels, person(panels, first="Oak"), quarter.start, panels.cs)
    strategy = actions.create_strategy(
        panels.users["analyst"], name="Invented Safer Homes Strategy", runs="", summary=""
    )
    actions.add_priority(panels.users["analyst"], strategy, title="Protecting victims", outcomes="")
    sign_in(page, panels.users["analyst"].email, PASSWORD)
    page.goto(f"/governance/strategies/{strategy.pk}/")
    page.get_by_role("link", name="Add an indicator to Protecting victims").click()
    page.get_by_label("Return (optional)", exact=True).select_option(label="MARAC referrals")
    page.get_by_role("button", name="Show the return's figures").click()
    _check(page)
    assert "Choose the panel type above" in page.content()
    page.get_by_label("Panel type", exact=True).select_option(label="DA MARAC")
    page.get_by_role("button", name="Show the return's figures").click()
    _check(page)
    page.get_by_label("Name", exact=True).fill("Referrals to the DA MARAC")
    page.get_by_label("Figure of the return (optional)").select_option(
        label=f"Total › Referrals (3 in {quarter.label})"
    )
    page.get_by_role("button", name="Add indicator").click()
    page.wait_for_load_state()
    assert "Indicator Referrals to the DA MARAC added" in page.content()
    indicator = Indicator.objects.get(name="Referrals to the DA MARAC")
    assert indicator.report_options == {"panel_type": "da_marac"}
    own = build_marac(panels.partnership, quarter.start, quarter.end, panel_type="da_marac")
    assert indicator.values.get(period=quarter.label).value == own["total"]["referrals"] == 3
    assert "(Panel type: DA MARAC)" in page.content()
    _check(page)
