"""A small synthetic world for the dashboard: four boroughs, an airport, three categories, 36 months to Nov 2025.

Expected figures in the tests are worked out by hand from these series (see each test).
"""

import datetime
from types import SimpleNamespace
from typing import Any

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.crime.models import CrimeGroup, Level
from saferhub.crime.tests.files import add_months, add_series, source_file
from saferhub.places.models import Population, PopulationMeasure

FIRST = datetime.date(2022, 12, 1)  # 36 months: Dec 2022 … Nov 2025
BARNET = ("E09000003", "Barnet")
CAMDEN = ("E09000007", "Camden")
ENFIELD = ("E09000010", "Enfield")
HACKNEY = ("E09000012", "Hackney")  # has data, no population: never ranked
AIRPORTS = ("pseudo:airports", "London Heathrow and London City Airports")

# Barnet burglary: 10 and 12 alternating for two years, then 11 a month, a drop to 5 in Oct 2025 and 20 in Nov.
BARNET_BURGLARY = [10 if index % 2 == 0 else 12 for index in range(24)] + [11] * 10 + [5, 20]


def build_world() -> SimpleNamespace:
    partnership: Any = PartnershipFactory(slug="barnet", areas=[BARNET[0]], peer_group=[CAMDEN[0]])
    source = source_file(partnership)

    def series(area, major, minor, values, **kwargs):
        add_series(partnership, source, area, major, minor, FIRST, values, **kwargs)

    series(BARNET, "BURGLARY", "RES BURGLARY OF A HOME", BARNET_BURGLARY)
    series(CAMDEN, "BURGLARY", "RES BURGLARY OF A HOME", [20] * 36)
    series(ENFIELD, "BURGLARY", "RES BURGLARY OF A HOME", [10] * 36)
    series(HACKNEY, "BURGLARY", "RES BURGLARY OF A HOME", [0] * 36)
    series(AIRPORTS, "BURGLARY", "RES BURGLARY OF A HOME", [0] * 36, ranked=False)
    # Robbery: Barnet falls from 5 to 4 a month.
    series(BARNET, "ROBBERY", "ROBBERY OF PERSONAL PROPERTY", [5] * 24 + [4] * 12)
    series(CAMDEN, "ROBBERY", "ROBBERY OF PERSONAL PROPERTY", [1] * 36)
    series(ENFIELD, "ROBBERY", "ROBBERY OF PERSONAL PROPERTY", [10] * 36)
    # Theft: Barnet rises from 1 to 30 a month.
    series(BARNET, "THEFT", "SHOPLIFTING", [1] * 24 + [30] * 12)
    series(CAMDEN, "THEFT", "SHOPLIFTING", [10] * 36)
    series(ENFIELD, "THEFT", "SHOPLIFTING", [0] * 36)
    for code, name, value in ((*BARNET, 1000), (*CAMDEN, 2000), (*ENFIELD, 500)):
        Population.objects.create(
            partnership=partnership, area_code=code, area_name=name, year=2021, measure=PopulationMeasure.RESIDENTS,
            value=value,
        )  # fmt: skip
    CrimeGroup.objects.create(
        partnership=partnership, name="Residential burglary", minor_categories=["RES BURGLARY OF A HOME"]
    )
    return SimpleNamespace(partnership=partnership, source=source)


def add_wards(world: SimpleNamespace, months: int = 24) -> None:
    """Two wards of Barnet with `months` months of ward-level data to Nov 2025, one more a month in the last year."""
    start = add_months(datetime.date(2025, 11, 1), -(months - 1))
    for code, name, per_month in (("E05999901", "Invented Vale", 2), ("E05999902", "Made-up Park", 3)):
        values = ([per_month] * 24 + [per_month + 1] * 12)[-months:]
        add_series(
            world.partnership, world.source, (code, name), "BURGLARY", "RES BURGLARY OF A HOME", start, values,
            level=Level.WARD, authority=BARNET[0],
        )  # fmt: skip
