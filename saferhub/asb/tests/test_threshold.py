"""The Case Review threshold is computed from recorded reports, as RULES.md describes."""

import datetime

import pytest

from saferhub.asb import actions
from saferhub.asb.models import ReportedTo, SettingKey
from saferhub.asb.tests.world import build_world
from saferhub.asb.threshold import evaluate

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


def report(w, behaviour_on, reported_on, *, incident=None, to=ReportedTo.COUNCIL, hate=False, reporter=None):
    return actions.record_report(
        w.owner,
        w.case,
        reported_to=to,
        reported_on=reported_on,
        incident=incident,
        behaviour_on=behaviour_on,
        summary="Loud music at night",
        hate_incident=hate,
        reporter=reporter or w.victim,
    )


def test_three_qualifying_reports_in_six_months_meet_the_threshold(world):
    report(world, D(2024, 1, 5), D(2024, 1, 6))
    report(world, D(2024, 2, 5), D(2024, 2, 6))
    assert not evaluate(world.partnership, world.case, D(2024, 6, 1)).met
    report(world, D(2024, 3, 5), D(2024, 4, 5))  # exactly one month after: qualifies
    result = evaluate(world.partnership, world.case, D(2024, 6, 1))
    assert result.met and result.rule == "qualifying_reports" and result.incidents == 3


def test_one_incident_reported_to_several_bodies_counts_once(world):
    first = report(world, D(2024, 1, 5), D(2024, 1, 6))
    report(world, None, D(2024, 1, 7), incident=first.incident, to=ReportedTo.POLICE)
    report(world, None, D(2024, 1, 8), incident=first.incident, to=ReportedTo.SOCIAL_LANDLORD)
    result = evaluate(world.partnership, world.case, D(2024, 2, 1))
    assert not result.met and result.incidents == 1
    assert [line.reason for line in result.lines][1:] == ["same incident as a report already counted"] * 2


def test_late_reports_and_reports_outside_the_window_do_not_count(world):
    report(world, D(2023, 6, 1), D(2023, 6, 2))  # more than 6 months before the application
    report(world, D(2024, 1, 1), D(2024, 2, 2))  # more than a month after the behaviour
    report(world, D(2024, 3, 1), D(2024, 3, 2))
    result = evaluate(world.partnership, world.case, D(2024, 4, 1))
    assert result.incidents == 1 and not result.met
    assert [line.counted for line in result.lines] == [False, False, True]


def test_one_hate_incident_meets_the_alternative_threshold_unless_switched_off(world):
    report(world, D(2024, 3, 1), D(2024, 3, 2), hate=True)
    assert evaluate(world.partnership, world.case, D(2024, 4, 1)).rule == "hate_incident"
    actions.set_setting(
        world.admin, world.partnership, key=SettingKey.CR_HATE_INCIDENTS, value=0, effective_from=D(2024, 1, 1)
    )
    assert not evaluate(world.partnership, world.case, D(2024, 4, 1)).met


def test_threshold_number_is_a_setting(world):
    actions.set_setting(
        world.admin, world.partnership, key=SettingKey.CR_QUALIFYING_REPORTS, value=2, effective_from=D(2024, 1, 1)
    )
    report(world, D(2024, 3, 1), D(2024, 3, 2))
    report(world, D(2024, 3, 8), D(2024, 3, 9))
    assert evaluate(world.partnership, world.case, D(2024, 4, 1)).met


def test_a_second_report_within_six_months_flags_the_case_review_explanation(world):
    first = report(world, D(2024, 1, 5), D(2024, 1, 6))
    assert not first.case_review_explanation_due
    second = report(world, D(2024, 5, 5), D(2024, 5, 6))
    assert second.case_review_explanation_due
    action = world.case.actions.get()
    assert "Explain the ASB Case Review" in action.title and action.owner == world.owner
    third = report(world, D(2024, 5, 20), D(2024, 5, 21))
    assert not third.case_review_explanation_due and world.case.actions.count() == 1  # already flagged in the window
    other_person = report(world, D(2024, 5, 7), D(2024, 5, 8), reporter=world.subject)
    assert not other_person.case_review_explanation_due


def test_a_report_cannot_predate_the_behaviour(world):
    with pytest.raises(ValueError, match="before the behaviour"):
        report(world, D(2024, 5, 5), D(2024, 5, 4))
