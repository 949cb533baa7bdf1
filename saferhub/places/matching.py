"""Matching place names as people and publishers write them.

Ward names match without regard to case, with `&` equal to `and`, and with runs of
spaces (or hyphens, as in "Kingston-upon-Thames") counted as one space: ONS writes
"Totteridge & Woodside" where other sources write "Totteridge and Woodside".
Everything in Saferhub that matches a ward by name goes through `find_ward` or a
`WardIndex`.
"""

import re
from typing import Any

from saferhub.places.models import Ward

# What an import says when a ward name matches none of the partnership's wards.
UNKNOWN_WARD_HELP = (
    "an administrator adds it on the Wards page (Administration) or imports the ONS lookup"
    " with `import_records geography`"
)

_SPACES = re.compile(r"[\s\-]+")
_AMPERSAND = re.compile(r"\s*&\s*")


def name_key(text: str) -> str:
    """The form two names share when they name the same place."""
    folded = _AMPERSAND.sub(" and ", text.casefold())
    return _SPACES.sub(" ", folded).strip()


class WardIndex:
    """A partnership's wards by name and by ONS code, read once (for imports that match many rows)."""

    def __init__(self, partnership: Any, *, active_only: bool = False) -> None:
        wards = Ward.objects.of(partnership)
        if active_only:
            wards = wards.active()
        self.by_key: dict[str, Ward] = {}
        self.by_code: dict[str, Ward] = {}
        for ward in wards:
            self.add(ward)

    def add(self, ward: Ward) -> None:
        self.by_key[name_key(ward.name)] = ward
        if ward.code:
            self.by_code[ward.code.upper()] = ward

    def forget(self, ward: Ward) -> None:
        """Drop a ward's old name and code (before it is renamed or recoded)."""
        if self.by_key.get(name_key(ward.name)) is ward:
            del self.by_key[name_key(ward.name)]
        if ward.code and self.by_code.get(ward.code.upper()) is ward:
            del self.by_code[ward.code.upper()]

    def find(self, text: str) -> Ward | None:
        """The ward named `text`, or whose ONS code is `text`."""
        text = text.strip()
        return self.by_code.get(text.upper()) or self.by_key.get(name_key(text))


def find_ward(partnership: Any, text: str, *, active_only: bool = False) -> Ward | None:
    """The partnership's ward called `text` (case, `&`/`and` and spacing aside) or with that ONS code."""
    text = text.strip()
    if not text:
        return None
    wards = Ward.objects.of(partnership)
    if active_only:
        wards = wards.active()
    by_code = wards.filter(code__iexact=text).first()
    if by_code is not None:
        return by_code
    # A partnership has tens of wards: compare the keys here rather than teach SQL the rule.
    key = name_key(text)
    return next((ward for ward in wards if name_key(ward.name) == key), None)
