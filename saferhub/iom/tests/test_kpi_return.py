"""`report youth-justice-kpis`: each KPI's value and comparators for the quarters of the period, in the four
formats and on the reports page for those who may run returns, and as the figure of a strategy indicator
(quarterly: the quarter's value; yearly: the fourth quarter's). Everything is synthetic."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import PartnershipFactory, UserFactory
from saferhub.governance import actions as governance
from saferhub.governance import indicators as figures
from saferhub.governance.indicator_report import build_indicators
from saferhub.governance.models import Indicator, Source, Unit
from saferhub.governance.periods import parse_period, period_containing
from saferhub.iom import actions
from saferhub.iom.kpi_report import build, tables
from saferhub.iom.models import YjKpi, YjKpiValue
from saferhub.iom.tests.world import build_world, client_for, csv_text, import_text

pytestmark = pytest.mark.django_db

Q1 = parse_period("2023/24 Q1")  # 1 April to 30 June 2023
YEAR = parse_period("2023/24")
KPI_COLUMNS = ["kpi", "quarter", "value", "national", "regional", "statistical_neighbours"]


def enter(world, kpi, year, quarter, value, **comparators):
    """A value entered on the KPIs page (as its form saves it)."""
    fields = {"national": None, "regional": None, "statistical_neighbours": None, **comparators}
    return actions.set_kpi_value(world.analyst, world.partnership, kpi=kpi, year=year, quarter=quarter,
                                 value=Decimal(value), **{k: v and Decimal(v) for k, v in fields.items()})  # fmt: skip


@pytest.fixture
def world():
    world = build_world()
    # 2023/24 Q1: custody and ETE imported, first time entrants entered; victims has nothing.
    rows = [
        {"kpi": "custody", "quarter": "2023/24 Q1", "value": "2", "national": "3.5", "statistical_neighbours": "2.25"},
        {"kpi": "ete", "quarter": "2023/24 Q1", "value": "71.5", "national": "68", "regional": "70.1"},
    ]
    assert import_text(world, "youth-justice-kpis", csv_text(KPI_COLUMNS, rows)).created == 2
    enter(world, "first_time_entrants", 2023, 1, "150", national="161", regional="158.4")
    # The quarters either side, and another partnership's Q1: none of them is Q1's figure.
    enter(world, "custody", 2022, 4, "9", national="4")
    enter(world, "custody", 2023, 2, "5")
    other = PartnershipFactory(name="Elsewhere Safer Communities Partnership")
    YjKpiValue.objects.create(partnership=other, kpi="custody", year=2023, quarter=1, value=99, national=1)
    return world


def test_the_return_gives_each_kpis_figures_for_the_quarter(world):
    result = build(world.partnership, Q1.start, Q1.end)
    assert result["report"] == "youth-justice-kpis"
    assert result["period"] == {"from": "2023-04-01", "to": "2023-06-30"}
    assert list(result["kpis"]) == list(YjKpi.values)
    figures_of_q1 = {"value": 2, "national": 3.5, "regional": None, "statistical_neighbours": 2.25}
    assert result["kpis"]["custody"] == {"label": "Children in custody", "quarter": "2023/24 Q1", **figures_of_q1}
    [quarter] = result["quarters"]
    assert quarter["quarter"] == "2023/24 Q1" and list(quarter["kpis"]) == list(YjKpi.values)
    assert quarter["kpis"]["custody"] == figures_of_q1
    ete = result["kpis"]["ete"]
    assert (ete["value"], ete["national"], ete["regional"], ete["statistical_neighbours"]) == (71.5, 68, 70.1, None)
    assert result["kpis"]["first_time_entrants"]["value"] == 150
    assert result["kpis"]["first_time_entrants"]["regional"] == 158.4
    victims = result["kpis"]["victims"]
    assert victims["label"] == "KPI 10: Victims"
    assert [victims[name] for name in ("value", "national", "regional", "statistical_neighbours")] == [None] * 4
    # The JSON is as the return writes it: whole numbers as integers.
    assert json.loads(json.dumps(result))["kpis"]["custody"]["value"] == 2


def test_a_year_gives_each_quarter_and_the_fourth_quarters_figures(world):
    enter(world, "custody", 2023, 4, "3", national="3.75")
    result = build(world.partnership, YEAR.start, YEAR.end)
    assert [entry["quarter"] for entry in result["quarters"]] == [
        "2023/24 Q1",
        "2023/24 Q2",
        "2023/24 Q3",
        "2023/24 Q4",
    ]
    custody = result["kpis"]["custody"]
    assert (custody["quarter"], custody["value"], custody["national"]) == ("2023/24 Q4", 3, 3.75)
    assert [entry["kpis"]["custody"]["value"] for entry in result["quarters"]] == [2, 5, None, 3]
    assert result["quarters"][0]["kpis"]["custody"]["national"] == 3.5
    # No value for the year's last quarter: no figure for the year.
    assert result["kpis"]["ete"]["value"] is None
    assert [entry["kpis"]["ete"]["value"] for entry in result["quarters"]] == [71.5, None, None, None]
    # A period across two financial years lists the quarters it touches.
    spanning = build(world.partnership, datetime.date(2023, 2, 1), datetime.date(2023, 5, 31))
    assert [entry["quarter"] for entry in spanning["quarters"]] == ["2022/23 Q4", "2023/24 Q1"]
    assert [entry["kpis"]["custody"]["value"] for entry in spanning["quarters"]] == [9, 2]
    assert spanning["kpis"]["custody"]["value"] == 2


def test_the_tables_say_the_kpis_in_words(world):
    [table] = tables(build(world.partnership, Q1.start, Q1.end))
    assert table.caption == "Youth Justice KPIs in 2023/24 Q1"
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Children in custody"] == [2, 3.5, "Not given", 2.25]
    assert rows["KPI 10: Victims"] == ["Not held", "Not given", "Not given", "Not given"]
    assert len(rows) == 14
    year = tables(build(world.partnership, YEAR.start, YEAR.end))
    assert [t.key for t in year] == ["kpis", "by_quarter"]
    assert year[1].columns == ["KPI", "2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4"]
    assert {row[0]: row[1:] for row in year[1].rows}["Children in custody"] == [2, 5, "Not held", "Not held"]


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_every_format_renders(world, fmt, tmp_path):
    target = tmp_path / f"kpis.{fmt}"
    call_command("report", "youth-justice-kpis", "--from", "2023-04-01", "--to", "2023-06-30", "--partnership",
                 world.partnership.slug, "--format", fmt, "--output", str(target), stdout=io.StringIO())  # fmt: skip
    data = target.read_bytes()
    assert data
    if fmt == "json":
        assert json.loads(data)["kpis"]["custody"]["value"] == 2
    if fmt == "html":
        text = data.decode()
        assert "Youth Justice KPIs in 2023/24 Q1" in text and "KPI 2: Education, training and employment" in text
        assert "custody" not in text.replace("Children in custody", "")


@pytest.mark.parametrize(
    ("who", "status"),
    [("analyst", 200), ("admin", 200), ("board_member", 200), ("owner", 403), ("manager", 403), ("anonymous", 302)],
)
def test_who_may_run_it_on_the_reports_page(world, who, status):
    world.users["board_member"] = UserFactory(team=world.iom, roles=[Role.BOARD_MEMBER])
    query = {"kind": "youth-justice-kpis", "date_from": "2023-04-01", "date_to": "2023-06-30", "fmt": "html"}
    response = client_for(world, who).get(reverse("reporting:run"), query)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Youth Justice KPIs in 2023/24 Q1" in page
        assert ">99<" not in page  # another partnership's value


# As a strategy indicator ------------------------------------------------------------------------


def priority_of(world):
    if not hasattr(world, "priority"):
        strategy = governance.create_strategy(world.analyst, name="Invented Youth Justice Plan", runs="", summary="")
        world.priority = governance.add_priority(world.analyst, strategy, title="Fewer children in custody",
                                                 outcomes="")  # fmt: skip
    return world.priority


def kpi_indicator(world, path="kpis.custody.value", frequency="quarter"):
    return governance.create_indicator(
        world.analyst,
        priority_of(world),
        name=f"Children in custody ({frequency}, {path})",
        definition="",
        unit=Unit.COUNT,
        good_direction="down",
        frequency=frequency,
        baseline_value=None,
        baseline_period="",
        amber_tolerance=Decimal(10),
        source=Source.RETURN,
        report="youth-justice-kpis",
        report_options={},
        measure_path=path,
        kpi=None,
    )


def test_an_indicator_of_the_return_takes_the_kpi_for_the_quarter(world):
    indicator = kpi_indicator(world)
    assert figures.compute(indicator, Q1) == Decimal(2)
    assert figures.compute(indicator, parse_period("2023/24 Q2")) == Decimal(5)
    assert figures.compute(indicator, parse_period("2023/24 Q3")) is None  # nothing held
    national = kpi_indicator(world, path="kpis.custody.national")
    assert figures.compute(national, Q1) == Decimal("3.5")
    [stored] = governance.recompute(world.analyst, indicator, [Q1])
    assert stored.value == 2
    report = build_indicators(world.partnership, Q1.start, Q1.end)
    row = next(row for row in report["indicators"] if row["indicator"] == indicator.name)
    assert (row["value"], row["measure"]) == (2, "youth-justice-kpis:kpis.custody.value")


def test_a_yearly_indicator_takes_the_fourth_quarter(world):
    indicator = kpi_indicator(world, frequency="year")
    assert figures.compute(indicator, YEAR) is None
    enter(world, "custody", 2023, 4, "3")
    assert figures.compute(indicator, YEAR) == Decimal(3)


def test_the_indicator_form_offers_the_kpis_and_saves_their_figures(client, world):
    today = timezone.localdate()
    last = period_containing("quarter", period_containing("quarter", today).start - datetime.timedelta(days=1))
    year, quarter = int(last.label[:4]), int(last.label[-1])
    enter(world, "custody", year, quarter, "4", national="6.5")
    priority = priority_of(world)
    client.force_login(world.analyst)
    url = reverse("governance:indicator-add", args=[priority.pk])
    assert dict(client.get(url).context["measure_form"].fields["report"].choices)["youth-justice-kpis"] == (
        "Youth Justice KPIs"
    )
    offered = dict(client.get(url, {"report": "youth-justice-kpis"}).context["form"].fields["measure_path"].choices)
    assert offered["kpis.custody.value"] == f"Kpis › Custody › Value (4 in {last.label})"
    assert offered["kpis.custody.national"] == f"Kpis › Custody › National (6.5 in {last.label})"
    assert "kpis.victims.value" not in offered  # no value held for that quarter
    # The quarter's own figures are offered too, after every KPI's.
    by_quarter = f"quarters[quarter={last.label}].kpis.custody.value"
    assert offered[by_quarter] == f"Quarters › {last.label} › Kpis › Custody › Value (4 in {last.label})"
    paths = list(offered)
    assert max(paths.index(p) for p in paths if p.startswith("kpis.")) < paths.index(by_quarter)
    data = {
        "name": "Children in custody",
        "definition": "",
        "unit": "count",
        "good_direction": "down",
        "frequency": "quarter",
        "baseline_value": "",
        "baseline_period": "",
        "amber_tolerance": "10",
        "source": "return",
        "report": "youth-justice-kpis",
        "measure_path": "kpis.custody.value",
        "kpi": "",
    }
    assert client.post(url, data).status_code == 302
    indicator = Indicator.objects.get(name="Children in custody")
    assert indicator.values.get(period=last.label).value == 4
