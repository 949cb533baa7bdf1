"""Victim Care Hub demo data for the demo partnership: a directory, targets, two years of imported
history and a live queue. Everything is invented. Idempotent: nothing is added when the
partnership already has hub referrals.
"""

import datetime
import io
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Agency, User
from saferhub.cases.models import Referral
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.directory.models import Area, Category, Service, ServiceCategory
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.people.models import Person
from saferhub.reporting.periods import financial_year_start
from saferhub.victims import actions
from saferhub.victims.hub import hub_team, setup_hub
from saferhub.victims.models import HubReferral, ReferralKind, VictimType
from saferhub.victims.synthetic import synthetic_row

SERVICES = [
    (
        "Calm Talk Mediation",
        [Category.RESTORATIVE_JUSTICE],
        Area.REGIONAL,
        "E-mail the referral form to the duty mediator.",
    ),
    (
        "Brightwell Counselling",
        [Category.TRAUMA_THERAPY, Category.MENTAL_HEALTH],
        Area.LOCAL,
        "Phone the duty line; self-referral welcome.",
    ),
    ("Oakfield Community Pantry", [Category.FOOD_BANK], Area.LOCAL, "A voucher from any partner agency."),
    ("Rainbow Harbour", [Category.LGBTQ, Category.HATE_CRIME], Area.REGIONAL, "Online form or drop-in on Thursdays."),
    ("Open Doors Autism Link", [Category.LEARNING_DISABILITY_AUTISM], Area.LOCAL, "Referral form on the website."),
    ("Hearth Housing Advice", [Category.HOUSING], Area.LOCAL, "Phone or e-mail with consent."),
    ("Second Step Peer Mentors", [Category.PEER_MENTORING], Area.LOCAL, "E-mail the coordinator."),
    ("Steady Hands Hardship Fund", [Category.FINANCIAL_SUPPORT], Area.LOCAL, "Application by a professional."),
    ("SafeHome Security Scheme", [Category.SAFETY], Area.LOCAL, "Referral by the hub only."),
    ("Scam Shield Line", [Category.FRAUD, Category.VICTIM_SUPPORT], Area.NATIONAL, "Phone line, open every day."),
]
REFERRERS = ["Family Services", "Demo Borough Police", "Demo Homes", "Victim Help Demo", "Harbourside Youth Project"]
HISTORY_ROWS = 160
PENDING = 6
LIVE = 5


def build_demo(partnership: Any, rng: random.Random) -> None:
    if HubReferral.objects.filter(partnership=partnership).exists():
        return
    setup_hub(partnership)  # adopts the demo's "Victim Care Hub" team, made after the partnership
    team = hub_team(partnership.pk)
    if team is None:
        return
    worker = User.objects.filter(team=team, is_active=True).order_by("pk").first()
    with transaction.atomic():
        services = _directory(partnership, worker)
        _targets(partnership, worker)
        _history(partnership, rng)
        _live(partnership, rng, worker, services)


def _directory(partnership: Any, user: Any) -> dict[str, Service]:
    made = {}
    for name, categories, area, how in SERVICES:
        service, created = Service.objects.get_or_create(
            partnership=partnership, name=name, defaults={"area": area, "how_to_refer": how, "created_by": user}
        )
        if created:
            ServiceCategory.objects.bulk_create(ServiceCategory(service=service, category=c) for c in categories)
        made[name] = service
    return made


def _targets(partnership: Any, user: Any) -> None:
    this_year = financial_year_start(timezone.localdate())
    for year in (this_year - 2, this_year - 1, this_year):
        actions.set_targets(user, partnership, year, dict.fromkeys(range(1, 5), 24))


def _history(partnership: Any, rng: random.Random) -> None:
    """Two years of closed and open referrals, brought in the way a partnership brings its spreadsheets."""
    import csv

    from saferhub.victims.imports import COLUMNS

    today = timezone.localdate()
    start = today - datetime.timedelta(days=730)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.name for c in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for number in range(1, HISTORY_ROWS + 1):
        row = synthetic_row(number, rng, start, 700)
        row.update(
            external_ref=f"DEMO-VCH-{number:04d}", referrer_organisation=rng.choice(REFERRERS), referrer_group=""
        )
        row["person_ref"] = row["person_ref"].replace("SYN", "DEMO") if row["person_ref"] else ""
        writer.writerow(row)
    result = run_import(
        get_kind("victim-hub-referrals"),
        io.StringIO(out.getvalue()),
        partnership=partnership,
        filename="demo-history.csv",
        create_organisations=True,
    )
    if not result.ok:
        raise RuntimeError(f"Demo hub history did not import: {result.errors[:3]}")


def _live(partnership: Any, rng: random.Random, worker: Any, services: dict[str, Service]) -> None:
    crimes = {c.code: c for c in ReferenceCode.objects.of(partnership, ReferenceList.VICTIM_HUB_CRIME_TYPE)}
    rights = list(ReferenceCode.objects.of(partnership, ReferenceList.VCOP_RIGHT).order_by("sort_order"))
    support = {c.code: c for c in ReferenceCode.objects.of(partnership, ReferenceList.VICTIM_SUPPORT_TYPE)}
    agencies = list(Agency.objects.filter(partnership=partnership, name__in=REFERRERS)) or list(
        Agency.objects.filter(partnership=partnership)
    )
    people = list(Person.objects.filter(partnership=partnership, external_ref="").order_by("pk")[:40])
    today = timezone.localdate()
    for index in range(PENDING + LIVE):
        victim = index % 4 != 3
        hub = actions.create_hub_referral(
            worker,
            partnership=partnership,
            person=rng.choice(people) if people and index % 3 else None,
            referral_fields={
                "from_agency": rng.choice(agencies),
                "referrer_name": "Duty worker",
                "referrer_contact": "duty@demo.saferhub.invalid",
                "reason": rng.choice(
                    [
                        "Robbed at a bus stop; frightened to go out after dark.",
                        "Child witnessed an assault on their parent at home.",
                        "Older resident targeted by doorstep callers; asks for advice.",
                        "Neighbour harassment over several months; not reported yet.",
                    ]
                ),
                "consent_given": "yes",
            },
            hub_fields={
                "referral_kind": ReferralKind.VICTIM if victim else ReferralKind.CRIME_PREVENTION,
                "victim_type": rng.choice([VictimType.DIRECT, VictimType.INDIRECT]) if victim else "",
                "crime_type": crimes[
                    rng.choice(["robbery", "common_assault", "harassment", "fraud"]) if victim else "crime_prevention"
                ],
                "reported_to_police": rng.choice(["yes", "no", "unknown"]) if victim else "unknown",
                "incident_in_area": "yes",
            },
        )
        # Spread the queue over the last fortnight so some first contacts are overdue.
        received = timezone.now() - datetime.timedelta(days=index * 2, hours=rng.randrange(1, 8))
        Referral.objects.filter(pk=hub.referral_id).update(received_at=received)
        received_on = timezone.localdate(received)
        HubReferral.objects.filter(pk=hub.pk).update(
            received_on=received_on, first_contact_due_on=actions.first_contact_due(partnership, received_on)
        )
        hub.refresh_from_db()
        if index >= PENDING:
            _work(hub, worker, today, rights, support, services)


def _work(hub: HubReferral, worker: Any, today: datetime.date, rights: list, support: dict, services: dict) -> None:
    actions.accept_hub_referral(worker, hub, assigned_to=worker)
    actions.record_contact_attempt(
        worker, hub, made_on=hub.received_on, method="phone", successful=False, notes="No answer"
    )
    actions.record_contact_attempt(worker, hub, made_on=today, method="phone", successful=True)
    actions.record_start_scores(worker, hub, satisfaction=4, safety=3)
    actions.record_right(worker, hub, right=rights[3], informed_on=today, met_on=None)
    actions.record_rj_information(worker, hub, informed_on=today)
    actions.record_support(worker, hub, support_type=support["personal_safety"], delivered_on=today)
    actions.issue_safety_item(worker, hub, kind="personal_alarm", quantity=1, issued_on=today)
    actions.add_care_plan_item(
        worker,
        hub,
        category="trauma_therapy",
        description="Offer counselling",
        owner=worker,
        due_on=today + datetime.timedelta(days=14),
    )
    actions.make_onward_referral(worker, hub, service=services["Brightwell Counselling"], referred_on=today)
