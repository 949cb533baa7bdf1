"""Indicators from a return that needs an option: `marac` and `panel-activity` for one panel type.

The form offers those returns, asks for the panel type by name and lists the return's figures for it;
a missing or unknown panel type is an error naming the field; the figure computed (on the page, the
`indicators` return and the strategy demo) equals the same return run on its own for that panel type
and period. Who may add one is unchanged. Everything is synthetic.
"""

import datetime
import html
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.governance import actions
from saferhub.governance import indicators as figures
from saferhub.governance.indicator_report import build_indicators
from saferhub.governance.models import Indicator, IndicatorValue, Source, Unit
from saferhub.governance.periods import parse_period, period_containing
from saferhub.governance.strategy_demo import build_strategy_demo
from saferhub.panels.reports import build_marac, build_panel_activity
from saferhub.panels.tests.world import build_world, meeting, person, refer

pytestmark = pytest.mark.django_db

Q1 = parse_period("2024/25 Q1")  # 1 April to 30 June 2024


def last_quarter():
    today = timezone.localdate()
    return period_containing("quarter", period_containing("quarter", today).start - datetime.timedelta(days=1))


@pytest.fixture
def world():
    world = build_world()
    analyst = world.users["analyst"]
    world.strategy = actions.create_strategy(analyst, name="Invented Safer Homes Strategy", runs="", summary="")
    world.priority = actions.add_priority(analyst, world.strategy, title="Protecting victims", outcomes="")
    world.users["admin"] = UserFactory(team=world.marac_team, roles=[Role.PARTNERSHIP_ADMIN])
    world.users["team_manager"] = UserFactory(team=world.marac_team, roles=[Role.TEAM_MANAGER])
    world.users["board_member"] = UserFactory(team=world.marac_team, roles=[Role.BOARD_MEMBER])
    other = PartnershipFactory(name="Southmere Safer Communities Partnership")
    world.users["other_analyst"] = UserFactory(
        team=TeamFactory(agency=AgencyFactory(partnership=other)), roles=[Role.ANALYST]
    )
    world.users["anonymous"] = None
    return world


def referrals(world, quarter, da: int, cs: int) -> None:
    """`da` referrals to the DA MARAC (the first one twice: a repeat) and `cs` to the Community MARAC."""
    for n in range(da):
        victim = person(world, first=f"Ivy{n}", last="Quillmarsh")
        refer(world, victim, quarter.start + datetime.timedelta(days=n), children_in_household=n % 2)
        if n == 0:
            refer(world, victim, quarter.start + datetime.timedelta(days=40))
    for n in range(cs):
        refer(
            world, person(world, first=f"Oak{n}", last="Fernby"), quarter.start + datetime.timedelta(days=n), world.cs
        )


def marac_indicator(world, panel_type="da_marac", path="total.referrals", report="marac", name=None):
    return actions.create_indicator(
        world.users["analyst"],
        world.priority,
        name=name or f"Referrals to {panel_type}",
        definition="",
        unit=Unit.COUNT,
        good_direction="up",
        frequency="quarter",
        baseline_value=None,
        baseline_period="",
        amber_tolerance=Decimal(10),
        source=Source.RETURN,
        report=report,
        report_options={"panel_type": panel_type},
        measure_path=path,
        kpi=None,
    )


def form_data(**changes):
    return {
        "name": "Referrals to the DA MARAC",
        "definition": "",
        "unit": "count",
        "good_direction": "up",
        "frequency": "quarter",
        "baseline_value": "",
        "baseline_period": "",
        "amber_tolerance": "10",
        "source": "return",
        "report": "marac",
        "panel_type": "da_marac",
        "measure_path": "total.referrals",
        "kpi": "",
        **changes,
    }


def add_url(world):
    return reverse("governance:indicator-add", args=[world.priority.pk])


# The form ------------------------------------------------------------------------------------------


def test_the_form_offers_the_panel_returns_and_asks_for_the_panel_type_by_name(client, world):
    client.force_login(world.users["analyst"])
    step_one = client.get(add_url(world)).context["measure_form"]
    offered = dict(step_one.fields["report"].choices)
    assert offered["marac"] == "MARAC referrals" and offered["panel-activity"] == "Panel activity"
    assert "indicators" not in offered
    response = client.get(add_url(world), {"report": "marac"})
    panel_type = response.context["measure_form"].fields["panel_type"]
    assert ("da_marac", "DA MARAC") in panel_type.choices and panel_type.required
    page = response.text
    assert '<option value="da_marac">DA MARAC</option>' in page
    # No figures until the panel type is chosen, and the page says what to do.
    assert response.context["form"].fields["measure_path"].choices == [("", "Choose a figure")]
    assert "Choose the panel type above, then “Show the return's figures”" in page


def test_the_figures_offered_are_those_of_the_chosen_panel_type(client, world):
    quarter = last_quarter()
    referrals(world, quarter, da=3, cs=2)
    client.force_login(world.users["analyst"])
    offered = {}
    for code in ("da_marac", "cs_marac"):
        response = client.get(add_url(world), {"report": "marac", "panel_type": code})
        offered[code] = dict(response.context["form"].fields["measure_path"].choices)
        own = build_marac(world.partnership, quarter.start, quarter.end, panel_type=code)
        assert offered[code]["total.referrals"] == f"Total › Referrals ({own['total']['referrals']} in {quarter.label})"
    assert offered["da_marac"]["total.referrals"].startswith("Total › Referrals (4 ")
    assert offered["cs_marac"]["total.referrals"].startswith("Total › Referrals (2 ")
    page = client.get(add_url(world), {"report": "marac", "panel_type": "da_marac"}).text
    assert "(Panel type: DA MARAC)" in page
    # The chosen panel type travels with the indicator's form.
    assert '<input type="hidden" name="panel_type" value="da_marac">' in page


def test_saving_with_the_panel_type_stores_it_computes_the_figures_and_audits(client, world):
    quarter = last_quarter()
    referrals(world, quarter, da=3, cs=2)
    client.force_login(world.users["analyst"])
    response = client.post(add_url(world), form_data())
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Referrals to the DA MARAC")
    assert (indicator.report, indicator.report_options, indicator.measure_path) == (
        "marac",
        {"panel_type": "da_marac"},
        "total.referrals",
    )
    assert indicator.values.get(period=quarter.label).value == 4
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="governance.indicator")
    assert event.detail["options"] == {"panel_type": "da_marac"}
    page = client.get(response.url).text
    assert "of the return “MARAC referrals” (Panel type: DA MARAC)" in page
    assert "“Total › Referrals”" in page and "da_marac" not in page


@pytest.mark.parametrize(
    ("panel_type", "message"),
    [
        ("", "Select the panel type whose figures the indicator takes, then choose “Show the return's figures”"),
        ("no_such_panel", "Select one of the partnership's panel types in the list"),
    ],
)
def test_saving_without_a_known_panel_type_is_an_error_on_that_field(client, world, panel_type, message):
    client.force_login(world.users["analyst"])
    response = client.post(add_url(world), form_data(panel_type=panel_type))
    assert response.status_code == 200
    assert not Indicator.objects.filter(name="Referrals to the DA MARAC").exists()
    assert message in response.context["form"].errors["panel_type"][0]
    summary = html.unescape(response.text.split('class="govuk-error-summary"')[1].split("</ul>")[0])
    assert f"Panel type: {message}" in summary
    # The error shows by the panel type's select too, where it is chosen.
    assert message in response.context["measure_form"].errors["panel_type"][0]
    assert "Select the figure of the return" not in response.text


def test_an_entered_indicator_needs_no_panel_type_even_with_the_return_chosen(client, world):
    client.force_login(world.users["analyst"])
    response = client.post(add_url(world), form_data(source="entered", panel_type="", measure_path=""))
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Referrals to the DA MARAC")
    assert (indicator.report, indicator.report_options) == ("", {})


def test_the_change_page_keeps_the_panel_type_and_a_new_one_clears_the_old_figures(client, world):
    referrals(world, Q1, da=3, cs=2)
    indicator = marac_indicator(world)
    actions.recompute(world.users["analyst"], indicator, [Q1])
    client.force_login(world.users["analyst"])
    url = reverse("governance:indicator-edit", args=[indicator.pk])
    response = client.get(url)
    assert response.context["measure_form"]["panel_type"].value() == "da_marac"
    assert "total.referrals" in dict(response.context["form"].fields["measure_path"].choices)
    data = form_data(name="Referrals to the MARAC", version=str(indicator.version))
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.report_options == {"panel_type": "da_marac"}
    assert indicator.values.get(period=Q1.label).value == 4  # same source: figures kept
    data = form_data(panel_type="cs_marac", version=str(indicator.version))
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.report_options == {"panel_type": "cs_marac"}
    assert indicator.values.get(period=Q1.label).value is None
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="governance.indicator").latest("pk")
    assert {"name", "report_options"} <= set(event.detail["changed"])


def test_a_conflict_names_a_panel_type_changed_by_someone_else(client, world):
    indicator = marac_indicator(world, name="Referrals to the DA MARAC")
    seen = indicator.version
    actions.update_indicator(
        world.users["admin"],
        indicator,
        expected_version=seen,
        source=indicator.source,
        report=indicator.report,
        report_options={"panel_type": "cs_marac"},
        measure_path=indicator.measure_path,
    )
    client.force_login(world.users["analyst"])
    url = reverse("governance:indicator-edit", args=[indicator.pk])
    # The analyst, on the page opened before, keeps the DA MARAC and changes nothing else.
    response = client.post(url, form_data(version=str(seen)))
    assert response.status_code == 409
    message = html.unescape(response.content.decode())
    # Only the panel type: the tolerance typed as 10 is the 10.0 stored.
    assert "Your entries that differ from the saved record: Panel type." in message
    assert response.context["form"]["panel_type"].value() == "cs_marac"
    assert Indicator.objects.get(pk=indicator.pk).report_options == {"panel_type": "cs_marac"}


# The figures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "path"),
    [
        ("da_marac", "total.referrals"),
        ("da_marac", "total.repeats"),
        ("da_marac", "total.repeat_percent"),
        ("da_marac", "total.families_with_children"),
        ("cs_marac", "total.referrals"),
    ],
)
def test_the_figure_equals_the_marac_return_run_on_its_own(world, code, path):
    referrals(world, Q1, da=3, cs=2)
    refer(world, person(world, first="Later", last="Quillmarsh"), datetime.date(2024, 7, 1))  # the next quarter
    indicator = marac_indicator(world, code, path)
    own = build_marac(world.partnership, Q1.start, Q1.end, panel_type=code)
    expected = figures.resolve(own, path)
    assert expected is not None
    assert figures.compute(indicator, Q1) == expected
    rows = actions.recompute(world.users["analyst"], indicator, [Q1])
    assert rows[0].value == expected
    report = {row["indicator"]: row for row in build_indicators(world.partnership, Q1.start, Q1.end)["indicators"]}
    row = report[indicator.name]
    assert Decimal(str(row["value"])) == expected
    assert row["measure"] == f"marac[panel_type={code}]:{path}"


def test_the_da_and_community_marac_indicators_differ(world):
    referrals(world, Q1, da=3, cs=2)
    da, cs = marac_indicator(world, "da_marac"), marac_indicator(world, "cs_marac")
    cache = {}
    assert (figures.compute(da, Q1, cache), figures.compute(cs, Q1, cache)) == (4, 2)


def test_a_panel_activity_figure_equals_that_return(world):
    meeting(world, datetime.date(2024, 5, 9))
    meeting(world, datetime.date(2024, 6, 13), world.cs)
    indicator = marac_indicator(world, "da_marac", "totals.meetings", report="panel-activity", name="Meetings")
    own = build_panel_activity(world.partnership, Q1.start, Q1.end, panel_type="da_marac")
    assert figures.compute(indicator, Q1) == Decimal(own["totals"]["meetings"])


def test_an_indicator_whose_panel_type_is_gone_has_no_figure(world):
    indicator = marac_indicator(world, "no_such_panel")
    assert figures.compute(indicator, Q1) is None


# Who may -------------------------------------------------------------------------------------------

WHO = {
    "analyst": (200, 302),
    "admin": (200, 302),
    "team_manager": (403, 403),
    "board_member": (403, 403),
    "coordinator": (403, 403),
    "colleague": (403, 403),
    "other_analyst": (404, 404),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("who", WHO)
def test_who_may_add_an_indicator_from_the_marac_return_is_unchanged(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    get = client.get(add_url(world), {"report": "marac", "panel_type": "da_marac"})
    post = client.post(add_url(world), form_data())
    assert (get.status_code, post.status_code) == WHO[who]
    if who == "anonymous":
        assert post.url.startswith("/sign-in/")
    assert Indicator.objects.filter(name="Referrals to the DA MARAC").exists() == (
        WHO[who][1] == 302 and user is not None
    )


# The demo ------------------------------------------------------------------------------------------


def test_the_strategy_demo_has_an_indicator_of_the_da_marac_referrals():
    world = build_world()  # no strategy yet: the demo adds its own
    quarter = last_quarter()
    referrals(world, quarter, da=3, cs=2)
    assert build_strategy_demo(world.partnership, random.Random(1)) is True
    indicator = Indicator.objects.get(partnership=world.partnership, report="marac")
    assert indicator.report_options == {"panel_type": "da_marac"}
    own = build_marac(world.partnership, quarter.start, quarter.end, panel_type="da_marac")
    stored = IndicatorValue.objects.get(indicator=indicator, period=quarter.label)
    assert stored.value == own["total"]["referrals"] == 4
