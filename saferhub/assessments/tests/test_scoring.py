"""Scores and bands for the shipped templates, and how answers are checked."""

import pytest
from django.core.exceptions import ValidationError

from saferhub.assessments.scoring import clean_answers, score
from saferhub.assessments.tests.world import (
    DASH_CODES,
    build_assessment_world,
    dash_answers,
    highest_answers,
    lowest_answers,
)


@pytest.fixture
def world(db):
    return build_assessment_world()


def test_dash_codes_match_the_shipped_checklist(world):
    assert [q.code for q in world.dash.questions.all()] == DASH_CODES


@pytest.mark.parametrize(
    ("yes", "unknown", "expected_band", "expected_risk"),
    [
        (0, 0, "Standard", "standard"),
        (0, 24, "Standard", "standard"),
        (9, 0, "Standard", "standard"),
        (9, 5, "Standard", "standard"),
        (10, 0, "Medium", "medium"),
        (13, 0, "Medium", "medium"),
        (13, 11, "Medium", "medium"),
        (14, 0, "High", "high"),
        (20, 2, "High", "high"),
        (24, 0, "High", "high"),
    ],
)
def test_dash_counts_yes_answers_and_bands_them(world, yes, unknown, expected_band, expected_risk):
    total, band = score(world.dash, dash_answers(yes, unknown))
    assert total == yes
    assert (band.label, band.risk_level) == (expected_band, expected_risk)


@pytest.mark.parametrize(
    ("code", "changes", "expected_score", "expected_band"),
    [
        ("victim_needs_risk", {}, 0, "Low"),
        ("victim_needs_risk", {"safe_at_home": "unsafe", "housing": "homeless", "money": "serious"}, 8, "Low"),
        (
            "victim_needs_risk",
            {"safe_at_home": "unsafe", "housing": "homeless", "money": "serious", "targeted": "yes"},
            10,
            "Medium",
        ),
        ("asb_vulnerability", {}, 0, "Standard"),
        (
            "asb_vulnerability",
            {"hate_motivated": "yes", "frequency": "daily", "children_affected": "yes"},
            8,
            "Standard",
        ),
        (
            "asb_vulnerability",
            {"hate_motivated": "yes", "frequency": "daily", "children_affected": "yes", "lives_alone": "yes"},
            9,
            "Medium",
        ),
    ],
)
def test_choice_and_weighted_answers(world, code, changes, expected_score, expected_band):
    template = world.needs if code == "victim_needs_risk" else world.asb
    total, band = score(template, {**lowest_answers(template), **changes})
    assert (total, band.label) == (expected_score, expected_band)


@pytest.mark.parametrize(
    ("attr", "expected_score", "expected_band"),
    [("dash", 24, "High"), ("needs", 30, "High"), ("asb", 26, "High")],
)
def test_highest_answers_reach_the_top_band(world, attr, expected_score, expected_band):
    template = getattr(world, attr)
    total, band = score(template, highest_answers(template))
    assert total == expected_score == template.max_possible_score()
    assert band.label == expected_band


def test_numbers_and_text_are_recorded_but_not_scored(world):
    answers = {**lowest_answers(world.asb), "reports_last_6_months": "7"}
    assert score(world.asb, answers)[0] == 0
    assert clean_answers(world.asb, answers)["reports_last_6_months"] == "7"
    needs = {**lowest_answers(world.needs), "other_needs": "  Needs an interpreter  "}
    assert clean_answers(world.needs, needs)["other_needs"] == "Needs an interpreter"


def test_booleans_and_case_are_accepted_for_yes_no(world):
    answers = {code: True for code in DASH_CODES[:3]} | {code: "No" for code in DASH_CODES[3:]}
    assert score(world.dash, answers)[0] == 3


def test_unanswered_questions_score_nothing(world):
    assert score(world.dash, {"injured": "yes"})[0] == 1


@pytest.mark.parametrize(
    ("answers_change", "code", "message"),
    [
        ({"no_such_question": "yes"}, "no_such_question", "is not a question"),
        ({"injured": "maybe"}, "injured", "Question 1 ("),
        ({"injured": ""}, "injured", "answer this question"),
    ],
)
def test_bad_dash_answers_name_the_question(world, answers_change, code, message):
    with pytest.raises(ValidationError) as exc:
        clean_answers(world.dash, {**dash_answers(0), **answers_change})
    assert message in " ".join(exc.value.message_dict[code])


def test_yes_no_question_refuses_unknown(world):
    with pytest.raises(ValidationError) as exc:
        clean_answers(world.asb, {**lowest_answers(world.asb), "lives_alone": "unknown"})
    assert "yes or no" in exc.value.message_dict["lives_alone"][0]


@pytest.mark.parametrize("value", ["lots", "-2", "1.5", True])
def test_number_must_be_a_whole_number(world, value):
    with pytest.raises(ValidationError) as exc:
        clean_answers(world.asb, {**lowest_answers(world.asb), "reports_last_6_months": value})
    assert "reports_last_6_months" in exc.value.message_dict


def test_choice_must_be_an_option(world):
    with pytest.raises(ValidationError) as exc:
        clean_answers(world.needs, {**lowest_answers(world.needs), "housing": "castle"})
    assert "'castle' is not one of the options" in exc.value.message_dict["housing"][0]


def test_every_missing_required_question_is_reported(world):
    with pytest.raises(ValidationError) as exc:
        clean_answers(world.needs, {})
    assert len(exc.value.message_dict) == 12  # "other_needs" is optional
    assert "other_needs" not in exc.value.message_dict
