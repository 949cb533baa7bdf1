"""Scoring: pure functions of a template and a set of answers. Nothing here writes to the database.

Answers are a dict of question code to value:
- yes/no questions: "yes", "no" (and "unknown" where allowed); True/False are accepted;
- choice questions: the option's code;
- number questions: a whole number (int or digits), recorded but not scored;
- text questions: any text, recorded but not scored.
A missing, None or blank value means "not answered".
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from saferhub.assessments.models import AnswerKind, AssessmentTemplate, Band, Question

YES, NO, UNKNOWN = "yes", "no", "unknown"
# Keyed by the stored answer kind (a plain string on the question).
_YES_NO_VALUES: dict[str, tuple[str, ...]] = {
    AnswerKind.YES_NO: (YES, NO),
    AnswerKind.YES_NO_UNKNOWN: (YES, NO, UNKNOWN),
}


def _questions(template: AssessmentTemplate) -> list[Question]:
    return list(template.questions.all())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _name(question: Question) -> str:
    return f"Question {question.number} ({question.text})"


def normalise(question: Question, value: Any) -> str:
    """The stored form of one answer, or ValidationError naming the question."""
    kind = question.answer_kind
    if kind in _YES_NO_VALUES:
        if isinstance(value, bool):
            return YES if value else NO
        text = str(value).strip().lower()
        allowed = _YES_NO_VALUES[kind]
        if text not in allowed:
            raise ValidationError(f"{_name(question)}: answer {' or '.join(allowed)}, not '{value}'.")
        return text
    if kind == AnswerKind.CHOICE:
        text = str(value).strip()
        codes = [option.code for option in question.options.all()]
        if text not in codes:
            raise ValidationError(f"{_name(question)}: '{value}' is not one of the options ({', '.join(codes)}).")
        return text
    if kind == AnswerKind.NUMBER:
        if isinstance(value, bool):
            raise ValidationError(f"{_name(question)}: give a whole number.")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(f"{_name(question)}: give a whole number, not '{value}'.") from None
        if number < 0:
            raise ValidationError(f"{_name(question)}: the number cannot be negative.")
        return str(number)
    return str(value).strip()


def points(question: Question, value: str) -> int:
    """Points for one normalised answer."""
    if question.is_yes_no:
        return question.yes_score if value == YES else 0
    if question.answer_kind == AnswerKind.CHOICE:
        for option in question.options.all():
            if option.code == value:
                return option.score
    return 0


def _check_known(questions: Iterable[Question], answers: Mapping[str, Any]) -> None:
    known = {question.code for question in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationError({code: f"'{code}' is not a question in this assessment." for code in unknown})


def clean_answers(template: AssessmentTemplate, answers: Mapping[str, Any], *, complete: bool = True) -> dict[str, str]:
    """Normalised answers keyed by question code, leaving out unanswered questions.

    Raises one ValidationError whose error_dict is keyed by question code, so a form can
    put each message beside its question. With `complete`, required questions must be answered.
    """
    questions = _questions(template)
    _check_known(questions, answers)
    cleaned: dict[str, str] = {}
    errors: dict[str, ValidationError] = {}
    for question in questions:
        value = answers.get(question.code)
        if _blank(value):
            if complete and question.required:
                errors[question.code] = ValidationError(f"{_name(question)}: answer this question.")
            continue
        try:
            cleaned[question.code] = normalise(question, value)
        except ValidationError as exc:
            errors[question.code] = exc
    if errors:
        raise ValidationError(errors)
    return cleaned


def band_for(template: AssessmentTemplate, total: int) -> Band | None:
    for band in template.bands.all():
        if band.min_score <= total <= band.max_score:
            return band
    return None


def score(template: AssessmentTemplate, answers: Mapping[str, Any]) -> tuple[int, Band | None]:
    """The total score and the band it falls in. Unanswered questions score nothing.

    Prefetch `questions__options` and `bands` on the template to run without queries.
    """
    cleaned = clean_answers(template, answers, complete=False)
    by_code = {question.code: question for question in _questions(template)}
    total = sum(points(by_code[code], value) for code, value in cleaned.items())
    return total, band_for(template, total)


def check_bands(bands: Iterable[tuple[str, int, int]], max_score: int) -> list[str]:
    """Problems with a set of (label, min, max) bands: each must be sound, none may overlap,
    and together they must cover every score from 0 to `max_score` without a gap."""
    problems: list[str] = []
    ordered = sorted(bands, key=lambda band: (band[1], band[2]))
    if not ordered:
        return ["Add at least one band."]
    for label, low, high in ordered:
        if low > high:
            problems.append(f"Band '{label}': the lowest score ({low}) is above the highest ({high}).")
    expected = 0
    previous = None
    for label, low, high in ordered:
        if low > expected:
            gap = f"{expected}" if low - 1 == expected else f"{expected}–{low - 1}"
            problems.append(f"No band covers a score of {gap}.")
        elif low < expected and previous is not None:
            problems.append(f"Bands '{previous}' and '{label}' overlap.")
        expected = max(expected, high + 1)
        previous = label
    if expected <= max_score:
        problems.append(f"No band covers scores from {expected} to {max_score}, the highest possible score.")
    return problems


def validate_bands(template: AssessmentTemplate) -> None:
    problems = check_bands(
        ((band.label, band.min_score, band.max_score) for band in template.bands.all()),
        template.max_possible_score(),
    )
    if problems:
        raise ValidationError(problems)
