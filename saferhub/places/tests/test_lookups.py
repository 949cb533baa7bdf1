"""Ward-name matching, the London reference data, LSOA codes of either boundary year, the population year rule."""

import datetime

import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.places.lsoas import LsoaResolver, Resolution, lsoa_for_code
from saferhub.places.matching import WardIndex, find_ward, name_key
from saferhub.places.models import WHOLE_PARTNERSHIP, PopulationMeasure
from saferhub.places.population import partnership_population, population_for, populations_for
from saferhub.places.reference import (
    local_authority_for_code,
    local_authority_for_name,
    london_local_authorities,
    pseudo_area_for_name,
)
from saferhub.places.tests.factories import Lsoa2011LinkFactory, LsoaFactory, PopulationFactory, WardFactory

pytestmark = pytest.mark.django_db
WOMEN = PopulationMeasure.WOMEN_16_PLUS


def test_name_key_folds_case_ampersand_and_spacing():
    assert name_key("Totteridge & Woodside") == name_key("totteridge  and woodside") == "totteridge and woodside"
    assert name_key("Kingston-upon-Thames") == name_key("Kingston upon Thames")
    assert name_key("Oak & Ash") != name_key("Oak Ash")


def test_find_ward_by_name_or_code_within_the_partnership():
    ward = WardFactory(name="Mill & Meadow", code="E05900001")
    other = WardFactory(name="Elsewhere")
    assert find_ward(ward.partnership, "mill and meadow") == ward
    assert find_ward(ward.partnership, " MILL&MEADOW ") == ward
    assert find_ward(ward.partnership, "e05900001") == ward
    assert find_ward(ward.partnership, "Elsewhere") is None  # another partnership's ward
    assert find_ward(other.partnership, "Elsewhere") == other
    assert find_ward(ward.partnership, "") is None


def test_find_ward_active_only_skips_disabled_wards():
    ward = WardFactory(name="Old Town", active=False)
    assert find_ward(ward.partnership, "Old Town") == ward
    assert find_ward(ward.partnership, "Old Town", active_only=True) is None
    assert WardIndex(ward.partnership, active_only=True).find("old town") is None
    assert WardIndex(ward.partnership).find("OLD TOWN") == ward


def test_ward_names_are_unique_regardless_of_case_and_ampersand():
    from django.db import IntegrityError, transaction

    ward = WardFactory(name="Mill & Meadow")
    with pytest.raises(IntegrityError), transaction.atomic():
        WardFactory(partnership=ward.partnership, name="mill and meadow")
    with pytest.raises(IntegrityError), transaction.atomic():
        WardFactory(partnership=ward.partnership, name="Another", code=ward.code)
    WardFactory(partnership=ward.partnership, name="No Code 1", code="")
    WardFactory(partnership=ward.partnership, name="No Code 2", code="")  # blank codes do not clash


def test_london_reference_data_has_33_authorities_with_unique_codes():
    authorities = london_local_authorities()
    assert len(authorities) == 33
    assert len({a.code for a in authorities}) == 33
    assert {a.code for a in authorities} == {f"E090000{n:02d}" for n in range(1, 34)}
    assert local_authority_for_code("E09000001").name == "City of London"
    assert local_authority_for_code("E09000001").police_force == "City of London Police"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Barking and Dagenham", "E09000002"),
        ("Barking & Dagenham", "E09000002"),
        ("Kingston upon Thames", "E09000021"),
        ("Royal Borough of Kingston upon Thames", "E09000021"),
        ("London Borough of Barnet", "E09000003"),
        ("City of London", "E09000001"),
        ("Westminster", "E09000033"),
        ("City of Westminster", "E09000033"),
        ("HAMMERSMITH AND FULHAM", "E09000013"),
    ],
)
def test_publisher_names_find_their_authority(name, code):
    assert local_authority_for_name(name).code == code


@pytest.mark.parametrize("name", ["London Heathrow and London City Airports", "Aviation Security (SO18)", "Unknown"])
def test_publisher_pseudo_areas_are_not_authorities(name):
    assert local_authority_for_name(name) is None
    assert pseudo_area_for_name(name.upper()).name == name


def test_unknown_names_are_neither():
    assert local_authority_for_name("Inventedshire") is None
    assert pseudo_area_for_name("Inventedshire") is None


def test_lsoa_codes_of_either_boundary_year_resolve():
    lsoa = LsoaFactory(code="E01000010")
    split_a = LsoaFactory(code="E01035001", ward=lsoa.ward)
    split_b = LsoaFactory(code="E01035002", ward=lsoa.ward)
    partnership = lsoa.partnership
    for new in (split_a, split_b):
        Lsoa2011LinkFactory(partnership=partnership, lsoa11_code="E01000020", lsoa21_code=new.code, change="S")

    same = lsoa_for_code(partnership, "e01000010")
    assert (same.how, same.lsoa, same.ward) == (Resolution.CURRENT, lsoa, lsoa.ward)

    split = lsoa_for_code(partnership, "E01000020")
    assert split.how == Resolution.LOOKUP_2011
    assert set(split.lsoas) == {split_a, split_b}
    assert split.lsoa is None  # two 2021 areas
    assert split.ward == lsoa.ward  # but one ward

    resolver = LsoaResolver(partnership)
    assert not resolver.resolve("E01999999").known
    resolver.resolve("E01999999")
    assert resolver.unknown == {"E01999999": 2}


def test_a_split_across_wards_has_no_single_ward():
    first = LsoaFactory(code="E01035001")
    second = LsoaFactory(code="E01035002", partnership=first.partnership, ward__partnership=first.partnership)
    for new in (first, second):
        Lsoa2011LinkFactory(partnership=first.partnership, lsoa11_code="E01000020", lsoa21_code=new.code)
    assert lsoa_for_code(first.partnership, "E01000020").ward is None


def test_another_partnerships_lsoa_is_unknown():
    lsoa = LsoaFactory(code="E01000010")
    assert lsoa_for_code(PartnershipFactory(), lsoa.code).how == Resolution.UNKNOWN


@pytest.mark.parametrize(
    ("period_end", "year"),
    [
        (datetime.date(2023, 3, 31), 2022),  # latest year not after the period's end
        (datetime.date(2021, 12, 31), 2021),
        (datetime.date(2024, 1, 1), 2024),
        (datetime.date(2030, 3, 31), 2024),
        (datetime.date(2019, 3, 31), 2021),  # none that early: the earliest held
    ],
)
def test_population_year_rule(period_end, year):
    partnership = PartnershipFactory()
    for held, value in ((2021, 1000), (2024, 1100), (2022, 1010)):
        PopulationFactory(partnership=partnership, year=held, value=value, measure=WOMEN)
    PopulationFactory(partnership=partnership, year=2023, value=5, measure=PopulationMeasure.RESIDENTS)
    figure = population_for(partnership, "E09000901", WOMEN, period_end)
    assert (figure.year, figure.measure) == (year, WOMEN)
    assert figure.value == {2021: 1000, 2022: 1010, 2024: 1100}[year]


def test_populations_for_many_areas_in_one_query(django_assert_num_queries):
    partnership = PartnershipFactory()
    for n in range(5):
        PopulationFactory(partnership=partnership, area_code=f"E0900000{n}", year=2021, value=n)
    with django_assert_num_queries(1):
        figures = populations_for(
            partnership, [f"E0900000{n}" for n in range(6)], "residents", datetime.date(2022, 1, 1)
        )
    assert sorted(figures) == [f"E0900000{n}" for n in range(5)]
    assert population_for(PartnershipFactory(), "E09000001", "residents", datetime.date(2022, 1, 1)) is None


def test_partnership_population_sums_its_areas_each_by_the_year_rule():
    partnership = PartnershipFactory(areas=["E09000901", "E09000902"])
    PopulationFactory(partnership=partnership, area_code="E09000901", year=2021, value=100, measure=WOMEN)
    PopulationFactory(partnership=partnership, area_code="E09000902", year=2022, value=50, measure=WOMEN)
    PopulationFactory(partnership=partnership, area_code="E09000902", year=2025, value=70, measure=WOMEN)
    figure = partnership_population(partnership, WOMEN, datetime.date(2023, 3, 31))
    assert (figure.value, figure.years, figure.missing) == (150, [2021, 2022], ())
    assert figure.as_dict()["year"] is None  # two years: the report lists both


def test_partnership_population_with_an_area_missing_is_unknown_and_says_which():
    partnership = PartnershipFactory(areas=["E09000901", "E09000902"])
    PopulationFactory(partnership=partnership, area_code="E09000901", value=100, measure=WOMEN)
    figure = partnership_population(partnership, WOMEN, datetime.date(2023, 3, 31))
    assert (figure.value, figure.missing) == (None, ("E09000902",))


def test_partnership_wide_figure_is_used_when_no_area_has_one():
    partnership = PartnershipFactory(areas=["E09000901"])
    PopulationFactory(partnership=partnership, area_code=WHOLE_PARTNERSHIP, value=120, measure=WOMEN, year=2020)
    figure = partnership_population(partnership, WOMEN, datetime.date(2023, 3, 31))
    assert (figure.value, figure.years) == (120, [2020])
    PopulationFactory(partnership=partnership, area_code="E09000901", value=130, measure=WOMEN, year=2022)
    assert partnership_population(partnership, WOMEN, datetime.date(2023, 3, 31)).value == 130
