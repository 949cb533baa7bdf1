"""Synthetic referrals whose counts are those of seed 000 (the hub's board report, 1 March 2024).

64 referrals in 2023/24 Q1–Q3 (18, 21, 25), as a `victim-hub-referrals` file. The
figures come from Tables 1–4 and paragraphs 3.10, 3.11 and 4.23; where the report
contradicts itself the choice made is noted (docs/victim-hub.md explains each one).
Organisation names are generic stand-ins for the report's; no person is real.
"""

import csv
import datetime
import io
import random

from saferhub.victims.imports import COLUMNS

# Table 1 (organisation, group, referrals): Family Services 44 of 64 = 68.75%, "69%".
SOURCES = [
    ("Children's Social Care", "Family Services", 9),
    ("Tackling Violence & Exploitation Team", "Family Services", 17),
    ("Community Safety Team", "", 5),
    ("Department for Work and Pensions", "", 4),
    ("Youth Justice Service", "Family Services", 3),
    ("Probation Service", "", 3),
    ("Learning Disability Charity", "", 2),
    ("Early Help", "Family Services", 8),
    ("Residents' association", "", 1),
    ("Onwards & Upwards", "Family Services", 7),
    ("Borough Homes", "", 4),
    ("Older People's Charity", "", 1),
]
# Table 2, the 47 victims' crime types (the 17 crime prevention referrals are `crime_prevention`).
VICTIM_CRIMES = [
    ("knife_crime", 2), ("fraud", 1), ("exploitation", 6), ("other_non_crime", 2), ("asb", 8),
    ("domestic_abuse", 5), ("robbery", 5), ("common_assault", 2), ("rape_forced_marriage", 2),
    ("threats", 2), ("hate_crime", 2), ("harassment", 3), ("gbh", 5), ("criminal_damage", 2),
]  # fmt: skip
# Table 3, other than VCOP rights (which follows who was informed of their rights: 41).
SUPPORT = [
    ("personal_safety", 38),
    ("home_safety", 16),
    ("emotional_support", 24),
    ("signposting", 28),
    ("onward_referral", 9),
]
# (quarter start, months' counts, direct, indirect, crime prevention, informed of VCOP, informed of RJ)
# 3.11: Q1 18, all informed; Q2 21, 15 informed, 29% indirect (6); Q3 25: 8 direct victims informed,
# 17 crime prevention. 4.23: RJ information for 12 of Q1's 18 and 71% (15) of Q2's 21.
QUARTERS = [
    (datetime.date(2023, 4, 1), (6, 6, 6), 7, 11, 0, 18, 12),
    (datetime.date(2023, 7, 1), (7, 7, 7), 15, 6, 0, 15, 15),
    (datetime.date(2023, 10, 1), (8, 8, 9), 8, 0, 17, 8, 0),
]
# Table 4 among the 47 victims: 31 reported, 4 not, 12 not known; 16 of the 31 assisting.
POLICE = ["yes"] * 31 + ["no"] * 4 + ["unknown"] * 12
ASSISTING = ["yes"] * 16 + ["no"] * 10 + ["unknown"] * 5
GENDERS = ["female"] * 30 + ["male"] * 30 + ["not_stated"] * 2 + [""] * 2
AGES = [15, 16, 17, 19, 23, 28, 31, 36, 40, 44, 47, 52, 58, 61, 67, 72]


def _dates(start: datetime.date, months: tuple[int, int, int]) -> list[datetime.date]:
    days = []
    for offset, count in enumerate(months):
        first = start.replace(month=start.month + offset)
        days += [first + datetime.timedelta(days=2 + 3 * n) for n in range(count)]
    return days


def seed_rows() -> list[dict[str, str]]:
    rng = random.Random(0)  # noqa: S311 - synthetic data
    rows: list[dict[str, str]] = []
    for start, months, direct, indirect, prevention, vcop, rj in QUARTERS:
        kinds = (
            [("victim", "direct")] * direct
            + [("victim", "indirect")] * indirect
            + [("crime_prevention", "")] * prevention
        )
        for index, (day, (kind, victim_type)) in enumerate(zip(_dates(start, months), kinds, strict=True)):
            rows.append(
                {
                    "received_on": day.isoformat(),
                    "referral_kind": kind,
                    "victim_type": victim_type,
                    "vcop_informed_on": (day + datetime.timedelta(days=2)).isoformat() if index < vcop else "",
                    "rj_informed_on": (day + datetime.timedelta(days=3)).isoformat() if index < rj else "",
                }
            )
    victims = [row for row in rows if row["referral_kind"] == "victim"]
    crimes = [code for code, count in VICTIM_CRIMES for _ in range(count)]
    rng.shuffle(crimes)
    police = POLICE[:]
    rng.shuffle(police)
    assisting = iter(ASSISTING)
    for row, crime, reported in zip(victims, crimes, police, strict=True):
        row.update(crime_type=crime, reported_to_police=reported, incident_in_area="yes")
        row["assisting_investigation"] = next(assisting) if reported == "yes" else ""
        row["police_reference"] = f"CRN-{rng.randint(10000, 99999)}" if reported == "yes" else ""
    for row in rows:
        if row["referral_kind"] == "crime_prevention":
            row.update(
                crime_type="crime_prevention", reported_to_police="", assisting_investigation="", police_reference=""
            )
    sources = [(name, group) for name, group, count in SOURCES for _ in range(count)]
    rng.shuffle(sources)
    genders = GENDERS[:]
    rng.shuffle(genders)
    for number, (row, (name, group), gender) in enumerate(zip(rows, sources, genders, strict=True), start=1):
        row.update(
            external_ref=f"SEED000-{number:03d}",
            referrer_organisation=name,
            referrer_group=group,
            person_ref=f"P{number:03d}",
            gender=gender,
            age=str(AGES[number % len(AGES)]),
            ethnicity=["white_british", "black_african", "asian_indian", "mixed_other", "other_arab", "not_stated"][
                number % 6
            ],
            disability=["no", "no", "yes", "unknown"][number % 4],
            closed_on=""
            if number % 5 == 0
            else (datetime.date.fromisoformat(row["received_on"]) + datetime.timedelta(days=40)).isoformat(),
        )
    _assign_support(rows, rng)
    return rows


def _assign_support(rows: list[dict[str, str]], rng: random.Random) -> None:
    """Each kind of support to exactly its Table 3 count of referrals; VCOP rights to those informed."""
    chosen: list[list[str]] = [[] for _ in rows]
    for index, row in enumerate(rows):
        if row["vcop_informed_on"]:
            chosen[index].append("vcop_rights")
    for code, count in SUPPORT:
        for index in rng.sample(range(len(rows)), count):
            chosen[index].append(code)
    for row, codes in zip(rows, chosen, strict=True):
        row["support_provided"] = ";".join(codes)


def seed_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[column.name for column in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for row in seed_rows():
        writer.writerow({column.name: row.get(column.name, "") for column in COLUMNS})
    return out.getvalue()
