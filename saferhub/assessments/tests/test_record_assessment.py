"""record_assessment: answers, score, audit row and the case's risk level, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.models import Answer, Assessment, Stage
from saferhub.assessments.tests.world import build_assessment_world, dash_answers, lowest_answers, template
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.actions import StaleEdit
from saferhub.cases.models import Case, RiskLevel
from saferhub.cases.tests.factories import ParticipantFactory
from saferhub.people.tests.factories import PersonFactory


@pytest.fixture
def world(db):
    return build_assessment_world()


def test_writes_assessment_answers_audit_and_risk_level(world):
    person = ParticipantFactory(case=world.case).person
    version_before = world.case.version
    assessment = record_assessment(
        world.owner,
        world.case,
        world.dash,
        dash_answers(14, 2),
        stage=Stage.INITIAL,
        person=person,
        notes=" Seen at home ",
    )
    assessment.refresh_from_db()
    assert (assessment.score, assessment.band_label, assessment.risk_level) == (14, "High", RiskLevel.HIGH)
    assert assessment.person == person
    assert assessment.completed_by == world.owner
    assert assessment.template == world.dash
    assert assessment.partnership == world.partnership
    assert assessment.notes == "Seen at home"
    answers = {a.question.code: (a.value, a.score) for a in Answer.objects.filter(assessment=assessment)}
    assert len(answers) == 24
    assert answers["injured"] == ("yes", 1)
    assert answers["strangled"] == ("unknown", 0)
    assert answers["violent_history"] == ("no", 0)

    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="assessments.assessment")
    assert event.object_id == str(assessment.pk)
    assert event.case_id == world.case.pk
    assert event.user == world.owner
    assert event.detail == {
        "template": "dash_risk_checklist",
        "version": 1,
        "stage": "initial",
        "score": 14,
        "band": "High",
    }

    case = Case.objects.get(pk=world.case.pk)
    assert case.risk_level == RiskLevel.HIGH
    assert case.version == version_before + 1
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, case_id=case.pk, detail__fields=["risk_level"]).exists()


def test_case_risk_left_alone_when_asked(world):
    record_assessment(world.owner, world.case, world.dash, dash_answers(20), update_case_risk=False)
    assert Case.objects.get(pk=world.case.pk).risk_level == RiskLevel.NOT_ASSESSED
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_same_risk_level_does_not_touch_the_case(world):
    Case.objects.filter(pk=world.case.pk).update(risk_level=RiskLevel.STANDARD)
    case = Case.objects.get(pk=world.case.pk)
    record_assessment(world.owner, case, world.dash, dash_answers(3))
    assert Case.objects.get(pk=case.pk).version == case.version


def test_risk_level_follows_later_assessments_down(world):
    record_assessment(
        world.owner,
        world.case,
        world.asb,
        {
            **lowest_answers(world.asb),
            "frequency": "daily",
            "feels_unsafe": "always",
            "daily_life": "severe",
            "health": "crisis",
            "hate_motivated": "yes",
            "children_affected": "yes",
        },
    )
    case = Case.objects.get(pk=world.case.pk)
    assert case.risk_level == RiskLevel.HIGH
    record_assessment(world.owner, case, world.asb, lowest_answers(world.asb), stage=Stage.CLOSING)
    assert Case.objects.get(pk=case.pk).risk_level == RiskLevel.STANDARD


@pytest.mark.parametrize(
    "answers",
    [
        {**dash_answers(14), "not_a_question": "yes"},
        {**dash_answers(14), "weapon": "perhaps"},
        {k: v for k, v in dash_answers(14).items() if k != "weapon"},
    ],
    ids=["unknown code", "wrong value", "missing required"],
)
def test_bad_answers_write_nothing(world, answers):
    with pytest.raises(ValidationError):
        record_assessment(world.owner, world.case, world.dash, answers)
    assert not Assessment.objects.exists()
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action__in=[AuditAction.CREATE, AuditAction.UPDATE]).exists()
    assert Case.objects.get(pk=world.case.pk).risk_level == RiskLevel.NOT_ASSESSED


def test_stale_case_rolls_the_whole_assessment_back(world):
    stale = Case.objects.get(pk=world.case.pk)
    Case.objects.filter(pk=world.case.pk).update(version=stale.version + 1)
    with pytest.raises(StaleEdit):
        record_assessment(world.owner, stale, world.dash, dash_answers(15))
    assert not Assessment.objects.exists()
    assert not Answer.objects.exists()


def test_template_and_person_from_another_partnership_are_refused(world):
    other = PartnershipFactory()
    from saferhub.assessments.definitions import install_templates

    install_templates(other)
    with pytest.raises(ValidationError, match="another partnership"):
        record_assessment(world.owner, world.case, template(other, "dash_risk_checklist"), dash_answers(1))
    with pytest.raises(ValidationError, match="another partnership"):
        record_assessment(world.owner, world.case, world.dash, dash_answers(1), person=PersonFactory(partnership=other))
    with pytest.raises(ValidationError, match="not a stage"):
        record_assessment(world.owner, world.case, world.dash, dash_answers(1), stage="halfway")
    assert not Assessment.objects.exists()
