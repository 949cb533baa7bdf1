"""RJ demo data for the demo partnership: referrals from every route (the hub's Right 3 referrals
among them) at each stage of the process, a conference followed up, street resolutions from
officers, an onward referral to the pan-regional provider, the register of champions and
volunteers with their training, and the RJ project plan. Made through the module's actions;
idempotent (nothing is added when the partnership already has RJ cases).
"""

import datetime
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import AgencyKind, User
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.models import AssessmentTemplate
from saferhub.directory.models import Category, Service
from saferhub.governance.actions.plans import add_commitment
from saferhub.governance.models import ActionPlan, Activity
from saferhub.people.actions import create_person
from saferhub.rj import actions
from saferhub.rj.models import (
    Consent,
    CouncilMembership,
    HarmKind,
    InterventionKind,
    MemberKind,
    Outcome,
    PartyRole,
    RjCase,
    Safety,
    Satisfaction,
    Source,
    SpecialistHarm,
    Suitability,
    TrainingLevel,
)
from saferhub.rj.setup import ENHANCED_TEMPLATE, PLAN_NAME, PROGRAMME, RISK_TEMPLATE, rj_team, setup_rj

FIRST = ["Ada", "Benji", "Cleo", "Dev", "Ember", "Faris", "Greta", "Hugo", "Isla", "Jonas", "Kemi", "Leon"]
LAST = ["Ashwater", "Brindle", "Coldharbour", "Draycott", "Elmstead", "Fernhill", "Gorsedge", "Hawkridge"]
HARMS = [
    (HarmKind.CRIME, "Criminal damage to a car"),
    (HarmKind.ASB, "Repeated noise and abuse from a neighbour"),
    (HarmKind.CONFLICT, "Falling-out between two pupils that turned to fighting"),
    (HarmKind.HATE_INCIDENT, "Racist abuse at a bus stop"),
    (HarmKind.CRIME, "Theft from a corner shop"),
]
SOURCES = [Source.POLICE, Source.YOUTH_JUSTICE, Source.PROBATION, Source.SCHOOL, Source.SELF]
MEMBERS = [
    (MemberKind.CHAMPION, "Priya Oakhurst", "Demo Borough Police", "", TrainingLevel.FACILITATOR, "Weekday mornings"),
    (MemberKind.CHAMPION, "Marcus Fenwold", "Harbourside Youth Project", "", TrainingLevel.PRACTITIONER, "Evenings"),
    (
        MemberKind.PRACTICE_LEAD,
        "Helen Brookmere",
        "",
        "Millbrook Primary School",
        TrainingLevel.PRACTITIONER,
        "Term time",
    ),
    (MemberKind.PRACTICE_LEAD, "Daniel Ashby", "", "Quarry Hill Academy", TrainingLevel.FACILITATOR, "Term time"),
    (MemberKind.VOLUNTEER, "Rose Tillingham", "Calm Talk Mediation", "", TrainingLevel.AWARENESS, "Saturdays"),
    (MemberKind.VOLUNTEER, "Sol Haverly", "", "", TrainingLevel.PRACTITIONER, "Two days a month"),
]
# Restorative Justice Council membership (seed 004); the others are not members.
COUNCIL = {
    "Priya Oakhurst": (CouncilMembership.REGISTERED_PRACTITIONER, datetime.date(2026, 4, 14)),
    "Daniel Ashby": (CouncilMembership.INDIVIDUAL, datetime.date(2026, 1, 20)),
    "Rose Tillingham": (CouncilMembership.QUALITY_MARK, datetime.date(2025, 11, 3)),
}
PLAN = [
    ("Raise the profile of restorative practice", "Year 1", "in_progress", "Training, risk panels and network events"),
    (
        "Provide greater access to RJ for victims of crime",
        "Year 1-3",
        "in_progress",
        "Pathways from the hub and police",
    ),
    ("Build a network of RJ Champions and Restorative Practice Leads", "Year 2", "on_track", "Six schools so far"),
    ("Recruit volunteers with lived experience", "Year 2-3", "not_started", ""),
    ("Become a Registered Restorative Organisation", "Year 3", "not_started", ""),
]


def build_demo(partnership: Any, rng: random.Random) -> None:
    if RjCase.objects.filter(partnership=partnership).exists():
        return
    setup_rj(partnership)  # adopts the demo's "Restorative Justice Service" team, made after the partnership
    team = rj_team(partnership.pk)
    if team is None:
        return
    coordinator = User.objects.filter(team=team, is_active=True).order_by("pk").first()
    if coordinator is None:
        return
    today = timezone.localdate()
    provider = Service.objects.filter(partnership=partnership).in_category(Category.RESTORATIVE_JUSTICE).first()
    with transaction.atomic():
        _cases(partnership, rng, coordinator, today, provider)
        _hub_referrals(partnership, coordinator, today)
        _street(partnership, rng, today, provider)
        _register(partnership, coordinator)
        _plan(partnership, coordinator, today)


def _person(partnership: Any, user: Any, rng: random.Random) -> Any:
    return create_person(user, partnership=partnership, first_name=rng.choice(FIRST), last_name=rng.choice(LAST))


def _assess(user: Any, rj: RjCase) -> None:
    code = ENHANCED_TEMPLATE if rj.needs_enhanced_assessment else RISK_TEMPLATE
    template = AssessmentTemplate.objects.filter(partnership_id=rj.partnership_id, code=code, active=True).last()
    if template is None:
        return
    answers = {q.code: "no" for q in template.questions.all()}
    record_assessment(user, rj.case, template, answers, update_case_risk=False)


def _cases(partnership: Any, rng: random.Random, user: Any, today: datetime.date, provider: Any) -> None:
    for number in range(12):
        kind, summary = HARMS[number % len(HARMS)]
        referred = today - datetime.timedelta(days=10 + number * 9)
        rj = actions.refer(
            user,
            partnership,
            source=SOURCES[number % len(SOURCES)],
            referred_on=referred,
            referrer="Demo referrer",
            harm_kind=kind,
            specialist_harm=SpecialistHarm.DOMESTIC_ABUSE if number == 5 else SpecialistHarm.NONE,
            harm_on=referred - datetime.timedelta(days=5),
            harm_summary=summary,
            harmed=_person(partnership, user, rng),
            responsible=_person(partnership, user, rng),
        )
        if number < 2:
            continue  # still in the queue
        _assess(user, rj)
        suitable = number != 2
        rj = actions.screen(
            user,
            rj,
            expected_version=rj.version,
            suitability=Suitability.SUITABLE if suitable else Suitability.NOT_SUITABLE,
            screened_on=referred + datetime.timedelta(days=2),
            notes="Screened with both parties' referrers.",
        )
        if not suitable or number == 5:
            continue  # the domestic abuse case awaits a manager's approval
        day = referred + datetime.timedelta(days=4)
        for party in rj.parties.all():
            actions.record_consent(
                user, rj, party, expected_version=party.version, consent=Consent.GIVEN, consent_on=day
            )
            actions.add_preparation_meeting(user, rj, party=party, held_on=day, notes="Preparation meeting held.")
        if number in (3, 4):
            continue  # in preparation
        rj.refresh_from_db()
        held = referred + datetime.timedelta(days=7)
        held_kind = [InterventionKind.DIRECT_CONFERENCE, InterventionKind.INDIRECT, InterventionKind.LETTER][number % 3]
        rj = actions.record_intervention(
            user,
            rj,
            expected_version=rj.version,
            intervention_kind=held_kind,
            intervention_on=held,
            outcome=Outcome.AGREEMENT,
            outcome_notes="An apology and a plan to put things right.",
        )
        actions.add_agreement_action(
            user,
            rj,
            text="Write a letter of apology",
            by_role=PartyRole.RESPONSIBLE,
            due_on=held + datetime.timedelta(days=14),
        )
        if number in (6, 7) and provider is not None:
            actions.refer_to_provider(user, rj, expected_version=rj.version, provider=provider, referred_on=held)
        if number >= 8 and held + datetime.timedelta(days=7) <= today:
            actions.record_follow_up(
                user,
                rj,
                expected_version=rj.version,
                followed_up_on=held + datetime.timedelta(days=7),
                answers={
                    PartyRole.HARMED: (rng.choice([Satisfaction.SATISFIED, Satisfaction.VERY_SATISFIED]), Safety.SAFER),
                    PartyRole.RESPONSIBLE: (Satisfaction.SATISFIED, Safety.SAME),
                },
            )


def _hub_referrals(partnership: Any, user: Any, today: datetime.date) -> None:
    """Two of the hub's live victims referred to the RJ service (Right 3)."""
    from saferhub.victims.models import HubReferral

    hub_user = User.objects.filter(partnership=partnership, team__name="Victim Care Hub").order_by("pk").first()
    hubs = (
        HubReferral.objects.of(partnership.pk)
        .victims()
        .filter(referral__case__isnull=False, referral__person__isnull=False)
    )
    for hub in hubs.order_by("-received_on", "-pk")[:2]:
        actions.refer_from_hub(
            hub_user or user,
            hub,
            harm_kind=HarmKind.CRIME,
            specialist_harm=SpecialistHarm.NONE,
            harm_summary="The victim would like to meet the person responsible.",
            referred_on=max(today, hub.received_on),
        )


def _street(partnership: Any, rng: random.Random, today: datetime.date, provider: Any) -> None:
    officer = (
        User.objects.filter(partnership=partnership, agency__kind=AgencyKind.POLICE, is_active=True)
        .order_by("pk")
        .first()
    )
    if officer is None:
        return
    for number in range(3):
        actions.record_street_resolution(
            officer,
            partnership,
            client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            happened_on=today - datetime.timedelta(days=3 + number * 11),
            harm_kind=[HarmKind.ASB, HarmKind.CRIME, HarmKind.CONFLICT][number],
            summary="Resolved on the street with both parties.",
            harmed=_person(partnership, officer, rng),
            responsible=_person(partnership, officer, rng),
            resolved=number != 2,
            agreed="An apology and repair of the damage." if number != 2 else "",
            provider=provider if number == 2 else None,
        )


def _register(partnership: Any, user: Any) -> None:
    activities = list(Activity.objects.of(partnership).filter(programme=PROGRAMME).order_by("held_on")[:3])
    for kind, name, organisation, school, level, availability in MEMBERS:
        member = actions.add_member(
            user,
            partnership,
            kind=kind,
            name=name,
            organisation=organisation,
            school=school,
            training_level=level,
            dbs_checked_on=datetime.date(2025, 9, 1) if kind != MemberKind.CHAMPION else None,
            availability=availability,
            lived_experience=kind == MemberKind.VOLUNTEER,
            active=True,
            rj_council=COUNCIL.get(name, (CouncilMembership.NONE, None))[0],
            rj_council_confirmed_on=COUNCIL.get(name, (CouncilMembership.NONE, None))[1],
        )
        for activity in activities[: 1 + len(name) % 3]:
            actions.add_training(user, member, activity)


def _plan(partnership: Any, user: Any, today: datetime.date) -> None:
    plan = ActionPlan.objects.of(partnership).filter(name__iexact=PLAN_NAME).first()
    if plan is None or plan.commitments.exists():
        return
    for text, phase, status, note in PLAN:
        add_commitment(
            user,
            plan,
            priority="Restorative justice",
            text=text,
            owner=None,
            phase=phase,
            due_on=None,
            status=status,
            rag="",
            updated_on=today,
            note=note,
        )
