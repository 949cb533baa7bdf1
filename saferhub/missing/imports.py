"""Import kind `missing-episodes` (INTERCHANGE.md, "Import `missing-episodes`").

Each row is an episode, upserted on `external_ref`. The child is found by `person_ref`
(or created with the date of birth given); their missing record (a `missing` case owned
by the team holding the `missing` duty) is opened the first time. Times are UK local
time as written. Columns the file leaves out leave an existing episode's fields alone.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from saferhub.accounts.duties import missing_message
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.missing import actions, config
from saferhub.missing.models import Episode, Risk
from saferhub.people.models import Person, YesNoUnknown


def _moment(value: str, ctx: ImportContext, raw: dict[str, str]) -> datetime.datetime:
    """`YYYY-MM-DD HH:MM` in UK local time; a time the clocks skipped is refused."""
    try:
        if len(value) != 16 or value[10] != " ":
            raise ValueError
        # Read as written, then placed in UK time below (a naive value never leaves this function).
        naive = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M")  # noqa: DTZ007
    except ValueError:
        raise CellError(f"'{value}' is not a date and time in the form YYYY-MM-DD HH:MM") from None
    fields.date(value[:10], ctx, raw)  # the same bounds on the year as every date
    moment = naive.replace(tzinfo=config.UK)
    # A time in the hour the clocks go forward does not exist: it comes back changed from UTC.
    if moment.astimezone(datetime.UTC).astimezone(config.UK).replace(tzinfo=None) != naive:
        raise CellError(f"{value} did not happen in UK time (the clocks went forward): check the time")
    return moment


_moment.pure = True  # type: ignore[attr-defined]

_SOURCES = {
    "returned_at": "returned_at",
    "police_reference": "police_reference",
    "risk": "risk",
    "placed_out_of_area": "placed_out_of_area",
    "rhi_offered_at": "rhi_offered_at",
    "rhi_completed_at": "rhi_completed_at",
    "rhi_declined": "rhi_declined",
    "rhi_provider_id": "rhi_provider",
}


def _user(ctx: ImportContext) -> Any:
    return ctx.user if getattr(ctx.user, "pk", None) else None


class MissingEpisodesImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        start = row["missing_from"]
        for column in ("returned_at", "rhi_offered_at", "rhi_completed_at"):
            if start and row[column] and row[column] < start:
                row.error(column, "this is before missing_from: check the date and time")
        if row["date_of_birth"] and start and row["date_of_birth"] > start.date():
            row.error("date_of_birth", "the child was born after going missing: check the date")
        if "missing.team" not in ctx.state:
            ctx.state["missing.team"] = config.missing_team(ctx.partnership.pk)
        if ctx.state["missing.team"] is None:
            row.error(None, missing_message(config.DUTY, "the missing children coordinators"))

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        existing = {
            e.external_ref: e
            for e in by_external_ref(
                Episode.objects.filter(partnership=ctx.partnership), [r["external_ref"] for r in rows]
            )
        }
        people = self._people(ctx, {r["person_ref"]: r["date_of_birth"] for r in rows})
        for row in rows:
            person, person_changed = people[row["person_ref"]]
            values = self._values(row)
            episode = existing.get(row["external_ref"])
            if episode is None:
                child = actions.child_record(_user(ctx), person)
                existing[row["external_ref"]] = actions.record_episode(
                    _user(ctx), child, external_ref=row["external_ref"], **values
                )
                yield Outcome.CREATED
                continue
            values = row.present_only(values, _SOURCES)
            changes = {k: v for k, v in values.items() if getattr(episode, k) != v}
            if episode.child.person_id != person.pk:
                changes["child_id"] = actions.child_record(_user(ctx), person).pk
            if not changes:
                yield Outcome.UPDATED if person_changed else Outcome.UNCHANGED
                continue
            for key, value in changes.items():
                setattr(episode, key, value)
            episode.save()
            actions.refresh(episode)
            log.record(_user(ctx), AuditAction.UPDATE, episode, partnership=ctx.partnership, detail={"import": True})
            yield Outcome.UPDATED

    def _people(self, ctx: ImportContext, born: dict[str, datetime.date]) -> dict[str, tuple[Person, bool]]:
        """People by reference, created when new; a changed date of birth is corrected (and reported)."""
        found = {p.external_ref: p for p in by_external_ref(Person.objects.filter(partnership=ctx.partnership), born)}
        result = {}
        for ref, dob in born.items():
            person = found.get(ref)
            changed = False
            if person is None:
                person = Person.objects.create(
                    partnership=ctx.partnership, external_ref=ref, date_of_birth=dob, created_by=_user(ctx)
                )
            elif person.date_of_birth != dob:
                person.date_of_birth = dob
                person.save(update_fields=["date_of_birth", "modified_at"])
                log.record(_user(ctx), AuditAction.UPDATE, person, partnership=ctx.partnership, detail={"import": True})
                changed = True
            result[ref] = (person, changed)
        return result

    def _values(self, row: Row) -> dict[str, Any]:
        declined = row["rhi_declined"]
        return {
            "missing_from": row["missing_from"],
            "returned_at": row["returned_at"],
            "police_reference": row.get("police_reference", ""),
            "risk": row.get("risk", ""),
            "placed_out_of_area": row.get("placed_out_of_area", YesNoUnknown.UNKNOWN),
            "rhi_offered_at": row["rhi_offered_at"],
            "rhi_completed_at": row["rhi_completed_at"],
            "rhi_declined": YesNoUnknown.UNKNOWN
            if declined is None
            else (YesNoUnknown.YES if declined else YesNoUnknown.NO),
            "rhi_provider_id": row["rhi_provider"].pk if row["rhi_provider"] else None,
        }


register(
    MissingEpisodesImport(
        slug="missing-episodes",
        title="Missing episodes",
        description="Children's missing episodes with their return, police risk grading and return home interview.",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id for the episode"),
            Column("person_ref", required=True, parse=fields.text(100), help="source's id for the child"),
            Column("date_of_birth", required=True, parse=fields.date, help="date"),
            Column("missing_from", required=True, parse=_moment, help="date and time, YYYY-MM-DD HH:MM"),
            Column("returned_at", parse=_moment, help="date and time"),
            Column("police_reference", parse=fields.text(50)),
            Column("risk", parse=fields.choice(Risk.values), help="absent, low, medium or high"),
            Column("placed_out_of_area", parse=fields.yes_no_unknown, help="yes/no/unknown"),
            Column("rhi_offered_at", parse=_moment, help="date and time the return home interview was offered"),
            Column("rhi_completed_at", parse=_moment, help="date and time it took place"),
            Column("rhi_declined", parse=fields.yes_no, help="yes/no"),
            Column("rhi_provider", parse=fields.organisation(), help="organisation name"),
        ),
    )
)
