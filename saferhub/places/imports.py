"""Import kinds `geography`, `population` and `lsoa-2011-lookup` (INTERCHANGE.md).

`geography` reads ONS's LSOA (2021) → ward → local authority lookup as ONS
publishes it. Column names carry the boundary year (`WD22CD`, `LAD23NM`, or
`LTLA22CD` in some editions); `header_name` maps them to `wdyycd`, `ladyynm` … so
the file's year does not matter. Welsh names, `ObjectId`/`FID` are accepted and
ignored. Rows of local authorities outside the partnership's `areas` are skipped
and counted. Wards are keyed on their ONS code: a ward set up by hand with the
same name (case, `&`/`and` aside) is adopted, and a same-named ward of the same
local authority with an older code takes the new one (boundaries redrawn). A name
already used in another local authority of the partnership gets that authority's
name in brackets. A coded ward's name is only changed when it differs by more than
case and `&`/`and`, so an administrator's spelling survives a re-import. Imports
never re-enable what an administrator disabled.

`lsoa-2011-lookup` reads ONS's LSOA (2011) → LSOA (2021) lookup (see
`saferhub.places.lsoas`). `population` is Saferhub's own layout.
"""

import re
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from saferhub.imports import fields
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.places.matching import WardIndex, name_key
from saferhub.places.models import Lsoa, Lsoa2011Link, LsoaChange, Population, PopulationMeasure, Ward

ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
# ONS column names with a two-digit boundary year: WD22CD, LAD23NM, LTLA22NMW …
_YEARED = re.compile(r"^(wd|lad|ltla)\d\d(cd|nm|nmw)$")


def _yearless(name: str, families: tuple[str, ...]) -> str:
    """`wd22cd` → `wdyycd`, `ltla22nm` → `ladyynm` (for the given families); `fid` → `objectid`."""
    match = _YEARED.match(name)
    if match and match.group(1) in families:
        family = "lad" if match.group(1) == "ltla" else match.group(1)
        return f"{family}yy{match.group(2)}"
    return "objectid" if name == "fid" else name


_IGNORED_HELP = "accepted and ignored"


def ons_code(prefixes: tuple[str, ...], what: str) -> Any:
    """An ONS code starting with one of `prefixes` (e.g. E05 for wards), upper-cased."""

    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
        code = value.upper()
        if not ONS_CODE.match(code) or not code.startswith(prefixes):
            raise CellError(
                f"'{value}' is not an ONS {what} code (a letter and 8 digits starting {' or '.join(prefixes)})"
            )
        return code

    return parse


LSOA_CODE = ons_code(("E01", "W01"), "LSOA")
WARD_CODE = ons_code(("E05", "W05"), "ward")
# Local authority districts: E06 unitary, E07 district, E08 metropolitan, E09 London, W06 Wales.
LA_CODE = ons_code(("E06", "E07", "E08", "E09", "W06"), "local authority")


def _areas(ctx: ImportContext) -> set[str]:
    return {code.strip().upper() for code in ctx.partnership.areas or []}


def _check_areas(ctx: ImportContext, row: Row) -> None:
    # Said once, on the first row: without areas every row would be skipped.
    if not _areas(ctx) and not ctx.state.get("places.no_areas_reported"):
        ctx.state["places.no_areas_reported"] = True
        row.error(
            None,
            "the partnership has no areas: an administrator sets the ONS codes of its local authorities"
            " (`areas` in the set-up file, or the Set-up page) first",
        )


def _once_in_file(ctx: ImportContext, row: Row, key: str, value: Any, column: str, what: str) -> None:
    seen = ctx.state.setdefault(key, {})
    if value in seen:
        row.error(column, f"{what} is already on line {seen[value]}: each appears once in the file")
    else:
        seen[value] = row.line


# geography ----------------------------------------------------------------------------------------


class GeographyImport(ImportKind):
    def header_name(self, name: str) -> str:
        return _yearless(name, ("wd", "lad", "ltla"))

    def clean(self, ctx: ImportContext, row: Row) -> None:
        _check_areas(ctx, row)
        if row["lsoa21cd"]:
            _once_in_file(ctx, row, "geography.lsoas", row["lsoa21cd"], "lsoa21cd", f"LSOA {row['lsoa21cd']}")
        # One ward code has one name and one local authority throughout the file.
        wards = ctx.state.setdefault("geography.wards", {})
        code, name, la = row["wdyycd"], row["wdyynm"], row["ladyycd"]
        first = wards.setdefault(code, (name, la, row.line))
        if first[0] != name:
            row.error("wdyynm", f"ward {code} is called '{first[0]}' on line {first[2]}: one code has one name")
        elif first[1] != la:
            row.error("ladyycd", f"ward {code} is in {first[1]} on line {first[2]}: one ward has one local authority")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        areas = _areas(ctx)
        if "geography.index" not in ctx.state:
            ctx.state["geography.index"] = WardIndex(ctx.partnership)
        index: WardIndex = ctx.state["geography.index"]
        mine = [row for row in rows if row["ladyycd"] in areas]
        existing = {
            lsoa.code: lsoa for lsoa in Lsoa.objects.of(ctx.partnership).filter(code__in=[r["lsoa21cd"] for r in mine])
        }
        new: list[Lsoa] = []
        changed: list[Lsoa] = []
        for row in rows:
            if row["ladyycd"] not in areas:
                yield Outcome.SKIPPED
                continue
            ward, ward_changed = self._ward(ctx, index, row)
            lsoa = existing.get(row["lsoa21cd"])
            name = row["lsoa21nm"] or ""
            if lsoa is None:
                new.append(Lsoa(partnership=ctx.partnership, code=row["lsoa21cd"], name=name, ward=ward))
                yield Outcome.CREATED
            elif lsoa.ward_id != ward.pk or (row.has("lsoa21nm") and lsoa.name != name):
                lsoa.ward = ward
                lsoa.name = name if row.has("lsoa21nm") else lsoa.name
                lsoa.version += 1
                changed.append(lsoa)
                yield Outcome.UPDATED
            else:
                yield Outcome.UPDATED if ward_changed else Outcome.UNCHANGED
        Lsoa.objects.bulk_create(new)
        Lsoa.objects.bulk_update(changed, ["ward", "name", "version"])

    def _ward(self, ctx: ImportContext, index: WardIndex, row: Row) -> tuple[Ward, bool]:
        """The row's ward, created or brought up to date; whether this row changed it."""
        code, name, la = row["wdyycd"], row["wdyynm"], row["ladyycd"]
        ward = index.by_code.get(code)
        if ward is not None:
            if name_key(ward.name) == name_key(name) and ward.local_authority_code == la:
                return ward, False
            return self._update(ctx, index, row, ward), True
        same_name = index.by_key.get(name_key(name))
        # Ward codes of the file so far (filled as rows are checked): a code in the file is not an older one.
        file_codes = ctx.state["geography.wards"]
        if same_name is not None and (
            not same_name.code or (same_name.local_authority_code in ("", la) and same_name.code not in file_codes)
        ):
            # Set up by hand, or the same ward under its code before boundaries were redrawn.
            return self._update(ctx, index, row, same_name), True
        ward = Ward(
            partnership=ctx.partnership,
            name=self._free_name(index, row, exclude=None),
            code=code,
            local_authority_code=la,
        )
        ward.save()
        index.add(ward)
        return ward, True

    def _update(self, ctx: ImportContext, index: WardIndex, row: Row, ward: Ward) -> Ward:
        index.forget(ward)
        if name_key(ward.name) != name_key(row["wdyynm"]):
            ward.name = self._free_name(index, row, exclude=ward)
        ward.code = row["wdyycd"]
        ward.local_authority_code = row["ladyycd"]
        ward.version += 1
        ward.save(update_fields=["name", "code", "local_authority_code", "version"])
        index.add(ward)
        return ward

    def _free_name(self, index: WardIndex, row: Row, exclude: Ward | None) -> str:
        """The ONS name, or with its local authority's name in brackets when another ward has it."""
        name = row["wdyynm"]
        holder = index.by_key.get(name_key(name))
        if holder is None or holder is exclude:
            return name
        return f"{name} ({row['ladyynm'] or row['ladyycd']})"[:100]


register(
    GeographyImport(
        slug="geography",
        title="Geography: LSOAs, wards and local authorities (ONS lookup)",
        description=(
            "The ONS lookup of LSOAs (2021) to wards to local authorities, as ONS publishes it. Column names carry"
            " the boundary year (WD22CD, LAD22NM …): any year is accepted. Welsh-name columns and ObjectId are"
            " ignored. Rows for local authorities outside the partnership's areas are skipped and counted."
        ),
        columns=(
            Column("lsoa21cd", required=True, parse=LSOA_CODE, help="2021 LSOA code (LSOA21CD)"),
            Column("lsoa21nm", parse=fields.text(100), help="LSOA name (LSOA21NM)"),
            Column("wdyycd", required=True, parse=WARD_CODE, help="ward code, any boundary year (WD22CD …)"),
            Column("wdyynm", required=True, parse=fields.text(100), help="ward name (WD22NM …)"),
            Column(
                "ladyycd",
                required=True,
                parse=LA_CODE,
                help="local authority code (LAD22CD or LTLA22CD …); rows outside the partnership's areas are skipped",
            ),
            Column("ladyynm", parse=fields.text(100), help="local authority name (LAD22NM …)"),
            Column("lsoa21nmw", help=f"Welsh LSOA name: {_IGNORED_HELP}"),
            Column("wdyynmw", help=f"Welsh ward name: {_IGNORED_HELP}"),
            Column("ladyynmw", help=f"Welsh local authority name: {_IGNORED_HELP}"),
            Column("objectid", help=f"ObjectId or FID: {_IGNORED_HELP}"),
        ),
    )
)


# lsoa-2011-lookup -------------------------------------------------------------------------------------


def _change(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    code = value.upper()
    if code not in LsoaChange.values:
        raise CellError(f"'{value}' is not an ONS change indicator: U, S, M or X")
    return code


class Lsoa2011LookupImport(ImportKind):
    def header_name(self, name: str) -> str:
        return _yearless(name, ("lad", "ltla"))

    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row.has("ladyycd"):
            _check_areas(ctx, row)
        pair = (row["lsoa11cd"], row["lsoa21cd"])
        _once_in_file(ctx, row, "lsoa2011.pairs", pair, "lsoa21cd", f"the pair {pair[0]} → {pair[1]}")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        areas = _areas(ctx)
        keep = [row for row in rows if not row.has("ladyycd") or row["ladyycd"] in areas]
        existing = {
            (link.lsoa11_code, link.lsoa21_code): link
            for link in Lsoa2011Link.objects.filter(
                partnership=ctx.partnership, lsoa11_code__in={row["lsoa11cd"] for row in keep}
            )
        }
        new: list[Lsoa2011Link] = []
        changed: list[Lsoa2011Link] = []
        for row in rows:
            if row.has("ladyycd") and row["ladyycd"] not in areas:
                yield Outcome.SKIPPED
                continue
            values = {
                "lsoa11_name": row["lsoa11nm"] or "",
                "lsoa21_name": row["lsoa21nm"] or "",
                "change": row["chgind"] or "",
            }
            link = existing.get((row["lsoa11cd"], row["lsoa21cd"]))
            if link is None:
                new.append(
                    Lsoa2011Link(
                        partnership=ctx.partnership, lsoa11_code=row["lsoa11cd"], lsoa21_code=row["lsoa21cd"], **values
                    )
                )
                yield Outcome.CREATED
                continue
            values = row.present_only(
                values, {"lsoa11_name": "lsoa11nm", "lsoa21_name": "lsoa21nm", "change": "chgind"}
            )
            if all(getattr(link, key) == value for key, value in values.items()):
                yield Outcome.UNCHANGED
                continue
            for key, value in values.items():
                setattr(link, key, value)
            changed.append(link)
            yield Outcome.UPDATED
        Lsoa2011Link.objects.bulk_create(new)
        Lsoa2011Link.objects.bulk_update(changed, ["lsoa11_name", "lsoa21_name", "change"])


register(
    Lsoa2011LookupImport(
        slug="lsoa-2011-lookup",
        title="LSOA 2011 to 2021 lookup (ONS)",
        description=(
            "ONS's lookup of 2011 LSOAs to the 2021 LSOAs they became, so that police data written with 2011 codes"
            " finds its wards. Codes ONS kept unchanged need no row. When the file has a local authority column,"
            " rows outside the partnership's areas are skipped and counted."
        ),
        columns=(
            Column("lsoa11cd", required=True, parse=LSOA_CODE, help="2011 LSOA code (LSOA11CD)"),
            Column("lsoa11nm", parse=fields.text(100), help="2011 LSOA name"),
            Column("lsoa21cd", required=True, parse=LSOA_CODE, help="2021 LSOA code (LSOA21CD)"),
            Column("lsoa21nm", parse=fields.text(100), help="2021 LSOA name"),
            Column(
                "chgind",
                parse=_change,
                help="ONS change indicator: U unchanged, S split, M merged, X redrawn",
            ),
            Column("ladyycd", parse=LA_CODE, help="local authority code (LAD22CD …)"),
            Column("ladyynm", help=f"local authority name: {_IGNORED_HELP}"),
            Column("ladyynmw", help=f"Welsh local authority name: {_IGNORED_HELP}"),
            Column("objectid", help=f"ObjectId or FID: {_IGNORED_HELP}"),
        ),
    )
)


# population ---------------------------------------------------------------------------------------


class PopulationImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        key = (row["area_code"], row["measure"], row["year"])
        _once_in_file(ctx, row, "population.keys", key, "year", f"the {key[1]} figure of {key[0]} for {key[2]}")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        existing = {
            (figure.area_code, figure.measure, figure.year): figure
            for figure in Population.objects.filter(
                partnership=ctx.partnership, area_code__in={row["area_code"] for row in rows}
            )
        }
        new: list[Population] = []
        changed: list[Population] = []
        for row in rows:
            figure = existing.get((row["area_code"], row["measure"], row["year"]))
            name = row["area_name"] or ""
            if figure is None:
                new.append(
                    Population(
                        partnership=ctx.partnership,
                        area_code=row["area_code"],
                        area_name=name,
                        year=row["year"],
                        measure=row["measure"],
                        value=row["value"],
                    )
                )
                yield Outcome.CREATED
                continue
            name = name if row.has("area_name") else figure.area_name
            if figure.value == row["value"] and figure.area_name == name:
                yield Outcome.UNCHANGED
                continue
            figure.value, figure.area_name = row["value"], name
            figure.version += 1
            figure.modified_at = timezone.now()
            changed.append(figure)
            yield Outcome.UPDATED
        Population.objects.bulk_create(new)
        Population.objects.bulk_update(changed, ["value", "area_name", "version", "modified_at"])


def _population_area(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    code = value.upper()
    if not ONS_CODE.match(code):
        raise CellError(f"'{value}' is not an ONS area code (a letter and 8 digits, e.g. E09000003)")
    return code


register(
    PopulationImport(
        slug="population",
        title="Population figures",
        description=(
            "Residents, households, women aged 16 and over and people aged 10 to 17, per ONS area and year."
            " Rates use the latest year not after a period's end (else the earliest held) and say which year."
        ),
        columns=(
            Column(
                "area_code", required=True, parse=_population_area, help="ONS code of a local authority, ward or LSOA"
            ),
            Column("area_name", parse=fields.text(100), help="the area's name"),
            Column("year", required=True, parse=fields.integer(1800, 2200), help="the year the figure describes"),
            Column(
                "measure",
                required=True,
                parse=fields.choice(PopulationMeasure.values),
                help="one of: " + ", ".join(PopulationMeasure.values),
            ),
            Column("value", required=True, parse=fields.integer(0, 2_000_000_000), help="whole number"),
        ),
    )
)
