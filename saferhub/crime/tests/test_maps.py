"""Boundaries from ONS GeoJSON and the dashboard's maps: a ward choropleth and LSOA hotspots, each beside its table."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.crime.maps import choropleth
from saferhub.crime.models import Boundary, StreetCrime
from saferhub.crime.tests.test_pages import SELECTION, user_in
from saferhub.crime.tests.world import add_wards, build_world
from saferhub.places.models import Population, PopulationMeasure

pytestmark = pytest.mark.django_db


def square(west, south, size=0.01):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(prefix, features):
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {f"{prefix}CD": code, f"{prefix}NM": name}, "geometry": geometry}
            for code, name, geometry in features
        ],
    }


WARDS = [("E05999901", "Invented Vale", square(-0.2, 51.6)), ("E05999902", "Made-up Park", square(-0.19, 51.6))]
LSOAS = [("E01999901", "Inventedshire 001A", square(-0.2, 51.6, 0.005))]


@pytest.fixture
def world():
    world = build_world()
    add_wards(world)
    return world


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_boundaries_import_and_again_changes_nothing(world, tmp_path, capsys):
    path = write(tmp_path, "Wards (December 2022) Boundaries.geojson", collection("WD22", WARDS))
    call_command("import_records", "boundaries", path, write(tmp_path, "lsoa.geojson", collection("LSOA21", LSOAS)))
    assert sorted(Boundary.objects.values_list("level", "code", "name")) == [
        ("lsoa", "E01999901", "Inventedshire 001A"),
        ("ward", "E05999901", "Invented Vale"),
        ("ward", "E05999902", "Made-up Park"),
    ]
    call_command("import_records", "boundaries", path)
    assert capsys.readouterr().out.splitlines()[-1].endswith("0 created, 0 updated, 2 unchanged")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"type": "Feature"}, "line 1: the file is not a GeoJSON FeatureCollection"),
        (
            collection("WD22", [("E05999901", "X", {"type": "Point", "coordinates": [0, 0]})]),
            "line 1, column WD22CD: the geometry cannot be read",
        ),
        (
            collection("WD22", [("E05999901", "X", square(530000, 180000))]),
            "line 1, column WD22CD: coordinates are not longitude and latitude",
        ),
        (collection("NAME", [("E05999901", "X", square(-0.2, 51.6))]), "line 1: the feature has no code property"),
    ],
)
def test_bad_boundaries_write_nothing(world, tmp_path, capsys, data, problem):
    with pytest.raises(CommandError):
        call_command("import_records", "boundaries", write(tmp_path, "bad.geojson", data))
    assert problem in capsys.readouterr().err
    assert not Boundary.objects.exists()


def test_choropleth_classes_and_describes_every_value(world):
    source = world.source
    shapes = [
        Boundary(partnership=world.partnership, level="ward", code=code, name=name, geometry=geometry, source=source)
        for code, name, geometry in WARDS
    ]
    svg = choropleth("Wards", "Crimes", shapes, {"E05999901": 5, "E05999902": 50}, "m")
    assert svg.count("<path") == 2
    assert "Invented Vale: 5" in svg and "Made-up Park: 50" in svg
    # The larger value takes the darkest class, the smaller a lighter one.
    assert svg.index('fill="#00534f"') > svg.index("Invented Vale")
    assert choropleth("Wards", "Crimes", [], {}, "m") is None


def test_the_page_draws_both_maps_beside_their_tables(client, world, tmp_path):
    call_command("import_records", "boundaries", write(tmp_path, "w.geojson", collection("WD22", WARDS)))
    call_command("import_records", "boundaries", write(tmp_path, "l.geojson", collection("LSOA21", LSOAS)))
    Population.objects.create(
        partnership=world.partnership, area_code="E05999902", year=2021, measure=PopulationMeasure.RESIDENTS, value=4000
    )
    StreetCrime.objects.create(
        partnership=world.partnership, source=world.source, row_key="k1", month=datetime.date(2025, 6, 1),
        falls_within="Metropolitan Police Service", lsoa_code="E01999901", ward_code="E05999901", crime_type="Burglary",
    )  # fmt: skip
    client.force_login(user_in(world.partnership, [Role.ANALYST]))
    html = client.get(reverse("crime:index"), SELECTION).content.decode()
    assert "Ward map: the rolling year" in html and "Crimes per 1,000 residents by ward" in html
    # Made-up Park: 48 crimes per 4,000 residents = 12.0 per 1,000; Invented Vale has no population.
    assert "Made-up Park: 12.0" in html and "Invented Vale: no data" in html
    assert "LSOA hotspots" in html and "Inventedshire 001A: 1" in html


def test_word_excel_and_html_downloads_carry_both_maps_with_their_tables(client, world, tmp_path):
    import io

    import docx
    import openpyxl

    call_command("import_records", "boundaries", write(tmp_path, "w.geojson", collection("WD22", WARDS)))
    call_command("import_records", "boundaries", write(tmp_path, "l.geojson", collection("LSOA21", LSOAS)))
    StreetCrime.objects.create(
        partnership=world.partnership, source=world.source, row_key="k1", month=datetime.date(2025, 6, 1),
        falls_within="Metropolitan Police Service", lsoa_code="E01999901", ward_code="E05999901", crime_type="Burglary",
    )  # fmt: skip
    client.force_login(user_in(world.partnership, [Role.ANALYST]))

    document = docx.Document(io.BytesIO(client.get(reverse("crime:download", args=["docx"]), SELECTION).content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "LSOA hotspots: street-level crimes in the rolling year" in headings
    assert headings.count("Wards: crimes in the rolling year") == 2  # the league table, then the map
    alt_texts = [shape.get("descr") for shape in document.element.body.iter() if shape.tag.endswith("}docPr")]
    assert any(text.startswith("LSOA hotspots") and "Inventedshire 001A: 1" in text for text in alt_texts)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert [["LSOA", "Street-level crimes"], ["Inventedshire 001A", "1"]] in tables
    # The months are words in the opening paragraph as everywhere else.
    assert not any("2025-0" in p.text for p in document.paragraphs)

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("crime:download", args=["xlsx"]), SELECTION).content))
    hotspots = book["LSOA hotspots"]
    assert [hotspots["A4"].value, hotspots["B4"].value] == ["Inventedshire 001A", 1]
    assert len(hotspots._images) == 1 and len(book["Ward map"]._images) == 1

    # The HTML download: both maps as SVG, each with its table, as on the page.
    page = client.get(reverse("crime:download", args=["html"]), SELECTION).content.decode()
    assert page.count("<svg") >= 2 and page.count("<h1") == 1
    assert "Ward map: the rolling year" in page and "LSOA hotspots: street-level crimes in the rolling year" in page
    assert "Inventedshire 001A: 1" in page and ">Inventedshire 001A</th>" in page


def test_the_map_picture_is_the_same_bytes_for_the_same_data(world):
    from saferhub.crime.maps import map_png

    shapes = [Boundary(partnership=world.partnership, level="ward", code=c, name=n, geometry=g) for c, n, g in WARDS]
    first = map_png("Wards", shapes, {"E05999901": 5, "E05999902": 50})
    assert first.startswith(b"\x89PNG") and first == map_png("Wards", shapes, {"E05999901": 5, "E05999902": 50})
    assert first != map_png("Wards", shapes, {"E05999901": 50, "E05999902": 5})
