"""Demo data for partnership governance: a synthetic strategy action plan with dated statuses, and an
activities register, added to the demo partnership by `build_demo`. Everything is invented. Idempotent:
nothing happens when the partnership already has an action plan.
"""

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Agency
from saferhub.governance.models import (
    ActionPlan,
    Activity,
    ActivityKind,
    Audience,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    derived_rag,
)
from saferhub.places.models import Ward

PLAN_NAME = "Safer Streets Strategy action plan (demo)"
PRIORITIES = [
    "Protecting victims of domestic abuse",
    "Tackling anti-social behaviour",
    "Reducing reoffending",
    "Safer neighbourhoods for women and girls",
]
COMMITMENTS = [
    "Publish a joint domestic abuse training offer for frontline staff",
    "Set up a quarterly survivors' forum",
    "Review the MARAC referral pathway with health partners",
    "Commission a specialist children's support worker",
    "Run a ward walk in each priority ward every quarter",
    "Agree a shared ASB case review protocol",
    "Extend the mediation service to private tenants",
    "Publish ASB response times each quarter",
    "Offer restorative justice to every eligible victim",
    "Train police officers in restorative practice",
    "Launch a housing pathway for people leaving prison",
    "Map employment support for the IOM cohort",
    "Audit street lighting on routes to the station",
    "Deliver bystander training in secondary schools",
    "Run a night-time economy safety campaign",
    "Recruit Safe Haven venues in the town centre",
    "Report progress to the board every quarter",
    "Agree information-sharing for the partnership's panels",
    "Produce the annual strategic assessment",
    "Consult residents on the next strategy",
]
# A status path per commitment: where it started and where it is now.
PATHS = [
    (CommitmentStatus.NOT_STARTED, CommitmentStatus.ON_TRACK),
    (CommitmentStatus.IN_PROGRESS, CommitmentStatus.COMPLETED),
    (CommitmentStatus.ON_TRACK, CommitmentStatus.AT_RISK),
    (CommitmentStatus.IN_PROGRESS, CommitmentStatus.OFF_TRACK),
    (CommitmentStatus.NOT_STARTED, CommitmentStatus.NOT_STARTED),
    (CommitmentStatus.ON_TRACK, CommitmentStatus.IN_PROGRESS),
]
ACTIVITIES = [
    (ActivityKind.TRAINING, "restorative_justice", Audience.POLICE, "Restorative practice for officers"),
    (ActivityKind.TRAINING, "vawg", Audience.SCHOOL, "Healthy relationships workshop"),
    (ActivityKind.AWARENESS, "vawg", Audience.RESIDENTS, "Safety in the night-time economy stall"),
    (ActivityKind.NETWORK_MEETING, "restorative_justice", Audience.MIXED, "Restorative justice network"),
    (ActivityKind.WARD_WALK, "", Audience.RESIDENTS, "Ward walk with councillors"),
    (ActivityKind.OUTREACH, "prevent", Audience.VOLUNTARY, "Community outreach session"),
]
ORGANISATIONS = {
    Audience.POLICE: ["Demo Borough Police North unit", "Demo Borough Police South unit"],
    Audience.SCHOOL: ["Larchfield Academy", "St Invented's High School", "Meadow Lane School"],
    Audience.VOLUNTARY: ["Demo Youth Trust"],
}


@transaction.atomic
def build_demo(partnership: Any, rng: random.Random) -> bool:
    # Its own plan, by name: set-up gives a partnership other plans (the RJ project plan) before the demo runs.
    if ActionPlan.objects.of(partnership).filter(name=PLAN_NAME).exists():
        return False
    today = timezone.localdate()
    _plan(partnership, rng, today)
    _activities(partnership, rng, today)
    return True


def _plan(partnership: Any, rng: random.Random, today: datetime.date) -> None:
    plan = ActionPlan.objects.create(partnership=partnership, name=PLAN_NAME)
    owners = list(Agency.objects.filter(partnership=partnership)[:6]) or [None]
    start = today - datetime.timedelta(days=300)
    for index, text in enumerate(COMMITMENTS):
        commitment = Commitment.objects.create(
            partnership=partnership,
            plan=plan,
            external_ref=f"DEMO-AP-{index + 1:03d}",
            priority=PRIORITIES[index % len(PRIORITIES)],
            text=text,
            owner=rng.choice(owners),
            phase="Year 1" if index % 3 else "Year 1-3",
            due_on=today + datetime.timedelta(days=rng.randint(-90, 400)),
        )
        first, now = PATHS[index % len(PATHS)]
        first_on = start + datetime.timedelta(days=rng.randint(0, 60))
        later_on = today - datetime.timedelta(days=rng.randint(5, 80))
        CommitmentUpdate.objects.bulk_create(
            [
                CommitmentUpdate(
                    commitment=commitment, updated_on=first_on, status=first, rag=derived_rag(first), text="Agreed."
                ),
                CommitmentUpdate(
                    commitment=commitment,
                    updated_on=later_on,
                    status=now,
                    rag=derived_rag(now),
                    text="Progress reported to the board (demo).",
                ),
            ]
        )


def _activities(partnership: Any, rng: random.Random, today: datetime.date) -> None:
    wards: list[Ward | None] = [*Ward.objects.of(partnership)[:8]] or [None]
    rows = []
    for index in range(30):
        kind, programme, audience, title = ACTIVITIES[index % len(ACTIVITIES)]
        responses = rng.randint(5, 25)
        rows.append(
            Activity(
                partnership=partnership,
                external_ref=f"DEMO-ACT-{index + 1:03d}",
                held_on=today - datetime.timedelta(days=10 + index * 11),
                kind=kind,
                programme=programme,
                title=title,
                audience=audience,
                organisation=rng.choice(ORGANISATIONS.get(audience, [""])),
                ward=rng.choice(wards),
                participants=rng.randint(6, 40),
                feedback_responses=responses,
                feedback_positive=rng.randint(responses // 2, responses),
            )
        )
    Activity.objects.bulk_create(rows)
