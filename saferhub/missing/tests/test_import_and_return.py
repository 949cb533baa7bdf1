"""Import `missing-episodes` and return `missing` exactly as INTERCHANGE.md defines them."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.missing import actions
from saferhub.missing.config import DEFAULTS_FROM
from saferhub.missing.models import Episode, MissingChild, MissingSetting, MissingTeam, SettingKey
from saferhub.missing.tests.world import at, build_world
from saferhub.people.models import Person
from saferhub.reporting.registry import get_report
from saferhub.reporting.service import Report

D = datetime.date

HEADER = (
    "external_ref,person_ref,date_of_birth,missing_from,returned_at,police_reference,risk,placed_out_of_area,"
    "rhi_offered_at,rhi_completed_at,rhi_declined,rhi_provider\n"
)
ROWS = (
    # A: three episodes in the period (a repeat), the first exactly 72:00 long, offered at exactly 72:00.
    "M1,A,2009-01-01,2024-04-02 10:00,2024-04-05 10:00,CAD 1,high,no,2024-04-08 10:00,2024-04-09 10:00,no,"
    "Invented Return Interviews\n"
    "M2,A,2009-01-01,2024-05-01 08:00,2024-05-04 08:01,,medium,no,2024-05-07 08:02,,yes,\n"
    "M3,A,2009-01-01,2024-05-20 08:00,2024-05-20 20:00,,low,no,2024-05-21 08:00,2024-05-21 09:00,no,"
    "Invented Early Help Hub\n"
    # B: placed out of the borough, still missing at the end of the period (from 12:00 on 29 June).
    "M4,B,2010-02-02,2024-06-29 12:00,,,high,yes,,,,\n"
    # C: an episode before the period, and one in it with a completed interview.
    "M5,C,2011-03-03,2024-03-31 23:30,2024-04-01 10:00,,absent,unknown,,,,\n"
    "M6,C,2011-03-03,2024-06-10 09:00,2024-06-10 12:00,,,,2024-06-10 15:00,2024-06-11 09:00,,"
    "Invented Return Interviews\n"
)


@pytest.fixture
def world(db):
    return build_world()


def load(w, text, **kwargs):
    return run_import(
        get_kind("missing-episodes"),
        io.StringIO(text),
        partnership=w.partnership,
        filename="x.csv",
        user=w.admin,
        **kwargs,
    )


APRIL, JUNE_END = D(2024, 4, 1), D(2024, 6, 30)


def build(w, date_from=APRIL, date_to=JUNE_END):
    return get_report("missing").build(w.partnership, date_from, date_to)


def test_import_creates_then_changes_nothing_then_updates(world):
    result = load(world, HEADER + ROWS)
    assert result.ok and (result.created, result.updated, result.unchanged) == (6, 0, 0), result.errors
    m1 = Episode.objects.get(external_ref="M1")
    assert m1.missing_from == at("2024-04-02 10:00") and m1.child.case.owning_team == world.tve
    assert m1.rhi_provider == world.provider and m1.risk == "high"
    assert MissingChild.objects.filter(person__external_ref="A").count() == 1
    assert Person.objects.get(external_ref="B").date_of_birth == D(2010, 2, 2)
    again = load(world, HEADER + ROWS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    changed = load(
        world,
        HEADER
        + ROWS.replace("M4,B,2010-02-02,2024-06-29 12:00,,", "M4,B,2010-02-02,2024-06-29 12:00,2024-06-30 12:00,"),
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 5)
    assert Episode.objects.get(external_ref="M4").rhi_due_at == at("2024-07-03 12:00")


def test_import_is_all_or_nothing_with_line_and_column(world):
    bad = ROWS + "M7,D,2012-01-01,2024-13-01 10:00,2024-04-01 09:00,,severe,maybe,,,perhaps,Nobody Ltd\n"
    bad += "M8,D,2012-01-01,2024-03-31 01:30,2024-03-30 09:00,,,,,,,\n"
    result = load(world, HEADER + bad)
    assert not result.ok and not Episode.objects.filter(external_ref__startswith="M").exists()
    assert (
        "line 8, column missing_from: '2024-13-01 10:00' is not a date and time in the form YYYY-MM-DD HH:MM"
        in result.errors
    )
    assert "line 8, column risk: 'severe' is not one of: absent, low, medium, high" in result.errors
    assert "line 8, column placed_out_of_area: 'maybe' is not one of: yes, no, unknown" in result.errors
    assert "line 8, column rhi_declined: 'perhaps' is not one of: yes, no" in result.errors
    assert any(e.startswith("line 8, column rhi_provider: unknown organisation 'Nobody Ltd'") for e in result.errors)
    assert (
        "line 9, column missing_from: 2024-03-31 01:30 did not happen in UK time (the clocks went forward): check the time"
        in result.errors
    )
    assert "line 9, column returned_at: this is before missing_from: check the date and time" not in result.errors


def test_import_rejects_return_before_missing_and_unknown_columns(world):
    result = load(world, HEADER + "M9,D,2012-01-01,2024-04-02 10:00,2024-04-01 10:00,,,,,,,\n")
    assert "line 2, column returned_at: this is before missing_from: check the date and time" in result.errors
    result = load(world, HEADER.replace("risk", "risks") + ROWS)
    assert not result.ok


def test_import_needs_the_missing_duty(world):
    MissingTeam.objects.all().delete()
    result = load(world, HEADER + ROWS)
    assert not result.ok and "'missing'" in result.errors[0]


def test_return_counts_exactly_as_the_spec_defines(world):
    assert load(world, HEADER + ROWS).ok
    # A strategy meeting held in time for M4 (due 2 July: after the period, so not due) and one for M2.
    m2 = Episode.objects.get(external_ref="M2")
    actions.record_strategy_meeting(world.coordinator, m2, held_at=at("2024-05-04 08:00"), attendees="Police, TVE")
    result = build(world)
    assert result == {
        "report": "missing",
        "period": {"from": "2024-04-01", "to": "2024-06-30"},
        "episodes": {
            # The world's own episode (1 June) counts too: M1, M2, M3, M4, M6 and it.
            "total": 6,
            "children": 4,
            "repeat_children": 1,
            "by_month": [
                {"month": "2024-04", "count": 1},
                {"month": "2024-05", "count": 2},
                {"month": "2024-06", "count": 3},
            ],
            # M1 is exactly 72:00 (not over), M2 is 72:01, M4 is 36 hours to the period's end.
            "over_72_hours": 1,
            "strategy_meetings_due": 1,
            "strategy_meetings_held_in_time": 1,
        },
        "return_home_interviews": {
            "returned": 5,
            # M1 at exactly 72:00 counts; M2 at 72:01 does not; M3 and M6 do.
            "offered_within_72h": 3,
            "offered_within_72h_percent": 60.0,
            "completed": 3,
            "completed_within_72h": 2,
            "declined": 1,
            "by_provider": [
                {"organisation": "Invented Return Interviews", "count": 2},
                {"organisation": "Invented Early Help Hub", "count": 1},
            ],
        },
    }
    assert list(result) == ["report", "period", "episodes", "return_home_interviews"]


def test_return_uses_the_dated_limits(world):
    assert load(world, HEADER + ROWS).ok
    MissingSetting.objects.create(
        partnership=world.partnership, key=SettingKey.LONG_MISSING_HOURS, value=24, effective_from=D(2024, 6, 1)
    )
    MissingSetting.objects.create(
        partnership=world.partnership, key=SettingKey.RHI_HOURS, value=100, effective_from=D(2024, 5, 1)
    )
    result = build(world)
    # M4 (29 June, 36 hours to the end) is now over 24 hours; M2's 72:01 offer is within 100 hours.
    assert result["episodes"]["over_72_hours"] == 2
    # Strategy meetings follow the threshold in force on the day each began: M2 at 72 hours, M4 at 24.
    assert result["episodes"]["strategy_meetings_due"] == 2
    assert result["return_home_interviews"]["offered_within_72h"] == 4
    assert MissingSetting.objects.filter(effective_from=DEFAULTS_FROM).count() == 5


def test_return_queries_do_not_grow_with_long_episodes(world):
    assert load(world, HEADER + ROWS).ok
    with CaptureQueriesContext(connection) as few:
        build(world)
    # Ten more children, each missing nine days in May: one strategy meeting due each.
    rows = "".join(
        f"L{n},L{n},2010-01-01,2024-05-{n + 1:02d} 08:00,2024-05-{n + 10:02d} 08:00,,high,no,,,,\n" for n in range(10)
    )
    assert load(world, HEADER + rows).ok
    with CaptureQueriesContext(connection) as many:
        result = build(world)
    assert result["episodes"]["over_72_hours"] == 11
    assert result["episodes"]["strategy_meetings_due"] == 11
    assert len(many) == len(few)


def test_return_in_every_format(world):
    assert load(world, HEADER + ROWS).ok
    kind = get_report("missing")
    report = Report(
        kind=kind, partnership=world.partnership, date_from=D(2024, 4, 1), date_to=D(2024, 6, 30), result=build(world)
    )
    html, _, _ = report.render("html")
    assert b"Missing episodes by month" in html and b"April 2024" in html
    for fmt in ("xlsx", "docx", "json"):
        content, _, name = report.render(fmt)
        assert content and name.endswith(fmt)
    assert json.loads(report.render("json")[0])["report"] == "missing"
