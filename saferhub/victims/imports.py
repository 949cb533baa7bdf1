"""Import kind `victim-hub-referrals`: a partnership's history of hub referrals, as INTERCHANGE.md defines it.

Each row becomes an accepted hub referral with its VCH case (closed when `closed_on`
is given), its person when anything is known of them, and its support records. New
rows are written with bulk inserts, a batch at a time; case references are taken from
the partnership's sequence a block at a time. A row whose text is exactly what was
imported before is `unchanged` (a hash of the row is kept on the hub record).
History has no first-contact deadline: imported referrals never join the triage queue.
"""

import datetime
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from saferhub.accounts.duties import missing_message
from saferhub.cases.models import (
    Case,
    CaseReferenceSequence,
    CaseStatus,
    Participant,
    ParticipantRole,
    Referral,
    ReferralDecision,
    ReferralSource,
    StageLog,
)
from saferhub.core.models import ReferenceList
from saferhub.imports import fields, sqlcheck
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.imports.staging import Stage
from saferhub.people.models import Gender, Person, YesNoUnknown
from saferhub.victims import imports_staged
from saferhub.victims.hub import hub_case_type, hub_team
from saferhub.victims.models import HubReferral, ReferralKind, SupportDelivered, VictimType

REASON = "Historical referral, imported from a file of victim-hub-referrals."
CASE_TITLE = "{crime}: {kind} (imported)"
_PERSON_COLUMNS = ("first_name", "last_name", "date_of_birth", "age", "gender", "ethnicity", "disability")


def _organisation_in_group(value: str, ctx: ImportContext, raw: dict[str, str]) -> Any:
    agency = fields.organisation("referrer_group")(value, ctx, raw)
    group = raw.get("referrer_group", "").strip()
    if group:
        actual = agency.parent.name if agency.parent_id else agency.name
        if actual.lower() != group.lower():
            raise CellError(f"'{agency.name}' is in the group '{actual}' in Saferhub, not '{group}'")
    return agency


_organisation_in_group.sql = sqlcheck.Organisation("referrer_group", check_group=True)  # type: ignore[attr-defined]


def _not_future(parser: Any) -> Any:
    def parse(value: str, ctx: ImportContext, raw: dict[str, str]) -> datetime.date:
        day = parser(value, ctx, raw)
        if day > timezone.localdate():
            raise CellError(f"{day} is in the future")
        return day

    return fields.with_sql(fields.pure(parse), sqlcheck.Date(not_future=True))


COLUMNS = (
    Column("external_ref", required=True, parse=fields.text(100), help="source system's id for the referral"),
    Column("received_on", required=True, parse=_not_future(fields.date), help="date the hub received the referral"),
    Column("referrer_organisation", required=True, parse=_organisation_in_group, help="referring agency or team"),
    Column("referrer_group", parse=fields.text(200), help="its parent agency, e.g. Family Services"),
    Column("referral_kind", required=True, parse=fields.choice(ReferralKind.values), help="victim or crime_prevention"),
    Column("victim_type", parse=fields.choice(VictimType.values), help="direct or indirect (victims only)"),
    Column("crime_type", required=True, parse=fields.code(ReferenceList.VICTIM_HUB_CRIME_TYPE), help="crime type code"),
    Column("incident_date", parse=_not_future(fields.date), help="date"),
    Column("incident_in_area", parse=fields.yes_no_unknown, help="yes/no/unknown"),
    Column("reported_to_police", parse=fields.yes_no_unknown, help="yes/no/unknown"),
    Column("police_reference", parse=fields.text(50), help="crime reference number"),
    Column("assisting_investigation", parse=fields.yes_no_unknown, help="yes/no/unknown"),
    Column("person_ref", parse=fields.text(100), help="source's id for the person"),
    Column("first_name", parse=fields.text(100)),
    Column("last_name", parse=fields.text(100)),
    Column("date_of_birth", parse=_not_future(fields.date)),
    Column("age", parse=fields.integer(0, 120), help="whole years, when no date of birth"),
    Column("gender", parse=fields.choice(Gender.values), help="female, male, other, not_stated"),
    Column("ethnicity", parse=fields.code(ReferenceList.ETHNICITY), help="ethnicity code"),
    Column("disability", parse=fields.yes_no_unknown, help="yes/no/unknown"),
    Column("support_provided", parse=fields.codes(ReferenceList.VICTIM_SUPPORT_TYPE), help="';'-separated codes"),
    Column("vcop_informed_on", parse=_not_future(fields.date), help="date told of Victims' Code rights"),
    Column("rj_informed_on", parse=_not_future(fields.date), help="date told of the right to restorative justice"),
    Column("closed_on", parse=_not_future(fields.date), help="date"),
)
_HUB_TEAM = "victims.hub_team"


@dataclass
class _Plan:
    """What one row will write."""

    row: Row
    hub: HubReferral | None  # the existing record, for an update
    fingerprint: str


class VictimHubReferralsImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        self._check_hub(ctx, row)
        kind, victim_type = row["referral_kind"], row["victim_type"]
        if kind == ReferralKind.VICTIM and not victim_type:
            row.error("victim_type", "required for a victim referral: direct or indirect")
        if kind == ReferralKind.CRIME_PREVENTION and victim_type:
            row.error("victim_type", "leave blank for a crime_prevention referral")
        received = row["received_on"]
        for name in ("incident_date",):
            if row[name] and received and row[name] > received:
                row.error(name, f"{row[name]} is after the referral was received ({received})")
        if row["closed_on"] and received and row["closed_on"] < received:
            row.error("closed_on", f"{row['closed_on']} is before the referral was received ({received})")
        if row["date_of_birth"] and received and row["date_of_birth"] > received:
            row.error("date_of_birth", "the date of birth is after the referral was received")

    def _check_hub(self, ctx: ImportContext, row: Row) -> None:
        if _HUB_TEAM not in ctx.state:
            ctx.state[_HUB_TEAM] = (hub_team(ctx.partnership.pk), hub_case_type(ctx.partnership.pk))
            if None in ctx.state[_HUB_TEAM]:
                row.error(
                    None,
                    missing_message("victim_hub", "the Victim Care Hub team"),
                )

    # Set-wise on PostgreSQL: saferhub/victims/imports_staged.py.

    def stage_columns(self, ctx: ImportContext) -> Sequence[tuple[str, str]] | None:
        return imports_staged.COLUMNS

    def stage_row(self, ctx: ImportContext, row: Row) -> Sequence[Any]:
        return imports_staged.stage_row(row, _fingerprint(row), _title(row), _role(row), _has_person_details(row))

    def stage_sql(self, ctx: ImportContext) -> Sequence[str] | None:
        return imports_staged.stage_sql(ctx, CASE_TITLE, _PERSON_COLUMNS)

    def stage_suspects(self, ctx: ImportContext) -> Sequence[str]:
        if _HUB_TEAM not in ctx.state:
            found = (hub_team(ctx.partnership.pk), hub_case_type(ctx.partnership.pk))
            if None in found:
                return ["TRUE"]  # every row, so that clean() reports it exactly as it does
            ctx.state[_HUB_TEAM] = found
        return [
            f"v_referral_kind = '{ReferralKind.VICTIM}' AND v_victim_type IS NULL",
            f"v_referral_kind = '{ReferralKind.CRIME_PREVENTION}' AND v_victim_type IS NOT NULL",
            "v_incident_date > v_received_on",
            "v_closed_on < v_received_on",
            "v_date_of_birth > v_received_on",
        ]

    def write_staged(self, ctx: ImportContext, stage: Stage) -> dict[Outcome, int]:
        team, case_type = ctx.state[_HUB_TEAM]
        return imports_staged.write_staged(ctx, stage, team, case_type, REASON)

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        # A repeated external_ref must see what its earlier row wrote: split the batch there.
        chunk: list[Row] = []
        seen: set[str] = set()
        for row in rows:
            if row["external_ref"] in seen:
                yield from _Writer(ctx, chunk).write()
                chunk, seen = [], set()
            chunk.append(row)
            seen.add(row["external_ref"])
        yield from _Writer(ctx, chunk).write()


def _fingerprint(row: Row) -> str:
    # Only the file's columns: a column left out (leave alone) must not look like a blank one (clear).
    canonical = json.dumps({name: row.raw.get(name, "").strip() for name in sorted(row.present)}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _noon(day: datetime.date) -> datetime.datetime:
    # Noon UK time: the received day is the same in every time zone the hub works in.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _has_person_details(row: Row) -> bool:
    return any(row[name] is not None for name in _PERSON_COLUMNS)


class _Writer:
    """Writes one batch (no external_ref repeated inside it)."""

    def __init__(self, ctx: ImportContext, rows: list[Row]) -> None:
        self.ctx = ctx
        self.rows = rows
        self.partnership = ctx.partnership
        self.team, self.case_type = ctx.state[_HUB_TEAM]
        self.user = ctx.user if getattr(ctx.user, "pk", None) else None

    def write(self) -> Iterator[Outcome]:
        if not self.rows:
            return
        existing = {
            hub.external_ref: hub
            for hub in by_external_ref(
                HubReferral.objects.filter(partnership=self.partnership), [row["external_ref"] for row in self.rows]
            ).select_related("referral", "referral__case", "referral__person")
        }
        plans = [_Plan(row, existing.get(row["external_ref"]), _fingerprint(row)) for row in self.rows]
        self.people = self._people(plans)
        new = [plan for plan in plans if plan.hub is None]
        self._create(new)
        for plan in plans:
            if plan.hub is None:
                yield Outcome.CREATED
            elif plan.hub.import_fingerprint == plan.fingerprint:
                yield Outcome.UNCHANGED
            else:
                self._update(plan)
                yield Outcome.UPDATED

    # People ---------------------------------------------------------------------

    def _people(self, plans: list[_Plan]) -> dict[str, Person]:
        """Persons named by person_ref in this batch, found or created, with the row's details applied."""
        refs = {plan.row["person_ref"] for plan in plans if plan.row["person_ref"]}
        found = {p.external_ref: p for p in by_external_ref(Person.objects.filter(partnership=self.partnership), refs)}
        before = {ref: _person_values(person) for ref, person in found.items()}
        new: dict[str, Person] = {}
        for plan in plans:
            if plan.hub is not None and plan.hub.import_fingerprint == plan.fingerprint:
                continue
            ref = plan.row["person_ref"]
            if not ref:
                continue
            person = found.get(ref)
            if person is None:
                person = found[ref] = new[ref] = Person(
                    partnership=self.partnership, external_ref=ref, created_by=self.user
                )
            _apply_person(person, plan.row)
        Person.objects.bulk_create(new.values())
        for ref, values in before.items():
            # Usually a repeat referral carries the same details: only real changes are written.
            if _person_values(found[ref]) != values:
                Person.objects.filter(pk=found[ref].pk).update(**_person_values(found[ref]), modified_by=self.user)
        return found

    def _person_for(self, row: Row, current: Person | None) -> Person | None:
        if row["person_ref"]:
            return self.people[row["person_ref"]]
        if not row.has("person_ref") and current is not None:
            # The file does not say who the person is: the referral keeps its person, with the row's details.
            if _has_person_details(row):
                _apply_person(current, row)
                current.save()
            return current
        anonymous = current if current is not None and not current.external_ref else None
        if not _has_person_details(row):
            # Blank details: nothing is known of them. No detail columns at all: keep whoever was recorded.
            return anonymous if not any(row.has(name) for name in _PERSON_COLUMNS) else None
        person = anonymous or Person(partnership=self.partnership, created_by=self.user)
        _apply_person(person, row)
        person.save()
        return person

    # New rows -------------------------------------------------------------------

    def _create(self, plans: list[_Plan]) -> None:
        if not plans:
            return
        anonymous_people = [
            self._new_anonymous_person(plan.row) if not plan.row["person_ref"] else None for plan in plans
        ]
        Person.objects.bulk_create([p for p in anonymous_people if p is not None])
        persons = [
            self.people[plan.row["person_ref"]] if plan.row["person_ref"] else anon
            for plan, anon in zip(plans, anonymous_people, strict=True)
        ]
        cases = [self._new_case(plan.row) for plan in plans]
        self._assign_references(cases)
        Case.objects.bulk_create(cases)
        StageLog.objects.bulk_create(log for case in cases for log in _stage_logs(case, self.user))
        Participant.objects.bulk_create(
            Participant(case=case, person=person, role=_role(plan.row), added_by=self.user)
            for plan, case, person in zip(plans, cases, persons, strict=True)
            if person is not None
        )
        referrals = [
            self._new_referral(plan.row, case, person) for plan, case, person in zip(plans, cases, persons, strict=True)
        ]
        Referral.objects.bulk_create(referrals)
        hubs = [
            HubReferral(
                partnership=self.partnership,
                referral=referral,
                external_ref=plan.row["external_ref"],
                import_fingerprint=plan.fingerprint,
                **_hub_values(plan.row, person),
            )
            for plan, referral, person in zip(plans, referrals, persons, strict=True)
        ]
        HubReferral.objects.bulk_create(hubs)
        SupportDelivered.objects.bulk_create(
            SupportDelivered(hub_referral=hub, support_type=code, recorded_by=self.user)
            for plan, hub in zip(plans, hubs, strict=True)
            for code in plan.row.get("support_provided", [])
        )

    def _new_anonymous_person(self, row: Row) -> Person | None:
        if not _has_person_details(row):
            return None
        person = Person(partnership=self.partnership, created_by=self.user)
        _apply_person(person, row)
        return person

    def _new_case(self, row: Row) -> Case:
        closed = row["closed_on"]
        return Case(
            partnership=self.partnership,
            case_type=self.case_type,
            title=_title(row),
            owning_team=self.team,
            status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
            opened_on=row["received_on"],
            closed_on=closed,
            external_ref=row["external_ref"],
            created_by=self.user,
            modified_by=self.user,
        )

    def _assign_references(self, cases: list[Case]) -> None:
        """`VCH-YYYY-NNNNN` for each new case, taking a block of numbers per year under the sequence's row lock."""
        by_year: dict[int, list[Case]] = {}
        for case in cases:
            by_year.setdefault(case.opened_on.year, []).append(case)
        for year, group in sorted(by_year.items()):
            seq, _ = CaseReferenceSequence.objects.select_for_update().get_or_create(
                partnership=self.partnership, prefix=self.case_type.prefix, year=year
            )
            first = seq.last_number + 1
            seq.last_number += len(group)
            seq.save(update_fields=["last_number"])
            for number, case in enumerate(group, start=first):
                case.reference = f"{self.case_type.prefix}-{year}-{number:05d}"

    def _new_referral(self, row: Row, case: Case, person: Person | None) -> Referral:
        received_at = _noon(row["received_on"])
        return Referral(
            partnership=self.partnership,
            source=ReferralSource.AGENCY,
            from_agency=row["referrer_organisation"],
            to_team=self.team,
            case_type=self.case_type,
            received_at=received_at,
            reason=REASON,
            person=person,
            decision=ReferralDecision.ACCEPTED,
            decided_at=received_at,
            case=case,
            external_ref=row["external_ref"],
            created_by=self.user,
            modified_by=self.user,
        )

    # Changed rows ---------------------------------------------------------------

    def _update(self, plan: _Plan) -> None:
        row, hub = plan.row, plan.hub
        if hub is None:  # a plan without a record is a creation, never an update
            raise ValueError(f"no hub referral to update for {row['external_ref']}")
        referral, case = hub.referral, hub.referral.case
        person = self._person_for(row, referral.person)
        # Columns the file leaves out leave their fields as they are (docs/imports.md).
        values = row.present_only(_hub_values(row, person), _HUB_SOURCES)
        if row["referral_kind"] != ReferralKind.VICTIM:
            values["victim_type"] = ""  # whatever the file holds, only victims have a victim type
        for name, value in {**values, "import_fingerprint": plan.fingerprint}.items():
            setattr(hub, name, value)
        hub.save()
        referral.from_agency = row["referrer_organisation"]
        referral.received_at = referral.decided_at = _noon(row["received_on"])
        referral.person = person
        referral.modified_by = self.user
        referral.save()
        if case is not None:
            self._update_case(case, row, person)
        if row.has("support_provided"):
            self._replace_support(hub, row.get("support_provided", []))

    def _update_case(self, case: Case, row: Row, person: Person | None) -> None:
        case.title, case.opened_on = _title(row), row["received_on"]
        if row.has("closed_on"):
            # Without the column the case stays open or closed as it is, closure reason and all.
            self._follow_closure(case, row["closed_on"])
        case.version += 1
        case.modified_by = self.user
        case.save()
        victim_roles = [ParticipantRole.DIRECT_VICTIM, ParticipantRole.INDIRECT_VICTIM, ParticipantRole.OTHER]
        Participant.objects.filter(case=case, role__in=victim_roles).exclude(
            Q(person=person) & Q(role=_role(row))
        ).delete()
        if person is not None:
            Participant.objects.get_or_create(
                case=case, person=person, role=_role(row), defaults={"added_by": self.user}
            )

    def _follow_closure(self, case: Case, closed: datetime.date | None) -> None:
        was_closed = case.status == CaseStatus.CLOSED
        case.closed_on = closed
        if closed and not was_closed:
            case.status = CaseStatus.CLOSED
            StageLog.objects.create(case=case, from_status=CaseStatus.OPEN, to_status=CaseStatus.CLOSED, by=self.user)
        elif was_closed and not closed:
            case.status, case.closure_reason = CaseStatus.OPEN, ""
            StageLog.objects.create(case=case, from_status=CaseStatus.CLOSED, to_status=CaseStatus.OPEN, by=self.user)

    def _replace_support(self, hub: HubReferral, codes: list[Any]) -> None:
        wanted = {code.pk: code for code in codes}
        hub.support.exclude(support_type_id__in=wanted).delete()
        have = set(hub.support.values_list("support_type_id", flat=True))
        SupportDelivered.objects.bulk_create(
            SupportDelivered(hub_referral=hub, support_type=code, recorded_by=self.user)
            for pk, code in wanted.items()
            if pk not in have
        )


_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "age",
    "age_recorded_on",
    "gender",
    "ethnicity",
    "disability",
)


def _person_values(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in _PERSON_FIELDS}


def _apply_person(person: Person, row: Row) -> None:
    """The row's details onto the person; blank cells leave what is known alone."""
    for name in ("first_name", "last_name", "date_of_birth", "gender", "disability"):
        if row[name] is not None:
            setattr(person, name, row[name])
    if row["ethnicity"] is not None:
        person.ethnicity = row["ethnicity"].code
    if row["age"] is not None and row["date_of_birth"] is None:
        person.age, person.age_recorded_on = row["age"], row["received_on"]


def _age(row: Row, person: Person | None) -> int | None:
    if row["date_of_birth"] is None and row["age"] is not None:
        return row["age"]
    return person.age_on(row["received_on"]) if person is not None else None


def _hub_values(row: Row, person: Person | None) -> dict[str, Any]:
    return {
        "received_on": row["received_on"],
        "referral_kind": row["referral_kind"],
        "victim_type": row["victim_type"] or "",
        "crime_type": row["crime_type"],
        "incident_date": row["incident_date"],
        "incident_in_area": row.get("incident_in_area", YesNoUnknown.UNKNOWN),
        "reported_to_police": row.get("reported_to_police", YesNoUnknown.UNKNOWN),
        "police_reference": row["police_reference"] or "",
        "assisting_investigation": row.get("assisting_investigation", YesNoUnknown.UNKNOWN),
        "age_at_referral": _age(row, person),
        "vcop_informed_on": row["vcop_informed_on"],
        "rj_informed_on": row["rj_informed_on"],
    }


# The column(s) each hub field comes from; fields of required columns are always written.
_HUB_SOURCES = {
    "victim_type": "victim_type",
    "incident_date": "incident_date",
    "incident_in_area": "incident_in_area",
    "reported_to_police": "reported_to_police",
    "police_reference": "police_reference",
    "assisting_investigation": "assisting_investigation",
    "age_at_referral": ("age", "date_of_birth", "person_ref"),
    "vcop_informed_on": "vcop_informed_on",
    "rj_informed_on": "rj_informed_on",
}


def _role(row: Row) -> str:
    if row["referral_kind"] != ReferralKind.VICTIM:
        return ParticipantRole.OTHER
    return (
        ParticipantRole.INDIRECT_VICTIM if row["victim_type"] == VictimType.INDIRECT else ParticipantRole.DIRECT_VICTIM
    )


def _title(row: Row) -> str:
    kind = "victim support" if row["referral_kind"] == ReferralKind.VICTIM else "crime prevention"
    return CASE_TITLE.format(crime=row["crime_type"].label, kind=kind)[:200]


def _stage_logs(case: Case, user: Any) -> list[StageLog]:
    opened = timezone.make_aware(datetime.datetime.combine(case.opened_on, datetime.time(12, 0)))
    logs = [StageLog(case=case, from_status="", to_status=CaseStatus.OPEN, by=user, at=opened, reason="Imported")]
    if case.closed_on:
        closed = timezone.make_aware(datetime.datetime.combine(case.closed_on, datetime.time(12, 0)))
        logs.append(
            StageLog(
                case=case,
                from_status=CaseStatus.OPEN,
                to_status=CaseStatus.CLOSED,
                by=user,
                at=closed,
                reason="Imported",
            )
        )
    return logs


KIND = register(
    VictimHubReferralsImport(
        slug="victim-hub-referrals",
        title="Victim Care Hub referrals",
        description=(
            "Historical hub referrals: each row becomes an accepted referral with its VCH case, "
            "closed when closed_on is given."
        ),
        columns=COLUMNS,
    )
)
