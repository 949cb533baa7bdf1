"""Forms of the governance pages. Every message names its field and what to do."""

import datetime
from typing import Any

from django import forms

from saferhub.accounts.models import Agency
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.governance.models import ActivityKind, Audience, CommitmentStatus, Rag
from saferhub.places.models import Ward


def _rag_choices() -> list[tuple[str, str]]:
    return [("", "Work it out from the status"), *[(value, label) for value, label in Rag.choices if value]]


class ProgrammeField(forms.CharField):
    """A programme as people write it ("Restorative justice"), kept as its code (`restorative_justice`),
    the same way the activities import reads it."""

    def prepare_value(self, value: Any) -> Any:
        return str(value).replace("_", " ").capitalize() if isinstance(value, str) and "_" in value else value

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return "_".join(text.lower().replace("-", " ").split())[: self.max_length or 100] if text else ""


class StatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=CommitmentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the commitment's status"},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=_rag_choices,
        required=False,
        help_text="Leave it to the status (on track and completed are green; in progress and at risk amber; "
        "off track red; not started is not rated), or choose another rating.",
    )
    updated_on = SensibleDateField(
        label="Date of this status",
        error_messages={"required": "Enter the date of this status", "invalid": "Enter the date as 2024-03-27"},
    )
    note = forms.CharField(
        label="Progress note", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_updated_on(self) -> datetime.date:
        from django.utils import timezone

        day = self.cleaned_data["updated_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of this status cannot be in the future: enter today or earlier")
        return day


class StatusUpdateForm(StatusForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommitmentForm(StatusForm):
    priority = forms.CharField(label="Strategy priority", required=False, max_length=200)
    text = forms.CharField(
        label="Commitment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the partnership commits to"},
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Agency.objects.none(), required=False, empty_label="No owner"
    )
    phase = forms.CharField(label="Phase", required=False, max_length=100, help_text="For example, Year 1-3")
    due_on = SensibleDateField(
        label="Due date", required=False, error_messages={"invalid": "Enter the due date as 2024-03-27"}
    )

    field_order = ["priority", "text", "owner", "phase", "due_on", "status", "rag", "updated_on", "note"]

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")  # type: ignore[attr-defined,misc]


class ActivityForm(GovukFormMixin, forms.Form):
    held_on = SensibleDateField(
        label="Date held",
        error_messages={"required": "Enter the date the activity was held", "invalid": "Enter the date as 2024-03-27"},
    )
    kind = forms.ChoiceField(
        label="Kind of activity",
        choices=[("", "Choose a kind"), *ActivityKind.choices],
        error_messages={"required": "Select the kind of activity"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the activity's title"})
    programme = ProgrammeField(
        label="Programme",
        required=False,
        max_length=100,
        help_text="What it belongs to, for example Restorative justice",
    )
    audience = forms.ChoiceField(label="Audience", choices=[("", "Not recorded"), *Audience.choices], required=False)
    organisation = forms.CharField(
        label="Organisation attending",
        required=False,
        max_length=200,
        help_text="Who attended as a body, for example a school or a police unit",
    )
    ward = forms.ModelChoiceField(label="Ward", queryset=Ward.objects.none(), required=False, empty_label="No ward")
    participants = forms.IntegerField(
        label="Participants",
        min_value=0,
        max_value=1_000_000,
        error_messages={"required": "Enter how many took part", "invalid": "Enter participants as a whole number"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    feedback_responses = forms.IntegerField(
        label="Feedback responses",
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={"invalid": "Enter feedback responses as a whole number"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    feedback_positive = forms.IntegerField(
        label="Positive responses",
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={"invalid": "Enter positive responses as a whole number"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.of(partnership_id).active().order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        responses, positive = data.get("feedback_responses"), data.get("feedback_positive")
        if positive is not None and responses is None:
            self.add_error("feedback_responses", "Enter how many responses there were, as positive ones are a share")
        elif positive is not None and responses is not None and positive > responses:
            self.add_error(
                "feedback_positive", f"Positive responses cannot be more than the {responses} responses: check both"
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name] if data[name] is not None else ("" if name not in self.NULLABLE else None)
            for name in self.fields
            if name != "version"
        }

    NULLABLE = frozenset({"ward", "feedback_responses", "feedback_positive"})


class ActivityChangeForm(ActivityForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActivityFilterForm(GovukFormMixin, forms.Form):
    quarter = forms.ChoiceField(label="Quarter", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *ActivityKind.choices])
    programme = forms.ChoiceField(label="Programme", required=False)

    def __init__(self, *args: Any, quarters: list[str], programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", "All quarters"), *[(q, q) for q in quarters]]  # type: ignore[attr-defined]
        self.fields["programme"].choices = [  # type: ignore[attr-defined]
            ("", "All programmes"),
            *[(p, p.replace("_", " ").capitalize()) for p in programmes],
        ]
