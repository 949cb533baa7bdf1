"""IOM demo data for the demo partnership: a cohort of about twenty invented people across the RAG
statuses, with their plans, contacts and offences, some of them already deselected. Made through
the module's actions; idempotent (nothing is added when the partnership already has a cohort).
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Agency, Role, RoleAssignment, User
from saferhub.iom import actions, reviews
from saferhub.iom.models import (
    CohortKind,
    CohortStay,
    ContactKind,
    DeselectionReason,
    Management,
    Pathway,
    PlanOutcome,
    PlanStatus,
    Rag,
    ReoffendingComparator,
    YjKpi,
    YjKpiValue,
)
from saferhub.iom.setup import HOME_OFFICE_COSTS, iom_team, setup_iom
from saferhub.panels import actions as panel_actions
from saferhub.panels.models import HearingOutcome, PanelType
from saferhub.people.models import Gender, Person
from saferhub.reporting.periods import financial_year_start, quarter_number

COHORT = 20
REVIEWED = 5  # stays on the demo's cohort review meetings: two at last month's, three at the next
FIRST = ["Arlo", "Bram", "Cody", "Dax", "Eli", "Finn", "Gus", "Hal", "Ivo", "Jude", "Kit", "Lorne", "Mika", "Nash"]
LAST = ["Ashdown", "Brackwell", "Cinderby", "Dunhollow", "Eastmere", "Farrowby", "Glenmarsh", "Hollins", "Ivybridge"]
ETHNICITIES = ["white_british", "black_caribbean", "black_african", "asian_pakistani", "white_other", "mixed_other"]
ACTIONS = {
    Pathway.ACCOMMODATION: ("Support to keep a tenancy", "Demo Homes"),
    Pathway.ETE: ("Construction skills course", "Demo Works Academy"),
    Pathway.HEALTH: ("Register with a GP", "Demo Health and Care Trust"),
    Pathway.DRUGS_ALCOHOL: ("Structured treatment", "Demo Recovery Service"),
    Pathway.FINANCE: ("Universal Credit claim and debt advice", "Demo Money Advice"),
    Pathway.FAMILY: ("Supervised contact with children", "Family Services"),
    Pathway.ATTITUDES: ("Thinking skills programme", "Demo Probation Service"),
}
GROUPS = [code for code, _label, _cost in HOME_OFFICE_COSTS if code not in ("homicide", "rape")]


def build_demo(partnership: Any, rng: random.Random) -> None:
    if CohortStay.objects.filter(partnership=partnership).exists():
        return
    setup_iom(partnership)  # adopts the demo's "IOM team", made after the partnership
    team = iom_team(partnership.pk)
    if team is None:
        return
    officer = User.objects.filter(team=team, is_active=True).order_by("pk").first()
    probation = Agency.objects.filter(partnership=partnership, name__icontains="probation").first()
    today = timezone.localdate()
    with transaction.atomic():
        for n in range(COHORT):
            _member(partnership, rng, officer, probation, team.agency, today, n)
        _figures(partnership, rng, today)
        if officer is not None:
            _review_meetings(partnership, officer, probation, team.agency, today)


def _review_meetings(partnership: Any, officer: Any, probation: Any, police: Any, today: datetime.date) -> None:
    """Last month's cohort review (held, with decisions and actions) and next month's, a few stays on each."""
    reviews.install_review_panel(partnership)  # coordinated by the demo's IOM team
    panel_type = PanelType.objects.get(partnership=partnership, code=reviews.REVIEW_CODE)
    panel_type.member_agencies.add(*[agency for agency in (police, probation) if agency is not None])
    # The IOM officer runs the meetings on the panels pages.
    RoleAssignment.objects.get_or_create(user=officer, partnership=partnership, role=Role.PANEL_COORDINATOR)
    stays = list(CohortStay.objects.filter(partnership=partnership, left_on__isnull=True).order_by("pk")[:REVIEWED])
    held = panel_actions.schedule_meeting(
        officer, panel_type, date=today - datetime.timedelta(days=24), location="Demo Borough Police, IOM office"
    )
    for stay in stays[:2]:
        hearing = reviews.put_on_review(officer, stay, held)
        panel_actions.agree_action(
            officer,
            hearing,
            title="Joint home visit with the offender manager",
            owner=officer,
            owner_agency=officer.agency,
            due_on=today + datetime.timedelta(days=5),
        )
        panel_actions.record_outcome(
            officer,
            hearing,
            outcome=HearingOutcome.REVIEW,
            risks="Missed two appointments since the last review.",
            decisions="Stay at the current RAG status; contact daily until the next review.",
        )
    panel_actions.mark_held(officer, held)
    coming = panel_actions.schedule_meeting(
        officer, panel_type, date=today + datetime.timedelta(days=6), location="Demo Borough Police, IOM office"
    )
    for stay in stays[2:]:
        reviews.put_on_review(officer, stay, coming)


COMPARATOR_AREAS = (("London", 2200, 2300, 27.2), ("Northbank", 118, 150, 29.7), ("Southmere", 73, 70, 22.0))


def _figures(partnership: Any, rng: random.Random, today: datetime.date) -> None:
    """Invented comparator figures and Youth Justice KPI values for the last four quarters."""
    year, quarter = financial_year_start(today), quarter_number(today)
    for _ in range(4):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        for area, offenders, charged, rate in COMPARATOR_AREAS:
            ReoffendingComparator.objects.get_or_create(
                partnership=partnership,
                area=area,
                year=year,
                quarter=quarter,
                defaults={
                    "offenders": offenders + rng.randint(-5, 5),
                    "charged_offences": charged + rng.randint(-10, 10),
                    "reoffending_rate": Decimal(str(rate)) + Decimal(rng.randint(-10, 10)) / 10,
                    "source": "Invented demo figures",
                },
            )
        for kpi in YjKpi.values:
            value = Decimal(rng.randint(200, 950)) / 10
            YjKpiValue.objects.get_or_create(
                partnership=partnership,
                kpi=kpi,
                year=year,
                quarter=quarter,
                defaults={
                    "value": value,
                    "national": value + Decimal(rng.randint(-50, 50)) / 10,
                    "regional": value + Decimal(rng.randint(-50, 50)) / 10,
                    "statistical_neighbours": value + Decimal(rng.randint(-50, 50)) / 10,
                },
            )


def _member(
    partnership: Any, rng: random.Random, officer: Any, probation: Any, police: Any, today: Any, n: int
) -> None:
    adopted = today - datetime.timedelta(days=rng.randint(60, 700))
    person = Person.objects.create(
        partnership=partnership,
        first_name=rng.choice(FIRST),
        last_name=rng.choice(LAST),
        date_of_birth=today - datetime.timedelta(days=rng.randint(17 * 365 + 200, 50 * 365)),
        gender=Gender.FEMALE if n % 10 == 9 else Gender.MALE,
        ethnicity=rng.choice(ETHNICITIES),
        created_by=officer,
    )
    statutory = n % 5 != 0
    stay = actions.adopt(
        officer,
        person,
        adopted_on=adopted,
        cohort=rng.choice(CohortKind.values),
        management=Management.STATUTORY if statutory else Management.NON_STATUTORY,
        rag=rng.choice([Rag.RED, Rag.AMBER]),
        selection_reason="Repeat acquisitive offending and violence within the last year.",
        lead_agency=probation if statutory else police,
        offender_manager=officer,
        transferred_from_youth_justice=n % 7 == 3,
    )
    changed = adopted + datetime.timedelta(days=rng.randint(20, 50))
    actions.record_rag(officer, stay, rag=list(Rag.values)[n % 4], on=min(changed, today), note="Reviewed at panel.")
    for pathway in rng.sample(list(ACTIONS), 3):
        text, where = ACTIONS[pathway]
        done = rng.random() < 0.5
        actions.add_plan_item(
            officer,
            stay,
            pathway=pathway,
            action=text,
            referred_to=where,
            referred_on=adopted + datetime.timedelta(days=7),
            status=PlanStatus.COMPLETED if done else PlanStatus.REFERRED,
            completed_on=adopted + datetime.timedelta(days=60) if done else None,
            outcome=PlanOutcome.POSITIVE if done else PlanOutcome.NONE,
        )
    for days in sorted(rng.sample(range(1, 40), 3)):
        actions.record_contact(
            officer, stay, contacted_on=today - datetime.timedelta(days=days), kind=rng.choice(ContactKind.values)
        )
    for _ in range(rng.randint(2, 8)):
        actions.record_offence(
            officer,
            stay,
            offence_date=adopted - datetime.timedelta(days=rng.randint(1, 360)),
            offence_group=rng.choice(GROUPS),
            charged=rng.choice(["yes", "no"]),
        )
    for _ in range(rng.randint(0, 3)):
        actions.record_offence(
            officer,
            stay,
            offence_date=min(today, adopted + datetime.timedelta(days=rng.randint(1, 300))),
            offence_group=rng.choice(GROUPS),
            charged="yes",
        )
    if n % 6 == 5 and adopted < today - datetime.timedelta(days=120):
        actions.deselect(
            officer,
            stay,
            expected_version=stay.version,
            left_on=today - datetime.timedelta(days=rng.randint(10, 60)),
            reason=DeselectionReason.REDUCED_RISK,
        )
