"""The action-plan and activities returns over a large synthetic register (a benchmark, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saferhub_gov_bench \\
        .venv/bin/python bench/governance_returns.py --commitments 5000 --activities 100000

Migrates the database, then (once; reused on later runs) makes a partnership with plans
of commitments, each with four dated statuses, and an activities register over six
years. Prints p50 and p95 of 20 builds of each return (aggregated in the database: a
return's time should follow the rows in its period, not grow with Python loops). Use a
database of its own; drop it after.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")

SLUG = "governance-bench"
START = datetime.date(2019, 4, 1)


def _make(commitments: int, activities: int) -> object:
    from saferhub.accounts.models import Partnership
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

    partnership = Partnership.objects.filter(slug=SLUG).first()
    if partnership is not None:
        return partnership
    rng = random.Random(7)  # noqa: S311 - synthetic figures
    partnership = Partnership.objects.create(slug=SLUG, name="Benchmark Safer Communities Partnership")
    plans = [ActionPlan.objects.create(partnership=partnership, name=f"Bench plan {n}") for n in range(5)]
    made = Commitment.objects.bulk_create(
        Commitment(
            partnership=partnership,
            plan=plans[n % len(plans)],
            external_ref=f"B-{n}",
            priority=f"Priority {n % 6}",
            text=f"Synthetic commitment {n}",
            due_on=START + datetime.timedelta(days=rng.randint(0, 2000)),
        )
        for n in range(commitments)
    )
    statuses = CommitmentStatus.values
    CommitmentUpdate.objects.bulk_create(
        (
            CommitmentUpdate(
                commitment=commitment,
                updated_on=START + datetime.timedelta(days=step * 400 + rng.randint(0, 300)),
                status=(status := rng.choice(statuses)),
                rag=derived_rag(status),
            )
            for commitment in made
            for step in range(4)
        ),
        batch_size=5000,
    )
    Activity.objects.bulk_create(
        (
            Activity(
                partnership=partnership,
                external_ref=f"A-{n}",
                held_on=START + datetime.timedelta(days=rng.randint(0, 2190)),
                kind=rng.choice(ActivityKind.values),
                programme=rng.choice(["restorative_justice", "vawg", "prevent", ""]),
                title="Synthetic session",
                audience=rng.choice([*Audience.values, ""]),
                organisation=f"Organisation {rng.randint(0, 400)}",
                participants=rng.randint(1, 60),
                feedback_responses=(responses := rng.randint(0, 30)),
                feedback_positive=rng.randint(0, responses),
            )
            for n in range(activities)
        ),
        batch_size=5000,
    )
    return partnership


def _time(build: object, partnership: object, runs: int = 20) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build(partnership, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commitments", type=int, default=5000)
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from saferhub.governance.reports import build_action_plan, build_activities

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    partnership = _make(args.commitments, args.activities)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    for name, build in (("action-plan", build_action_plan), ("activities", build_activities)):
        p50, p95 = _time(build, partnership)
        print(f"{name:12} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (one financial year)")


if __name__ == "__main__":
    main()
