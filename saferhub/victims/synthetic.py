"""Synthetic `victim-hub-referrals` files for benchmarks, tests and the demo. No row describes a real person."""

import csv
import datetime
import io
import random

from saferhub.victims.imports import COLUMNS

ORGANISATIONS = [
    ("Children's Social Care", "Family Services"),
    ("Early Help", "Family Services"),
    ("Youth Justice Service", "Family Services"),
    ("Tackling Violence & Exploitation Team", "Family Services"),
    ("Community Safety Team", ""),
    ("Borough Homes", ""),
    ("Probation Service", ""),
    ("Neighbourhood Policing", "Borough Police"),
    ("Older People's Charity", ""),
]
CRIMES = ["asb", "robbery", "gbh", "domestic_abuse", "fraud", "hate_crime", "exploitation", "burglary", "threats"]
SUPPORT = ["vcop_rights", "personal_safety", "home_safety", "emotional_support", "signposting", "onward_referral"]
FIRST = ["Alex", "Sam", "Jo", "Kit", "Rowan", "Ash", "Robin", "Sky", "Ari", "Jules"]
LAST = ["Examplefield", "Testwell", "Samplebury", "Fictonby", "Mockridge", "Placeholme"]


def synthetic_row(number: int, rng: random.Random, start: datetime.date, days: int) -> dict[str, str]:
    received = start + datetime.timedelta(days=rng.randrange(days))
    victim = rng.random() < 0.75
    reported = rng.choice(["yes", "yes", "no", "unknown"]) if victim else ""
    organisation, group = rng.choice(ORGANISATIONS)
    anonymous = rng.random() < 0.3
    closed = received + datetime.timedelta(days=rng.randrange(10, 90))
    return {
        "external_ref": f"SYN-{number:06d}",
        "received_on": received.isoformat(),
        "referrer_organisation": organisation,
        "referrer_group": group,
        "referral_kind": "victim" if victim else "crime_prevention",
        "victim_type": rng.choice(["direct", "direct", "indirect"]) if victim else "",
        "crime_type": rng.choice(CRIMES) if victim else "crime_prevention",
        "incident_date": (received - datetime.timedelta(days=rng.randrange(0, 20))).isoformat(),
        "incident_in_area": rng.choice(["yes", "yes", "unknown"]),
        "reported_to_police": reported,
        "police_reference": f"CRN-{number:06d}" if reported == "yes" else "",
        "assisting_investigation": rng.choice(["yes", "no", "unknown"]) if reported == "yes" else "",
        "person_ref": "" if anonymous else f"SYN-P{rng.randrange(number + 1):06d}",
        "first_name": "" if anonymous else rng.choice(FIRST),
        "last_name": "" if anonymous else rng.choice(LAST),
        "age": str(rng.randrange(8, 90)),
        "gender": rng.choice(["female", "male", "other", "not_stated", ""]),
        "ethnicity": rng.choice(["white_british", "black_african", "asian_indian", "mixed_other", ""]),
        "disability": rng.choice(["yes", "no", "unknown", ""]),
        "support_provided": ";".join(rng.sample(SUPPORT, rng.randrange(0, 4))),
        "vcop_informed_on": (received + datetime.timedelta(days=2)).isoformat()
        if victim and rng.random() < 0.8
        else "",
        "rj_informed_on": (received + datetime.timedelta(days=3)).isoformat() if victim and rng.random() < 0.5 else "",
        "closed_on": closed.isoformat() if closed < datetime.date.today() and rng.random() < 0.8 else "",  # noqa: DTZ011
    }


def synthetic_csv(
    rows: int, *, seed: int = 1, start: datetime.date = datetime.date(2021, 4, 1), days: int = 1000
) -> str:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[column.name for column in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for number in range(1, rows + 1):
        writer.writerow(synthetic_row(number, rng, start, days))
    return out.getvalue()
