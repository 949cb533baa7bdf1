"""The crime demo: synthetic files through the real imports, a full dashboard with both maps, loaded once."""

import io
import random

import docx
import openpyxl
import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.crime import dashboard
from saferhub.crime.demo import AREA, build_demo
from saferhub.crime.maps import map_sections
from saferhub.crime.models import Boundary, CrimeFile, RecordedCrime, StopSearch, StreetCrime
from saferhub.places.models import Ward
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_dashboard_with_wards_maps_and_placed_searches():
    partnership = PartnershipFactory(slug="demo", areas=[])
    for name in ("Northbank", "Millbrook", "Quarry Hill"):
        Ward.objects.create(partnership=partnership, name=name)
    build_demo(partnership, random.Random(1))
    partnership.refresh_from_db()
    assert partnership.areas == [AREA]
    months = sorted(RecordedCrime.objects.filter(partnership=partnership).values_list("month", flat=True).distinct())
    last = months[-1]
    result = dashboard.build(partnership, dashboard.add_months(last, -11), last)
    assert result["area"]["code"] == AREA
    assert result["total"]["area_rank"]["of"] == 33  # every borough, never the airports
    assert [ward["name"] for ward in result["wards"]] and len(result["wards"]) == 3
    assert result["total"]["commentary"] is None
    assert any(group["commentary"] for group in result["groups"])
    maps = map_sections(partnership, result, last)
    assert maps["ward_map"] and maps["lsoa_map"]
    assert Boundary.objects.filter(partnership=partnership, level="lsoa").count() == 12
    assert StreetCrime.objects.filter(partnership=partnership).exclude(ward_code="").exists()
    searches = StopSearch.objects.filter(partnership=partnership)
    assert searches.count() == 120 and searches.filter(ward_code="").count() == 12  # every tenth is elsewhere
    # Stop and search by ward is a section of the documents and the page, not a key of the JSON.
    kind = get_report("crime-dashboard")
    report = run_report(kind, partnership, kind.default_from(last), last, fmt="docx")
    assert "stop_search" not in report.result
    document = docx.Document(io.BytesIO(report.render("docx")[0]))
    assert "Stop and search by ward" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    sheet = openpyxl.load_workbook(io.BytesIO(report.render("xlsx")[0]))["Stop and search"]
    assert [cell.value for cell in sheet[4]] == ["Ward", "Searches", "Of which arrests"]
    assert sum(row[1].value for row in sheet.iter_rows(min_row=5)) == 108
    assert "Stop and search by ward" in report.render("html")[0].decode()
    files = CrimeFile.objects.filter(partnership=partnership).count()
    build_demo(partnership, random.Random(1))  # again: nothing more
    assert CrimeFile.objects.filter(partnership=partnership).count() == files
