"""Imports `action-plan` and `activities`: history by updated_on, RAG derived from status, all or nothing.

Every file is synthetic: invented plans, organisations and wards.
"""

import datetime
import io

import pytest

from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory
from saferhub.governance.models import Activity, Commitment, CommitmentUpdate
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.places.tests.factories import WardFactory

pytestmark = pytest.mark.django_db

PLAN = "Invented Strategy action plan"
HEADER = "external_ref,plan,priority,commitment,owner,phase,due_on,status,rag,updated_on,update\n"


@pytest.fixture
def partnership():
    partnership = PartnershipFactory()
    AgencyFactory(partnership=partnership, name="Northbrook Council")
    return partnership


def load(partnership, kind, text, **kwargs):
    return run_import(get_kind(kind), io.StringIO(text), partnership=partnership, filename="x.csv", **kwargs)


def counts(result):
    return result.created, result.updated, result.unchanged


def history(ref):
    return [
        (u.updated_on.isoformat(), u.status, u.rag, u.text)
        for u in CommitmentUpdate.objects.filter(commitment__external_ref=ref).order_by("updated_on")
    ]


def test_action_plan_creates_commitments_derives_rag_and_is_idempotent(partnership):
    text = HEADER + (
        f"AP-1,{PLAN},Victims,Train frontline staff,northbrook council,Year 1,2023-03-31,on_track,,2022-06-30,Begun\n"
        f"AP-2,{PLAN},Victims,Set up a forum,,,,not_started,,2022-06-30,\n"
        f"AP-3,{PLAN},Offenders,Offer RJ,,,,off_track,amber,2022-06-30,Overridden rating\n"
        f"AP-4,{PLAN},Offenders,Map support,,,,at_risk,,2022-06-30,\n"
    )
    result = load(partnership, "action-plan", text)
    assert result.ok, result.errors
    assert counts(result) == (4, 0, 0)
    first = Commitment.objects.get(external_ref="AP-1")
    assert (first.plan.name, first.owner.name, first.due_on) == (PLAN, "Northbrook Council", datetime.date(2023, 3, 31))
    assert history("AP-1") == [("2022-06-30", "on_track", "green", "Begun")]
    assert history("AP-2")[0][2] == ""  # not started: not rated
    assert history("AP-3")[0][2] == "amber"  # a given rag wins over the derived one
    assert history("AP-4")[0][2] == "amber"
    again = load(partnership, "action-plan", text)
    assert counts(again) == (0, 0, 4)


def test_action_plan_later_updated_on_adds_to_history_and_same_day_changes_entry(partnership):
    load(partnership, "action-plan", HEADER + f"AP-1,{PLAN},,Train staff,,,,in_progress,,2022-06-30,Begun\n")
    result = load(
        partnership,
        "action-plan",
        HEADER
        + f"AP-1,{PLAN},,Train staff,,,,completed,,2022-12-31,Done\n"
        + f"AP-1,{PLAN},,Train staff,,,,at_risk,,2022-06-30,Late start\n",
    )
    assert result.ok, result.errors
    assert counts(result) == (0, 2, 0)
    assert history("AP-1") == [
        ("2022-06-30", "at_risk", "amber", "Late start"),
        ("2022-12-31", "completed", "green", "Done"),
    ]
    # An older row never takes back the commitment's details set by a later one.
    load(partnership, "action-plan", HEADER + f"AP-1,{PLAN},,Old wording,,,,at_risk,,2022-06-30,Late start\n")
    assert Commitment.objects.get(external_ref="AP-1").text == "Train staff"


def test_action_plan_errors_name_line_and_column_and_write_nothing(partnership):
    text = HEADER + (
        f"AP-1,{PLAN},,Fine,,,,on_track,,2022-06-30,\n"
        f"AP-2,{PLAN},,Unknown owner,Nowhere Trust,,,on_track,,2022-06-30,\n"
        f"AP-3,{PLAN},,Bad status,,,,done,,2022-06-30,\n"
        f"AP-4,{PLAN},,Bad rag,,,,on_track,purple,2022-06-30,\n"
        f"AP-5,{PLAN},,,,,,on_track,,2022-06-30,\n"
        f"AP-1,{PLAN},,Twice,,,,on_track,,2022-06-30,\n"
        f"AP-6,{PLAN},,Bad date,,,,on_track,,30/06/2022,\n"
    )
    result = load(partnership, "action-plan", text)
    assert not result.ok
    assert result.errors == [
        "line 3, column owner: unknown organisation 'Nowhere Trust' (give --create-organisations to create it)",
        "line 4, column status: 'done' is not one of: not_started, on_track, in_progress, at_risk, off_track, "
        "completed",
        "line 5, column rag: 'purple' is not one of: red, amber, green (leave it blank to derive it from status)",
        "line 6, column commitment: a value is required",
        "line 7, column updated_on: AP-1 already has a row for 2022-06-30 on line 2",
        "line 8, column updated_on: '30/06/2022' is not a date in the form YYYY-MM-DD",
    ]
    assert not Commitment.objects.exists()


def test_action_plan_creates_organisations_when_asked(partnership):
    text = HEADER + f"AP-1,{PLAN},,Fine,Nowhere Trust,,,on_track,,2022-06-30,\n"
    result = load(partnership, "action-plan", text, create_organisations=True)
    assert result.ok, result.errors
    assert Commitment.objects.get().owner.name == "Nowhere Trust"


ACTIVITY_HEADER = (
    "external_ref,held_on,kind,programme,title,audience,organisation,ward,participants,"
    "feedback_responses,feedback_positive\n"
)


def test_activities_import_matches_wards_by_name_or_code_and_is_idempotent(partnership):
    ward = WardFactory(partnership=partnership, name="Mill & Meadow", code="E05900001")
    text = ACTIVITY_HEADER + (
        "ACT-1,2023-05-10,training,Restorative Justice,RJ for officers,police,North unit,mill and meadow,20,18,17\n"
        "ACT-2,2023-06-10,ward_walk,,Ward walk,residents,,E05900001,8,,\n"
    )
    result = load(partnership, "activities", text)
    assert result.ok, result.errors
    assert counts(result) == (2, 0, 0)
    first = Activity.objects.get(external_ref="ACT-1")
    assert (first.programme, first.ward, first.participants, first.feedback_positive) == (
        "restorative_justice",
        ward,
        20,
        17,
    )
    assert Activity.objects.get(external_ref="ACT-2").ward == ward
    assert counts(load(partnership, "activities", text)) == (0, 0, 2)
    changed = text.replace(",20,18,17", ",22,18,17")
    assert counts(load(partnership, "activities", changed)) == (0, 1, 1)
    assert Activity.objects.get(external_ref="ACT-1").participants == 22


def test_activities_errors_and_nothing_written(partnership):
    text = ACTIVITY_HEADER + (
        "ACT-1,2023-05-10,training,,Fine,,,,20,,\n"
        "ACT-2,2023-05-10,seminar,,Bad kind,,,,20,,\n"
        "ACT-3,2023-05-10,training,,Too positive,,,,20,5,6\n"
        "ACT-4,2023-05-10,training,,Unknown ward,,,Atlantis,20,,\n"
        "ACT-5,2023-05-10,training,,Bad number,,,,twenty,,\n"
        "ACT-6,2023-05-10,training,,Bad audience,pupils,,,20,,\n"
    )
    result = load(partnership, "activities", text)
    assert not result.ok
    assert result.errors[0] == (
        "line 3, column kind: 'seminar' is not one of: training, network_meeting, awareness, ward_walk, outreach, other"
    )
    assert result.errors[1] == (
        "line 4, column feedback_positive: 6 positive responses is more than the 5 feedback_responses: check both"
    )
    assert result.errors[2].startswith("line 5, column ward: unknown ward 'Atlantis'")
    assert result.errors[3] == "line 6, column participants: 'twenty' is not a whole number"
    assert result.errors[4].startswith("line 7, column audience: 'pupils' is not one of: school")
    assert not Activity.objects.exists()


def test_unknown_column_is_an_error(partnership):
    result = load(partnership, "activities", "external_ref,held_on,kind,title,participants,atendees\n")
    assert result.errors[0].startswith("line 1, column atendees: unknown column")
