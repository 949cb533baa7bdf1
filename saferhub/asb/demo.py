"""Demo data for ASB casework, added to the demo partnership (slug "demo") by `build_demo`.

Everything is synthetic. The core demo already opened cases of type `asb`; this
gives each an `AsbCase` (category and ward), then works one showcase case from
first report to closure order through the same actions the pages use, adds a
borough-wide PSPO with the example conditions and some breaches, and a few Case
Review applications at different steps. Idempotent: nothing happens when the
partnership already has ASB records.
"""

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Team, User
from saferhub.asb import actions
from saferhub.asb.models import AsbCase, Channel, InterventionStatus, ReportedTo
from saferhub.cases.actions import set_action_status
from saferhub.cases.models import ActionStatus, Case, CaseLocation, ParticipantRole
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people.models import Person

ASB_TEAM = "ASB and Community Safety"
OFFICER_EMAIL_LOCAL = "asb"


def _codes(partnership: Any, code_list: str) -> dict[str, ReferenceCode]:
    return {c.code: c for c in ReferenceCode.objects.of(partnership, code_list)}


@transaction.atomic
def build_demo(partnership: Any, rng: random.Random) -> bool:
    if AsbCase.objects.filter(partnership=partnership).exists():
        return False
    team = Team.objects.filter(partnership=partnership, name=ASB_TEAM).first()
    officer = User.objects.filter(partnership=partnership, email__startswith=f"{OFFICER_EMAIL_LOCAL}@").first()
    if team is None or officer is None:
        return False
    actions.set_desk(officer, partnership, team)
    _attach_existing(partnership, rng)
    today = timezone.localdate()
    showcase = _showcase(partnership, team, officer, today)
    _pspo(partnership, officer, rng, today)
    _case_reviews(partnership, officer, showcase, today)
    return True


def _attach_existing(partnership: Any, rng: random.Random) -> None:
    categories = list(_codes(partnership, ReferenceList.ASB_CASE_CATEGORY).values())
    cases = Case.objects.filter(partnership=partnership, case_type__code="asb", asb__isnull=True)
    wards = {
        cl.case_id: cl.location.ward_id for cl in CaseLocation.objects.filter(case__in=cases).select_related("location")
    }
    AsbCase.objects.bulk_create(
        AsbCase(
            case=case,
            partnership=partnership,
            category=rng.choice(categories),
            ward_id=wards.get(case.pk),
            single_point_of_contact_id=case.assigned_to_id,
        )
        for case in cases
    )


def _person(officer: Any, partnership: Any, first: str, last: str, born: datetime.date | None) -> Person:
    return actions.case_actions.create_person(
        officer, partnership=partnership, first_name=first, last_name=last, date_of_birth=born
    )


def _showcase(partnership: Any, team: Any, officer: Any, today: datetime.date) -> AsbCase:
    """One problem from first report to closure order, every statutory step in order."""
    categories = _codes(partnership, ReferenceList.ASB_CASE_CATEGORY)
    kinds = _codes(partnership, ReferenceList.ASB_TOOL_OR_POWER)
    start = today - datetime.timedelta(days=120)
    asb = actions.create_asb_case(
        officer,
        owning_team=team,
        title="Drug dealing and noise at 14 Larch Row (demo)",
        category=categories["asb_nuisance"],
        location="14 Larch Row, Demo Borough",
        opened_on=start,
        assigned_to=officer,
        summary="Synthetic demo case: repeated reports of drug dealing, shouting and vehicles calling at all hours.",
    )
    case = asb.case
    victim = _person(officer, partnership, "Ingrid", "Fallowmere", datetime.date(1961, 4, 2))
    subject = _person(officer, partnership, "Dale", "Gildersome", datetime.date(1994, 9, 17))
    actions.case_actions.add_participant(officer, case, victim, ParticipantRole.DIRECT_VICTIM)
    actions.case_actions.add_participant(officer, case, subject, ParticipantRole.SUBJECT)
    for offset, to, summary in (
        (110, ReportedTo.COUNCIL, "Shouting and vehicles calling late at night"),
        (80, ReportedTo.POLICE, "Suspected drug exchanges in the street"),
        (50, ReportedTo.SOCIAL_LANDLORD, "Threats to a neighbour"),
    ):
        report = actions.record_report(
            officer,
            case,
            reported_to=to,
            reported_on=today - datetime.timedelta(days=offset - 1),
            behaviour_on=today - datetime.timedelta(days=offset),
            summary=summary,
            reporter=victim,
        )
        if to == ReportedTo.COUNCIL:
            actions.record_report(
                officer,
                case,
                incident=report.incident,
                reported_to=ReportedTo.POLICE,
                reported_on=today - datetime.timedelta(days=offset - 2),
                reporter=victim,
            )
    served = start + datetime.timedelta(days=20)
    warning = actions.record_intervention(
        officer,
        case,
        partnership=partnership,
        kind=kinds["cpn_warning"],
        person=subject,
        served_on=served,
        details="Stop visitors calling between 10pm and 7am.",
    )
    cpn = actions.record_intervention(
        officer,
        case,
        partnership=partnership,
        kind=kinds["cpn"],
        person=subject,
        served_on=served + datetime.timedelta(days=35),
        details="Requirements as in the warning.",
    )
    notice_at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(10)))
    notice = actions.record_intervention(
        officer,
        case,
        partnership=partnership,
        kind=kinds["closure_notice"],
        premises="14 Larch Row",
        served_at=notice_at,
        hearing_at=notice_at + datetime.timedelta(hours=44),
    )
    actions.record_intervention(
        officer,
        case,
        partnership=partnership,
        kind=kinds["closure_order"],
        premises="14 Larch Row",
        served_on=today - datetime.timedelta(days=28),
        expires_on=today + datetime.timedelta(days=60),
    )
    # The warning and the CPN were breached (hence the closure); the notice was replaced by the order.
    for item, status in (
        (warning, InterventionStatus.BREACHED),
        (cpn, InterventionStatus.BREACHED),
        (notice, InterventionStatus.EXPIRED),
    ):
        actions.set_intervention_status(officer, item, status)
        if item.review_action is not None:
            set_action_status(officer, item.review_action, ActionStatus.DONE)
    return asb


def _pspo(partnership: Any, officer: Any, rng: random.Random, today: datetime.date) -> None:
    conditions = [
        c.label for c in ReferenceCode.objects.of(partnership, ReferenceList.PSPO_CONDITION).order_by("sort_order")
    ]
    starts = today - datetime.timedelta(days=400)
    pspo = actions.create_pspo(
        officer,
        partnership=partnership,
        name="Demo Borough-wide PSPO",
        area="The whole of Demo Borough",
        starts_on=starts,
        ends_on=starts.replace(year=starts.year + 3) - datetime.timedelta(days=1),
        conditions=conditions,
    )
    cst09 = _codes(partnership, ReferenceList.FPN_OFFENCE).get("CST09")
    for i in range(8):
        condition = pspo.conditions.get(number=rng.choice([1, 3, 7, 11]))
        actions.record_pspo_breach(
            officer,
            condition,
            occurred_on=today - datetime.timedelta(days=rng.randint(1, 300)),
            place=rng.choice(["Millbrook Park", "Quarry Hill Rec", "Riverside East towpath"]),
            fpn_amount_pence=10000 if i % 2 == 0 else None,
            fpn_offence=cst09,
        )


def _case_reviews(partnership: Any, officer: Any, showcase: AsbCase, today: datetime.date) -> None:
    actions.submit_case_review(
        None,
        partnership=partnership,
        applicant_name="Nadia Pebblethwaite",
        channel=Channel.ONLINE,
        applied_on=today - datetime.timedelta(days=12),
        applicant_phone="01632 960 123",
        problem="Youths gathering and shouting outside the flats",
        problem_location="Foxholes estate",
        reports_made="Council and police, three times since the spring",
    )
    matched = actions.submit_case_review(
        None,
        partnership=partnership,
        applicant_name="Ingrid Fallowmere",
        channel=Channel.PHONE,
        applied_on=today - datetime.timedelta(days=6),
        surname="Fallowmere",
        case_reference_given=showcase.case.reference,
        problem="Drug dealing at number 14",
    )
    actions.acknowledge_case_review(officer, matched, today - datetime.timedelta(days=5))
