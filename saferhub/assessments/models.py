"""Assessment templates (questions, scores, bands) and the assessments recorded with them.

A template is versioned: once any assessment has been recorded against a version,
its questions, options and bands are frozen, so an old score can always be
explained by the questions that produced it. Changing a used template means
making a new version (`saferhub.assessments.definitions.new_version`).
"""

from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from saferhub.cases.models import RiskLevel
from saferhub.core.models import TimeStampedModel


class TemplateFrozen(Exception):
    """The template version has assessments recorded against it; make a new version instead."""


class AnswerKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    YES_NO_UNKNOWN = "yes_no_unknown", "Yes, no or not known"
    CHOICE = "choice", "One of a list of options"
    NUMBER = "number", "A whole number"
    TEXT = "text", "Free text"


class Stage(models.TextChoices):
    """When in the support the assessment was made (ASB reviews risk at start, middle and end)."""

    INITIAL = "initial", "Initial (start of support)"
    REVIEW = "review", "Review (during support)"
    CLOSING = "closing", "Closing (end of support)"


class AssessmentTemplateQuerySet(models.QuerySet["AssessmentTemplate"]):
    def for_partnership(self, partnership: Any) -> Self:
        return self.filter(partnership=partnership)

    def current(self) -> Self:
        """Active versions only; pick the highest version per code with `latest_by_code`."""
        return self.filter(active=True)

    def latest_by_code(self) -> dict[str, "AssessmentTemplate"]:
        latest: dict[str, AssessmentTemplate] = {}
        for template in self.order_by("code", "version"):
            latest[template.code] = template
        return latest


class AssessmentTemplate(TimeStampedModel):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="assessment_templates"
    )
    code = models.SlugField(max_length=50, help_text="Stable name shared by every version, e.g. dash_risk_checklist")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Offered for new assessments")
    # Hash of the shipped definition this version was installed from; blank for versions made by hand.
    source_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = AssessmentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code", "version"], name="unique_assessment_template_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def is_in_use(self) -> bool:
        return self.assessments.exists()

    def max_possible_score(self) -> int:
        return sum(question.max_score() for question in self.questions.all())

    def clean(self) -> None:
        if self.pk is not None:
            from saferhub.assessments.scoring import validate_bands

            validate_bands(self)


class _FrozenWithTemplate(models.Model):
    """Questions, options and bands cannot change once their template version has been used."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)

    def _template_id(self) -> int | None:
        raise NotImplementedError

    def _check_not_frozen(self) -> None:
        template_id = self._template_id()
        if template_id is not None and Assessment.objects.filter(template_id=template_id).exists():
            raise TemplateFrozen("This template version has been used: make a new version to change it.")


class Question(_FrozenWithTemplate):
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(help_text="Order on the form, from 1")
    code = models.SlugField(max_length=50)
    section = models.CharField(max_length=100, blank=True, help_text="Heading the question is grouped under")
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    answer_kind = models.CharField(max_length=20, choices=AnswerKind.choices, default=AnswerKind.YES_NO)
    yes_score = models.PositiveSmallIntegerField(default=1, help_text="Points for a 'yes' answer")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="unique_question_code"),
            models.UniqueConstraint(fields=["template", "number"], name="unique_question_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    def _template_id(self) -> int | None:
        return self.template_id

    @property
    def is_yes_no(self) -> bool:
        return self.answer_kind in (AnswerKind.YES_NO, AnswerKind.YES_NO_UNKNOWN)

    def max_score(self) -> int:
        if self.is_yes_no:
            return self.yes_score
        if self.answer_kind == AnswerKind.CHOICE:
            return max((option.score for option in self.options.all()), default=0)
        return 0  # numbers and free text are recorded, not scored


class Option(_FrozenWithTemplate):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=50)
    label = models.CharField(max_length=300)
    score = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="unique_option_code")]

    def __str__(self) -> str:
        return self.label

    def _template_id(self) -> int | None:
        return Question.objects.filter(pk=self.question_id).values_list("template_id", flat=True).first()


class Band(_FrozenWithTemplate):
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(max_length=50)
    min_score = models.PositiveIntegerField()
    max_score = models.PositiveIntegerField()
    risk_level = models.CharField(
        max_length=20,
        choices=RiskLevel.choices,
        blank=True,
        help_text="The case's risk level this band sets; blank leaves it alone",
    )

    class Meta:
        ordering = ["template", "min_score"]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_score__lte=models.F("max_score")), name="band_min_le_max"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.min_score}–{self.max_score})"

    def _template_id(self) -> int | None:
        return self.template_id

    def clean(self) -> None:
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            raise ValidationError(f"Band '{self.label}': the lowest score cannot be above the highest.")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_case(self, case: Any) -> Self:
        return self.filter(case=case)

    def with_list_columns(self) -> Self:
        return self.select_related("template", "completed_by", "person")


class Assessment(TimeStampedModel):
    """One completed assessment. Never edited: a correction is a new assessment."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INITIAL)
    completed_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    score = models.PositiveIntegerField()
    band_label = models.CharField(max_length=50, blank=True)
    risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    notes = models.TextField(blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "completed_at"], name="assessment_case_at_idx"),
            models.Index(fields=["partnership", "template", "completed_at"], name="assessment_template_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({self.get_stage_display()}), score {self.score}"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # Normalised: "yes"/"no"/"unknown", an option code, digits, or the text given.
    value = models.TextField(blank=True)
    score = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "question__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="unique_answer_question")]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"
