"""Imports `geography`, `lsoa-2011-lookup` and `population`: the ONS layouts, skipped rows, all or nothing.

Every file is synthetic: invented LSOA and ward names with codes of the real shape.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.places.lsoas import Resolution, lsoa_for_code
from saferhub.places.models import Lsoa, Lsoa2011Link, Population, Ward
from saferhub.places.tests.factories import PopulationFactory, WardFactory

pytestmark = pytest.mark.django_db

MINE, OTHER = "E09000901", "E09000902"

# ONS's 2022 edition (London rows), with Welsh columns and ObjectId last.
GEOGRAPHY_22 = (
    "LSOA21CD,LSOA21NM,LSOA21NMW,WD22CD,WD22NM,WD22NMW,LAD22CD,LAD22NM,LAD22NMW,ObjectId\n"
    f"E01900001,Inventedshire 001A,,E05900001,Mill & Meadow,,{MINE},Inventedshire,,1\n"
    f"E01900002,Inventedshire 001B,,E05900001,Mill & Meadow,,{MINE},Inventedshire,,2\n"
    f"E01900003,Inventedshire 002A,,E05900002,Upper Green,,{MINE},Inventedshire,,3\n"
    f"E01900004,Otherton 001A,,E05900003,Far Fields,,{OTHER},Otherton,,4\n"
    f"E01900005,Otherton 001B,,E05900003,Far Fields,,{OTHER},Otherton,,5\n"
)


@pytest.fixture
def partnership():
    return PartnershipFactory(areas=[MINE])


def load(partnership, kind, text, **kwargs):
    return run_import(get_kind(kind), io.StringIO(text), partnership=partnership, filename="x.csv", **kwargs)


def counts(result):
    return result.created, result.updated, result.unchanged, result.skipped


def test_geography_creates_wards_and_lsoas_skips_other_areas_and_is_idempotent(partnership):
    result = load(partnership, "geography", GEOGRAPHY_22)
    assert result.ok, result.errors
    assert counts(result) == (3, 0, 0, 2)
    assert result.summary == "3 created, 0 updated, 0 unchanged, 2 skipped"
    wards = {w.code: w for w in Ward.objects.of(partnership)}
    assert {code: (w.name, w.local_authority_code) for code, w in wards.items()} == {
        "E05900001": ("Mill & Meadow", MINE),
        "E05900002": ("Upper Green", MINE),
    }
    lsoas = {lsoa.code: (lsoa.name, lsoa.ward.code) for lsoa in Lsoa.objects.of(partnership)}
    assert lsoas == {
        "E01900001": ("Inventedshire 001A", "E05900001"),
        "E01900002": ("Inventedshire 001B", "E05900001"),
        "E01900003": ("Inventedshire 002A", "E05900002"),
    }
    again = load(partnership, "geography", GEOGRAPHY_22)
    assert counts(again) == (0, 0, 3, 2)
    assert Ward.objects.of(partnership).count() == 2


def test_geography_accepts_a_bom_another_boundary_year_ltla_columns_and_column_order(partnership):
    # The 2023 edition's names, ONS's "LTLA" spelling, ObjectId first, a byte order mark (read as utf-8-sig).
    text = (
        "\ufeffObjectId,LSOA21CD,LSOA21NM,WD23CD,WD23NM,WD23NMW,LTLA23CD,LTLA23NM,LTLA23NMW\n"
        f"7,E01900001,Inventedshire 001A,E05900001,Mill & Meadow,Melin a Dôl,{MINE},Inventedshire,Sir Ddychmygol\n"
    )
    path_text = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", newline="")
    result = run_import(get_kind("geography"), path_text, partnership=partnership, filename="x.csv")
    assert result.ok, result.errors
    assert counts(result) == (1, 0, 0, 0)
    assert Lsoa.objects.get(partnership=partnership).ward.name == "Mill & Meadow"


def test_geography_new_boundaries_recode_a_ward_of_the_same_name_and_move_lsoas(partnership):
    load(partnership, "geography", GEOGRAPHY_22)
    ward = Ward.objects.get(partnership=partnership, code="E05900001")
    redrawn = (
        "LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\n"
        f"E01900001,Inventedshire 001A,E05910001,Mill and Meadow,{MINE},Inventedshire\n"
        f"E01900002,Inventedshire 001B,E05900002,Upper Green,{MINE},Inventedshire\n"
        f"E01900003,Inventedshire 002A,E05900002,Upper Green,{MINE},Inventedshire\n"
    )
    result = load(partnership, "geography", redrawn)
    assert result.ok, result.errors
    assert counts(result) == (0, 2, 1, 0)
    ward.refresh_from_db()
    # Same ward under its new code; the administrator's (ONS's earlier) spelling is kept: only `&`/`and` differs.
    assert (ward.code, ward.name, ward.version) == ("E05910001", "Mill & Meadow", 2)
    assert Lsoa.objects.get(code="E01900002").ward.code == "E05900002"


def test_geography_adopts_a_ward_added_by_hand_and_keeps_disabled_things_disabled(partnership):
    hand = WardFactory(partnership=partnership, name="mill and meadow", code="", active=False)
    result = load(partnership, "geography", GEOGRAPHY_22)
    assert result.ok, result.errors
    hand.refresh_from_db()
    assert (hand.code, hand.active) == ("E05900001", False)
    assert Ward.objects.of(partnership).count() == 2


def test_geography_same_ward_name_in_two_of_the_partnerships_authorities():
    partnership = PartnershipFactory(areas=[MINE, OTHER])
    text = (
        "LSOA21CD,LSOA21NM,WD22CD,WD22NM,LAD22CD,LAD22NM\n"
        f"E01900001,Inventedshire 001A,E05900001,Abbey,{MINE},Inventedshire\n"
        f"E01900004,Otherton 001A,E05900003,Abbey,{OTHER},Otherton\n"
    )
    result = load(partnership, "geography", text)
    assert result.ok, result.errors
    assert set(Ward.objects.of(partnership).values_list("name", "code")) == {
        ("Abbey", "E05900001"),
        ("Abbey (Otherton)", "E05900003"),
    }


def test_geography_bad_rows_are_reported_by_line_and_column_and_nothing_is_written(partnership):
    text = (
        "LSOA21CD,LSOA21NM,WD22CD,WD22NM,LAD22CD,LAD22NM\n"
        f"E01900001,Inventedshire 001A,E05900001,Mill & Meadow,{MINE},Inventedshire\n"
        f"E0190002,Inventedshire 001B,E05900001,Mill & Meadow,{MINE},Inventedshire\n"
        f"E01900003,Inventedshire 002A,E05900001,Upper Green,{MINE},Inventedshire\n"
        f"E01900001,Inventedshire 001A,E05900001,Mill & Meadow,{MINE},Inventedshire\n"
        f"E01900006,Inventedshire 003A,,Lost Ward,{MINE},Inventedshire\n"
        "E01900007,Inventedshire 003B,E05900009,Lost Ward,Inventedshire,Inventedshire\n"
    )
    result = load(partnership, "geography", text)
    assert not result.ok
    assert result.errors == [
        "line 3, column lsoa21cd: 'E0190002' is not an ONS LSOA code (a letter and 8 digits starting E01 or W01)",
        "line 4, column wdyynm: ward E05900001 is called 'Mill & Meadow' on line 2: one code has one name",
        "line 5, column lsoa21cd: LSOA E01900001 is already on line 2: each appears once in the file",
        "line 6, column wdyycd: a value is required",
        "line 7, column ladyycd: 'Inventedshire' is not an ONS local authority code"
        " (a letter and 8 digits starting E06 or E07 or E08 or E09 or W06)",
    ]
    assert not Ward.objects.exists() and not Lsoa.objects.exists()


def test_geography_header_problems(partnership):
    result = load(partnership, "geography", "LSOA11CD,LSOA11NM,WD20CD,WD20NM,LAD20CD\n")
    assert not result.ok
    assert "line 1, column lsoa21cd: required column is missing from the header row" in result.errors
    assert any(error.startswith("line 1, column lsoa11cd: unknown column") for error in result.errors)
    two_years = load(partnership, "geography", "LSOA21CD,WD22CD,WD23CD,WD22NM,LAD22CD\n")
    assert "line 1, column wdyycd: the column appears more than once" in two_years.errors


def test_geography_needs_the_partnerships_areas():
    partnership = PartnershipFactory(areas=[])
    result = load(partnership, "geography", GEOGRAPHY_22)
    assert result.errors == [
        "line 2: the partnership has no areas: an administrator sets the ONS codes of its local authorities"
        " (`areas` in the set-up file, or the Set-up page) first"
    ]
    assert not Ward.objects.exists()


def test_geography_dry_run_counts_and_writes_nothing(partnership):
    result = load(partnership, "geography", GEOGRAPHY_22, dry_run=True)
    assert result.ok and counts(result) == (3, 0, 0, 2)
    assert not Lsoa.objects.exists()


def test_geography_command_prints_the_skipped_count(partnership, tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_bytes(("\ufeff" + GEOGRAPHY_22).encode())
    out = io.StringIO()
    call_command("import_records", "geography", str(path), "--partnership", partnership.slug, stdout=out)
    assert out.getvalue().strip() == "3 created, 0 updated, 0 unchanged, 2 skipped"


LOOKUP_2011 = (
    "LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId\n"
    f"E01900001,Inventedshire 001A,E01900001,Inventedshire 001A,U,{MINE},Inventedshire,,1\n"
    f"E01800002,Inventedshire 001B,E01900002,Inventedshire 001B,S,{MINE},Inventedshire,,2\n"
    f"E01800002,Inventedshire 001B,E01900003,Inventedshire 002A,S,{MINE},Inventedshire,,3\n"
    f"E01800004,Otherton 001A,E01900004,Otherton 001A,U,{OTHER},Otherton,,4\n"
)


def test_lsoa_2011_lookup_maps_old_codes_to_the_2021_lsoas(partnership):
    load(partnership, "geography", GEOGRAPHY_22)
    result = load(partnership, "lsoa-2011-lookup", LOOKUP_2011)
    assert result.ok, result.errors
    assert counts(result) == (3, 0, 0, 1)
    assert counts(load(partnership, "lsoa-2011-lookup", LOOKUP_2011)) == (0, 0, 3, 1)
    split = lsoa_for_code(partnership, "E01800002")
    assert split.how == Resolution.LOOKUP_2011
    assert sorted(lsoa.code for lsoa in split.lsoas) == ["E01900002", "E01900003"]
    assert lsoa_for_code(partnership, "E01900001").how == Resolution.CURRENT
    assert lsoa_for_code(partnership, "E01800004").how == Resolution.UNKNOWN


def test_lsoa_2011_lookup_bad_change_indicator(partnership):
    text = "LSOA11CD,LSOA21CD,CHGIND\nE01800002,E01900002,Q\n"
    result = load(partnership, "lsoa-2011-lookup", text)
    assert result.errors == ["line 2, column chgind: 'Q' is not an ONS change indicator: U, S, M or X"]
    assert not Lsoa2011Link.objects.exists()


POPULATION = (
    "area_code,area_name,year,measure,value\n"
    f"{MINE},Inventedshire,2021,residents,250000\n"
    f"{MINE},Inventedshire,2021,women_16_plus,101000\n"
    f"{OTHER},Otherton,2021,residents,180000\n"
    "E05900001,Mill & Meadow,2021,aged_10_17,1200\n"
)


def test_population_import_creates_updates_and_is_idempotent(partnership):
    result = load(partnership, "population", POPULATION)
    assert result.ok and counts(result) == (4, 0, 0, 0), result.errors
    assert counts(load(partnership, "population", POPULATION)) == (0, 0, 4, 0)
    changed = POPULATION.replace("250000", "251000")
    assert counts(load(partnership, "population", changed)) == (0, 1, 3, 0)
    figure = Population.objects.get(area_code=MINE, measure="residents")
    assert (figure.value, figure.version) == (251000, 2)


def test_population_bad_rows_by_line_and_column(partnership):
    PopulationFactory(partnership=partnership, area_code=MINE, value=5)
    text = (
        "area_code,year,measure,value\n"
        "Inventedshire,2021,residents,1\n"
        f"{MINE},2021,women,1\n"
        f"{MINE},twenty,residents,1\n"
        f"{MINE},2022,residents,1.5\n"
        f"{MINE},2023,residents,10\n"
        f"{MINE},2023,residents,11\n"
    )
    result = load(partnership, "population", text)
    assert result.errors == [
        "line 2, column area_code: 'Inventedshire' is not an ONS area code (a letter and 8 digits, e.g. E09000003)",
        "line 3, column measure: 'women' is not one of: residents, households, women_16_plus, aged_10_17",
        "line 4, column year: 'twenty' is not a whole number",
        "line 5, column value: '1.5' is not a whole number",
        f"line 7, column year: the residents figure of {MINE} for 2023 is already on line 6: each appears once in the file",
    ]
    assert Population.objects.get().value == 5


def test_population_command_fails_non_zero(partnership, tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("area_code,year,measure,value,colour\n")
    with pytest.raises(CommandError):
        call_command("import_records", "population", str(path), "--partnership", partnership.slug, stderr=io.StringIO())
