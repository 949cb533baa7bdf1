"""Demo data for the panels: DA MARAC and Community MARAC referrals (some repeats), a held
meeting with outcomes and actions, and a meeting in a few days with its agenda built, so
invited agencies can read the listed cases' summaries. Synthetic people only (the demo's own)."""

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Agency, Team, User
from saferhub.cases.models import LawfulBasis
from saferhub.panels import actions
from saferhub.panels.models import HearingOutcome, PanelReferral, PanelType
from saferhub.people.models import Gender, Person

MEMBER_AGENCIES = [
    "Community Safety Team",
    "Family Services",
    "Demo Borough Police",
    "Demo Probation Service",
    "Demo Homes",
    "Demo Health and Care Trust",
    "Victim Help Demo",
    "Lantern Lane Refuge",
]
REFERRERS = ["Demo Borough Police", "Demo Health and Care Trust", "Victim Help Demo", "Family Services", "Demo Homes"]
DA_REFERRALS = 14
REPEATS = 3


def _setup_panel_types(partnership: Any) -> dict[str, PanelType]:
    team = Team.objects.filter(partnership=partnership, name="MARAC Coordination").first()
    members = list(Agency.objects.filter(partnership=partnership, name__in=MEMBER_AGENCIES))
    panel_types = {p.code: p for p in PanelType.objects.filter(partnership=partnership)}
    for panel_type in panel_types.values():
        if team is not None and panel_type.coordinating_team_id is None:
            panel_type.coordinating_team = team
            panel_type.save(update_fields=["coordinating_team", "modified_at"])
        panel_type.member_agencies.add(*members)
    return panel_types


def _referral_fields(rng: random.Random) -> dict[str, Any]:
    score = rng.randint(10, 20)
    return {
        "basis": "visible_high_risk" if score >= 14 else "professional_judgement",
        "professional_judgement_reason": "" if score >= 14 else "Escalating threats reported by the victim's sister.",
        "dash_score": score,
        "incidents_in_last_12_months": rng.randint(1, 5),
        "children_in_household": rng.choice([0, 0, 1, 2, 3]),
        "relationship": rng.choice(["partner", "ex_partner", "ex_partner", "family_member"]),
        "perpetrator_gender": rng.choice(["male", "male", "male", "female"]),
        "mental_health_need": rng.choice(["yes", "yes", "no", "unknown"]),
    }


@transaction.atomic
def build_demo(partnership: Any, rng: random.Random) -> None:
    if PanelReferral.objects.filter(partnership=partnership).exists():
        return
    coordinator = User.objects.filter(partnership=partnership, email__startswith="coordinator@").first()
    if coordinator is None:
        return
    panel_types = _setup_panel_types(partnership)
    da, cs = panel_types["da_marac"], panel_types["cs_marac"]
    today = timezone.localdate()
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership, name__in=REFERRERS)}
    women = list(Person.objects.filter(partnership=partnership, gender=Gender.FEMALE).order_by("pk")[:DA_REFERRALS])
    # Earlier referrals (heard at last month's meeting), then this month's new ones.
    for n, victim in enumerate(women):
        day = today - datetime.timedelta(days=70 - n if n < DA_REFERRALS - REPEATS else 12 - n % 5)
        actions.create_referral(
            coordinator,
            da,
            person=victim,
            referral_date=day,
            referring_agency=agencies[rng.choice(REFERRERS)],
            **_referral_fields(rng),
        )
    _held_meeting(coordinator, da, today - datetime.timedelta(days=35), rng)
    # Referred again after last month's meeting: repeats, flagged on the new agenda.
    for victim in women[:REPEATS]:
        actions.create_referral(
            coordinator,
            da,
            person=victim,
            referral_date=today - datetime.timedelta(days=rng.randint(3, 9)),
            referring_agency=agencies["Demo Borough Police"],
            **_referral_fields(rng),
        )
    upcoming = actions.schedule_meeting(
        coordinator,
        da,
        date=today + datetime.timedelta(days=4),
        location="Civic Centre, Room 3",
        chair="DI Harper Quell",
    )
    actions.build_agenda(coordinator, upcoming)
    for victim in Person.objects.filter(partnership=partnership, gender=Gender.MALE).order_by("pk")[:4]:
        actions.create_referral(
            coordinator,
            cs,
            person=victim,
            referral_date=today - datetime.timedelta(days=rng.randint(5, 40)),
            referring_agency=agencies["Demo Homes"],
            reason="Persistent harassment by neighbours.",
        )
    _online_referral(da, women)


def _online_referral(da: PanelType, women: list[Person]) -> None:
    """A referral the police sent online, waiting in the coordinator's review queue (a repeat)."""
    officer = User.objects.filter(partnership=da.partnership, email__startswith="police.safeguarding@").first()
    if officer is None or officer.agency_id is None or not women:
        return
    if not da.member_agencies.filter(pk=officer.agency_id).exists():
        return
    actions.submit_referral(
        officer,
        da,
        person=women[0],
        reason="Called police again after the perpetrator came to the house.",
        basis="visible_high_risk",
        dash_score=16,
        children_in_household=1,
        relationship="ex_partner",
        perpetrator_gender="male",
    )


def _held_meeting(coordinator: Any, panel_type: PanelType, day: datetime.date, rng: random.Random) -> None:
    meeting = actions.schedule_meeting(
        coordinator, panel_type, date=day, location="Civic Centre, Room 3", chair="DI Harper Quell"
    )
    actions.build_agenda(coordinator, meeting)
    police = Agency.objects.get(partnership=panel_type.partnership, name="Demo Borough Police")
    officer = User.objects.filter(agency=police, email__startswith="police.safeguarding@").first()
    for number, hearing in enumerate(meeting.hearings.all()):
        actions.share_information(
            coordinator,
            hearing,
            agency=police,
            lawful_basis=LawfulBasis.CDA_S115,
            information="Two call-outs to the address in the last month; the perpetrator is on bail.",
        )
        if officer is not None:
            actions.agree_action(
                coordinator,
                hearing,
                title="Flag the address for an urgent police response",
                owner=officer,
                owner_agency=police,
                due_on=day + datetime.timedelta(days=14 + number),
            )
        actions.record_outcome(
            coordinator,
            hearing,
            outcome=HearingOutcome.CLOSED if number % 3 == 2 else HearingOutcome.REVIEW,
            risks="Escalating threats; children present at incidents.",
            decisions="IDVA to offer support.",
        )
    actions.mark_held(coordinator, meeting)
