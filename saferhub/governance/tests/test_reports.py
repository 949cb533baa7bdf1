"""Returns `action-plan` and `activities` against hand-computed figures, from synthetic imports."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report

pytestmark = pytest.mark.django_db

PLAN, OTHER = "Invented VAWG Strategy action plan", "Invented RJ project plan"
HEADER = "external_ref,plan,priority,commitment,owner,phase,due_on,status,rag,updated_on,update\n"
ACTION_PLAN = HEADER + (
    # AP-1: on track at the year end, completed after it.
    f"AP-1,{PLAN},Victims,One,,,2022-12-31,on_track,,2022-06-30,\n"
    f"AP-1,{PLAN},Victims,One,,,2022-12-31,completed,,2023-05-01,\n"
    # AP-2: updated in the period to off track; due before the end: overdue.
    f"AP-2,{PLAN},Victims,Two,,,2023-01-31,in_progress,,2021-12-01,\n"
    f"AP-2,{PLAN},Victims,Two,,,2023-01-31,off_track,,2022-11-15,\n"
    # AP-3: completed before its due date passed: not overdue. Last changed before the period.
    f"AP-3,{PLAN},Offenders,Three,,,2022-06-30,completed,,2022-03-01,\n"
    # AP-4: not started, no due date: never overdue; no rating.
    f"AP-4,{PLAN},Offenders,Four,,,,not_started,,2022-04-01,\n"
    # AP-5: first recorded after the period: left out.
    f"AP-5,{PLAN},Offenders,Five,,,,on_track,,2023-04-02,\n"
    f"RJ-1,{OTHER},,Train officers,,,,at_risk,,2022-05-05,\n"
)
ACTIVITY_HEADER = (
    "external_ref,held_on,kind,programme,title,audience,organisation,ward,participants,"
    "feedback_responses,feedback_positive\n"
)
ACTIVITIES = ACTIVITY_HEADER + (
    # Before the period: 20 officers trained (seed 000: "… brings the total … trained to 42").
    "A-0,2023-02-10,training,restorative_justice,RJ training,police,North Unit,,20,,\n"
    # Q1 2023/24.
    "A-1,2023-05-10,training,restorative_justice,RJ training,police,north unit,,12,10,9\n"
    "A-2,2023-06-20,awareness,vawg,Stall,residents,,,30,,\n"
    # Q2.
    "A-3,2023-07-15,training,restorative_justice,RJ training,police,South Unit,,10,10,8\n"
    "A-4,2023-08-01,network_meeting,restorative_justice,RJ network,mixed,,,6,,\n"
    "A-5,2023-09-01,ward_walk,,Ward walk,,Larchfield Academy,,4,5,5\n"
    # After the period: not counted, not cumulative.
    "A-6,2023-10-01,training,restorative_justice,RJ training,police,,,50,,\n"
)


@pytest.fixture
def partnership():
    partnership = PartnershipFactory()
    AgencyFactory(partnership=partnership)
    for kind, text in (("action-plan", ACTION_PLAN), ("activities", ACTIVITIES)):
        result = run_import(get_kind(kind), io.StringIO(text), partnership=partnership, filename="x.csv")
        assert result.ok, result.errors
    return partnership


def report(partnership, slug, date_from, date_to, **options):
    import datetime

    return run_report(
        get_report(slug),
        partnership,
        datetime.date.fromisoformat(date_from),
        datetime.date.fromisoformat(date_to),
        fmt="json",
        options=options,
    ).result


def test_action_plan_reads_latest_status_on_the_last_day(partnership):
    result = report(partnership, "action-plan", "2022-04-01", "2023-03-31")
    assert result["report"] == "action-plan"
    assert result["period"] == {"from": "2022-04-01", "to": "2023-03-31"}
    plans = {plan["plan"]: plan for plan in result["plans"]}
    assert list(plans) == [OTHER, PLAN]
    vawg = plans[PLAN]
    assert vawg["commitments"] == 4
    assert vawg["rag"] == {"red": 1, "amber": 0, "green": 2, "none": 1}
    assert vawg["status"] == [
        {"code": "not_started", "count": 1},
        {"code": "on_track", "count": 1},
        {"code": "in_progress", "count": 0},
        {"code": "at_risk", "count": 0},
        {"code": "off_track", "count": 1},
        {"code": "completed", "count": 1},
    ]
    # AP-1 (due 2022-12-31, on track) and AP-2 (due 2023-01-31, off track); AP-3 is completed.
    assert vawg["overdue"] == 2
    # AP-1 (2022-06-30), AP-2 (2022-11-15) and AP-4 (2022-04-01) have an update dated in the period.
    assert vawg["changed_in_period"] == 3
    assert vawg["by_priority"] == [
        {"priority": "Offenders", "red": 0, "amber": 0, "green": 1, "none": 1},
        {"priority": "Victims", "red": 1, "amber": 0, "green": 1, "none": 0},
    ]
    assert sum(vawg["rag"].values()) == vawg["commitments"]


def test_action_plan_one_plan_by_name_and_a_later_period(partnership):
    result = report(partnership, "action-plan", "2023-04-01", "2023-06-30", plan=PLAN.upper())
    (vawg,) = result["plans"]
    assert vawg["commitments"] == 5  # AP-5 now recorded
    assert vawg["rag"] == {"red": 1, "amber": 0, "green": 3, "none": 1}
    assert vawg["changed_in_period"] == 2  # AP-1 completed, AP-5 first recorded
    assert vawg["overdue"] == 1  # AP-2 only: AP-1 is now completed


def test_report_command_takes_plan_and_refuses_unknown_plan(partnership, capsys):
    call_command("report", "action-plan", "--from", "2022-04-01", "--to", "2023-03-31", "--plan", OTHER)
    result = json.loads(capsys.readouterr().out)
    assert [plan["plan"] for plan in result["plans"]] == [OTHER]
    assert result["plans"][0]["rag"] == {"red": 0, "amber": 1, "green": 0, "none": 0}
    with pytest.raises(CommandError, match="There is no action plan called 'Nope'"):
        call_command("report", "action-plan", "--from", "2022-04-01", "--to", "2023-03-31", "--plan", "Nope")
    with pytest.raises(CommandError, match="takes no --plan"):
        call_command("report", "activities", "--from", "2022-04-01", "--to", "2023-03-31", "--plan", OTHER)


def test_activities_return(partnership):
    result = report(partnership, "activities", "2023-04-01", "2023-09-30")
    assert result["total"] == {"sessions": 5, "participants": 62}
    assert result["quarters"] == [
        {"quarter": "2023/24 Q1", "sessions": 2, "participants": 42},
        {"quarter": "2023/24 Q2", "sessions": 3, "participants": 20},
    ]
    kinds = {row["kind"]: (row["sessions"], row["participants"]) for row in result["by_kind"]}
    assert kinds == {
        "training": (2, 22),
        "network_meeting": (1, 6),
        "awareness": (1, 30),
        "ward_walk": (1, 4),
        "outreach": (0, 0),
        "other": (0, 0),
    }
    audiences = {row["audience"]: (row["sessions"], row["participants"]) for row in result["by_audience"]}
    assert audiences["police"] == (2, 22)
    assert audiences["residents"] == (1, 30)
    assert audiences["school"] == (0, 0)
    assert result["by_programme"] == [
        {"programme": "restorative_justice", "audience": None, "sessions": 3, "participants": 28,
         "cumulative_participants": 48},
        {"programme": "restorative_justice", "audience": "mixed", "sessions": 1, "participants": 6,
         "cumulative_participants": 6},
        # "a further 22 officers … brings the total number … trained to 42".
        {"programme": "restorative_justice", "audience": "police", "sessions": 2, "participants": 22,
         "cumulative_participants": 42},
        {"programme": "vawg", "audience": None, "sessions": 1, "participants": 30, "cumulative_participants": 30},
        {"programme": "vawg", "audience": "residents", "sessions": 1, "participants": 30,
         "cumulative_participants": 30},
    ]  # fmt: skip
    # north unit, South Unit, Larchfield Academy ("North Unit" of February is outside the period).
    assert result["organisations_reached"] == 3
    assert result["feedback"] == {"responses": 25, "positive": 22, "positive_percent": 88.0}
    assert list(result) == [
        "report", "period", "total", "quarters", "by_kind", "by_audience", "by_programme",
        "organisations_reached", "feedback",
    ]  # fmt: skip


def test_activities_with_no_feedback_has_no_percent(partnership):
    result = report(partnership, "activities", "2023-06-01", "2023-06-30")
    assert result["feedback"] == {"responses": 0, "positive": 0, "positive_percent": None}
    assert result["quarters"] == [{"quarter": "2023/24 Q1", "sessions": 1, "participants": 30}]


@pytest.mark.parametrize("slug", ["action-plan", "activities"])
@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx"])
def test_other_formats_render_tables_with_charts(partnership, slug, fmt, tmp_path):
    path = tmp_path / f"out.{fmt}"
    call_command("report", slug, "--from", "2023-04-01", "--to", "2023-09-30", "--format", fmt, "--output", str(path))
    content = path.read_bytes()
    assert content
    if fmt == "html":
        text = content.decode()
        assert "<svg" in text
        assert ("RAG rating by priority" if slug == "action-plan" else "Participants by quarter") in text


def test_organisations_reached_ignores_case(partnership):
    # "North Unit" (February) and "north unit" (May) are one organisation.
    assert report(partnership, "activities", "2023-02-01", "2023-05-31")["organisations_reached"] == 1


def test_web_report_takes_the_plan_option(client, partnership):
    from saferhub.accounts.models import Role
    from saferhub.accounts.tests.factories import TeamFactory, UserFactory

    user = UserFactory(team=TeamFactory(agency__partnership=partnership), roles=[Role.BOARD_MEMBER])
    client.force_login(user)
    query = {"kind": "action-plan", "date_from": "2022-04-01", "date_to": "2023-03-31", "fmt": "html", "plan": OTHER}
    page = client.get("/reports/run/", query).content.decode()
    assert f"{OTHER}: RAG rating by priority" in page
    assert PLAN not in page
    assert "<svg" in page
    page = client.get("/reports/run/", {**query, "plan": "Nope"}).content.decode()
    assert "Select one of the options listed for the action plan" in page
