"""Used template versions are frozen; new versions and installs never alter them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.assessments import definitions
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.definitions import install_templates, new_version, publish
from saferhub.assessments.models import AssessmentTemplate, Band, Option, Question, TemplateFrozen
from saferhub.assessments.tests.world import build_assessment_world, dash_answers, template


@pytest.fixture
def world(db):
    return build_assessment_world()


def _use(world, t=None):
    return record_assessment(world.owner, world.case, t or world.dash, dash_answers(5))


def test_unused_version_can_be_edited(world):
    question = world.dash.questions.get(code="weapon")
    question.text = "Changed wording"
    question.save()
    assert Question.objects.get(pk=question.pk).text == "Changed wording"


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.questions.get(code="weapon").save(),
        lambda t: t.questions.get(code="weapon").delete(),
        lambda t: Question.objects.create(template=t, number=99, code="extra", text="An extra question"),
        lambda t: t.bands.get(label="High").save(),
        lambda t: t.bands.get(label="High").delete(),
        lambda t: Band.objects.create(template=t, label="Extra", min_score=30, max_score=31),
    ],
    ids=["edit question", "delete question", "add question", "edit band", "delete band", "add band"],
)
def test_used_version_is_frozen(world, change):
    _use(world)
    with pytest.raises(TemplateFrozen):
        change(world.dash)


def test_used_options_are_frozen(world):
    needs = world.needs
    answers = {q.code: q.options.all()[0].code for q in needs.questions.all() if q.answer_kind == "choice"}
    record_assessment(world.owner, world.case, needs, answers)
    option = Option.objects.filter(question__template=needs).first()
    option.score = 9
    with pytest.raises(TemplateFrozen):
        option.save()


def test_new_version_copies_questions_options_and_bands_and_leaves_the_used_one(world):
    needs = world.needs
    answers = {q.code: q.options.all()[0].code for q in needs.questions.all() if q.answer_kind == "choice"}
    assessment = record_assessment(world.owner, world.case, needs, answers)
    copy = new_version(needs)
    assert (copy.code, copy.version, copy.active) == (needs.code, 2, False)
    assert [q.code for q in copy.questions.all()] == [q.code for q in needs.questions.all()]
    assert (
        Option.objects.filter(question__template=copy).count()
        == Option.objects.filter(question__template=needs).count()
    )
    assert [(b.label, b.min_score, b.max_score) for b in copy.bands.all()] == [
        (b.label, b.min_score, b.max_score) for b in needs.bands.all()
    ]
    question = copy.questions.get(code="housing")
    question.text = "Where is the victim living now?"
    question.save()  # the copy is unused, so it can change
    publish(copy)
    needs.refresh_from_db()
    assert not needs.active
    assert template(world.partnership, "victim_needs_risk") == copy
    assert needs.questions.get(code="housing").text == "What is the victim's housing situation?"
    assert assessment.template_id == needs.pk


def test_install_is_idempotent(db):
    partnership = PartnershipFactory()
    created = install_templates(partnership)
    assert sorted(t.code for t in created) == [
        "asb_vulnerability",
        "ceam_tool",
        "dash_risk_checklist",
        "rj_enhanced_risk_assessment",
        "rj_risk_assessment",
        "victim_needs_risk",
    ]
    counts = (
        AssessmentTemplate.objects.count(),
        Question.objects.count(),
        Option.objects.count(),
        Band.objects.count(),
    )
    assert install_templates(partnership) == []
    assert (
        AssessmentTemplate.objects.count(),
        Question.objects.count(),
        Option.objects.count(),
        Band.objects.count(),
    ) == counts


def test_install_respects_a_local_version(world):
    publish(new_version(world.dash))
    assert install_templates(world.partnership) == []
    assert template(world.partnership, "dash_risk_checklist").version == 2


def test_changed_definition_becomes_a_new_version_and_the_used_one_is_untouched(world, monkeypatch):
    _use(world)
    original = definitions.load_definitions()
    dash = next(d for d in original if d["code"] == "dash_risk_checklist")
    dash["questions"][0]["text"] = "Was the victim injured in the latest incident?"
    monkeypatch.setattr(definitions, "load_definitions", lambda: original)
    created = install_templates(world.partnership)
    assert [(t.code, t.version, t.active) for t in created] == [("dash_risk_checklist", 2, True)]
    world.dash.refresh_from_db()
    assert not world.dash.active
    assert world.dash.questions.get(code="injured").text.startswith("Did the latest incident")
    assert install_templates(world.partnership) == []


def test_command_installs_for_one_or_every_partnership(db, capsys):
    first = PartnershipFactory(slug="first-borough")
    second = PartnershipFactory(slug="second-borough")
    call_command("install_assessment_templates", "--partnership", "first-borough")
    shipped = len(list((Path(settings.BASE_DIR) / "saferhub" / "assessments" / "templates_data").glob("*.json")))
    assert first.assessment_templates.count() == shipped
    assert not second.assessment_templates.exists()
    call_command("install_assessment_templates")
    out = capsys.readouterr().out
    assert "first-borough: nothing new" in out
    assert second.assessment_templates.count() == shipped
    with pytest.raises(CommandError, match="no partnership 'nowhere'"):
        call_command("install_assessment_templates", "--partnership", "nowhere")
