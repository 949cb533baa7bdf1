"""Template definitions shipped as JSON (`templates_data/*.json`), installing them, and making new versions.

A definition file looks like:

    {"code": "...", "name": "...", "description": "...",
     "questions": [{"code": "...", "text": "...", "help_text": "...", "section": "...",
                    "answer_kind": "yes_no", "yes_score": 1, "required": true,
                    "options": [{"code": "...", "label": "...", "score": 0}]}],
     "bands": [{"label": "Standard", "min_score": 0, "max_score": 9, "risk_level": "standard"}]}
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from saferhub.assessments.models import AnswerKind, AssessmentTemplate, Band, Option, Question
from saferhub.assessments.scoring import validate_bands

DATA_DIR = Path(__file__).resolve().parent / "templates_data"


def load_definitions() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DATA_DIR.glob("*.json"))]


def fingerprint(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _create_questions(template: AssessmentTemplate, questions: list[dict[str, Any]]) -> None:
    for number, spec in enumerate(questions, start=1):
        kind = spec.get("answer_kind", AnswerKind.YES_NO)
        if kind not in AnswerKind.values:
            raise ValidationError(f"Question '{spec.get('code')}': unknown answer kind '{kind}'.")
        question = Question.objects.create(
            template=template,
            number=number,
            code=spec["code"],
            section=spec.get("section", ""),
            text=spec["text"],
            help_text=spec.get("help_text", ""),
            answer_kind=kind,
            yes_score=spec.get("yes_score", 1),
            required=spec.get("required", True),
        )
        if kind == AnswerKind.CHOICE and not spec.get("options"):
            raise ValidationError(f"Question '{question.code}' is a choice with no options.")
        Option.objects.bulk_create(
            Option(question=question, order=order, code=o["code"], label=o["label"], score=o.get("score", 0))
            for order, o in enumerate(spec.get("options", []), start=1)
        )


@transaction.atomic
def create_template(partnership: Any, definition: dict[str, Any], *, version: int = 1) -> AssessmentTemplate:
    """One template version from a definition; its bands are checked before anything is kept."""
    template = AssessmentTemplate.objects.create(
        partnership=partnership,
        code=definition["code"],
        name=definition["name"],
        description=definition.get("description", ""),
        version=version,
        source_fingerprint=fingerprint(definition),
    )
    _create_questions(template, definition["questions"])
    Band.objects.bulk_create(
        Band(
            template=template,
            label=b["label"],
            min_score=b["min_score"],
            max_score=b["max_score"],
            risk_level=b.get("risk_level", ""),
        )
        for b in definition["bands"]
    )
    validate_bands(template)
    return template


def _next_version(partnership: Any, code: str) -> int:
    latest = AssessmentTemplate.objects.filter(partnership=partnership, code=code).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


@transaction.atomic
def install_templates(partnership: Any) -> list[AssessmentTemplate]:
    """Install the shipped templates a partnership lacks; returns the versions created.

    Idempotent. A definition already installed (same fingerprint, any version) is left
    alone, so local versions made since are respected. A changed definition becomes a new
    active version and older versions stop being offered; no existing version is altered
    apart from that `active` flag.
    """
    created = []
    for definition in load_definitions():
        existing = AssessmentTemplate.objects.filter(partnership=partnership, code=definition["code"])
        if existing.filter(source_fingerprint=fingerprint(definition)).exists():
            continue
        version = _next_version(partnership, definition["code"])
        existing.filter(active=True).update(active=False)
        created.append(create_template(partnership, definition, version=version))
    return created


@transaction.atomic
def new_version(template: AssessmentTemplate) -> AssessmentTemplate:
    """A copy of `template` as the next version, to be edited; the copy replaces it on the start page.

    The copy starts inactive so a half-edited version is not offered: call `publish` when it is ready.
    """
    copy = AssessmentTemplate.objects.create(
        partnership_id=template.partnership_id,
        code=template.code,
        name=template.name,
        description=template.description,
        version=_next_version(template.partnership_id, template.code),
        active=False,
    )
    for question in template.questions.prefetch_related("options"):
        options = list(question.options.all())
        question.pk = None
        question.template = copy
        question.save()
        Option.objects.bulk_create(
            Option(question=question, order=o.order, code=o.code, label=o.label, score=o.score) for o in options
        )
    Band.objects.bulk_create(
        Band(template=copy, label=b.label, min_score=b.min_score, max_score=b.max_score, risk_level=b.risk_level)
        for b in template.bands.all()
    )
    return copy


@transaction.atomic
def publish(template: AssessmentTemplate) -> AssessmentTemplate:
    """Offer this version for new assessments instead of every other version of the same code."""
    validate_bands(template)
    AssessmentTemplate.objects.filter(partnership_id=template.partnership_id, code=template.code).exclude(
        pk=template.pk
    ).update(active=False)
    template.active = True
    template.save(update_fields=["active", "modified_at"])
    return template
