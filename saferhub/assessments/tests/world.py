"""Shared set-up for the assessment tests (a helper module: it holds no tests)."""

from types import SimpleNamespace
from typing import Any

from saferhub.assessments.definitions import install_templates
from saferhub.assessments.models import AssessmentTemplate
from saferhub.cases.tests.test_case_world import build_world

DASH_CODES = [
    "injured",
    "very_frightened",
    "fears_what_next",
    "cut_off",
    "low_or_hopeless",
    "recent_separation",
    "child_contact_disputes",
    "unwanted_contact",
    "pregnant_or_new_baby",
    "getting_worse",
    "more_often",
    "controlling",
    "weapon",
    "threat_to_kill",
    "strangled",
    "sexual_abuse",
    "others_threatening",
    "harmed_children",
    "harmed_others_or_animals",
    "money_worries",
    "drink_drugs_mental_health",
    "suicide_threats",
    "broken_conditions",
    "violent_history",
]


def template(partnership: Any, code: str) -> AssessmentTemplate:
    found = (
        AssessmentTemplate.objects.filter(partnership=partnership, code=code, active=True)
        .prefetch_related("questions__options", "bands")
        .order_by("-version")
        .first()
    )
    assert found is not None, f"no active {code} template"
    return found


def dash_answers(yes: int, unknown: int = 0) -> dict[str, str]:
    """`yes` questions answered yes, the next `unknown` not known, the rest no."""
    answers = {}
    for index, code in enumerate(DASH_CODES):
        answers[code] = "yes" if index < yes else "unknown" if index < yes + unknown else "no"
    return answers


def lowest_answers(t: AssessmentTemplate) -> dict[str, Any]:
    """Every required question answered with its lowest-scoring answer."""
    answers: dict[str, Any] = {}
    for question in t.questions.all():
        if question.is_yes_no:
            answers[question.code] = "no"
        elif question.answer_kind == "choice":
            answers[question.code] = min(question.options.all(), key=lambda o: o.score).code
    return answers


def highest_answers(t: AssessmentTemplate) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in t.questions.all():
        if question.is_yes_no:
            answers[question.code] = "yes"
        elif question.answer_kind == "choice":
            answers[question.code] = max(question.options.all(), key=lambda o: o.score).code
    return answers


def build_assessment_world() -> SimpleNamespace:
    w = build_world()
    install_templates(w.partnership)
    w.dash = template(w.partnership, "dash_risk_checklist")
    w.needs = template(w.partnership, "victim_needs_risk")
    w.asb = template(w.partnership, "asb_vulnerability")
    return w
