"""Return `crime-dashboard`: figures worked out by hand from the synthetic world (world.py)."""

import datetime
import io
import json
import zipfile

import docx
import openpyxl
import pytest
from django.core.management import call_command

from saferhub.crime import dashboard
from saferhub.crime.models import Commentary
from saferhub.crime.tests.world import BARNET, HACKNEY, add_wards, build_world
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import ReportError, run_report

pytestmark = pytest.mark.django_db
TO = datetime.date(2025, 11, 30)


@pytest.fixture
def world():
    return build_world()


def build(world, **options):
    return dashboard.build(world.partnership, datetime.date(2024, 12, 1), TO, **options)


def group(result, name):
    return next(item for item in result["groups"] if item["name"] == name)


def test_counts_changes_rate_ranks_and_exceptions_of_a_mixed_group(world):
    result = build(world)
    assert result["area"] == {"code": "E09000003", "name": "Barnet"}
    assert result["last_month"] == "2025-11"
    assert result["population"] == {"measure": "residents", "year": 2021}
    burglary = group(result, "BURGLARY")
    # Quarter Sep-Nov 2025: 11 + 5 + 20 = 36 against 12 + 10 + 12 = 34 a year before: +5.88%.
    assert burglary["recent_quarter"] == {
        "from": "2025-09", "to": "2025-11", "count": 36, "previous": 34, "change_percent": 5.9,
    }  # fmt: skip
    # Year: ten months of 11, then 5 and 20 = 135, against six 10s and six 12s = 132: +2.27%.
    assert burglary["rolling_year"] == {
        "from": "2024-12", "to": "2025-11", "count": 135, "previous": 132, "change_percent": 2.3,
    }  # fmt: skip
    assert burglary["rate_per_1000"] == 135.0
    # Rates: Camden 240/2,000 = 120, Barnet 135, Enfield 120/500 = 240; Hackney (no population) and the
    # airports (not a borough) are not ranked. A year before: 120, 132, 240: the same places.
    assert burglary["area_rank"] == {"rank": 2, "of": 3}
    assert burglary["peer_rank"] == {"rank": 2, "of": 2}
    # 5 lies below 11 - 2 × 0.78 of the 24 months before it; 20 above 10.79 + 2 × 1.44.
    assert [month["exception"] for month in burglary["months"]] == [None] * 10 + ["low", "high"]
    assert [month["month"] for month in burglary["months"]][0] == "2024-12"
    assert [month["count"] for month in burglary["months"]][-2:] == [5, 20]
    assert burglary["factors"] == [
        "Increase in the rolling year vs one year ago (+2.3%)",
        "Increase in the recent quarter vs one year ago (+5.9%)",
        "London rank unchanged: 2nd lowest rate of 3",
        "Peer rank unchanged: 2nd lowest rate of 2",
    ]
    assert burglary["rag"] == "amber"


def test_green_when_every_indicator_is_better_and_red_when_none_is(world):
    result = build(world)
    robbery = group(result, "ROBBERY")
    # 4 a month against 5: -20% in both periods; ranks 2 of 3 and 2 of 2 both years (as good: better).
    assert (robbery["recent_quarter"]["count"], robbery["recent_quarter"]["previous"]) == (12, 15)
    assert robbery["rolling_year"]["change_percent"] == -20.0
    assert robbery["rag"] == "green"
    # The first month of 4 after two years of 5 is unusually low.
    assert robbery["months"][0]["exception"] == "low"
    theft = group(result, "THEFT")
    # 30 a month against 1: rate 360 is now the highest (Enfield 0, Camden 60); a year ago 12 was second.
    assert theft["rolling_year"] == {
        "from": "2024-12", "to": "2025-11", "count": 360, "previous": 12, "change_percent": 2900.0,
    }  # fmt: skip
    assert theft["area_rank"] == {"rank": 3, "of": 3}
    assert theft["peer_rank"] == {"rank": 2, "of": 2}
    assert theft["factors"][2:] == [
        "London rank worsened: 3rd lowest rate of 3 (2nd a year ago)",
        "Peer rank worsened: 2nd lowest rate of 2 (1st a year ago)",
    ]
    assert theft["rag"] == "red"


def test_groups_are_the_majors_then_the_partnerships_then_all_crime(world):
    result = build(world)
    assert [item["name"] for item in result["groups"]] == ["BURGLARY", "ROBBERY", "THEFT", "Residential burglary"]
    residential = group(result, "Residential burglary")
    assert residential["rolling_year"]["count"] == 135
    assert residential["area_rank"] == {"rank": 2, "of": 3}
    total = result["total"]
    assert total["name"] == "All crime"
    # 135 + 48 + 360 = 543 against 132 + 60 + 12 = 204.
    assert (total["rolling_year"]["count"], total["rolling_year"]["previous"]) == (543, 204)
    assert total["rolling_year"]["change_percent"] == 166.2
    assert set(total) == set(residential)


def test_change_percent_rounds_half_away_from_zero_and_is_null_without_a_previous():
    assert dashboard.change_percent(401, 400) == 0.3
    assert dashboard.change_percent(399, 400) == -0.3
    assert dashboard.change_percent(5, 0) is None
    assert dashboard.change_percent(0, 0) is None


def test_an_area_without_population_has_no_rate_or_rank(world):
    result = build(world, area=HACKNEY[0])
    burglary = group(result, "BURGLARY")
    assert result["population"] is None
    assert (burglary["rate_per_1000"], burglary["area_rank"], burglary["peer_rank"]) == (None, None, None)
    # Two indicators left, neither better (0 against 0): red.
    assert burglary["rag"] == "red"


def test_wards_when_ward_data_covers_the_rolling_year(world):
    assert "wards" not in build(world)
    add_wards(world)
    wards = build(world)["wards"]
    assert wards == [
        {"code": "E05999902", "name": "Made-up Park", "rolling_year": 48, "previous": 36, "change_percent": 33.3},
        {"code": "E05999901", "name": "Invented Vale", "rolling_year": 36, "previous": 24, "change_percent": 50.0},
    ]


def test_ward_data_short_of_the_rolling_year_gives_no_wards(world):
    add_wards(world, months=11)
    assert "wards" not in build(world)


def test_ward_data_short_of_the_year_before_gives_no_comparison(world):
    add_wards(world, months=14)
    wards = build(world)["wards"]
    assert [(ward["rolling_year"], ward["previous"], ward["change_percent"]) for ward in wards] == [
        (48, None, None),
        (36, None, None),
    ]


def test_commentary_for_the_quarter_is_in_the_return(world):
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q3", text="Shop thefts.")
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q2", text="Older.")
    result = build(world)
    assert group(result, "THEFT")["commentary"] == "Shop thefts."
    assert group(result, "ROBBERY")["commentary"] is None


def test_no_area_or_no_data_is_a_clear_error(world):
    world.partnership.areas = []
    world.partnership.save()
    with pytest.raises(ReportError, match="has no area"):
        build(world)
    with pytest.raises(ReportError, match="import the MPS borough file"):
        dashboard.build(world.partnership, TO, datetime.date(2019, 1, 31), area=BARNET[0])


def test_the_command_needs_only_to_and_writes_the_json_of_the_spec(world, capsys):
    add_wards(world)
    call_command("report", "crime-dashboard", "--to", "2025-11-30")
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["report", "area", "last_month", "population", "groups", "total", "wards"]
    assert list(result["groups"][0]) == [
        "name", "recent_quarter", "rolling_year", "rate_per_1000", "area_rank", "peer_rank", "months", "factors",
        "rag", "commentary",
    ]  # fmt: skip
    assert result["report"] == "crime-dashboard"


def test_word_spreadsheet_and_page(world):
    add_wards(world)
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q3", text="Shop thefts.")
    kind = get_report("crime-dashboard")
    report = run_report(kind, world.partnership, kind.default_from(TO), TO, fmt="docx")
    content, content_type, filename = report.render("docx")
    assert filename.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)  # A4 landscape
    assert section.header.paragraphs[0].text == f"OFFICIAL   {world.partnership.name}"
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    # The summary chart, the ward chart and a trend chart per row, each with its title as alt text.
    pictures = document.inline_shapes
    titles = [shape._inline.docPr.get("title") for shape in pictures]
    assert titles[:2] == [
        "Crimes in the rolling year and the year before, by crime group",
        "Crimes in the rolling year by ward",
    ]
    assert titles[2].startswith("BURGLARY: monthly counts, 36 months to November 2025")
    assert len(titles) == 2 + len(document.tables[0].rows) - 1
    assert all(shape._inline.docPr.get("descr") for shape in pictures)
    summary = document.tables[0]
    assert [cell.text for cell in summary.rows[1].cells][:6] == ["BURGLARY", "Amber", "36", "+5.9%", "135", "+2.3%"]
    assert "Shop thefts." in "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert report.render("docx")[0] == content  # reproducible
    workbook = openpyxl.load_workbook(io.BytesIO(report.render("xlsx")[0]))
    assert workbook.sheetnames == ["Summary", "Months", "Wards", "Commentary", "Glossary", "Trends"]
    assert workbook["Summary"]["A5"].value == "BURGLARY"
    xlsx = report.render("xlsx")[0]
    assert report.render("xlsx")[0] == xlsx  # reproducible
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        charts = [archive.read(name).decode() for name in sorted(archive.namelist()) if name.startswith("xl/charts/")]
    groups = len(workbook["Months"]["A"]) - 5  # caption, period, blank, headings, all crime
    summary = next(chart for chart in charts if "'Summary'!" in chart)
    assert f"<f>'Summary'!$F$5:$F${4 + groups}</f>" in summary  # rolling year, groups only
    assert f"<f>'Summary'!$G$5:$G${4 + groups}</f>" in summary  # a year before
    assert f"<f>'Summary'!$A$5:$A${4 + groups}</f>" in summary  # the groups' names
    wards = len(workbook["Wards"]["A"]) - 4
    assert any(f"<f>'Wards'!$C$5:$C${4 + wards}</f>" in chart for chart in charts)
    trends = [chart for chart in charts if "'Trends'!" in chart]
    assert len(trends) == groups + 1 and all("<lineChart>" in chart for chart in trends)
    assert any("<f>'Trends'!$B$4:$B$39</f>" in chart for chart in trends)
    html = report.render("html")[0].decode()
    assert html.count("<h1") == 1
    assert "Made-up Park" in html and "Monthly exceptions" in html
