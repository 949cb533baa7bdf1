"""Imports of data.police.uk files: wards through LSOAs (2021 and 2011 codes), rows kept and skipped, revisions."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.crime.models import CrimeOutcome, StopSearch, StreetCrime
from saferhub.crime.tests.files import STREET_HEADER, write_csv
from saferhub.places.tests.factories import Lsoa2011LinkFactory, LsoaFactory, WardFactory

pytestmark = pytest.mark.django_db
FORCE = "Metropolitan Police Service"


@pytest.fixture
def partnership():
    partnership = PartnershipFactory(slug="barnet", areas=["E09000003"])
    vale = WardFactory(partnership=partnership, name="Invented Vale", code="E05999901")
    park = WardFactory(partnership=partnership, name="Made-up Park", code="E05999902")
    LsoaFactory(partnership=partnership, ward=vale, code="E01999901")
    LsoaFactory(partnership=partnership, ward=park, code="E01999902")
    # A 2011 LSOA that became one 2021 LSOA, and one ONS split across both wards.
    Lsoa2011LinkFactory(partnership=partnership, lsoa11_code="E01888801", lsoa21_code="E01999901")
    Lsoa2011LinkFactory(partnership=partnership, lsoa11_code="E01888802", lsoa21_code="E01999901")
    Lsoa2011LinkFactory(partnership=partnership, lsoa11_code="E01888802", lsoa21_code="E01999902")
    return partnership


def street(
    crime_id, lsoa, *, outcome="Under investigation", month="2023-01", longitude="-0.2", location="On or near X"
):
    return [
        crime_id, month, FORCE, FORCE, longitude, "51.6" if longitude else "", location, lsoa,
        "Inventedshire 001A" if lsoa else "", "Burglary", outcome, "",
    ]  # fmt: skip


ROWS = [
    street("a" * 64, "E01999901"),
    street("b" * 64, "E01888801"),  # a 2011 code
    street("", "E01999902"),  # no Crime ID
    street("", "", longitude="", location="No location"),  # no location
    street("c" * 64, "E01000001"),  # outside the partnership's areas
    street("d" * 64, "E01888802"),  # a 2011 area split between two wards
    street("", "E01999902"),  # the same as the third row: a second crime
]


def run(kind, *paths, **options):
    call_command("import_records", kind, *[str(path) for path in paths], **options)


def test_rows_are_placed_in_wards_kept_or_skipped(partnership, tmp_path, capsys):
    path = write_csv(tmp_path / "2023-01-metropolitan-street.csv", STREET_HEADER, ROWS)
    run("police-street-crime", path)
    assert capsys.readouterr().out.splitlines()[-1] == (
        "2023-01-metropolitan-street.csv: 6 created, 0 updated, 0 unchanged, "
        "1 skipped (LSOA not one of the partnership's: outside its areas, or a 2011 code not in its 2011 lookup)"
    )
    rows = StreetCrime.objects.order_by("crime_id", "lsoa_code", "row_key")
    assert [(row.crime_id[:1], row.lsoa_code, row.ward_code) for row in rows] == [
        ("", "", ""),
        ("", "E01999902", "E05999902"),
        ("", "E01999902", "E05999902"),
        ("a", "E01999901", "E05999901"),
        ("b", "E01888801", "E05999901"),
        ("d", "E01888802", ""),
    ]
    no_location = StreetCrime.objects.get(location="No location")
    assert (no_location.longitude, no_location.latitude, no_location.month) == (None, None, datetime.date(2023, 1, 1))
    assert StreetCrime.objects.get(crime_id="a" * 64).longitude == Decimal("-0.2")


def test_the_same_file_again_changes_nothing_and_a_revision_replaces_the_month(partnership, tmp_path, capsys):
    path = write_csv(tmp_path / "street.csv", STREET_HEADER, ROWS)
    run("police-street-crime", path)
    run("police-street-crime", path)
    assert "0 created, 0 updated, 6 unchanged" in capsys.readouterr().out.splitlines()[-1]
    revised = [street("a" * 64, "E01999901", outcome="Suspect charged"), *ROWS[1:3], *ROWS[4:6]]
    run("police-street-crime", write_csv(tmp_path / "revised.csv", STREET_HEADER, revised))
    assert capsys.readouterr().out.splitlines()[-1] == (
        "revised.csv: 0 created, 1 updated, 3 unchanged, 2 replaced by the revision, "
        "1 skipped (LSOA not one of the partnership's: outside its areas, or a 2011 code not in its 2011 lookup)"
    )
    assert StreetCrime.objects.get(crime_id="a" * 64).last_outcome == "Suspect charged"
    assert StreetCrime.objects.count() == 4
    # Another month leaves January alone.
    run(
        "police-street-crime",
        write_csv(tmp_path / "feb.csv", STREET_HEADER, [street("e" * 64, "E01999901", month="2023-02")]),
    )
    assert StreetCrime.objects.count() == 5


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (street("x", "E01999901", month="2023-13"), "line 3, column Month: '2023-13' is not a month: use YYYY-MM"),
        (street("x", "E01999901", longitude="west"), "line 3, column Longitude: 'west' is not a number of degrees"),
        (street("x", "E01999901", month=""), "line 3, column Month: a value is required"),
    ],
)
def test_bad_cells_write_nothing(partnership, tmp_path, capsys, row, problem):
    path = write_csv(tmp_path / "bad.csv", STREET_HEADER, [ROWS[0], row])
    with pytest.raises(CommandError, match="nothing was imported"):
        run("police-street-crime", path)
    assert problem in capsys.readouterr().err
    assert not StreetCrime.objects.exists()


def test_unknown_column_is_named(partnership, tmp_path, capsys):
    path = write_csv(tmp_path / "bad.csv", [*STREET_HEADER[:-1], "Contxt"], [ROWS[0][:-1] + [""]])
    with pytest.raises(CommandError):
        run("police-street-crime", path)
    assert "line 1, column Contxt: unknown column" in capsys.readouterr().err


def test_outcomes_and_stop_and_search(partnership, tmp_path, capsys):
    outcomes = write_csv(
        tmp_path / "2023-01-metropolitan-outcomes.csv",
        [*STREET_HEADER[:9], "Outcome type"],
        [
            ["a" * 64, "2023-01", FORCE, FORCE, "", "", "No location", "", "", "Suspect charged"],
            ["b" * 64, "2023-01", FORCE, FORCE, "-0.2", "51.6", "On or near Y", "E01999902", "Inv 1", "Caution"],
        ],
    )
    run("police-outcomes", outcomes)
    assert sorted(CrimeOutcome.objects.values_list("outcome_type", "ward_code")) == [
        ("Caution", "E05999902"),
        ("Suspect charged", ""),
    ]
    header = [
        "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
        "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
        "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
    ]  # fmt: skip
    search = ["Person search", "2023-01-01T00:01:00+00:00", "False", "", "51.5", "-0.2", "Male", "18-24", "",
              "White", "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs", "Arrest", "True", "False"]  # fmt: skip
    path = write_csv(tmp_path / "2023-01-metropolitan-stop-and-search.csv", header, [search, search])
    run("police-stop-search", path)
    run("police-stop-search", path)
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out.splitlines()[-1]
    stops = StopSearch.objects.all()
    assert [(stop.falls_within, f"{stop.month:%Y-%m}", stop.outcome) for stop in stops] == [
        ("Metropolitan", "2023-01", "Arrest")
    ] * 2
    assert stops[0].searched_at == datetime.datetime(2023, 1, 1, 0, 1, tzinfo=datetime.UTC)
