"""Seed 001 §5.1.18: a synthetic cohort whose profile on 31 March 2023 is the board paper's, imported
from an `iom-cohort` file and reported by `report iom` (INTERCHANGE.md, "Return iom")."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from saferhub.iom.tests.world import build_world, csv_text, import_text

pytestmark = pytest.mark.django_db

HEADER = [
    "external_ref",
    "person_ref",
    "date_of_birth",
    "age",
    "gender",
    "ethnicity",
    "adopted_on",
    "left_on",
    "cohort",
    "management",
    "rag",
    "rag_on",
]
IN_COHORT = 105


def _spread(*counts: tuple[str, int]) -> list[str]:
    values = [value for value, n in counts for _ in range(n)]
    assert len(values) == IN_COHORT
    return values


def seed_rows() -> list[dict[str, str | int | None]]:
    """105 stays on 31 March 2023 (100 from June 2022, 5 from January 2023) and one that left in February:
    101 on 31 December 2022."""
    management = _spread(("statutory", 88), ("non_statutory", 17))
    rag = _spread(("red", 39), ("amber", 23), ("green", 9), ("blue", 34))
    ethnicity = _spread(
        ("asian_indian", 10),
        ("asian_bangladeshi", 6),
        ("black_caribbean", 20),
        ("black_african", 13),
        ("other_arab", 3),
        ("white_british", 40),
        ("white_other", 12),
        ("white_roma", 1),
    )
    gender = _spread(("male", 101), ("female", 4))
    # Ages on 31 March 2023: under 18, 18-24, 25-34, 35-44, 45+.
    age = _spread(
        ("17", 3), ("20", 15), ("24", 12), ("25", 10), ("30", 20), ("35", 12), ("44", 20), ("45", 8), ("60", 5)
    )
    # Every other one of the three colour lists is rotated so the attributes are not all aligned.
    rows: list[dict[str, str | int | None]] = []
    last_day = datetime.date(2023, 3, 31)
    for n in range(IN_COHORT):
        adopted = datetime.date(2022, 6, 1) if n < 100 else datetime.date(2023, 1, 10)
        years = int(age[(n * 22) % IN_COHORT])
        row: dict[str, str | int | None] = {
            "external_ref": f"STAY-{n:03d}",
            "person_ref": f"P-{n:03d}",
            "gender": gender[(n * 11) % IN_COHORT],
            "ethnicity": ethnicity[(n * 13) % IN_COHORT],
            "adopted_on": adopted.isoformat(),
            "cohort": ("fixed", "flex", "free")[n % 3],
            "management": management[(n * 17) % IN_COHORT],
        }
        if n % 2:
            # Born the day after the birthday that makes them `years` on 31 March 2023 ... minus a year: exactly `years`.
            row["date_of_birth"] = str(last_day.replace(year=last_day.year - years - 1) + datetime.timedelta(days=1))
        else:
            # The age on adopted_on; the return adds the whole years since.
            row["age"] = years - (1 if adopted.replace(year=adopted.year + 1) <= last_day else 0)
        final = rag[(n * 19) % IN_COHORT]
        if n % 4 == 0:
            # An earlier, other colour in the history, then the one in force on 31 March.
            rows.append({**row, "rag": "green" if final != "green" else "red", "rag_on": None})
            rows.append({**row, "rag": final, "rag_on": "2023-02-01"})
        else:
            rows.append({**row, "rag": final, "rag_on": None})
        if n % 10 == 0:
            # A status after the period's last day is not counted.
            rows.append({**row, "rag": "blue" if final != "blue" else "amber", "rag_on": "2023-04-12"})
    rows.append(
        {
            "external_ref": "STAY-LEFT",
            "person_ref": "P-LEFT",
            "age": 30,
            "gender": "female",
            "ethnicity": "mixed_other",
            "adopted_on": "2022-05-01",
            "left_on": "2023-02-15",
            "cohort": "flex",
            "management": "statutory",
            "rag": "amber",
        }
    )
    return rows


def test_report_iom_reproduces_seed_001_cohort_profile() -> None:
    world = build_world()
    result = import_text(world, "iom-cohort", csv_text(HEADER, seed_rows()))
    assert result.ok, result.errors
    assert result.created == IN_COHORT + 1

    out = io.StringIO()
    call_command(
        "report",
        "iom",
        "--from",
        "2023-01-01",
        "--to",
        "2023-03-31",
        "--partnership",
        world.partnership.slug,
        stdout=out,
    )
    report = json.loads(out.getvalue())

    assert report["report"] == "iom"
    assert report["period"] == {"from": "2023-01-01", "to": "2023-03-31"}
    cohort = report["cohort"]
    assert list(cohort) == [
        "total",
        "statutory",
        "non_statutory",
        "rag",
        "by_cohort",
        "ethnic_group",
        "gender",
        "age_band",
    ]
    assert (cohort["total"], cohort["statutory"], cohort["non_statutory"]) == (105, 88, 17)
    assert cohort["rag"] == {"red": 39, "amber": 23, "green": 9, "blue": 34}
    assert cohort["by_cohort"] == {"fixed": 35, "flex": 35, "free": 35}
    assert cohort["ethnic_group"] == [
        {"group": "Asian", "count": 16},
        {"group": "Black", "count": 33},
        {"group": "Mixed", "count": 0},
        {"group": "White", "count": 53},
        {"group": "Other", "count": 3},
        {"group": "Not stated", "count": 0},
    ]
    assert cohort["gender"] == {"male": 101, "female": 4, "other": 0, "not_stated": 0}
    assert cohort["age_band"] == [
        {"band": "under 18", "count": 3},
        {"band": "18-24", "count": 27},
        {"band": "25-34", "count": 30},
        {"band": "35-44", "count": 32},
        {"band": "45+", "count": 13},
    ]
    assert report["change"] == {"total": 4}
    assert list(report["offending"]) == ["before", "during", "after"]

    # The same file again changes nothing.
    again = import_text(world, "iom-cohort", csv_text(HEADER, seed_rows()))
    assert (again.created, again.updated) == (0, 0)
