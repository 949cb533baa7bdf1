"""The crime section of the board pack: tables, charts and the quarter's commentary."""

import datetime

import pytest

from saferhub.crime.models import Commentary
from saferhub.crime.pack import pack_section
from saferhub.crime.tests.world import add_wards, build_world

pytestmark = pytest.mark.django_db
TO = datetime.date(2025, 11, 30)


def test_the_section_holds_the_dashboards_tables_charts_and_commentary():
    world = build_world()
    add_wards(world)
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q3", text="Shop thefts.")
    Commentary.objects.create(partnership=world.partnership, group="THEFT", quarter="2025/26 Q2", text="Older.")
    section = pack_section(world.partnership, TO)
    assert section is not None
    assert section.title == "Police recorded crime: Barnet, to November 2025"
    assert section.quarter == "2025/26 Q3"
    assert section.commentary == [("THEFT", "Shop thefts.")]
    assert [table.key for table in section.tables] == ["summary", "months", "wards", "commentary", "glossary"]
    titles = [chart.title for chart in section.charts]
    assert titles[:2] == [
        "Crimes in the rolling year and the year before, by crime group",
        "Crimes in the rolling year by ward",
    ]
    trends = [chart for chart in section.charts if chart.kind == "line"]
    assert len(trends) == len(section.result["groups"]) + 1 and len(trends[0].categories) == 36
    published = pack_section(world.partnership, TO, publish=True)
    assert published is not None and "<5" in [cell for row in published.tables[1].rows for cell in row]


def test_no_data_no_section():
    world = build_world()
    assert pack_section(world.partnership, datetime.date(2019, 1, 31)) is None
