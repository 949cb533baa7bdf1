"""Every change to RJ records: one function each, in a transaction, writing its audit row.

Callers (views, imports, the demo, the street page) check permission first through
`saferhub.policy`; the rules of the RJ process itself live here: no contact with the parties
before a suitable screening backed by a risk assessment; for domestic abuse and sexual harm the
enhanced assessment and a manager's approval first; an intervention needs both parties' consent.
Edits of the case's own record compare-and-set its `version` (`core.versioning`).
"""

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.accounts.models import Team
from saferhub.assessments.models import Assessment
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole
from saferhub.core.form_pages import RuleRefused
from saferhub.core.versioning import bump_version, claim_version
from saferhub.people.models import Person
from saferhub.rj.models import (
    ActionStatus,
    AgreementAction,
    Consent,
    HarmKind,
    InterventionKind,
    Member,
    Outcome,
    Party,
    PartyRole,
    PreparationMeeting,
    ProviderOutcome,
    RjCase,
    RjConfiguration,
    Source,
    SpecialistHarm,
    Stage,
    Suitability,
    TrainingRecord,
)
from saferhub.rj.setup import ENHANCED_TEMPLATE, RISK_TEMPLATE, rj_case_type, rj_team

PARTICIPANT_ROLE = {PartyRole.HARMED: ParticipantRole.DIRECT_VICTIM, PartyRole.RESPONSIBLE: ParticipantRole.SUBJECT}


class RjError(RuleRefused):
    """A change the RJ rules refuse; the message names the field and what to do."""


def _today() -> datetime.date:
    return timezone.localdate()


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _audit(user: Any, action: str, rj: RjCase, request: HttpRequest | None, what: str, **detail: Any) -> None:
    log.record(user, action, rj.case, request=request, detail={"rj_case": rj.pk, "rj": what, **detail})


@transaction.atomic
def set_rj_team(user: Any, partnership: Any, team: Team, request: HttpRequest | None = None) -> None:
    config, _ = RjConfiguration.objects.get_or_create(partnership=partnership)
    config.team = team
    config.save(update_fields=["team", "modified_at"])
    log.record(user, AuditAction.UPDATE, config, request=request, partnership=partnership, detail={"rj_team": team.pk})


def case_title(harm_kind_label: str, harmed: Person | None) -> str:
    who = f" – {harmed.display_name}" if harmed is not None else ""
    return f"Restorative justice: {harm_kind_label.lower()}{who}"[:200]


# Referral ----------------------------------------------------------------------------------------


@transaction.atomic
def refer(
    user: Any,
    partnership: Any,
    *,
    source: str,
    referred_on: datetime.date,
    harm_kind: str,
    specialist_harm: str = SpecialistHarm.NONE,
    harm_on: datetime.date | None = None,
    harm_summary: str = "",
    referrer: str = "",
    harmed: Person | None = None,
    responsible: Person | None = None,
    hub_referral: Any = None,
    external_ref: str = "",
    street_resolution: bool = False,
    client_uuid: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> RjCase:
    """A new RJ case in the RJ service's queue: an `rj` case owned by the team holding the duty, and its two parties."""
    team, case_type = rj_team(partnership.pk), rj_case_type(partnership.pk)
    if team is None or case_type is None:
        raise RjError(
            "No team holds the restorative justice service duty: a partnership administrator gives it to a team "
            "on the Set-up page."
        )
    case = case_actions.create_case(
        user,
        case_type=case_type,
        owning_team=team,
        title=case_title(HarmKind(harm_kind).label, harmed),
        opened_on=referred_on,
        request=request,
    )
    rj = RjCase.objects.create(
        partnership=partnership,
        case=case,
        external_ref=external_ref,
        source=source,
        referred_on=referred_on,
        referrer=referrer,
        hub_referral=hub_referral,
        harm_kind=harm_kind,
        specialist_harm=specialist_harm or SpecialistHarm.NONE,
        harm_on=harm_on,
        harm_summary=harm_summary,
        street_resolution=street_resolution,
        client_uuid=client_uuid,
        recorded_by=_user(user),
    )
    for role, person in ((PartyRole.HARMED, harmed), (PartyRole.RESPONSIBLE, responsible)):
        Party.objects.create(rj_case=rj, role=role, person=person)
        if person is not None:
            Participant.objects.create(case=case, person=person, role=PARTICIPANT_ROLE[role], added_by=_user(user))
    _audit(user, AuditAction.CREATE, rj, request, "referred", source=source)
    return rj


@transaction.atomic
def refer_from_hub(
    user: Any,
    hub: Any,
    *,
    harm_kind: str,
    specialist_harm: str,
    harm_summary: str = "",
    referred_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> RjCase:
    """The hub's Right 3 referral: the victim told of restorative justice and referred to the RJ service.

    The hub's own Right 3 date is set if it was not (telling the victim is part of referring them).
    """
    from saferhub.victims.actions import record_rj_information

    day = referred_on or _today()
    if RjCase.objects.filter(hub_referral=hub).exclude(stage=Stage.CLOSED).exists():
        raise RjError("This victim already has an open restorative justice case.", "harm_kind")
    if hub.rj_informed_on is None:
        record_rj_information(user, hub, informed_on=day, request=request)
    return refer(
        user,
        hub.partnership,
        source=Source.VICTIM_HUB,
        referred_on=day,
        referrer=getattr(user, "full_name", "") or "",
        harm_kind=harm_kind,
        specialist_harm=specialist_harm,
        harm_on=hub.incident_date,
        harm_summary=harm_summary,
        harmed=hub.referral.person,
        hub_referral=hub,
        request=request,
    )


@transaction.atomic
def add_party_person(user: Any, rj: RjCase, party: Party, person: Person, request: HttpRequest | None = None) -> Party:
    """Name the person a party is (the person responsible is often known only after the referral)."""
    if party.person_id is not None:
        raise RjError("This party already has a person: record another case if it is someone else.", "person")
    party.person = person
    party.save(update_fields=["person", "modified_at"])
    Participant.objects.create(case=rj.case, person=person, role=PARTICIPANT_ROLE[PartyRole(party.role)])
    _audit(user, AuditAction.UPDATE, rj, request, "party_named", role=party.role)
    return party


# Screening and approval --------------------------------------------------------------------------


def risk_assessment(rj: RjCase) -> Assessment | None:
    """The latest assessment on the case with the template this harm needs (enhanced for DA and sexual harm)."""
    code = ENHANCED_TEMPLATE if rj.needs_enhanced_assessment else RISK_TEMPLATE
    return Assessment.objects.filter(case_id=rj.case_id, template__code=code).order_by("-completed_at").first()


def contact_allowed(rj: RjCase) -> bool:
    """Screened suitable, and for DA or sexual harm approved by a manager after the enhanced assessment."""
    if rj.suitability != Suitability.SUITABLE or rj.stage == Stage.CLOSED:
        return False
    return not rj.needs_enhanced_assessment or rj.contact_approved_on is not None


def contact_blocker(rj: RjCase) -> str:
    """Why no one may contact the parties yet, in words; blank when they may."""
    if rj.stage == Stage.CLOSED:
        return "The case is closed."
    if rj.suitability != Suitability.SUITABLE:
        return "Screen the case as suitable before contacting the parties."
    if rj.needs_enhanced_assessment and rj.contact_approved_on is None:
        return "A manager must approve contact after the enhanced risk assessment (domestic abuse or sexual harm)."
    return ""


@transaction.atomic
def screen(
    user: Any,
    rj: RjCase,
    *,
    expected_version: int,
    suitability: str,
    screened_on: datetime.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> RjCase:
    if rj.stage != Stage.REFERRED:
        raise RjError("This case has been screened already.", "suitability")
    if suitability == Suitability.SUITABLE and risk_assessment(rj) is None:
        kind = "enhanced risk assessment" if rj.needs_enhanced_assessment else "risk assessment"
        raise RjError(f"Record the {kind} on the case before screening it as suitable.", "suitability")
    if screened_on < rj.referred_on:
        raise RjError("The screening date must be on or after the referral date.", "screened_on")
    claim_version(rj, expected_version)
    rj.suitability = suitability
    rj.screened_on = screened_on
    rj.screening_notes = notes
    if suitability == Suitability.SUITABLE:
        rj.stage = Stage.PREPARATION
        rj.save(update_fields=["suitability", "screened_on", "screening_notes", "stage", "modified_at"])
    else:
        _close(user, rj, screened_on, Outcome.NOT_PROCEEDED, "Not suitable for restorative justice", request)
        rj.save(update_fields=["suitability", "screened_on", "screening_notes", "modified_at"])
    _audit(user, AuditAction.UPDATE, rj, request, "screened", suitability=suitability)
    return rj


@transaction.atomic
def approve_contact(
    user: Any, rj: RjCase, *, expected_version: int, approved_on: datetime.date, request: HttpRequest | None = None
) -> RjCase:
    """A manager's approval of contact for domestic abuse or sexual harm, after the enhanced assessment."""
    if not rj.needs_enhanced_assessment:
        raise RjError("Only domestic abuse and sexual harm cases need a manager's approval.", "approved_on")
    if risk_assessment(rj) is None:
        raise RjError("Record the enhanced risk assessment before approving contact.", "approved_on")
    if rj.suitability != Suitability.SUITABLE:
        raise RjError("Screen the case as suitable before approving contact.", "approved_on")
    claim_version(rj, expected_version)
    rj.contact_approved_by = user
    rj.contact_approved_on = approved_on
    rj.save(update_fields=["contact_approved_by", "contact_approved_on", "modified_at"])
    _audit(user, AuditAction.UPDATE, rj, request, "contact_approved")
    return rj


# Working with the parties ------------------------------------------------------------------------


def _require_contact(rj: RjCase, field: str) -> None:
    blocker = contact_blocker(rj)
    if blocker:
        raise RjError(blocker, field)


@transaction.atomic
def record_consent(
    user: Any,
    rj: RjCase,
    party: Party,
    *,
    expected_version: int,
    consent: str,
    consent_on: datetime.date,
    request: HttpRequest | None = None,
) -> Party:
    _require_contact(rj, "consent")
    claim_version(party, expected_version)
    party.consent = consent
    party.consent_on = consent_on
    party.save(update_fields=["consent", "consent_on", "modified_at"])
    bump_version(rj)
    _audit(user, AuditAction.UPDATE, rj, request, "consent", role=party.role, consent=consent)
    return party


@transaction.atomic
def add_preparation_meeting(
    user: Any, rj: RjCase, *, party: Party, held_on: datetime.date, notes: str = "", request: HttpRequest | None = None
) -> PreparationMeeting:
    _require_contact(rj, "held_on")
    meeting = PreparationMeeting.objects.create(
        rj_case=rj, party=party, held_on=held_on, notes=notes, recorded_by=_user(user)
    )
    _audit(user, AuditAction.CREATE, rj, request, "preparation_meeting", role=party.role)
    return meeting


@transaction.atomic
def record_intervention(
    user: Any,
    rj: RjCase,
    *,
    expected_version: int,
    intervention_kind: str,
    intervention_on: datetime.date,
    outcome: str,
    outcome_notes: str = "",
    request: HttpRequest | None = None,
) -> RjCase:
    """The intervention held and its outcome; both parties must have consented."""
    _require_contact(rj, "intervention_kind")
    if rj.stage != Stage.PREPARATION:
        raise RjError("An intervention has been recorded on this case already.", "intervention_kind")
    if rj.parties.exclude(consent=Consent.GIVEN).exists():
        raise RjError("Both parties must consent before the intervention: record their consent first.", "outcome")
    if rj.screened_on and intervention_on < rj.screened_on:
        raise RjError("The intervention date must be on or after the screening date.", "intervention_on")
    claim_version(rj, expected_version)
    rj.intervention_kind = intervention_kind
    rj.intervention_on = intervention_on
    rj.outcome = outcome
    rj.outcome_notes = outcome_notes
    rj.stage = Stage.INTERVENTION
    rj.save(update_fields=["intervention_kind", "intervention_on", "outcome", "outcome_notes", "stage", "modified_at"])
    _audit(user, AuditAction.UPDATE, rj, request, "intervention", kind=intervention_kind, outcome=outcome)
    return rj


@transaction.atomic
def add_agreement_action(
    user: Any,
    rj: RjCase,
    *,
    text: str,
    by_role: str,
    due_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> AgreementAction:
    if rj.outcome != Outcome.AGREEMENT:
        raise RjError("Record an intervention that reached an outcome agreement first.", "text")
    action = AgreementAction.objects.create(rj_case=rj, text=text, by_role=by_role, due_on=due_on)
    _audit(user, AuditAction.CREATE, rj, request, "agreement_action")
    return action


@transaction.atomic
def update_agreement_action(
    user: Any,
    action: AgreementAction,
    *,
    expected_version: int,
    status: str,
    completed_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> AgreementAction:
    if status == ActionStatus.DONE and completed_on is None:
        raise RjError("Enter the date the action was done.", "completed_on")
    claim_version(action, expected_version)
    action.status = status
    action.completed_on = completed_on if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_on", "modified_at"])
    _audit(user, AuditAction.UPDATE, action.rj_case, request, "agreement_action_status", status=status)
    return action


@transaction.atomic
def record_follow_up(
    user: Any,
    rj: RjCase,
    *,
    expected_version: int,
    followed_up_on: datetime.date,
    answers: dict[str, tuple[str, str]],
    request: HttpRequest | None = None,
) -> RjCase:
    """Each party's satisfaction and feeling of safety (answers: role -> (satisfaction, safety)); closes the case."""
    if rj.stage != Stage.INTERVENTION:
        raise RjError("Record the intervention before the follow-up.", "followed_up_on")
    if rj.intervention_on and followed_up_on < rj.intervention_on:
        raise RjError("The follow-up date must be on or after the intervention.", "followed_up_on")
    claim_version(rj, expected_version)
    for party in rj.parties.all():
        satisfaction, safety = answers.get(party.role, ("", ""))
        party.satisfaction, party.safety = satisfaction, safety
        party.save(update_fields=["satisfaction", "safety", "modified_at"])
    rj.followed_up_on = followed_up_on
    _close(user, rj, followed_up_on, rj.outcome, "Restorative justice completed and followed up", request)
    _audit(user, AuditAction.UPDATE, rj, request, "follow_up")
    return rj


def _close(user: Any, rj: RjCase, on: datetime.date, outcome: str, reason: str, request: HttpRequest | None) -> None:
    rj.stage = Stage.CLOSED
    rj.closed_on = on
    rj.outcome = outcome
    rj.save(update_fields=["stage", "closed_on", "outcome", "followed_up_on", "modified_at"])
    # Read afresh: an assessment recorded since the case was read may have changed its risk level.
    case = Case.objects.get(pk=rj.case_id)
    rj.case = case
    if case.status != CaseStatus.CLOSED:
        case_actions.change_status(
            user,
            case,
            CaseStatus.CLOSED,
            expected_version=case.version,
            closure_reason=reason[:50],
            reason=reason,
            on=on,
            request=request,
        )


# Onward referral to a provider -------------------------------------------------------------------


@transaction.atomic
def refer_to_provider(
    user: Any,
    rj: RjCase,
    *,
    expected_version: int,
    provider: Any,
    referred_on: datetime.date,
    request: HttpRequest | None = None,
) -> RjCase:
    if rj.street_resolution is False and rj.suitability == Suitability.NOT_SUITABLE:
        raise RjError("This case was screened as not suitable for restorative justice.", "provider")
    claim_version(rj, expected_version)
    rj.provider = provider
    rj.provider_referred_on = referred_on
    rj.provider_outcome = ProviderOutcome.AWAITING
    rj.provider_outcome_on = None
    rj.save(
        update_fields=["provider", "provider_referred_on", "provider_outcome", "provider_outcome_on", "modified_at"]
    )
    _audit(user, AuditAction.UPDATE, rj, request, "provider_referral", service=provider.pk)
    return rj


@transaction.atomic
def record_provider_outcome(
    user: Any,
    rj: RjCase,
    *,
    expected_version: int,
    provider_outcome: str,
    provider_outcome_on: datetime.date,
    request: HttpRequest | None = None,
) -> RjCase:
    if rj.provider_id is None:
        raise RjError("Refer the case to a provider first.", "provider_outcome")
    if rj.provider_referred_on and provider_outcome_on < rj.provider_referred_on:
        raise RjError("The outcome date must be on or after the referral to the provider.", "provider_outcome_on")
    claim_version(rj, expected_version)
    rj.provider_outcome = provider_outcome
    rj.provider_outcome_on = provider_outcome_on
    rj.save(update_fields=["provider_outcome", "provider_outcome_on", "modified_at"])
    _audit(user, AuditAction.UPDATE, rj, request, "provider_outcome", outcome=provider_outcome)
    return rj


# The register ------------------------------------------------------------------------------------


@transaction.atomic
def add_member(user: Any, partnership: Any, *, request: HttpRequest | None = None, **values: Any) -> Member:
    if values.get("active") is False:
        values.setdefault("left_on", _today())
    member = Member.objects.create(partnership=partnership, **values)
    log.record(user, AuditAction.CREATE, member, request=request, partnership=partnership, detail={"rj": "member"})
    return member


@transaction.atomic
def update_member(
    user: Any, member: Member, *, expected_version: int, changes: dict[str, Any], request: HttpRequest | None = None
) -> Member:
    if member.erased_at is not None:
        raise RjError("This member's details were erased under the retention policy.", "name")
    was_active = member.active
    claim_version(member, expected_version)
    for name, value in changes.items():
        setattr(member, name, value)
    # The retention period runs from the day a member leaves the register.
    if was_active and not member.active:
        member.left_on = _today()
        changes = {**changes, "left_on": member.left_on}
    elif member.active and member.left_on is not None:
        member.left_on = None
        changes = {**changes, "left_on": None}
    member.save()
    log.record(user, AuditAction.UPDATE, member, request=request, detail={"fields": sorted(changes)})
    return member


@transaction.atomic
def add_training(user: Any, member: Member, activity: Any, request: HttpRequest | None = None) -> TrainingRecord:
    if activity.partnership_id != member.partnership_id:
        raise RjError("Choose an activity of this partnership.", "activity")
    if TrainingRecord.objects.filter(member=member, activity=activity).exists():
        raise RjError("This activity is already on the member's training record.", "activity")
    record = TrainingRecord.objects.create(member=member, activity=activity)
    log.record(user, AuditAction.CREATE, member, request=request, detail={"rj": "training", "activity": activity.pk})
    return record


# Street resolutions ------------------------------------------------------------------------------


class UuidTaken(RjError):
    """The phone's UUID names a case someone else recorded: never overwrite or reveal it."""


def record_street_resolution(
    user: Any,
    partnership: Any,
    *,
    client_uuid: uuid.UUID,
    happened_on: datetime.date,
    harm_kind: str,
    summary: str,
    harmed: Person | None,
    responsible: Person | None,
    resolved: bool,
    agreed: str = "",
    provider: Any = None,
    request: HttpRequest | None = None,
) -> tuple[RjCase, bool]:
    """A police officer's street RJ / community resolution, sent from the phone; (case, created).

    Idempotent on the phone's UUID: a resend of a form the server already accepted returns that
    case and writes nothing, so a lost answer never makes a second case.
    """
    existing = RjCase.objects.filter(client_uuid=client_uuid).select_related("case").first()
    if existing is not None:
        if existing.partnership_id != partnership.pk or existing.recorded_by_id != getattr(user, "pk", None):
            raise UuidTaken("This form was already sent from another account: reload the page.", "client_uuid")
        return existing, False
    try:
        with transaction.atomic():
            rj = _street_case(
                user,
                partnership,
                client_uuid=client_uuid,
                happened_on=happened_on,
                harm_kind=harm_kind,
                summary=summary,
                harmed=harmed,
                responsible=responsible,
                resolved=resolved,
                agreed=agreed,
                provider=provider,
                request=request,
            )
    except IntegrityError:
        # The same form arrived twice at once: the other request made the case.
        return RjCase.objects.get(client_uuid=client_uuid), False
    return rj, True


def _street_case(
    user: Any,
    partnership: Any,
    *,
    client_uuid: uuid.UUID,
    happened_on: datetime.date,
    harm_kind: str,
    summary: str,
    harmed: Person | None,
    responsible: Person | None,
    resolved: bool,
    agreed: str,
    provider: Any,
    request: HttpRequest | None,
) -> RjCase:
    rj = refer(
        user,
        partnership,
        source=Source.POLICE,
        referred_on=happened_on,
        referrer=getattr(user, "full_name", "") or "",
        harm_kind=harm_kind,
        harm_on=happened_on,
        harm_summary=summary,
        harmed=harmed,
        responsible=responsible,
        street_resolution=True,
        client_uuid=client_uuid,
        request=request,
    )
    # The officer screened it on the spot and both parties agreed to take part.
    rj.suitability = Suitability.SUITABLE
    rj.screened_on = happened_on
    rj.parties.update(consent=Consent.GIVEN, consent_on=happened_on)
    if resolved:
        rj.intervention_kind = InterventionKind.COMMUNITY_RESOLUTION
        rj.intervention_on = happened_on
        rj.outcome = Outcome.AGREEMENT
        rj.outcome_notes = agreed
        rj.stage = Stage.INTERVENTION
    else:
        rj.stage = Stage.PREPARATION
    if provider is not None:
        rj.provider = provider
        rj.provider_referred_on = happened_on
        rj.provider_outcome = ProviderOutcome.AWAITING
    rj.save()
    _audit(user, AuditAction.CREATE, rj, request, "street_resolution", resolved=resolved)
    return rj
