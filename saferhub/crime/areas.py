"""Publisher area names to ONS codes, through the London reference data of `places`.

A name that is not a local authority ("London Heathrow and London City Airports",
"Aviation Security (SO18)", "Unknown" …) is a publisher's pseudo-area: its counts are
kept under a code of its own and never ranked.
"""

import re
from dataclasses import dataclass, field

from saferhub.places.reference import local_authority_for_name, pseudo_area_for_name

PSEUDO_PREFIX = "pseudo:"


@dataclass(frozen=True)
class Authority:
    code: str
    name: str
    ranked: bool


def pseudo_code(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (PSEUDO_PREFIX + slug)[:60]


@dataclass
class AreaResolver:
    """Looks names up once per file."""

    known: dict[str, Authority] = field(default_factory=dict)
    pseudo_seen: set[str] = field(default_factory=set)

    def authority(self, name: str) -> Authority | None:
        """The local authority or pseudo-area the publisher means; None for a name that is neither."""
        key = name.strip().casefold()
        if key not in self.known:
            found = self._look_up(name.strip())
            if found is None:
                return None
            self.known[key] = found
        authority = self.known[key]
        if not authority.ranked:
            self.pseudo_seen.add(authority.name)
        return authority

    @staticmethod
    def _look_up(name: str) -> Authority | None:
        authority = local_authority_for_name(name)
        if authority is not None:
            return Authority(authority.code, authority.name, ranked=True)
        pseudo = pseudo_area_for_name(name)
        if pseudo is not None:
            return Authority(pseudo_code(pseudo.name), pseudo.name, ranked=False)
        return None
