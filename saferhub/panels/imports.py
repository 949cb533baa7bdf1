"""Import kinds `marac-referrals` and `panel-meetings` (INTERCHANGE.md).

Repeats are never imported: after each batch they are recomputed, with the same
function the web pages use, for every (panel type, person) the batch touched, so
a file in any row order gives the same flags.
"""

from collections.abc import Iterator
from typing import Any

from saferhub.accounts.duties import missing_message
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case, CaseStatus
from saferhub.core.models import ReferenceList
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.panels.actions import panel_case_for
from saferhub.panels.models import (
    AgendaReason,
    Hearing,
    HearingOutcome,
    Meeting,
    MeetingStatus,
    PanelCase,
    PanelReferral,
    PanelType,
    PerpetratorGender,
)
from saferhub.panels.repeats import recompute_repeats
from saferhub.people.models import Gender, Person, YesNoUnknown

_PANEL_TYPES = "panels.types"


def _panel_type(value: str, ctx: ImportContext, raw: dict[str, str]) -> PanelType:
    known: dict[str, PanelType] = ctx.state.setdefault(_PANEL_TYPES, {})
    if not known:
        known.update(
            (p.code, p)
            for p in PanelType.objects.filter(partnership=ctx.partnership).select_related(
                "case_type", "coordinating_team"
            )
        )
    panel_type = known.get(value.lower())
    if panel_type is None:
        raise CellError(f"'{value}' is not a panel type here (known: {', '.join(sorted(known)) or 'none'})")
    if panel_type.coordinating_team_id is None and getattr(ctx.user, "team_id", None) is None:
        raise CellError(
            missing_message(f"panel:{panel_type.code}", f"the coordinators of {panel_type.name}, who own its cases")
        )
    return panel_type


def _code_value(code_list: str) -> Any:
    parse = fields.code(code_list)

    def value(text: str, ctx: ImportContext, raw: dict[str, str]) -> str:
        return parse(text, ctx, raw).code

    return value


def _owner(ctx: ImportContext) -> Any:
    return ctx.user if getattr(ctx.user, "pk", None) else None


class MaracReferralsImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if row["heard_on"] and row["heard_on"] < row["referral_date"]:
            row.error("heard_on", "the case cannot be heard before it was referred")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        existing = {
            r.external_ref: r
            for r in by_external_ref(
                PanelReferral.objects.filter(partnership=ctx.partnership), [row["external_ref"] for row in rows]
            )
        }
        people = {
            p.external_ref: p
            for p in by_external_ref(
                Person.objects.filter(partnership=ctx.partnership), {row["victim_ref"] for row in rows}
            )
        }
        touched: set[tuple[int, int | None]] = set()
        outcomes = []
        for row in rows:
            person = self._person(ctx, row, people)
            referral = existing.get(row["external_ref"])
            if referral is not None:
                touched.add((referral.panel_type_id, referral.person_id))
            outcome, referral = self._upsert(ctx, row, person, referral)
            existing[row["external_ref"]] = referral
            touched.add((referral.panel_type_id, referral.person_id))
            outcomes.append(outcome)
        recompute_repeats(touched)
        return iter(outcomes)

    def _person(self, ctx: ImportContext, row: Row, people: dict[str, Person]) -> Person:
        values = {
            key: value
            for key, value in (
                ("gender", row["victim_gender"]),
                ("ethnicity", row["victim_ethnicity"]),
                ("age", row["victim_age"]),
            )
            if value is not None
        }
        person = people.get(row["victim_ref"])
        if person is None:
            if "age" in values:
                values["age_recorded_on"] = row["referral_date"]
            person = Person.objects.create(partnership=ctx.partnership, external_ref=row["victim_ref"], **values)
            people[row["victim_ref"]] = person
        return person

    def _values(self, row: Row, person: Person) -> dict[str, Any]:
        return {
            "panel_type": row["panel_type"],
            "person": person,
            "referral_date": row["referral_date"],
            "heard_on": row["heard_on"],
            "referring_agency": row["referring_agency"],
            "victim_gender": row["victim_gender"] or person.gender,
            "victim_age": row["victim_age"],
            "perpetrator_gender": row.get("perpetrator_gender", ""),
            "relationship": row.get("relationship", ""),
            "children_in_household": row["children_in_household"],
            "basis": row.get("basis", ""),
            "dash_score": row["dash_score"],
            "mental_health_need": row.get("mental_health_need", YesNoUnknown.UNKNOWN),
        }

    def _upsert(
        self, ctx: ImportContext, row: Row, person: Person, referral: PanelReferral | None
    ) -> tuple[Outcome, PanelReferral]:
        values = self._values(row, person)
        if referral is None:
            panel_case = panel_case_for(_owner(ctx), row["panel_type"], person, row["referral_date"])
            referral = PanelReferral.objects.create(
                partnership=ctx.partnership,
                external_ref=row["external_ref"],
                panel_case=panel_case,
                created_by=_owner(ctx),
                **values,
            )
            return Outcome.CREATED, referral
        # An optional column absent from the file leaves the field as it is (docs/imports.md).
        values = row.present_only(
            values,
            {
                name: name
                for name in (
                    "heard_on",
                    "victim_gender",
                    "victim_age",
                    "perpetrator_gender",
                    "relationship",
                    "children_in_household",
                    "basis",
                    "dash_score",
                    "mental_health_need",
                )
            },
        )
        if all(_same(referral, key, value) for key, value in values.items()):
            return Outcome.UNCHANGED, referral
        moved = referral.person_id != person.pk or referral.panel_type_id != row["panel_type"].pk
        for key, value in values.items():
            setattr(referral, key, value)
        if moved:
            referral.panel_case = panel_case_for(_owner(ctx), row["panel_type"], person, row["referral_date"])
        referral.modified_by = _owner(ctx)
        referral.save()
        return Outcome.UPDATED, referral


def _same(referral: PanelReferral, key: str, value: Any) -> bool:
    # Compare foreign keys by id, so checking a row costs no query.
    if key in ("panel_type", "person", "referring_agency"):
        return getattr(referral, f"{key}_id") == value.pk
    return getattr(referral, key) == value


register(
    MaracReferralsImport(
        slug="marac-referrals",
        title="MARAC and panel referrals",
        description="Referrals to DA MARAC and the other panels; repeats are computed, never imported.",
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id"),
            Column(
                "panel_type", required=True, parse=_panel_type, help="da_marac, cs_marac, adults_at_risk, tve, sirm"
            ),
            Column("referral_date", required=True, parse=fields.date),
            Column("heard_on", parse=fields.date, help="date of the meeting that heard it"),
            Column("victim_ref", required=True, parse=fields.text(100), help="source's id for the victim"),
            Column("victim_gender", parse=fields.choice(Gender.values)),
            Column("victim_age", parse=fields.integer(0, 120)),
            Column("victim_ethnicity", parse=_code_value(ReferenceList.ETHNICITY)),
            Column("perpetrator_gender", parse=fields.choice(PerpetratorGender.values)),
            Column("relationship", parse=_code_value(ReferenceList.RELATIONSHIP)),
            Column("children_in_household", parse=fields.integer(0, 30)),
            Column("referring_agency", required=True, parse=fields.organisation()),
            Column("basis", parse=_code_value(ReferenceList.MARAC_REFERRAL_BASIS)),
            Column("dash_score", parse=fields.integer(0, 24)),
            Column("mental_health_need", parse=fields.yes_no_unknown),
        ),
    )
)


# Panel meetings -------------------------------------------------------------------

_OUTCOMES = ("new", "review", "closed")


class PanelMeetingsImport(ImportKind):
    """One row per case heard; idempotent on (panel type, meeting date, case_ref)."""

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        outcomes = []
        touched: dict[int, PanelCase] = {}
        for row in rows:
            panel_type: PanelType = row["panel_type"]
            meeting, _ = Meeting.objects.get_or_create(
                panel_type=panel_type,
                date=row["meeting_date"],
                defaults={"partnership": ctx.partnership, "status": MeetingStatus.HELD, "created_by": _owner(ctx)},
            )
            panel_case = self._panel_case(ctx, panel_type, row)
            wanted = {
                "reason": AgendaReason.NEW if row["outcome"] == "new" else AgendaReason.REVIEW,
                "is_new": row["outcome"] == "new",
                "outcome": HearingOutcome.CLOSED if row["outcome"] == "closed" else HearingOutcome.REVIEW,
            }
            hearing = Hearing.objects.filter(meeting=meeting, panel_case=panel_case).first()
            if hearing is None:
                Hearing.objects.create(meeting=meeting, panel_case=panel_case, **wanted)
                outcomes.append(Outcome.CREATED)
            elif all(getattr(hearing, key) == value for key, value in wanted.items()):
                outcomes.append(Outcome.UNCHANGED)
            else:
                for key, value in wanted.items():
                    setattr(hearing, key, value)
                hearing.save()
                outcomes.append(Outcome.UPDATED)
            touched[panel_case.pk] = panel_case
        for panel_case in touched.values():
            _follow_latest_hearing(ctx, panel_case)
        return iter(outcomes)

    def _panel_case(self, ctx: ImportContext, panel_type: PanelType, row: Row) -> PanelCase:
        found = (
            PanelCase.objects.select_related("case")
            .filter(panel_type=panel_type, case__external_ref=row["case_ref"])
            .first()
        )
        if found is not None:
            return found
        case = case_actions.create_case(
            _owner(ctx),
            case_type=panel_type.case_type,
            owning_team=panel_type.coordinating_team or ctx.user.team,
            title=f"{panel_type.name} case {row['case_ref']}",
            opened_on=row["meeting_date"],
            external_ref=row["case_ref"],
        )
        return PanelCase.objects.create(case=case, partnership=ctx.partnership, panel_type=panel_type)


def _follow_latest_hearing(ctx: ImportContext, panel_case: PanelCase) -> None:
    """The case is closed when its latest hearing closed it, open otherwise."""
    latest = panel_case.hearings.heard().select_related("meeting").order_by("-meeting__date").first()
    case = Case.objects.get(pk=panel_case.case_id)
    if latest is None:
        return
    closing = latest.outcome == HearingOutcome.CLOSED
    if closing and (case.status != CaseStatus.CLOSED or case.closed_on != latest.meeting.date):
        if case.status == CaseStatus.CLOSED:
            case_actions.update_case(
                _owner(ctx), case, expected_version=case.version, changes={"closed_on": latest.meeting.date}
            )
        else:
            case_actions.change_status(
                _owner(ctx),
                case,
                CaseStatus.CLOSED,
                expected_version=case.version,
                closure_reason="risk_reduced",
                reason=f"Closed at the meeting of {latest.meeting.date}",
                on=latest.meeting.date,
            )
    elif not closing and case.status == CaseStatus.CLOSED:
        case_actions.change_status(
            _owner(ctx), case, CaseStatus.OPEN, expected_version=case.version, reason="Heard again at a later meeting"
        )


register(
    PanelMeetingsImport(
        slug="panel-meetings",
        title="Panel meetings",
        description="One row per case heard at a panel meeting, with the outcome (new, review, closed).",
        columns=(
            Column("panel_type", required=True, parse=_panel_type),
            Column("meeting_date", required=True, parse=fields.date),
            Column("case_ref", required=True, parse=fields.text(100), help="source's id for the case heard"),
            Column("outcome", required=True, parse=fields.choice(_OUTCOMES), help="new, review or closed"),
        ),
    )
)
