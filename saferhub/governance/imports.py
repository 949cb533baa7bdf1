"""Import kinds `action-plan` and `activities` (INTERCHANGE.md, "Import action-plan", "Import activities").

`action-plan`: one row is one dated status of one commitment. A commitment is keyed on
its `external_ref`; a row with an `updated_on` the commitment has no entry for adds to
its history, the same `updated_on` with other values changes that entry. The
commitment's own details (plan, text, owner, due date …) follow its latest row, so an
older row re-imported for the history never takes them back. Plans are matched by
name, ignoring case, and created when new.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models.functions import Lower

from saferhub.governance.models import (
    ActionPlan,
    Activity,
    ActivityKind,
    Audience,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Rag,
    derived_rag,
)
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.places.matching import UNKNOWN_WARD_HELP, WardIndex

_PLANS = "governance.plans"
_COMMITMENTS = "governance.commitments"
_SEEN = "governance.seen"


def _rag(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    lowered = value.lower()
    allowed = [rag for rag in Rag.values if rag]
    if lowered not in allowed:
        raise CellError(f"'{value}' is not one of: {', '.join(allowed)} (leave it blank to derive it from status)")
    return lowered


class ActionPlanImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        # One entry per commitment and day: a second row for the same day would silently win.
        seen = ctx.state.setdefault(_SEEN, {})
        key = (row["external_ref"], row["updated_on"])
        if key in seen:
            row.error(
                "updated_on", f"{row['external_ref']} already has a row for {row['updated_on']} on line {seen[key]}"
            )
        else:
            seen[key] = row.line

    def _plan(self, ctx: ImportContext, name: str) -> ActionPlan:
        plans: dict[str, ActionPlan] = ctx.state.setdefault(_PLANS, {})
        key = name.lower()
        if key not in plans:
            plan = (
                ActionPlan.objects.of(ctx.partnership).annotate(lname=Lower("name")).filter(lname=key).first()
            ) or ActionPlan.objects.create(partnership=ctx.partnership, name=name)
            plans[key] = plan
        return plans[key]

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        known: dict[str, Commitment] = ctx.state.setdefault(_COMMITMENTS, {})
        wanted = {row["external_ref"] for row in rows} - set(known)
        for commitment in by_external_ref(Commitment.objects.of(ctx.partnership), wanted):
            known[commitment.external_ref] = commitment
        ids = [known[row["external_ref"]].pk for row in rows if row["external_ref"] in known]
        history: dict[tuple[int, Any], CommitmentUpdate] = {
            (update.commitment_id, update.updated_on): update
            for update in CommitmentUpdate.objects.filter(commitment_id__in=ids)
        }
        latest: dict[int, Any] = {}
        for (commitment_id, day), _update in history.items():
            if commitment_id not in latest or day > latest[commitment_id]:
                latest[commitment_id] = day
        for row in rows:
            yield self._write(ctx, row, known, history, latest)

    def _write(
        self,
        ctx: ImportContext,
        row: Row,
        known: dict[str, Commitment],
        history: dict[tuple[int, Any], CommitmentUpdate],
        latest: dict[int, Any],
    ) -> Outcome:
        details = {
            "plan": self._plan(ctx, row["plan"]),
            "priority": row["priority"] or "",
            "text": row["commitment"],
            "owner": row["owner"],
            "phase": row["phase"] or "",
            "due_on": row["due_on"],
        }
        status = row["status"]
        entry = {
            "status": status,
            "rag": row["rag"] if row["rag"] else derived_rag(status),
            "text": row["update"] or "",
        }
        day = row["updated_on"]
        commitment = known.get(row["external_ref"])
        if commitment is None:
            commitment = Commitment.objects.create(
                partnership=ctx.partnership, external_ref=row["external_ref"], **details
            )
            known[commitment.external_ref] = commitment
            history[(commitment.pk, day)] = CommitmentUpdate.objects.create(
                commitment=commitment, updated_on=day, **entry
            )
            latest[commitment.pk] = day
            return Outcome.CREATED
        changed = False
        if day >= latest.get(commitment.pk, day):
            # Columns the file leaves out leave the commitment's details alone.
            details = row.present_only(
                details, {"priority": "priority", "owner": "owner", "phase": "phase", "due_on": "due_on"}
            )
            if any(getattr(commitment, key) != value for key, value in details.items()):
                for key, value in details.items():
                    setattr(commitment, key, value)
                commitment.version += 1
                commitment.save()
                changed = True
        update = history.get((commitment.pk, day))
        if update is None:
            history[(commitment.pk, day)] = CommitmentUpdate.objects.create(
                commitment=commitment, updated_on=day, **entry
            )
            latest[commitment.pk] = max(day, latest.get(commitment.pk, day))
            changed = True
        else:
            entry = row.present_only(entry, {"text": "update"})
            if any(getattr(update, key) != value for key, value in entry.items()):
                for key, value in entry.items():
                    setattr(update, key, value)
                update.save()
                changed = True
        return Outcome.UPDATED if changed else Outcome.UNCHANGED


def _statuses() -> str:
    return ", ".join(CommitmentStatus.values)


register(
    ActionPlanImport(
        slug="action-plan",
        title="Action plan commitments",
        description=(
            "Commitments of a strategy's action plan with their dated status. A later updated_on adds to a"
            " commitment's history; the same updated_on changes that entry. A blank rag is derived from status."
        ),
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id of the commitment"),
            Column("plan", required=True, parse=fields.text(200), help="name of the plan"),
            Column("priority", parse=fields.text(200), help="the strategy priority it serves"),
            Column("commitment", required=True, parse=fields.text(5000), help="what the partnership commits to"),
            Column("owner", parse=fields.organisation(), help="organisation name"),
            Column("phase", parse=fields.text(100), help="free text, e.g. Year 1-3"),
            Column("due_on", parse=fields.date, help="YYYY-MM-DD"),
            Column("status", required=True, parse=fields.choice(CommitmentStatus.values), help=_statuses()),
            Column("rag", parse=_rag, help="red, amber or green; blank = derived from status"),
            Column("updated_on", required=True, parse=fields.date, help="date of this status, YYYY-MM-DD"),
            Column("update", parse=fields.text(5000), help="progress text"),
        ),
    )
)


# activities ---------------------------------------------------------------------------------------


def _ward(value: str, ctx: ImportContext, raw: dict[str, str]) -> Any:
    if "governance.wards" not in ctx.state:
        ctx.state["governance.wards"] = WardIndex(ctx.partnership)
    ward = ctx.state["governance.wards"].find(value)
    if ward is None:
        raise CellError(f"unknown ward '{value}': {UNKNOWN_WARD_HELP}")
    return ward


def _programme(value: str, ctx: ImportContext, raw: dict[str, str]) -> str:
    # Programmes are slugs (`restorative_justice`): "Restorative Justice" means the same one.
    return "_".join(value.lower().replace("-", " ").split())[:100]


_ACTIVITY_SOURCES = {
    "programme": "programme",
    "audience": "audience",
    "organisation": "organisation",
    "ward": "ward",
    "feedback_responses": "feedback_responses",
    "feedback_positive": "feedback_positive",
}


class ActivitiesImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        responses, positive = row["feedback_responses"], row["feedback_positive"]
        if positive is not None and responses is None:
            row.error("feedback_positive", "give feedback_responses too: positive responses are a share of them")
        elif positive is not None and positive > responses:
            row.error(
                "feedback_positive",
                f"{positive} positive responses is more than the {responses} feedback_responses: check both",
            )
        seen = ctx.state.setdefault(_SEEN, {})
        if row["external_ref"] in seen:
            row.error("external_ref", f"{row['external_ref']} is already on line {seen[row['external_ref']]}")
        else:
            seen[row["external_ref"]] = row.line

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        existing = {
            activity.external_ref: activity
            for activity in by_external_ref(Activity.objects.of(ctx.partnership), {row["external_ref"] for row in rows})
        }
        new: list[Activity] = []
        changed: list[Activity] = []
        names = [
            "held_on",
            "kind",
            "programme",
            "title",
            "audience",
            "organisation",
            "ward",
            "participants",
            "feedback_responses",
            "feedback_positive",
        ]
        for row in rows:
            values = {
                "held_on": row["held_on"],
                "kind": row["kind"],
                "programme": row["programme"] or "",
                "title": row["title"],
                "audience": row["audience"] or "",
                "organisation": row["organisation"] or "",
                "ward": row["ward"],
                "participants": row["participants"],
                "feedback_responses": row["feedback_responses"],
                "feedback_positive": row["feedback_positive"],
            }
            activity = existing.get(row["external_ref"])
            if activity is None:
                new.append(Activity(partnership=ctx.partnership, external_ref=row["external_ref"], **values))
                yield Outcome.CREATED
                continue
            values = row.present_only(values, _ACTIVITY_SOURCES)
            responses = values.get("feedback_responses", activity.feedback_responses)
            positive = values.get("feedback_positive", activity.feedback_positive)
            if positive is not None and (responses is None or positive > responses):
                row.error("feedback_positive", f"{positive} is more than the {responses} responses already held")
                yield Outcome.ERROR
                continue
            if all(getattr(activity, key) == value for key, value in values.items()):
                yield Outcome.UNCHANGED
                continue
            for key, value in values.items():
                setattr(activity, key, value)
            activity.version += 1
            changed.append(activity)
            yield Outcome.UPDATED
        Activity.objects.bulk_create(new)
        Activity.objects.bulk_update(changed, [*names, "version"])


register(
    ActivitiesImport(
        slug="activities",
        title="Activities: training, meetings, events, ward walks and outreach",
        description=(
            "The activities register. Participants and feedback count towards the activities return;"
            " cumulative participants are counted per programme."
        ),
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id"),
            Column("held_on", required=True, parse=fields.date, help="YYYY-MM-DD"),
            Column(
                "kind", required=True, parse=fields.choice(ActivityKind.values), help=", ".join(ActivityKind.values)
            ),
            Column("programme", parse=_programme, help="what it belongs to, e.g. restorative_justice"),
            Column("title", required=True, parse=fields.text(200), help="the activity's title"),
            Column("audience", parse=fields.choice(Audience.values), help=", ".join(Audience.values)),
            Column("organisation", parse=fields.text(200), help="who attended as a body (a school, a police unit)"),
            Column("ward", parse=_ward, help="ward name or ONS code"),
            Column("participants", required=True, parse=fields.integer(0, 1_000_000), help="whole number"),
            Column("feedback_responses", parse=fields.integer(0, 1_000_000), help="whole number"),
            Column("feedback_positive", parse=fields.integer(0, 1_000_000), help="at most feedback_responses"),
        ),
    )
)
