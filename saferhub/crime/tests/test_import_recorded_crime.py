"""Import `police-recorded-crime`: the three MPS layouts, revisions, pseudo-areas, idempotency, bad cells."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.crime.models import CrimeFile, Level, RecordedCrime
from saferhub.crime.tests.files import BOROUGH_HEADER, OLDER_HEADER, WARD_HEADER, month_columns, write_csv
from saferhub.imports.models import ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

MONTHS = month_columns("202401", 3)


@pytest.fixture
def partnership():
    return PartnershipFactory(slug="barnet", areas=["E09000003"])


def run(*paths, **options):
    call_command("import_records", "police-recorded-crime", *[str(path) for path in paths], **options)


def cell(area_code, minor, month, level=Level.BOROUGH):
    return RecordedCrime.objects.get(level=level, area_code=area_code, minor=minor, month=month)


def test_current_borough_layout_makes_one_count_per_cell(partnership, tmp_path, capsys):
    # A name with spaces and parentheses, as the MPS publishes its files.
    path = write_csv(
        tmp_path / "MPS Borough Level Crime (most recent 24 months).csv",
        [*BOROUGH_HEADER, *MONTHS],
        [
            ["BURGLARY", "RES BURGLARY OF A HOME", "Barnet", 5, 6, 7],
            ["BURGLARY", "RES BURGLARY OF A HOME", "Camden", 1, 0, 2],
            ["BURGLARY", "RES BURGLARY OF A HOME", "London Heathrow and London City Airports", 0, 1, 0],
        ],
        bom=True,
    )
    run(path)
    assert RecordedCrime.objects.count() == 9
    barnet = cell("E09000003", "RES BURGLARY OF A HOME", datetime.date(2024, 2, 1))
    assert (barnet.count, barnet.area_name, barnet.major, barnet.ranked) == (6, "Barnet", "BURGLARY", True)
    assert barnet.source.name == path.name
    airports = RecordedCrime.objects.filter(area_name="London Heathrow and London City Airports")
    assert airports.count() == 3
    assert not any(airports.values_list("ranked", flat=True))
    out = capsys.readouterr().out
    assert "9 created, 0 updated, 0 unchanged" in out
    assert "kept but never ranked" in out


def test_older_layout_and_ward_layout(partnership, tmp_path):
    older = write_csv(
        tmp_path / "MPS_Borough_Level_Crime_Historic.csv",
        [*OLDER_HEADER, *MONTHS],
        [["Barnet", "Burglary", "Burglary in a Dwelling", 3, 4, 5]],
    )
    ward = write_csv(
        tmp_path / "MPS Ward Level Crime (most recent 24 months).csv",
        [*WARD_HEADER, *MONTHS],
        [["BURGLARY", "RES BURGLARY OF A HOME", "Invented Vale", "E05999901", "Barnet", 1, 2, 3]],
    )
    run(older, ward)
    assert cell("E09000003", "Burglary in a Dwelling", datetime.date(2024, 3, 1)).major == "Burglary"
    in_ward = cell("E05999901", "RES BURGLARY OF A HOME", datetime.date(2024, 3, 1), Level.WARD)
    assert (in_ward.count, in_ward.authority_code, in_ward.area_name, in_ward.ranked) == (
        3,
        "E09000003",
        "Invented Vale",
        False,
    )
    assert set(CrimeFile.objects.values_list("layout", flat=True)) == {"borough-older", "ward"}


def test_a_later_file_replaces_the_areas_and_months_it_covers(partnership, tmp_path, capsys):
    first = write_csv(
        tmp_path / "first.csv",
        [*BOROUGH_HEADER, *MONTHS],
        [
            ["BURGLARY", "DOMESTIC BURGLARY", "Barnet", 10, 11, 12],
            ["ROBBERY", "ROBBERY OF PERSONAL PROPERTY", "Barnet", 1, 1, 1],
            ["ROBBERY", "ROBBERY OF PERSONAL PROPERTY", "Camden", 4, 4, 4],
        ],
    )
    # The revision covers Feb to Apr for Barnet only; it renames the burglary category and revises robbery.
    second = write_csv(
        tmp_path / "second.csv",
        [*BOROUGH_HEADER, *month_columns("202402", 3)],
        [
            ["BURGLARY", "RES BURGLARY OF A HOME", "Barnet", 20, 21, 22],
            ["ROBBERY", "ROBBERY OF PERSONAL PROPERTY", "Barnet", 1, 9, 2],
        ],
    )
    run(first)
    run(second)
    counts = {
        (row.area_name, row.minor, f"{row.month:%Y-%m}"): (row.count, row.source.name)
        for row in RecordedCrime.objects.select_related("source")
    }
    assert counts == {
        ("Barnet", "DOMESTIC BURGLARY", "2024-01"): (10, "first.csv"),
        ("Barnet", "ROBBERY OF PERSONAL PROPERTY", "2024-01"): (1, "first.csv"),
        ("Barnet", "RES BURGLARY OF A HOME", "2024-02"): (20, "second.csv"),
        ("Barnet", "RES BURGLARY OF A HOME", "2024-03"): (21, "second.csv"),
        ("Barnet", "RES BURGLARY OF A HOME", "2024-04"): (22, "second.csv"),
        # Unchanged by the revision: still the first file's count.
        ("Barnet", "ROBBERY OF PERSONAL PROPERTY", "2024-02"): (1, "first.csv"),
        ("Barnet", "ROBBERY OF PERSONAL PROPERTY", "2024-03"): (9, "second.csv"),
        ("Barnet", "ROBBERY OF PERSONAL PROPERTY", "2024-04"): (2, "second.csv"),
        # Camden is not in the revision: untouched.
        ("Camden", "ROBBERY OF PERSONAL PROPERTY", "2024-01"): (4, "first.csv"),
        ("Camden", "ROBBERY OF PERSONAL PROPERTY", "2024-02"): (4, "first.csv"),
        ("Camden", "ROBBERY OF PERSONAL PROPERTY", "2024-03"): (4, "first.csv"),
    }
    out = capsys.readouterr().out.splitlines()[-1]
    assert out == "second.csv: 4 created, 1 updated, 1 unchanged, 2 replaced by the revision"


def test_the_same_file_again_changes_nothing(partnership, tmp_path, capsys):
    path = write_csv(
        tmp_path / "recent.csv",
        [*BOROUGH_HEADER, *MONTHS],
        [["ROBBERY", "ROBBERY OF BUSINESS PROPERTY", "Barnet", 1, 2, 3]],
    )
    run(path)
    before = list(RecordedCrime.objects.order_by("pk").values())
    run(path)
    assert list(RecordedCrime.objects.order_by("pk").values()) == before
    assert CrimeFile.objects.count() == 1
    assert capsys.readouterr().out.splitlines()[-1] == "recent.csv: 0 created, 0 updated, 3 unchanged"


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (["1.5", "2", "3"], "line 3, column 202401: '1.5' is not a count: a whole number, 0 or more, is needed"),
        (["1", "", "3"], "line 3, column 202402: blank is not a count: a whole number, 0 or more, is needed"),
        (["1", "2", "-3"], "line 3, column 202403: '-3' is not a count: a whole number, 0 or more, is needed"),
    ],
)
def test_a_bad_cell_writes_nothing_from_any_file(partnership, tmp_path, capsys, cells, problem):
    good = write_csv(tmp_path / "good.csv", [*BOROUGH_HEADER, *MONTHS], [["THEFT", "SHOPLIFTING", "Barnet", 1, 1, 1]])
    bad = write_csv(
        tmp_path / "bad.csv",
        [*BOROUGH_HEADER, *MONTHS],
        [["THEFT", "SHOPLIFTING", "Camden", 1, 1, 1], ["THEFT", "SHOPLIFTING", "Barnet", *cells]],
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        run(good, bad)
    assert problem in capsys.readouterr().err
    assert not RecordedCrime.objects.exists()
    assert not CrimeFile.objects.exists()
    assert set(ImportRun.objects.values_list("filename", "status")) == {
        ("good.csv", ImportStatus.CHECKED),
        ("bad.csv", ImportStatus.FAILED),
    }


def test_header_and_area_problems_are_named(partnership, tmp_path, capsys):
    header = write_csv(tmp_path / "typo.csv", ["MajorText", "MinorTxt", "BoroughName", *MONTHS], [])
    with pytest.raises(CommandError):
        run(header)
    err = capsys.readouterr().err
    assert "line 1, column MinorTxt: unknown column" in err
    assert "line 1, column minortext: required column is missing" in err
    area = write_csv(tmp_path / "area.csv", [*BOROUGH_HEADER, *MONTHS], [["THEFT", "SHOPLIFTING", "Barnett", 1, 1, 1]])
    with pytest.raises(CommandError):
        run(area)
    assert (
        "line 2, column BoroughName: 'Barnett' is neither a London borough nor an area the MPS publishes beside them"
        in capsys.readouterr().err
    )
    duplicate = write_csv(
        tmp_path / "twice.csv",
        [*BOROUGH_HEADER, *MONTHS],
        [["THEFT", "SHOPLIFTING", "Barnet", 1, 1, 1], ["THEFT", "SHOPLIFTING", "barnet", 2, 2, 2]],
    )
    with pytest.raises(CommandError):
        run(duplicate)
    assert "line 3: Barnet, THEFT, SHOPLIFTING is also on line 2" in capsys.readouterr().err
    assert not RecordedCrime.objects.exists()


def test_dry_run_writes_nothing_and_reports_the_counts(partnership, tmp_path, capsys):
    path = write_csv(tmp_path / "r.csv", [*BOROUGH_HEADER, *MONTHS], [["THEFT", "SHOPLIFTING", "Barnet", 1, 1, 1]])
    run(path, dry_run=True)
    assert "Dry run, nothing written: r.csv: 3 created" in capsys.readouterr().out
    assert not RecordedCrime.objects.exists()
