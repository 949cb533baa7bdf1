"""Reference data the software ships: London's local authorities and the publishers' other areas.

`reference_data/london_local_authorities.csv` holds the 33 London local authorities
(the 32 boroughs and the City of London) with their ONS codes, the police force that
publishes their crime figures and the other names publishers use for them;
`reference_data/london_publisher_pseudo_areas.csv` the areas police publishers report
beside the boroughs that are not local authorities (airports, "Unknown" …). These
are public facts. Names match as ward names do (case, `&`/`and`, spacing aside), and
a leading "London Borough of" or "Royal Borough of" is ignored.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from saferhub.places.matching import name_key

DATA = Path(__file__).resolve().parent / "reference_data"
_PREFIX = re.compile(r"^(the )?(london borough of|royal borough of) ")


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str
    police_force: str
    publisher_names: tuple[str, ...]


@dataclass(frozen=True)
class PseudoArea:
    """An area a publisher reports that is not a local authority: kept, never ranked."""

    name: str
    publisher: str
    meaning: str


def _key(name: str) -> str:
    return _PREFIX.sub("", name_key(name))


@cache
def london_local_authorities() -> tuple[LocalAuthority, ...]:
    with (DATA / "london_local_authorities.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            LocalAuthority(
                code=row["code"],
                name=row["name"],
                police_force=row["police_force"],
                publisher_names=tuple(part.strip() for part in row["publisher_names"].split(";") if part.strip()),
            )
            for row in csv.DictReader(handle)
        )


@cache
def publisher_pseudo_areas() -> tuple[PseudoArea, ...]:
    with (DATA / "london_publisher_pseudo_areas.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(PseudoArea(**row) for row in csv.DictReader(handle))


@cache
def _by_name() -> dict[str, LocalAuthority]:
    found: dict[str, LocalAuthority] = {}
    for authority in london_local_authorities():
        for name in (authority.name, *authority.publisher_names):
            found[_key(name)] = authority
    return found


@cache
def _by_code() -> dict[str, LocalAuthority]:
    return {authority.code: authority for authority in london_local_authorities()}


def local_authority_for_name(name: str) -> LocalAuthority | None:
    """The London local authority a publisher means by `name` ("Kingston upon Thames", "City of Westminster" …)."""
    return _by_name().get(_key(name))


def local_authority_for_code(code: str) -> LocalAuthority | None:
    return _by_code().get(code.strip().upper())


def pseudo_area_for_name(name: str) -> PseudoArea | None:
    """The publisher's non-local-authority area called `name` ("Unknown", "Aviation Security (SO18)" …)."""
    key = name_key(name)
    return next((area for area in publisher_pseudo_areas() if name_key(area.name) == key), None)
