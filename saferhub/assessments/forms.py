"""The assessment form, generated from a template's questions."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from saferhub.assessments.models import AnswerKind, AssessmentTemplate, Question, Stage
from saferhub.core.forms import GovukFormMixin
from saferhub.people.models import Person

FIELD_PREFIX = "q_"
_YES_NO = [("yes", "Yes"), ("no", "No")]
_YES_NO_UNKNOWN = [*_YES_NO, ("unknown", "Not known")]


def _question_field(question: Question) -> forms.Field:
    label = f"{question.number}. {question.text}"
    common: dict[str, Any] = {"label": label, "required": question.required, "help_text": question.help_text}
    kind = question.answer_kind
    if kind == AnswerKind.YES_NO:
        return forms.ChoiceField(choices=_YES_NO, widget=forms.RadioSelect, **common)
    if kind == AnswerKind.YES_NO_UNKNOWN:
        return forms.ChoiceField(choices=_YES_NO_UNKNOWN, widget=forms.RadioSelect, **common)
    if kind == AnswerKind.CHOICE:
        choices = [(option.code, option.label) for option in question.options.all()]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == AnswerKind.NUMBER:
        return forms.IntegerField(
            min_value=0, widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}), **common
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return str(obj)


class AssessmentForm(GovukFormMixin, forms.Form):
    """Stage, who was assessed, one field per question (`q_<code>`), and notes.

    Required messages name the question, so the error summary reads on its own.
    """

    stage = forms.ChoiceField(
        label="When in the support is this assessment?",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when in the support this assessment is made"},
    )

    def __init__(self, *args: Any, template: AssessmentTemplate, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        self.questions = list(template.questions.all())
        if people is not None and people.exists():
            self.fields["person"] = PersonChoiceField(
                queryset=people,
                required=False,
                empty_label=None,
                widget=forms.RadioSelect,
                label="Who was assessed?",
                help_text="Leave blank if the assessment is not about one person on the case.",
            )
        for question in self.questions:
            field = _question_field(question)
            field.error_messages["required"] = f"Answer question {question.number}: {question.text}"
            field.error_messages["invalid_choice"] = f"Choose one of the answers to question {question.number}"
            self.fields[FIELD_PREFIX + question.code] = field
        self.fields["notes"] = forms.CharField(
            label="Notes",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Anything that explains the answers, including professional judgement.",
        )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Question fields grouped under their section headings, in question order."""
        grouped: list[tuple[str, list[forms.BoundField]]] = []
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.section:
                grouped.append((question.section, []))
            grouped[-1][1].append(self[FIELD_PREFIX + question.code])
        return grouped

    def inline_fields(self) -> set[str]:
        """Yes/no questions sit their answers side by side."""
        return {FIELD_PREFIX + q.code for q in self.questions if q.is_yes_no}

    def answers(self) -> dict[str, Any]:
        return {q.code: self.cleaned_data.get(FIELD_PREFIX + q.code) for q in self.questions}

    def add_answer_errors(self, error: ValidationError) -> None:
        """Put errors from `record_assessment` (keyed by question code) beside their questions."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for code, errors in error.error_dict.items():
            name = FIELD_PREFIX + code
            self.add_error(name if name in self.fields else None, errors)
