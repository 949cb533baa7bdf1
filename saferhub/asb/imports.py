"""Import kinds `asb-cases`, `asb-interventions` and `asb-case-reviews` (INTERCHANGE.md).

Every row is upserted on `external_ref`. Imported cases belong to the partnership's
ASB team (`AsbDesk`, set on the ASB settings page). People named by `subject_ref`
or `complainant_ref` are found by their external reference, or created (with no
name) when unknown. Historical tools and powers are checked for their fields but
not for the statutory sequence (a written warning may predate the records).
"""

import datetime
from collections.abc import Iterator
from typing import Any

from saferhub.accounts.duties import missing_message
from saferhub.asb import rules
from saferhub.asb.actions import asb_case_type, next_review_reference
from saferhub.asb.models import (
    AsbCase,
    AsbDesk,
    CaseReview,
    CaseReviewStatus,
    Intervention,
    InterventionStatus,
    ToolKind,
)
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole
from saferhub.core.models import ReferenceList
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.people.models import Person
from saferhub.places.matching import UNKNOWN_WARD_HELP, WardIndex
from saferhub.places.models import Ward

CLOSED_REASON = "imported"


def _ward(value: str, ctx: ImportContext, raw: dict[str, str]) -> Ward:
    if "asb.wards" not in ctx.state:
        ctx.state["asb.wards"] = WardIndex(ctx.partnership)
    ward = ctx.state["asb.wards"].find(value)
    if ward is None:
        raise CellError(f"unknown ward '{value}': {UNKNOWN_WARD_HELP}")
    return ward


def _people(ctx: ImportContext, refs: set[str]) -> dict[str, Person]:
    """People by external reference; unknown references become new (unnamed) people."""
    refs = {ref for ref in refs if ref}
    found = {p.external_ref: p for p in by_external_ref(Person.objects.filter(partnership=ctx.partnership), refs)}
    for ref in sorted(refs - set(found)):
        found[ref] = Person.objects.create(partnership=ctx.partnership, external_ref=ref, created_by=ctx.user)
    return found


def _user(ctx: ImportContext) -> Any:
    return ctx.user if getattr(ctx.user, "pk", None) else None


# asb-cases --------------------------------------------------------------------------------------


class AsbCasesImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row["closed_on"] and row["closed_on"] < row["opened_on"]:
            row.error("closed_on", "the case closes before it opens")
        if "asb.desk" not in ctx.state:
            ctx.state["asb.desk"] = AsbDesk.objects.filter(partnership=ctx.partnership).select_related("team").first()
        if ctx.state["asb.desk"] is None:
            row.error(None, missing_message("asb_desk", "the ASB team"))

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        existing = {
            a.external_ref: a
            for a in by_external_ref(
                AsbCase.objects.filter(partnership=ctx.partnership), [r["external_ref"] for r in rows]
            ).select_related("case")
        }
        people = _people(ctx, {r["subject_ref"] for r in rows} | {r["complainant_ref"] for r in rows})
        for row in rows:
            asb = existing.get(row["external_ref"])
            outcome = self._create(ctx, row) if asb is None else self._update(ctx, asb, row)
            asb = existing.setdefault(row["external_ref"], outcome[1])
            self._participants(ctx, asb.case, row, people)
            yield outcome[0]

    def _create(self, ctx: ImportContext, row: Row) -> tuple[Outcome, AsbCase]:
        category = row["category"]
        case = case_actions.create_case(
            _user(ctx),
            case_type=asb_case_type(ctx.partnership),
            owning_team=ctx.state["asb.desk"].team,
            title=f"{category.label} ({row['external_ref']})"[:200],
            opened_on=row["opened_on"],
            external_ref=row["external_ref"],
            status=CaseStatus.CLOSED if row["closed_on"] else CaseStatus.OPEN,
            closed_on=row["closed_on"],
            closure_reason=CLOSED_REASON if row["closed_on"] else "",
        )
        asb = AsbCase.objects.create(
            case=case,
            partnership=ctx.partnership,
            category=category,
            ward=row["ward"],
            location=row.get("location", ""),
            external_ref=row["external_ref"],
        )
        return Outcome.CREATED, asb

    def _update(self, ctx: ImportContext, asb: AsbCase, row: Row) -> tuple[Outcome, AsbCase]:
        case = asb.case
        wanted_case = {
            "opened_on": row["opened_on"],
            "closed_on": row["closed_on"],
            "status": CaseStatus.CLOSED
            if row["closed_on"]
            else (case.status if not case.is_closed else CaseStatus.OPEN),
        }
        wanted_asb = {
            "category_id": row["category"].pk,
            "ward_id": row["ward"].pk if row["ward"] else None,
            "location": row.get("location", ""),
        }
        # Columns the file leaves out leave their fields as they are (docs/imports.md).
        wanted_case = row.present_only(wanted_case, {"closed_on": "closed_on", "status": "closed_on"})
        wanted_asb = row.present_only(wanted_asb, {"ward_id": "ward", "location": "location"})
        case_changes = {k: v for k, v in wanted_case.items() if getattr(case, k) != v}
        asb_changes = {k: v for k, v in wanted_asb.items() if getattr(asb, k) != v}
        if not case_changes and not asb_changes:
            return Outcome.UNCHANGED, asb
        if case_changes:
            if "closed_on" in case_changes:
                case_changes["closure_reason"] = CLOSED_REASON if row["closed_on"] else ""
            case_actions.update_case(_user(ctx), case, expected_version=case.version, changes=case_changes)
        for key, value in asb_changes.items():
            setattr(asb, key, value)
        asb.save()
        log.record(_user(ctx), AuditAction.UPDATE, asb, partnership=ctx.partnership, detail={"import": True})
        return Outcome.UPDATED, asb

    def _participants(self, ctx: ImportContext, case: Case, row: Row, people: dict[str, Person]) -> None:
        for column, role in (
            ("subject_ref", ParticipantRole.SUBJECT),
            ("complainant_ref", ParticipantRole.DIRECT_VICTIM),
        ):
            if row[column]:
                Participant.objects.get_or_create(case=case, person=people[row[column]], role=role)


register(
    AsbCasesImport(
        slug="asb-cases",
        title="ASB cases",
        description="Anti-social behaviour cases with their category, ward and the people involved.",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id"),
            Column("opened_on", required=True, parse=fields.date, help="date"),
            Column(
                "category",
                required=True,
                parse=fields.code(ReferenceList.ASB_CASE_CATEGORY),
                help="asb_case_categories code",
            ),
            Column("closed_on", parse=fields.date, help="date"),
            Column("ward", parse=_ward, help="ward name"),
            Column("location", parse=fields.text(500), help="address or description of the place"),
            Column("subject_ref", parse=fields.text(100), help="source's id for the person causing the problem"),
            Column("complainant_ref", parse=fields.text(100), help="source's id for the person reporting it"),
        ),
    )
)


# asb-interventions ----------------------------------------------------------------------------------


class AsbInterventionsImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        kind = row["kind"]
        # Without the column, an existing fixed penalty keeps its code (a new one is refused when written).
        if kind.code == ToolKind.FPN and row["offence_code"] is None and row.has("offence_code"):
            row.error("offence_code", "a fixed penalty needs an offence code")
        if kind.code != ToolKind.FPN:
            for column in ("offence_code", "amount_pence", "paid_on"):
                if row[column] is not None:
                    row.error(column, "only a fixed penalty (kind fpn) has this")
        if row["paid_on"] and row["paid_on"] < row["served_on"]:
            row.error("paid_on", "paid before it was served")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        cases = {
            a.external_ref: a.case_id
            for a in by_external_ref(
                AsbCase.objects.filter(partnership=ctx.partnership), {r["case_ref"] for r in rows if r["case_ref"]}
            )
        }
        existing = {
            i.external_ref: i
            for i in by_external_ref(
                Intervention.objects.filter(partnership=ctx.partnership), [r["external_ref"] for r in rows]
            )
        }
        people = _people(ctx, {r["subject_ref"] for r in rows})
        for row in rows:
            yield self._upsert(ctx, row, cases, people, existing)

    def _upsert(
        self,
        ctx: ImportContext,
        row: Row,
        cases: dict[str, int],
        people: dict[str, Person],
        existing: dict[str, Intervention],
    ) -> Outcome:
        if row["case_ref"] and row["case_ref"] not in cases:
            row.error("case_ref", f"no ASB case has the external_ref '{row['case_ref']}'")
            return Outcome.ERROR
        values = self._values(row, cases, people)
        item = existing.get(row["external_ref"])
        if item is None:
            if row["kind"].code == ToolKind.FPN and row["offence_code"] is None:
                row.error("offence_code", "a fixed penalty needs an offence code")
                return Outcome.ERROR
            existing[row["external_ref"]] = self._create(ctx, row, values)
            return Outcome.CREATED
        values = self._present(row, item, values)
        if all(getattr(item, key) == value for key, value in values.items()):
            return Outcome.UNCHANGED
        for key, value in values.items():
            setattr(item, key, value)
        item.save()
        log.record(_user(ctx), AuditAction.UPDATE, item, partnership=ctx.partnership, detail={"import": True})
        return Outcome.UPDATED

    def _values(self, row: Row, cases: dict[str, int], people: dict[str, Person]) -> dict[str, Any]:
        person = people.get(row["subject_ref"]) if row["subject_ref"] else None
        is_fpn = row["kind"].code == ToolKind.FPN
        status = InterventionStatus.ACTIVE
        if is_fpn:
            status = InterventionStatus.PAID if row["paid_on"] else InterventionStatus.UNPAID
        return {
            "case_id": cases.get(row["case_ref"]) if row["case_ref"] else None,
            "kind_id": row["kind"].pk,
            "served_on": row["served_on"],
            "offence_id": row["offence_code"].pk if row["offence_code"] else None,
            "amount_pence": row["amount_pence"],
            "paid_on": row["paid_on"],
            "person_id": person.pk if person else None,
            "status": status,
        }

    def _present(self, row: Row, item: Intervention, values: dict[str, Any]) -> dict[str, Any]:
        """The values an update writes: columns the file leaves out leave their fields as they are."""
        values = row.present_only(values, _INTERVENTION_SOURCES)
        if item.kind_id == values["kind_id"] and item.status not in _PAYMENT_STATUSES:
            # A status recorded in Saferhub (breached, withdrawn, prosecution...) is not the file's to undo.
            del values["status"]
        elif row["kind"].code == ToolKind.FPN and not row.has("paid_on"):
            values["status"] = InterventionStatus.PAID if item.paid_on else InterventionStatus.UNPAID
        return values

    def _create(self, ctx: ImportContext, row: Row, values: dict[str, Any]) -> Intervention:
        item = Intervention(
            partnership=ctx.partnership, external_ref=row["external_ref"], created_by=_user(ctx), **values
        )
        rules.check_intervention(item, historical=True)
        if values["paid_on"] and values["amount_pence"]:
            item.paid_pence = values["amount_pence"]
        item.save()
        log.record(_user(ctx), AuditAction.CREATE, item, partnership=ctx.partnership, detail={"import": True})
        return item


_PAYMENT_STATUSES = (InterventionStatus.PAID, InterventionStatus.UNPAID)
# The column each intervention field comes from; `kind_id` and `served_on` are always written.
_INTERVENTION_SOURCES = {
    "case_id": "case_ref",
    "offence_id": "offence_code",
    "amount_pence": "amount_pence",
    "paid_on": "paid_on",
    "person_id": "subject_ref",
}

register(
    AsbInterventionsImport(
        slug="asb-interventions",
        title="ASB tools and powers",
        description="One row per tool or power used, with fixed penalty offence codes, amounts and payments.",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100)),
            Column("case_ref", parse=fields.text(100), help="external_ref of the ASB case"),
            Column(
                "kind",
                required=True,
                parse=fields.code(ReferenceList.ASB_TOOL_OR_POWER),
                help="asb_tools_and_powers code",
            ),
            Column("served_on", required=True, parse=fields.date, help="date"),
            Column(
                "offence_code", parse=fields.code(ReferenceList.FPN_OFFENCE), help="for fpn: fpn_offence_codes code"
            ),
            Column(
                "amount_pence",
                parse=fields.integer(minimum=1, maximum=10_000_000),
                help="for fpn: the penalty in pence",
            ),
            Column("paid_on", parse=fields.date, help="date"),
            Column("subject_ref", parse=fields.text(100), help="source's id for the person served"),
        ),
    )
)


# asb-case-reviews -------------------------------------------------------------------------------------


class AsbCaseReviewsImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row["review_held_on"] and row["review_held_on"] < row["applied_on"]:
            row.error("review_held_on", "the review was held before the application")
        if row["recommendations_made"] and not row["review_held_on"]:
            row.error("recommendations_made", "recommendations come from a review: give review_held_on")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        existing = {
            r.external_ref: r
            for r in by_external_ref(
                CaseReview.objects.filter(partnership=ctx.partnership), [r["external_ref"] for r in rows]
            )
        }
        for row in rows:
            values = {
                "applied_on": row["applied_on"],
                "threshold_met": row["threshold_met"],
                "review_held_on": row["review_held_on"],
                "recommendations_made": row["recommendations_made"],
            }
            review = existing.get(row["external_ref"])
            if review is not None:
                values = row.present_only(
                    values,
                    {"review_held_on": "review_held_on", "recommendations_made": "recommendations_made"},
                )
            if review is None:
                existing[row["external_ref"]] = self._create(ctx, row, values)
                yield Outcome.CREATED
            elif all(getattr(review, key) == value for key, value in values.items()):
                yield Outcome.UNCHANGED
            else:
                for key, value in values.items():
                    setattr(review, key, value)
                review.save()
                log.record(_user(ctx), AuditAction.UPDATE, review, partnership=ctx.partnership, detail={"import": True})
                yield Outcome.UPDATED

    def _create(self, ctx: ImportContext, row: Row, values: dict[str, Any]) -> CaseReview:
        review = CaseReview.objects.create(
            partnership=ctx.partnership,
            reference=next_review_reference(ctx.partnership, row["applied_on"].year),
            external_ref=row["external_ref"],
            historical=True,
            status=CaseReviewStatus.CLOSED,
            channel="",
            created_by=_user(ctx),
            received_at=datetime.datetime.combine(row["applied_on"], datetime.time(12), tzinfo=datetime.UTC),
            **values,
        )
        log.record(_user(ctx), AuditAction.CREATE, review, partnership=ctx.partnership, detail={"import": True})
        return review


register(
    AsbCaseReviewsImport(
        slug="asb-case-reviews",
        title="ASB Case Reviews (historical)",
        description="Case Review applications decided before Saferhub; new ones are decided in Saferhub.",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100)),
            Column("applied_on", required=True, parse=fields.date, help="date"),
            Column("threshold_met", required=True, parse=fields.yes_no, help="yes/no"),
            Column("review_held_on", parse=fields.date, help="date"),
            Column("recommendations_made", parse=fields.yes_no, help="yes/no"),
        ),
    )
)
