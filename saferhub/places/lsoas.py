"""Finding a partnership's LSOA from a code written with 2021 or 2011 boundaries.

Police data (data.police.uk) still uses 2011 LSOA codes for older months. ONS kept
most codes when it redrew LSOAs for 2021, so:

1. a code equal to one of the partnership's 2021 LSOA codes (from the `geography`
   import) is that LSOA, whichever year's boundaries the writer used;
2. otherwise the partnership's copy of ONS's LSOA (2011) → LSOA (2021) lookup
   (`import_records lsoa-2011-lookup`) maps a 2011 code to the 2021 LSOAs it
   became: one, or several when ONS split it;
3. otherwise the code is unknown: callers report it (`LsoaResolver.unknown` counts
   them), never drop the row silently.
"""

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from saferhub.places.models import Lsoa, Lsoa2011Link, Ward


class Resolution(StrEnum):
    CURRENT = "2021"  # a 2021 code (or a 2011 code ONS kept unchanged)
    LOOKUP_2011 = "2011"  # a 2011 code found in the partnership's 2011 → 2021 lookup
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LsoaMatch:
    code: str
    how: Resolution
    # The 2021 LSOAs the code covers: one, several for a split 2011 LSOA, none when unknown.
    lsoas: tuple[Lsoa, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.lsoas)

    @property
    def lsoa(self) -> Lsoa | None:
        """The one 2021 LSOA, when the code names exactly one."""
        return self.lsoas[0] if len(self.lsoas) == 1 else None

    @property
    def ward(self) -> Ward | None:
        """The ward the area lies in, when all its 2021 LSOAs lie in one ward."""
        wards = {lsoa.ward_id for lsoa in self.lsoas}
        return self.lsoas[0].ward if len(wards) == 1 else None


class LsoaResolver:
    """Resolves many codes for one partnership with two queries; counts the codes it did not know."""

    def __init__(self, partnership: Any) -> None:
        self.partnership = partnership
        # A disabled LSOA places nothing: its code is reported as unknown.
        self.by_code = {lsoa.code: lsoa for lsoa in Lsoa.objects.of(partnership).active().select_related("ward")}
        self.links: dict[str, list[str]] = {}
        rows = Lsoa2011Link.objects.filter(partnership_id=getattr(partnership, "pk", partnership))
        for old, new in rows.values_list("lsoa11_code", "lsoa21_code"):
            self.links.setdefault(old, []).append(new)
        self.unknown: Counter[str] = Counter()

    def resolve(self, code: str) -> LsoaMatch:
        code = code.strip().upper()
        current = self.by_code.get(code)
        if current is not None:
            return LsoaMatch(code, Resolution.CURRENT, (current,))
        found = tuple(self.by_code[new] for new in self.links.get(code, ()) if new in self.by_code)
        if found:
            return LsoaMatch(code, Resolution.LOOKUP_2011, found)
        self.unknown[code] += 1
        return LsoaMatch(code, Resolution.UNKNOWN)


def lsoa_for_code(partnership: Any, code: str) -> LsoaMatch:
    """One code; for many, make one `LsoaResolver` and call `resolve`."""
    return LsoaResolver(partnership).resolve(code)
