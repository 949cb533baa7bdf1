"""Demo data for the crime dashboard: synthetic files in the published layouts, loaded by the real imports.

Every count is made up (a seeded generator): five years of MPS borough-level counts for every
London borough and the airports, two years of ward-level counts for the demo wards, a year of
street-level rows and a month of stop and search in the data.police.uk layouts, and simple
square ward and LSOA boundaries (GeoJSON) so both maps draw. The files go through the same
import code as an analyst's upload. Loading again changes nothing: it stops when the
partnership already holds recorded crime.
"""

import csv
import datetime
import io
import json
import random
from typing import Any

from django.utils import timezone

from saferhub.crime.dashboard import add_months
from saferhub.crime.models import Commentary, CrimeGroup, RecordedCrime
from saferhub.imports.registry import get_kind
from saferhub.places.models import Lsoa, Population, PopulationMeasure, Ward
from saferhub.places.reference import london_local_authorities
from saferhub.reporting.periods import financial_quarter

# The borough the demo partnership's counts are filed under, and its peers (the counts are synthetic).
AREA = "E09000024"
PEERS = ["E09000006", "E09000021", "E09000026", "E09000029"]
AIRPORTS = "London Heathrow and London City Airports"
MONTHS = 60  # five years: 36 shown, and the 24 before them for exceptions
WARD_MONTHS = 24
STREET_MONTHS = 12
# (major, minor, typical monthly count in a borough of about 250,000 residents)
CATEGORIES = [
    ("ARSON AND CRIMINAL DAMAGE", "ARSON", 6),
    ("ARSON AND CRIMINAL DAMAGE", "CRIMINAL DAMAGE", 110),
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", 30),
    ("BURGLARY", "RES BURGLARY OF A HOME", 90),
    ("DRUG OFFENCES", "POSSESSION OF DRUGS", 60),
    ("DRUG OFFENCES", "TRAFFICKING OF DRUGS", 12),
    ("POSSESSION OF WEAPONS", "POSSESSION OF WEAPONS", 14),
    ("PUBLIC ORDER OFFENCES", "PUBLIC FEAR ALARM OR DISTRESS", 70),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY", 45),
    ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES", 25),
    ("SEXUAL OFFENCES", "RAPE", 15),
    ("THEFT", "OTHER THEFT", 180),
    ("THEFT", "SHOPLIFTING", 95),
    ("THEFT", "THEFT FROM THE PERSON", 60),
    ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE", 90),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", 120),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITHOUT INJURY", 200),
]
STREET_TYPES = [
    "Anti-social behaviour",
    "Burglary",
    "Criminal damage and arson",
    "Shoplifting",
    "Violence and sexual offences",
]
FORCE = "Metropolitan Police Service"
# The demo wards are laid out as squares in a grid, each split into four LSOA squares.
ORIGIN = (-0.2, 51.4)
WARD_SIZE = 0.02
GRID_COLUMNS = 3


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _run(slug: str, name: str, content: bytes, partnership: Any) -> None:
    results = get_kind(slug).run_files([(name, io.BytesIO(content))], partnership=partnership)  # type: ignore[attr-defined]
    problems = [error for result in results for error in result.errors]
    if problems:
        raise RuntimeError(f"The demo file {name} did not import: {problems[:3]}")


def _series(rng: random.Random, typical: float, months: int) -> list[int]:
    """A seasonal monthly series with noise, a gentle trend and the odd spike."""
    trend = rng.uniform(-0.004, 0.004)
    values = []
    for index in range(months):
        season = 1 + 0.12 * ((index % 12) in (5, 6, 7)) - 0.08 * ((index % 12) in (0, 1))
        spike = 1.6 if rng.random() < 0.015 else 1.0
        values.append(max(0, round(typical * season * (1 + trend * index) * spike * rng.uniform(0.85, 1.15))))
    return values


def _month_columns(last: datetime.date, count: int) -> list[str]:
    return [f"{add_months(last, index - count + 1):%Y%m}" for index in range(count)]


def _borough_file(rng: random.Random, last: datetime.date) -> bytes:
    rows = []
    for authority in london_local_authorities():
        size = 0.05 if authority.code == "E09000001" else rng.uniform(0.6, 1.5)  # the City is tiny
        for major, minor, typical in CATEGORIES:
            rows.append([major, minor, authority.name, *_series(rng, typical * size, MONTHS)])
    for major, minor, typical in CATEGORIES[:4]:
        rows.append([major, minor, AIRPORTS, *_series(rng, typical * 0.02, MONTHS)])
    return _csv(["MajorText", "MinorText", "BoroughName", *_month_columns(last, MONTHS)], rows)


def _wards(partnership: Any, borough: str) -> list[Ward]:
    """The demo wards with synthetic ONS-style codes (E0599…, unused by ONS), and four LSOAs each."""
    wards = list(Ward.objects.filter(partnership=partnership, active=True).order_by("name"))
    for number, ward in enumerate(wards, start=1):
        if not ward.code:
            ward.code = f"E0599{number:04d}"
            ward.local_authority_code = AREA
            ward.save(update_fields=["code", "local_authority_code"])
        for part in range(4):
            Lsoa.objects.get_or_create(
                partnership=partnership,
                code=f"E0199{number:03d}{part}",
                defaults={"name": f"{borough} {number:03d}{'ABCD'[part]}", "ward": ward},
            )
    return wards


def _ward_file(rng: random.Random, last: datetime.date, wards: list[Ward], borough: str) -> bytes:
    rows = []
    for ward in wards:
        for major, minor, typical in CATEGORIES:
            rows.append([major, minor, ward.name, ward.code, borough, *_series(rng, typical / 6, WARD_MONTHS)])
    header = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"]
    return _csv([*header, *_month_columns(last, WARD_MONTHS)], rows)


def _square(west: float, south: float, size: float) -> dict[str, Any]:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _ward_corner(index: int) -> tuple[float, float]:
    return ORIGIN[0] + (index % GRID_COLUMNS) * WARD_SIZE, ORIGIN[1] + (index // GRID_COLUMNS) * WARD_SIZE


def _boundaries(wards: list[Ward]) -> tuple[bytes, bytes]:
    ward_features, lsoa_features = [], []
    half = WARD_SIZE / 2
    for index, ward in enumerate(wards):
        west, south = _ward_corner(index)
        ward_features.append(
            {
                "type": "Feature",
                "properties": {"WD22CD": ward.code, "WD22NM": ward.name},
                "geometry": _square(west, south, WARD_SIZE),
            }
        )
        for part, lsoa in enumerate(ward.lsoas.order_by("code")):
            lsoa_features.append(
                {
                    "type": "Feature",
                    "properties": {"LSOA21CD": lsoa.code, "LSOA21NM": lsoa.name},
                    "geometry": _square(west + half * (part % 2), south + half * (part // 2), half),
                }
            )
    return tuple(  # type: ignore[return-value]
        json.dumps({"type": "FeatureCollection", "features": features}).encode()
        for features in (ward_features, lsoa_features)
    )


def _street_file(rng: random.Random, month: datetime.date, wards: list[Ward]) -> bytes:
    lsoas = [(lsoa, index) for index, ward in enumerate(wards) for lsoa in ward.lsoas.order_by("code")]
    rows = []
    for number in range(rng.randint(180, 240)):
        lsoa, index = rng.choice(lsoas[: max(1, len(lsoas) // 2)] if rng.random() < 0.4 else lsoas)  # hotspots
        west, south = _ward_corner(index)
        crime_type = rng.choice(STREET_TYPES)
        crime_id = "" if crime_type == "Anti-social behaviour" else f"{rng.getrandbits(128):032x}{number:04d}"
        rows.append([
            crime_id, f"{month:%Y-%m}", FORCE, FORCE, f"{west + rng.uniform(0, WARD_SIZE):.6f}",
            f"{south + rng.uniform(0, WARD_SIZE):.6f}", "On or near Demo Street", lsoa.code, lsoa.name, crime_type,
            "" if crime_type == "Anti-social behaviour" else "Under investigation", "",
        ])  # fmt: skip
    header = [
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
        "LSOA name", "Crime type", "Last outcome category", "Context",
    ]  # fmt: skip
    return _csv(header, rows)


def _stop_search_file(rng: random.Random, month: datetime.date, wards: list[Ward]) -> bytes:
    rows = []
    for number in range(120):
        if number % 10 == 0:
            longitude, latitude = ORIGIN[0] - 0.05, ORIGIN[1] - 0.05  # elsewhere in London: outside the wards
        else:
            west, south = _ward_corner(rng.randrange(len(wards)))
            longitude, latitude = west + rng.uniform(0, WARD_SIZE), south + rng.uniform(0, WARD_SIZE)
        moment = datetime.datetime(month.year, month.month, 1 + number % 28, number % 24, tzinfo=datetime.UTC)
        rows.append([
            "Person search", moment.isoformat(), "False", "", f"{latitude:.6f}", f"{longitude:.6f}",
            rng.choice(["Male", "Female"]), rng.choice(["10-17", "18-24", "25-34", "over 34"]), "",
            rng.choice(["White", "Black", "Asian", "Other"]), "Misuse of Drugs Act 1971 (section 23)",
            "Controlled drugs", rng.choice(["A no further action disposal", "Arrest", "Community resolution"]),
            "False", "False",
        ])  # fmt: skip
    header = [
        "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
        "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
        "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
    ]  # fmt: skip
    return _csv(header, rows)


def _set_up(partnership: Any, rng: random.Random) -> None:
    """Area, peers, populations and a partnership group, where the demo has none yet."""
    if not partnership.areas:
        partnership.areas = [AREA]
    if not partnership.peer_group:
        partnership.peer_group = PEERS
    partnership.save(update_fields=["areas", "peer_group"])
    for authority in london_local_authorities():
        value = 9000 if authority.code == "E09000001" else rng.randrange(150_000, 400_000, 1000)
        Population.objects.get_or_create(
            partnership=partnership,
            area_code=authority.code,
            year=2021,
            measure=PopulationMeasure.RESIDENTS,
            defaults={"area_name": authority.name, "value": value},
        )
    CrimeGroup.objects.get_or_create(
        partnership=partnership,
        name="Residential burglary",
        defaults={"minor_categories": ["RES BURGLARY OF A HOME"]},
    )


def build_demo(partnership: Any, rng: random.Random) -> None:
    if RecordedCrime.objects.filter(partnership=partnership).exists():
        return
    rng = random.Random(10)  # noqa: S311 - the demo's own seed: the same counts whatever ran before
    # The last month published: the month before this one.
    last = add_months(timezone.localdate().replace(day=1), -1)
    _set_up(partnership, rng)
    borough = next(a.name for a in london_local_authorities() if a.code == partnership.areas[0])
    wards = _wards(partnership, borough)
    _run(
        "police-recorded-crime", "MPS Borough Level Crime (demo, synthetic).csv", _borough_file(rng, last), partnership
    )
    if not wards:
        return
    ward_file = _ward_file(rng, last, wards, borough)
    _run("police-recorded-crime", "MPS Ward Level Crime (demo, synthetic).csv", ward_file, partnership)
    ward_shapes, lsoa_shapes = _boundaries(wards)
    _run("boundaries", "Demo wards (synthetic).geojson", ward_shapes, partnership)
    _run("boundaries", "Demo LSOAs (synthetic).geojson", lsoa_shapes, partnership)
    for offset in range(STREET_MONTHS):
        month = add_months(last, -offset)
        _run(
            "police-street-crime",
            f"{month:%Y-%m}-metropolitan-street.csv",
            _street_file(rng, month, wards),
            partnership,
        )
    _run(
        "police-stop-search",
        f"{last:%Y-%m}-metropolitan-stop-and-search.csv",
        _stop_search_file(rng, last, wards),
        partnership,
    )
    Commentary.objects.get_or_create(
        partnership=partnership,
        group="BURGLARY",
        quarter=financial_quarter(last),
        defaults={
            "text": "Synthetic demo commentary: burglary of homes rose in the winter months, as it does each year."
        },
    )
