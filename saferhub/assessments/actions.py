"""Recording an assessment: one transaction writing the assessment, its answers, the audit row
and (optionally) the case's new risk level. Callers check permission through `saferhub.policy`."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.assessments.models import Answer, Assessment, AssessmentTemplate, Stage
from saferhub.assessments.scoring import clean_answers, points, score
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Case


def _check_belongs(case: Case, template: AssessmentTemplate, person: Any, stage: str) -> None:
    if template.partnership_id != case.partnership_id:
        raise ValidationError("This assessment template belongs to another partnership.")
    if person is not None and person.partnership_id != case.partnership_id:
        raise ValidationError("The person assessed belongs to another partnership.")
    if stage not in Stage.values:
        raise ValidationError(f"'{stage}' is not a stage: use {', '.join(Stage.values)}.")


@transaction.atomic
def record_assessment(
    user: Any,
    case: Case,
    template: AssessmentTemplate,
    answers: Mapping[str, Any],
    *,
    stage: str = Stage.INITIAL,
    person: Any = None,
    notes: str = "",
    update_case_risk: bool = True,
    completed_at: Any = None,
    request: HttpRequest | None = None,
) -> Assessment:
    """Validate, score and keep one assessment; nothing is written when an answer is wrong.

    Raises ValidationError (error_dict keyed by question code) for an unknown question,
    a required question left unanswered or a value the question does not take, and
    `saferhub.cases.actions.StaleEdit` when the case's risk level should follow but the
    case changed since it was read (the whole assessment is then rolled back).
    """
    _check_belongs(case, template, person, stage)
    cleaned = clean_answers(template, answers)
    total, band = score(template, cleaned)
    questions = {question.code: question for question in template.questions.all()}
    assessment = Assessment.objects.create(
        partnership_id=case.partnership_id,
        case=case,
        person=person,
        template=template,
        stage=stage,
        completed_at=completed_at or timezone.now(),
        completed_by=user if getattr(user, "pk", None) else None,
        score=total,
        band_label=band.label if band else "",
        risk_level=band.risk_level if band else "",
        notes=notes.strip(),
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=questions[code], value=value, score=points(questions[code], value))
        for code, value in cleaned.items()
    )
    log.record(
        user,
        AuditAction.CREATE,
        assessment,
        request=request,
        partnership=case.partnership,
        detail={
            "template": template.code,
            "version": template.version,
            "stage": stage,
            "score": total,
            "band": assessment.band_label,
        },
    )
    if update_case_risk and assessment.risk_level and assessment.risk_level != case.risk_level:
        case_actions.update_case(
            user, case, expected_version=case.version, changes={"risk_level": assessment.risk_level}, request=request
        )
    return assessment
