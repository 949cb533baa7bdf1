"""The `rj-cases` import (INTERCHANGE.md, "Import rj-cases and return rj"; columns in docs/imports.md).

One row per RJ case, keyed on `external_ref`. A new case gets its `rj` case owned by the team
holding the `rj_service` duty (refused, naming the duty, when no team holds it) and its two
parties, each found by `harmed_ref` / `responsible_ref` among the partnership's people or
created. The row's later columns (screening, consent, intervention, outcome, follow-up,
provider) say how far the case went: the stage follows from them, and the case is closed when
`closed_on` is given.
"""

from collections.abc import Iterator
from typing import Any

from saferhub.accounts.duties import missing_message
from saferhub.cases.models import Case, CaseStatus
from saferhub.directory.models import Service
from saferhub.imports import fields
from saferhub.imports.lookups import by_external_ref
from saferhub.imports.registry import CellError, Column, ImportKind, Outcome, register
from saferhub.imports.runner import ImportContext, Row
from saferhub.people.models import Person
from saferhub.rj import actions
from saferhub.rj.models import (
    Consent,
    HarmKind,
    InterventionKind,
    Party,
    PartyRole,
    ProviderOutcome,
    RjCase,
    Safety,
    Satisfaction,
    Source,
    SpecialistHarm,
    Stage,
    Suitability,
)
from saferhub.rj.models import Outcome as RjOutcome
from saferhub.rj.setup import rj_case_type, rj_team

_TEAM = "rj.team"
_SEEN = "rj.seen"
ROLES = {PartyRole.HARMED: "harmed", PartyRole.RESPONSIBLE: "responsible"}


def _provider(value: str, ctx: ImportContext, raw: dict[str, str]) -> Service:
    service = (
        Service.objects.filter(partnership=ctx.partnership, name__iexact=value, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if service is None:
        raise CellError(f"'{value}' is not a service in the directory: add it to the directory first")
    return service


class RjCasesImport(ImportKind):
    def clean(self, ctx: ImportContext, row: Row) -> None:
        if _TEAM not in ctx.state:
            ctx.state[_TEAM] = (rj_team(ctx.partnership.pk), rj_case_type(ctx.partnership.pk))
        if None in ctx.state[_TEAM]:
            row.error(None, missing_message("rj_service", "the restorative justice service"))
        self._check_dates(row)
        if row["intervention_on"] and row["suitability"] != Suitability.SUITABLE:
            row.error("suitability", "an intervention needs the case screened as suitable: enter suitable")
        if row["intervention_on"] and not row["intervention_kind"]:
            row.error("intervention_kind", "enter the kind of intervention held on intervention_on")
        if row["provider_outcome"] and not row["provider"]:
            row.error("provider", "enter the provider the outcome came from")
        for prefix in ROLES.values():
            if row[f"{prefix}_consent_on"] and not row[f"{prefix}_consent"]:
                row.error(f"{prefix}_consent", "enter the consent given or declined on that date")
        seen = ctx.state.setdefault(_SEEN, {})
        if row["external_ref"] in seen:
            row.error("external_ref", f"{row['external_ref']} already has a row on line {seen[row['external_ref']]}")
        elif row["external_ref"]:
            seen[row["external_ref"]] = row.line

    @staticmethod
    def _check_dates(row: Row) -> None:
        referred = row["referred_on"]
        for column in ("screened_on", "intervention_on", "closed_on", "followed_up_on", "provider_referred_on"):
            if referred and row[column] and row[column] < referred:
                row.error(column, f"{row[column]} is before the referral ({referred})")

    def write_batch(self, ctx: ImportContext, rows: list[Row]) -> Iterator[Outcome]:
        found = {
            rj.external_ref: rj
            for rj in by_external_ref(
                RjCase.objects.of(ctx.partnership.pk).select_related("case"), {r["external_ref"] for r in rows}
            )
        }
        refs = {r[f"{p}_ref"] for r in rows for p in ROLES.values() if r[f"{p}_ref"]}
        people = {p.external_ref: p for p in by_external_ref(Person.objects.filter(partnership=ctx.partnership), refs)}
        for row in rows:
            yield self._write(ctx, row, found, people)

    def _person(self, ctx: ImportContext, ref: str | None, people: dict[str, Person]) -> Person | None:
        if not ref:
            return None
        if ref not in people:
            people[ref] = Person.objects.create(partnership=ctx.partnership, external_ref=ref)
        return people[ref]

    def _write(self, ctx: ImportContext, row: Row, found: dict[str, RjCase], people: dict[str, Person]) -> Outcome:
        rj = found.get(row["external_ref"])
        created = rj is None
        if rj is None:
            rj = actions.refer(
                ctx.user,
                ctx.partnership,
                source=row["source"],
                referred_on=row["referred_on"],
                harm_kind=row["harm_kind"],
                specialist_harm=row["specialist_harm"] or SpecialistHarm.NONE,
                harmed=self._person(ctx, row["harmed_ref"], people),
                responsible=self._person(ctx, row["responsible_ref"], people),
                external_ref=row["external_ref"],
            )
            found[rj.external_ref] = rj
        changed = self._apply(rj, row)
        changed = self._parties(ctx, rj, row, people) or changed
        self._case_status(rj)
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if changed else Outcome.UNCHANGED

    def _apply(self, rj: RjCase, row: Row) -> bool:
        values: dict[str, Any] = {
            name: row[name] if row[name] is not None else ""
            for name in ("source", "referrer", "harm_kind", "harm_summary", "intervention_kind", "outcome")
        }
        values["specialist_harm"] = row["specialist_harm"] or SpecialistHarm.NONE
        values["suitability"] = row["suitability"] or Suitability.PENDING
        values["provider"] = row["provider"]
        values["provider_outcome"] = row["provider_outcome"] or (ProviderOutcome.AWAITING if row["provider"] else "")
        for name in (
            "referred_on",
            "harm_on",
            "screened_on",
            "intervention_on",
            "followed_up_on",
            "closed_on",
            "provider_referred_on",
            "provider_outcome_on",
        ):
            values[name] = row[name]
        values = row.present_only(values, {name: name for name in values if name not in self._required})
        if values.get("provider") is not None and not values.get("provider_referred_on"):
            values["provider_referred_on"] = rj.provider_referred_on or row["referred_on"]
        changed = [name for name, value in values.items() if getattr(rj, name) != value]
        for name in changed:
            setattr(rj, name, values[name])
        stage = self._stage(rj)
        if rj.stage != stage:
            rj.stage = stage
            changed.append("stage")
        if changed:
            rj.version += 1
            rj.save()
        return bool(changed)

    _required = frozenset({"source", "referred_on", "harm_kind"})

    @staticmethod
    def _stage(rj: RjCase) -> str:
        if rj.closed_on is not None:
            return Stage.CLOSED
        if rj.intervention_on is not None:
            return Stage.INTERVENTION
        if rj.suitability == Suitability.SUITABLE:
            return Stage.PREPARATION
        return Stage.REFERRED

    def _parties(self, ctx: ImportContext, rj: RjCase, row: Row, people: dict[str, Person]) -> bool:
        changed = False
        for party in Party.objects.filter(rj_case=rj):
            prefix = ROLES[PartyRole(party.role)]
            values: dict[str, Any] = {
                "consent": row[f"{prefix}_consent"] or Consent.NOT_ASKED,
                "consent_on": row[f"{prefix}_consent_on"],
                "satisfaction": row[f"{prefix}_satisfaction"] or "",
                "safety": row[f"{prefix}_safety"] or "",
            }
            values = row.present_only(
                values,
                {
                    "consent": f"{prefix}_consent",
                    "consent_on": f"{prefix}_consent_on",
                    "satisfaction": f"{prefix}_satisfaction",
                    "safety": f"{prefix}_safety",
                },
            )
            person = self._person(ctx, row[f"{prefix}_ref"], people)
            if person is not None and party.person_id is None:
                actions.add_party_person(ctx.user, rj, party, person)
                changed = True
            diff = [name for name, value in values.items() if getattr(party, name) != value]
            for name in diff:
                setattr(party, name, values[name])
            if diff:
                party.version += 1
                party.save()
                changed = True
        return changed

    @staticmethod
    def _case_status(rj: RjCase) -> None:
        """The case is closed while the RJ case is closed and open otherwise."""
        if rj.closed_on is not None:
            Case.objects.filter(pk=rj.case_id).exclude(status=CaseStatus.CLOSED).update(
                status=CaseStatus.CLOSED, closed_on=rj.closed_on, closure_reason="Restorative justice closed"
            )
        else:
            Case.objects.filter(pk=rj.case_id, status=CaseStatus.CLOSED).update(
                status=CaseStatus.OPEN, closed_on=None, closure_reason=""
            )


def _party_columns(prefix: str, who: str) -> tuple[Column, ...]:
    return (
        Column(f"{prefix}_ref", parse=fields.text(100), help=f"source's id for the {who}"),
        Column(f"{prefix}_consent", parse=fields.choice(Consent.values), help="not_asked, given, declined, withdrawn"),
        Column(f"{prefix}_consent_on", parse=fields.date, help="date of that consent"),
        Column(
            f"{prefix}_satisfaction",
            parse=fields.choice(Satisfaction.values),
            help="very_satisfied, satisfied, neither, dissatisfied, very_dissatisfied (at follow-up)",
        ),
        Column(f"{prefix}_safety", parse=fields.choice(Safety.values), help="safer, same, less_safe (at follow-up)"),
    )


register(
    RjCasesImport(
        slug="rj-cases",
        title="Restorative justice cases",
        description=(
            "One row per restorative justice case: the referral, the harm, both parties with their consent, the "
            "screening, the intervention and its outcome, each party's satisfaction and feeling of safety at "
            "follow-up, and any onward referral to a provider in the directory with its outcome."
        ),
        columns=(
            Column("external_ref", required=True, parse=fields.text(100), help="source system's id of the case"),
            Column("referred_on", required=True, parse=fields.date, help="date the referral was received"),
            Column(
                "source",
                required=True,
                parse=fields.choice(Source.values),
                help="victim_hub, police, youth_justice, probation, school, self, other",
            ),
            Column("referrer", parse=fields.text(200), help="who referred: an officer, a school"),
            Column(
                "harm_kind",
                required=True,
                parse=fields.choice(HarmKind.values),
                help="crime, asb, conflict, hate_incident",
            ),
            Column(
                "specialist_harm",
                parse=fields.choice(SpecialistHarm.values),
                help="none, domestic_abuse, sexual_harm (blank = none)",
            ),
            Column("harm_on", parse=fields.date, help="date of the harm"),
            Column("harm_summary", parse=fields.text(500), help="what happened, briefly"),
            *_party_columns("harmed", "person harmed"),
            *_party_columns("responsible", "person responsible"),
            Column("suitability", parse=fields.choice(Suitability.values), help="pending, suitable, not_suitable"),
            Column("screened_on", parse=fields.date, help="date of the screening"),
            Column(
                "intervention_kind",
                parse=fields.choice(InterventionKind.values),
                help="direct_conference, indirect, letter, community_resolution, other",
            ),
            Column("intervention_on", parse=fields.date, help="date the intervention was held"),
            Column(
                "outcome",
                parse=fields.choice(RjOutcome.values),
                help="agreement, no_agreement, withdrawn, not_proceeded",
            ),
            Column("followed_up_on", parse=fields.date, help="date of the follow-up"),
            Column("closed_on", parse=fields.date, help="date the case closed"),
            Column("provider", parse=_provider, help="name of a provider in the service directory"),
            Column("provider_referred_on", parse=fields.date, help="date referred to the provider"),
            Column(
                "provider_outcome",
                parse=fields.choice(ProviderOutcome.values),
                help="awaiting, accepted, completed, declined, not_taken_up",
            ),
            Column("provider_outcome_on", parse=fields.date, help="date of the provider's outcome"),
        ),
    )
)
