"""The `rj` return: the rj-cases import and the return checked together, all four formats, the
Victim Care Hub's Right 3 figures and the seed's training figures from the activities register
(seed 000 §4 and seed 004)."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.rj.models import RjCase, Stage
from saferhub.rj.report import build
from saferhub.rj.tests.world import build_world
from saferhub.victims.tests.seed000 import seed_csv

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))
Q2 = (datetime.date(2023, 7, 1), datetime.date(2023, 9, 30))
Q3 = (datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))

HEADER = [
    "external_ref", "referred_on", "source", "harm_kind", "specialist_harm", "harmed_ref", "harmed_consent",
    "harmed_consent_on", "responsible_ref", "responsible_consent", "responsible_consent_on", "suitability",
    "screened_on", "intervention_kind", "intervention_on", "outcome", "followed_up_on", "closed_on",
    "harmed_satisfaction", "harmed_safety", "responsible_satisfaction", "responsible_safety", "provider",
    "provider_referred_on", "provider_outcome",
]  # fmt: skip
CONFERENCE = {
    "source": "victim_hub", "harm_kind": "crime", "harmed_consent": "given", "harmed_consent_on": "2023-10-05",
    "responsible_consent": "given", "responsible_consent_on": "2023-10-06", "suitability": "suitable",
    "screened_on": "2023-10-04", "intervention_kind": "direct_conference", "intervention_on": "2023-10-20",
    "outcome": "agreement", "followed_up_on": "2023-11-20", "closed_on": "2023-11-20",
    "harmed_satisfaction": "very_satisfied", "harmed_safety": "safer", "responsible_satisfaction": "neither",
    "responsible_safety": "same",
}  # fmt: skip
ROWS = [
    {"external_ref": "RJ-1", "referred_on": "2023-10-02", "harmed_ref": "H1", "responsible_ref": "R1", **CONFERENCE},
    {"external_ref": "RJ-2", "referred_on": "2023-10-09", "source": "police", "harm_kind": "asb",
     "harmed_ref": "H2", "suitability": "not_suitable", "screened_on": "2023-10-10", "outcome": "not_proceeded",
     "closed_on": "2023-10-10"},
    {"external_ref": "RJ-3", "referred_on": "2023-11-15", "source": "youth_justice", "harm_kind": "crime",
     "specialist_harm": "domestic_abuse", "harmed_ref": "H3", "harmed_consent": "declined",
     "harmed_consent_on": "2023-11-20", "provider": "Calm Talk Mediation", "provider_referred_on": "2023-11-16",
     "provider_outcome": "declined"},
    {"external_ref": "RJ-4", "referred_on": "2023-08-01", "source": "school", "harm_kind": "conflict"},
]  # fmt: skip


def csv_text(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in HEADER})
    return out.getvalue()


def run(world, kind, text, **kwargs):
    return run_import(
        get_kind(kind), io.StringIO(text), partnership=world.partnership, filename=f"{kind}.csv", **kwargs
    )


@pytest.fixture
def world():
    return build_world()


def test_the_import_upserts_and_the_return_counts_the_quarter(world):
    result = run(world, "rj-cases", csv_text(ROWS))
    assert result.ok, result.errors
    assert result.created == 4
    again = run(world, "rj-cases", csv_text(ROWS))
    assert again.ok and again.unchanged == 4 and RjCase.objects.count() == 4
    rj1 = RjCase.objects.get(external_ref="RJ-1")
    assert rj1.stage == Stage.CLOSED and rj1.case.status == "closed" and rj1.case.owning_team == world.rj_team

    result = build(world.partnership, *Q3)
    referrals = result["referrals"]
    assert referrals["total"] == 3  # RJ-4 is in Q2
    assert {row["source"]: row["count"] for row in referrals["by_source"]} == {
        "victim_hub": 1, "police": 1, "youth_justice": 1, "probation": 0, "school": 0, "self": 0, "other": 0,
    }  # fmt: skip
    assert [q["quarter"] for q in referrals["by_quarter"]] == ["2023/24 Q3"]
    assert referrals["domestic_abuse"] == 1
    assert result["screening"] == {"screened": 2, "suitable": 1, "not_suitable": 1}
    assert result["consent"]["harmed"] == {"given": 1, "declined": 1, "withdrawn": 0}
    assert result["consent"]["both_consented"] == 1
    assert result["interventions"]["total"] == 1
    assert {r["kind"]: r["count"] for r in result["interventions"]["by_kind"]}["direct_conference"] == 1
    assert {r["outcome"]: r["count"] for r in result["outcomes"]} == {
        "agreement": 1, "no_agreement": 0, "withdrawn": 0, "not_proceeded": 1,
    }  # fmt: skip
    satisfaction = result["satisfaction"]
    assert (satisfaction["followed_up"], satisfaction["satisfied"], satisfaction["satisfied_percent"]) == (2, 1, 50.0)
    assert (satisfaction["feel_safer"], satisfaction["feel_safer_percent"]) == (1, 50.0)
    assert result["onward"]["referred"] == 1
    assert {r["outcome"]: r["count"] for r in result["onward"]["by_outcome"]}["declined"] == 1


def test_a_bad_row_writes_nothing_and_names_the_column(world):
    rows = [*ROWS[:2], {**ROWS[2], "provider": "No Such Mediation"}]
    result = run(world, "rj-cases", csv_text(rows))
    assert not result.ok
    assert any("provider" in str(error) and "not a service in the directory" in str(error) for error in result.errors)
    assert not RjCase.objects.exists()


def test_the_seeds_right_3_and_training_figures(world):
    hub = run(world, "victim-hub-referrals", seed_csv(), create_organisations=True)
    assert hub.ok, hub.errors
    activities = "\r\n".join(
        [
            "external_ref,held_on,kind,programme,title,audience,organisation,participants,feedback_responses,"
            "feedback_positive",
            "A-1,2023-05-10,training,restorative_justice,RJ awareness,police,Borough police,5,,",
            # Seed 004: 150 staff across six schools, 100% positive.
            *(
                f"S-{n},2023-06-{n + 10},training,restorative_justice,Restorative approaches,school,School {n},25,10,10"
                for n in range(1, 7)
            ),
            # Seed 000 4.26, 4.27: fifteen officers on the refresher in Q2; a network meeting of 45.
            "A-2,2023-08-15,training,restorative_justice,RJ refresher,police,Borough police,15,,",
            "A-3,2023-09-20,network_meeting,restorative_justice,RJ network meeting,mixed,,45,,",
            # Seed 000: a further 22 officers in 2 cohorts in Q3, 42 in total.
            "A-4,2023-10-11,training,restorative_justice,RJ for officers (cohort 1),police,Borough police,12,,",
            "A-5,2023-11-08,training,restorative_justice,RJ for officers (cohort 2),police,Borough police,10,,",
            "A-6,2023-11-09,training,vawg,Not RJ,police,Borough police,30,,",
        ]
    )
    result = run(world, "activities", activities + "\r\n")
    assert result.ok, result.errors

    q1 = build(world.partnership, *Q1)
    assert q1["right_3"]["victims"] == 18 and q1["right_3"]["rj_informed"] == 12
    assert q1["right_3"]["percent_of_victims"] == 66.7  # "66% (n=12/18)"
    assert q1["training"]["school_staff_trained"] == 150 and q1["training"]["schools_trained_to_date"] == 6
    assert q1["training"]["feedback"]["positive_percent"] == 100.0
    q2 = build(world.partnership, *Q2)
    assert q2["right_3"]["percent_of_victims"] == 71.4  # "71% in Q2"
    assert q2["training"]["officers_trained"] == 15 and q2["training"]["network_attendance"] == 45
    q3 = build(world.partnership, *Q3)["training"]
    assert (q3["officers_trained"], q3["sessions"], q3["officers_trained_to_date"]) == (22, 2, 42)


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_report_command_writes_every_format(world, tmp_path, fmt):
    assert run(world, "rj-cases", csv_text(ROWS)).ok
    out = tmp_path / f"rj.{fmt}"
    call_command(
        "report", "rj", "--partnership", world.partnership.slug, "--from", "2023-10-01", "--to", "2023-12-31",
        "--format", fmt, "--output", str(out),
    )  # fmt: skip
    data = out.read_bytes()
    assert data
    if fmt == "json":
        assert json.loads(data)["referrals"]["total"] == 3
    elif fmt == "html":
        assert "Victim Care Hub: Right 3" in data.decode() and "Direct conference" in data.decode()
