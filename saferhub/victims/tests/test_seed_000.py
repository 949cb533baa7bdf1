"""The return reproduces seed 000 (the hub's board report): Tables 1–4, 3.10, 3.11 and 4.23.

The synthetic referrals of `seed000` are imported through `victim-hub-referrals`, so the
import and the return are checked together against the report's own figures.
"""

import datetime
import io

import pytest

from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.victims import actions
from saferhub.victims.report import build
from saferhub.victims.tests.seed000 import seed_csv
from saferhub.victims.tests.world import build_world

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))
Q2 = (datetime.date(2023, 7, 1), datetime.date(2023, 9, 30))
Q3 = (datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))
Q1_Q3 = (datetime.date(2023, 4, 1), datetime.date(2023, 12, 31))


@pytest.fixture
def seeded():
    world = build_world()
    result = run_import(
        get_kind("victim-hub-referrals"),
        io.StringIO(seed_csv()),
        partnership=world.partnership,
        filename="seed000.csv",
        create_organisations=True,
    )
    assert result.ok, result.errors
    assert result.created == 64
    actions.set_targets(world.analyst, world.partnership, 2023, {1: 24, 2: 24, 3: 24, 4: 24})
    return world


def test_referrals_by_quarter_and_against_target(seeded):
    result = build(seeded.partnership, *Q1_Q3)
    assert result["referrals"]["total"] == 64
    assert result["referrals"]["by_quarter"] == [
        {"quarter": "2023/24 Q1", "count": 18},
        {"quarter": "2023/24 Q2", "count": 21},
        {"quarter": "2023/24 Q3", "count": 25},
    ]
    # 3.10: "64 referrals … 8 referrals below the intended target of 72 in the period Q1 to Q3".
    assert result["referrals"]["target"] == 72
    assert result["referrals"]["target"] - result["referrals"]["total"] == 8
    assert [row["count"] for row in result["referrals"]["by_month"]] == [6, 6, 6, 7, 7, 7, 8, 8, 9]


def test_table_1_sources_and_family_services_share(seeded):
    result = build(seeded.partnership, *Q1_Q3)
    assert result["by_source"][:3] == [
        {"organisation": "Tackling Violence & Exploitation Team", "group": "Family Services", "count": 17},
        {"organisation": "Children's Social Care", "group": "Family Services", "count": 9},
        {"organisation": "Early Help", "group": "Family Services", "count": 8},
    ]
    assert sum(row["count"] for row in result["by_source"]) == 64
    # 3.13: Family Services account for 69% of all referrals (44 of 64 = 68.75%).
    assert result["by_group"][0] == {"group": "Family Services", "count": 44, "percent": 68.8}


def test_table_2_crime_types(seeded):
    result = build(seeded.partnership, *Q1_Q3)
    counts = {row["code"]: row["count"] for row in result["by_crime_type"]}
    assert counts == {
        "crime_prevention": 17, "asb": 8, "exploitation": 6, "domestic_abuse": 5, "robbery": 5, "gbh": 5,
        "harassment": 3, "knife_crime": 2, "other_non_crime": 2, "common_assault": 2, "rape_forced_marriage": 2,
        "threats": 2, "hate_crime": 2, "criminal_damage": 2, "fraud": 1,
    }  # fmt: skip
    assert result["by_crime_type"][0]["label"] == "Crime prevention"


def test_table_3_support(seeded):
    result = build(seeded.partnership, *Q1_Q3)
    assert {row["code"]: row["count"] for row in result["support"]} == {
        "vcop_rights": 41,
        "personal_safety": 38,
        "signposting": 28,
        "emotional_support": 24,
        "home_safety": 16,
        "onward_referral": 9,
    }


def test_table_4_police_and_the_definitions_that_make_it_add_up(seeded):
    result = build(seeded.partnership, *Q1_Q3)
    assert result["police"] == {
        "reported": 31,
        "not_reported": 4,
        "not_known": 12,
        "crime_prevention": 17,
        "assisting": 16,
        # The seed prints 10 here; 31 reported less 16 assisting is 15 (docs/victim-hub.md).
        "not_assisting_or_not_known": 15,
    }
    assert result["victim_type"] == {"direct": 30, "indirect": 17, "crime_prevention": 17}
    # 3.20: "66% of referred victims … had reported the crime to the police".
    assert round(100 * 31 / result["victims"]) == 66


def test_victims_code_and_rj_information(seeded):
    result = build(seeded.partnership, *Q1_Q3)
    assert result["vcop_informed"] == {"count": 41, "percent_of_victims": 87.2}
    assert result["rj_informed"] == {"count": 27, "percent_of_victims": 57.4}


@pytest.mark.parametrize(
    ("period", "total", "vcop", "vcop_percent", "rj", "rj_percent", "victim_type"),
    [
        # 3.11 and 4.23: Q1 18 referrals, 100% informed of their rights, 66% (n=12/18) RJ follow-up.
        (Q1, 18, 18, 100.0, 12, 66.7, {"direct": 7, "indirect": 11, "crime_prevention": 0}),
        # Q2: 21 referrals, 71% (n=15) informed, 29% indirect; RJ "increased to 71%".
        (Q2, 21, 15, 71.4, 15, 71.4, {"direct": 15, "indirect": 6, "crime_prevention": 0}),
        # Q3: 25 referrals, 8 direct victims informed, 17 crime prevention.
        (Q3, 25, 8, 100.0, 0, 0.0, {"direct": 8, "indirect": 0, "crime_prevention": 17}),
    ],
)
def test_each_quarter_of_paragraph_3_11(seeded, period, total, vcop, vcop_percent, rj, rj_percent, victim_type):
    result = build(seeded.partnership, *period)
    assert result["referrals"]["total"] == total
    assert result["referrals"]["target"] == 24
    assert result["vcop_informed"] == {"count": vcop, "percent_of_victims": vcop_percent}
    assert result["rj_informed"] == {"count": rj, "percent_of_victims": rj_percent}
    assert result["victim_type"] == victim_type


def test_the_seed_file_reimports_unchanged(seeded):
    result = run_import(
        get_kind("victim-hub-referrals"),
        io.StringIO(seed_csv()),
        partnership=seeded.partnership,
        filename="seed000.csv",
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 64)
    assert build(seeded.partnership, *Q1_Q3)["referrals"]["total"] == 64
