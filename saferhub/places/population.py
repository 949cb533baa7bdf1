"""Population figures for rates and expected volumes.

A rate for a period uses the figure of the latest year not after the period's end;
when no figure is that early, the earliest year held (INTERCHANGE.md, "Import
population"). Every figure returned says its area, year and measure, so reports can
say which denominator they used.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from saferhub.places.models import WHOLE_PARTNERSHIP, Population


@dataclass(frozen=True)
class Figure:
    area_code: str
    area_name: str
    measure: str
    year: int
    value: int

    def as_dict(self) -> dict[str, Any]:
        return {"area_code": self.area_code, "measure": self.measure, "year": self.year, "value": self.value}


def _pick(years: dict[int, Any], period_end: datetime.date) -> int:
    """The year the rule chooses among those held."""
    not_after = [year for year in years if year <= period_end.year]
    return max(not_after) if not_after else min(years)


def populations_for(
    partnership: Any, area_codes: Iterable[str], measure: str, period_end: datetime.date
) -> dict[str, Figure]:
    """The figure each area uses for a period ending on `period_end` (one query); areas with none are left out."""
    codes = {code.strip().upper() for code in area_codes}
    rows = Population.objects.filter(
        partnership_id=getattr(partnership, "pk", partnership), measure=measure, area_code__in=codes
    ).values_list("area_code", "area_name", "year", "value")
    held: dict[str, dict[int, tuple[str, int]]] = {}
    for code, name, year, value in rows:
        held.setdefault(code, {})[year] = (name, value)
    figures = {}
    for code, years in held.items():
        year = _pick(years, period_end)
        name, value = years[year]
        figures[code] = Figure(code, name, measure, year, value)
    return figures


def population_for(partnership: Any, area_code: str, measure: str, period_end: datetime.date) -> Figure | None:
    """The figure for one area (``WHOLE_PARTNERSHIP`` for a partnership-wide one), or None when none is held."""
    return populations_for(partnership, [area_code], measure, period_end).get(area_code.strip().upper())


@dataclass(frozen=True)
class PartnershipFigure:
    """A partnership's figure: the sum over its areas, or a figure for the partnership as a whole."""

    measure: str
    value: int | None
    # The figures summed (one per area, or the single partnership-wide one).
    parts: tuple[Figure, ...] = ()
    # The partnership's areas that have no figure: the total is then unknown (value None).
    missing: tuple[str, ...] = field(default=())

    @property
    def years(self) -> list[int]:
        return sorted({part.year for part in self.parts})

    def as_dict(self) -> dict[str, Any]:
        """What a report prints beside a rate: which measure and year(s), and the areas summed."""
        return {
            "measure": self.measure,
            "year": self.years[0] if len(self.years) == 1 else None,
            "years": self.years,
            "value": self.value,
            "areas": [part.area_code or "partnership" for part in self.parts],
            "missing_areas": list(self.missing),
        }


def partnership_population(partnership: Any, measure: str, period_end: datetime.date) -> PartnershipFigure:
    """The figure for the partnership's `areas` (each area's year chosen by the rule), summed.

    When none of its areas has a figure, a partnership-wide figure is used (one entered on
    the population page with no area code, or moved from the old partnership setting). When
    only some areas have one, the value is unknown and `missing` names the others.
    """
    areas = [code.strip().upper() for code in partnership.areas or []]
    # One query for the areas and the partnership-wide figure together.
    figures = populations_for(partnership, [*areas, WHOLE_PARTNERSHIP], measure, period_end)
    whole = figures.pop(WHOLE_PARTNERSHIP, None)
    if figures:
        missing = tuple(code for code in areas if code not in figures)
        parts = tuple(figures[code] for code in areas if code in figures)
        value = None if missing else sum(part.value for part in parts)
        return PartnershipFigure(measure, value, parts, missing)
    if whole is not None:
        return PartnershipFigure(measure, whole.value, (whole,))
    return PartnershipFigure(measure, None, (), tuple(areas))
