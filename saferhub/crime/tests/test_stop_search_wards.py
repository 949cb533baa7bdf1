"""Stop and search placed in wards and LSOAs by point in polygon, against synthetic square boundaries."""

import pytest
from django.core.management import call_command

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.crime import geography
from saferhub.crime.models import StopSearch
from saferhub.crime.tests.files import write_csv
from saferhub.crime.tests.test_maps import collection, square, write

pytestmark = pytest.mark.django_db

HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
    "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
    "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
]  # fmt: skip
# A ward with a hole (a park that belongs to the other ward), and a ward in two parts.
VALE = {
    "type": "Polygon",
    "coordinates": [
        square(0.0, 51.0, 1.0)["coordinates"][0],
        square(0.4, 51.4, 0.2)["coordinates"][0],  # the hole
    ],
}
PARK = {
    "type": "MultiPolygon",
    "coordinates": [square(1.0, 51.0, 1.0)["coordinates"], square(0.4, 51.4, 0.2)["coordinates"]],
}
WARDS = [("E05999901", "Invented Vale", VALE), ("E05999902", "Made-up Park", PARK)]
LSOAS = [("E01999901", "Inventedshire 001A", square(0.0, 51.0, 0.5))]


def search(latitude, longitude, minute):
    return [
        "Person search", f"2023-01-01T00:{minute:02d}:00+00:00", "False", "", latitude, longitude, "Male", "18-24",
        "", "White", "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs", "Arrest", "True", "False",
    ]  # fmt: skip


ROWS = [
    search("51.2", "0.2", 1),  # Vale, and its LSOA
    search("51.8", "0.8", 2),  # Vale, outside the LSOA
    search("51.5", "0.5", 3),  # in Vale's hole: Park's second part
    search("51.5", "1.5", 4),  # Park's first part
    search("52.5", "0.5", 5),  # north of both: outside every shape, kept
    search("", "", 6),  # no location: kept
    search("51.5", "2.5", 7),  # inside no shape although level with them
]
EXPECTED = [
    ("E05999901", "E01999901"),
    ("E05999901", ""),
    ("E05999902", ""),
    ("E05999902", ""),
    ("", ""),
    ("", ""),
    ("", ""),
]


@pytest.fixture
def partnership():
    return PartnershipFactory(slug="barnet", areas=["E09000003"])


def _places():
    return list(StopSearch.objects.order_by("searched_at").values_list("ward_code", "lsoa_code"))


def _boundaries(tmp_path):
    call_command(
        "import_records",
        "boundaries",
        write(tmp_path, "wards.geojson", collection("WD22", WARDS)),
        write(tmp_path, "lsoas.geojson", collection("LSOA21", LSOAS)),
    )


def _searches(tmp_path):
    path = write_csv(tmp_path / "2023-01-metropolitan-stop-and-search.csv", HEADER, ROWS)
    call_command("import_records", "police-stop-search", str(path))


def test_searches_imported_after_the_boundaries_are_placed_and_those_outside_counted(partnership, tmp_path, capsys):
    _boundaries(tmp_path)
    capsys.readouterr()
    _searches(tmp_path)
    assert _places() == EXPECTED
    out = capsys.readouterr().out
    assert "4 of 6 searches with a location placed in a ward; 2 lie outside every ward boundary" in out
    _searches(tmp_path)  # again: the same places
    assert _places() == EXPECTED


def test_boundaries_imported_after_the_searches_place_them(partnership, tmp_path, capsys):
    _searches(tmp_path)
    assert "No ward boundaries are imported yet" in capsys.readouterr().out
    assert _places() == [("", "")] * len(ROWS)
    _boundaries(tmp_path)
    assert _places() == EXPECTED
    assert "4 of 6 located searches in a ward, 2 outside every ward boundary" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("point", "inside"),
    [((0.5, 51.1), True), ((0.5, 51.5), False), ((1.5, 51.5), False), ((0.0, 50.9), False), ((0.999, 51.999), True)],
)
def test_ray_casting_respects_holes(point, inside):
    assert geography.contains(VALE, *point) is inside
    assert geography.bounding_box(PARK) == (0.4, 51.0, 2.0, 52.0)
