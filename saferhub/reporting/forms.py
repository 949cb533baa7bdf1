import datetime
from typing import Any

from django import forms

from saferhub.core.forms import SensibleDateField
from saferhub.core.types import choice_field
from saferhub.reporting.registry import ReportKind, all_reports

FORMAT_CHOICES = [
    ("html", "Web page"),
    ("xlsx", "Excel spreadsheet (.xlsx)"),
    ("docx", "Word document (.docx)"),
    ("json", "JSON (the machine-readable return)"),
]


class ReportKindForm(forms.Form):
    """The first step: which report. Its options depend on the answer, so they come on the next page."""

    kind = forms.ChoiceField(label="Which report do you want?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [(kind.slug, kind.title) for kind in all_reports()]
        self.fields["kind"].error_messages["required"] = "Choose a report"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose one of the reports listed"


class ReportForm(forms.Form):
    """The period, the chosen report's own options (and no others), the format and publication."""

    date_from = SensibleDateField(
        label="First day of the period",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the first day of the period",
            "invalid": "Enter the first day as YYYY-MM-DD",
        },
    )
    date_to = SensibleDateField(
        label="Last day of the period",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the last day of the period", "invalid": "Enter the last day as YYYY-MM-DD"},
    )
    fmt = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, initial="html", widget=forms.RadioSelect)
    publish = forms.BooleanField(
        label="For publication: show counts from 1 to 4 as “<5” (and hide totals that would reveal them)",
        required=False,
    )

    def __init__(self, *args: Any, kind: ReportKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["fmt"].error_messages["required"] = "Choose a format"
        for option in kind.options:
            self.fields[option.name] = forms.CharField(
                label=option.label,
                required=option.required,
                max_length=100,
                help_text=option.help[:1].upper() + option.help[1:],
                error_messages={"required": f"Enter the {option.label.lower()} for the {kind.title} report"},
            )

    @property
    def option_fields(self) -> list[forms.BoundField]:
        return [self[option.name] for option in self.kind.options]

    @property
    def options(self) -> dict[str, Any]:
        """The chosen report's options, as run_report takes them (after is_valid)."""
        return {option.name: self.cleaned_data.get(option.name, "") for option in self.kind.options}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        date_from: datetime.date | None = data.get("date_from")
        date_to: datetime.date | None = data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        return data
