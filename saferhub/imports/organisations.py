"""Import kind `organisations`: the partnership's agencies, upserted on external_ref."""

from collections.abc import Iterator
from typing import Any

from django.db.models.functions import Lower

from saferhub.accounts.models import Agency, AgencyKind
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row

_NAMES_IN_FILE = "organisations.names"


def _parent(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    """The parent's name: an organisation named on an earlier row, or one the partnership has."""
    if value.lower() in ctx.state.setdefault(_NAMES_IN_FILE, set()):
        return value
    try:
        return ctx.organisation(value).name
    except CellError:
        raise CellError(
            f"unknown organisation '{value}': name an organisation the partnership has or one on an earlier row"
            + ("" if ctx.create_organisations else " (or give --create-organisations)")
        ) from None


class OrganisationsImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        name, parent = row["name"], row["parent"]
        if parent and parent.lower() == name.lower():
            row.error("parent", "an organisation cannot be its own parent")
        # Names are kept for the whole file so later rows may use them as parents.
        ctx.state.setdefault(_NAMES_IN_FILE, set()).add(name.lower())

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        partnership = ctx.partnership
        by_ref = {
            agency.external_ref: agency
            for agency in by_external_ref(
                Agency.objects.filter(partnership=partnership), {row["external_ref"] for row in rows}
            )
        }
        wanted_names = {row["name"].lower() for row in rows} | {row["parent"].lower() for row in rows if row["parent"]}
        by_name = {
            agency.lname: agency
            for agency in Agency.objects.annotate(lname=Lower("name")).filter(
                partnership=partnership, lname__in=wanted_names
            )
        }
        for row in rows:
            yield self._upsert(ctx, row, by_ref, by_name)

    def _upsert(self, ctx: ImportContext, row: Row, by_ref: dict[str, Agency], by_name: dict[str, Any]) -> Outcome:
        ref, name = row["external_ref"], row["name"]
        values = {
            "name": name,
            "kind": row.get("kind", AgencyKind.OTHER),
            "parent": by_name.get(row["parent"].lower()) if row["parent"] else None,
        }
        if row["parent"] and values["parent"] is None:
            row.error("parent", f"unknown organisation '{row['parent']}'")
            return Outcome.ERROR
        agency = by_ref.get(ref)
        same_name = by_name.get(name.lower())
        if same_name is not None and (agency is None or same_name.pk != agency.pk):
            if agency is not None or same_name.external_ref:
                other = same_name.external_ref or "no external_ref"
                row.error("name", f"another organisation is already called '{same_name.name}' ({other})")
                return Outcome.ERROR
            agency = same_name  # an organisation set up by hand is adopted by its first import
        if agency is None:
            agency = Agency.objects.create(partnership=ctx.partnership, external_ref=ref, **values)
            outcome = Outcome.CREATED
        else:
            # A column the file leaves out leaves the organisation's field as it is.
            values = row.present_only(values, {"kind": "kind", "parent": "parent"})
            changed = agency.external_ref != ref or any(getattr(agency, key) != value for key, value in values.items())
            if not changed:
                return Outcome.UNCHANGED
            if _creates_cycle(agency, values.get("parent")):
                row.error("parent", f"'{values['parent'].name}' is inside '{agency.name}': that would make a loop")
                return Outcome.ERROR
            by_name.pop(agency.name.lower(), None)
            agency.external_ref = ref
            for key, value in values.items():
                setattr(agency, key, value)
            agency.save()
            outcome = Outcome.UPDATED
        by_ref[ref] = agency
        by_name[name.lower()] = agency
        return outcome


def _creates_cycle(agency: Agency, parent: Agency | None) -> bool:
    seen = 0
    while parent is not None and seen < 50:
        if parent.pk == agency.pk:
            return True
        parent, seen = parent.parent, seen + 1
    return False


register(
    OrganisationsImport(
        slug="organisations",
        title="Organisations",
        description="The partnership's agencies and referring organisations, with their parent agency.",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id"),
            Column("name", required=True, parse=fields.text(200), help="organisation name"),
            Column("kind", parse=fields.choice(AgencyKind.values), help="one of: " + ", ".join(AgencyKind.values)),
            Column("parent", parse=_parent, help="name of its parent agency, here or on an earlier row"),
        ),
    )
)
