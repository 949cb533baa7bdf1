"""Synthetic files shaped like the seeds' tables (no real people: invented ids only).

Seed 001 §3.4.7: DA MARAC 2022/23 by quarter: referrals 87, 123, 122, 145; children
51, 64, 68, 111; families with children 38, 48, 37, 64; repeats 9, 22, 19, 35.
Seed 002 Table 1: Community MARAC meetings in 2022/23 with cases heard, new and closed.
"""

import datetime
import random

QUARTER_STARTS = [
    datetime.date(2022, 4, 1),
    datetime.date(2022, 7, 1),
    datetime.date(2022, 10, 1),
    datetime.date(2023, 1, 1),
]
REFERRALS = [87, 123, 122, 145]
CHILDREN = [51, 64, 68, 111]
FAMILIES = [38, 48, 37, 64]
REPEATS = [9, 22, 19, 35]

MARAC_HEADER = [
    "external_ref",
    "panel_type",
    "referral_date",
    "victim_ref",
    "victim_gender",
    "perpetrator_gender",
    "relationship",
    "children_in_household",
    "referring_agency",
    "basis",
    "dash_score",
    "mental_health_need",
]


def _children(quarter: int) -> list[int]:
    """Children per referral in the quarter: FAMILIES[q] referrals with at least one, summing to CHILDREN[q]."""
    counts = [1] * FAMILIES[quarter] + [0] * (REFERRALS[quarter] - FAMILIES[quarter])
    for extra in range(CHILDREN[quarter] - FAMILIES[quarter]):
        counts[extra % FAMILIES[quarter]] += 1
    return counts


def marac_rows(seed: int = 1) -> list[list[str]]:
    """Rows for `import_records marac-referrals`, shuffled so repeats cannot depend on row order."""
    rng = random.Random(seed)  # noqa: S311 - test data
    rows: list[list[str]] = []
    number = 0

    def add(day: datetime.date, victim: str, children: int = 0, **extra: str) -> None:
        nonlocal number
        number += 1
        rows.append(
            [
                f"MR{number:04d}",
                "da_marac",
                day.isoformat(),
                victim,
                extra.get("gender", "female"),
                extra.get("perp", "male"),
                extra.get("relationship", "partner"),
                str(children),
                extra.get("agency", "Testshire Police"),
                "visible_high_risk",
                "15",
                extra.get("mh", "yes"),
            ]
        )

    previous_first_timers: list[str] = []
    for q, start in enumerate(QUARTER_STARTS):
        children = _children(q)
        day = start + datetime.timedelta(days=40)
        repeat_victims = []
        for r in range(REPEATS[q]):
            if q == 0:
                # The earlier referral falls before the period (January 2022), inside 12 months.
                victim = f"V-PRIOR-{r}"
                add(datetime.date(2022, 1, 15), victim)
            else:
                victim = previous_first_timers[r]
            repeat_victims.append(victim)
        first_timers = [f"V-{q}-{n}" for n in range(REFERRALS[q] - REPEATS[q])]
        victims = repeat_victims + first_timers
        for n, victim in enumerate(victims):
            add(
                day,
                victim,
                children[n],
                gender="male" if n % 8 == 7 else "female",
                agency="Testshire Health" if n % 3 == 0 else "Testshire Police",
                relationship="ex_partner" if n % 2 else "partner",
                mh="yes" if n % 5 else "no",
            )
        previous_first_timers = first_timers
    # First-timers of Q1 referred once more than 12 months before: still not repeats.
    for n in range(5):
        add(datetime.date(2021, 5, 10), f"V-0-{n}")
    rng.shuffle(rows)
    return rows


# (date, cases heard, new, closed): seed 002 Table 1 (meeting dates within each month are invented).
CS_MARAC_MEETINGS = [
    ("2022-04-14", 26, 7, 8),
    ("2022-06-09", 23, 5, 3),
    ("2022-07-21", 23, 3, 10),
    ("2022-09-01", 16, 2, 2),
    ("2022-10-13", 16, 2, 3),
    ("2022-11-24", 19, 6, 2),
    ("2023-01-12", 20, 3, 5),
    ("2023-02-23", 16, 1, 1),
]


def meeting_rows() -> list[list[str]]:
    pool = [f"CS-OLD-{n}" for n in range(30)]
    made = 0
    rows = []
    for date, heard, new, closed in CS_MARAC_MEETINGS:
        fresh = [f"CS-NEW-{made + n}" for n in range(new)]
        made += new
        closing, reviewing = pool[:closed], pool[closed : heard - new]
        rows += [["cs_marac", date, ref, "new"] for ref in fresh]
        rows += [["cs_marac", date, ref, "closed"] for ref in closing]
        rows += [["cs_marac", date, ref, "review"] for ref in reviewing]
        pool = pool[closed:] + fresh
    return rows


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"
