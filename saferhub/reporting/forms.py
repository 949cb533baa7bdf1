import datetime
from typing import Any

from django import forms

from saferhub.reporting.registry import all_reports, get_report

FORMAT_CHOICES = [
    ("html", "Web page"),
    ("xlsx", "Excel spreadsheet (.xlsx)"),
    ("docx", "Word document (.docx)"),
    ("json", "JSON (the machine-readable return)"),
]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="Report", widget=forms.RadioSelect)
    date_from = forms.DateField(
        label="First day of the period",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the first day of the period",
            "invalid": "Enter the first day as YYYY-MM-DD",
        },
    )
    date_to = forms.DateField(
        label="Last day of the period",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the last day of the period", "invalid": "Enter the last day as YYYY-MM-DD"},
    )
    panel_type = forms.CharField(
        label="Panel type", required=False, max_length=50, help_text="Only for panel reports, for example da_marac."
    )
    fmt = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, initial="html", widget=forms.RadioSelect)
    publish = forms.BooleanField(
        label="For publication: show counts from 1 to 4 as “<5” (and hide totals that would reveal them)",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.slug, kind.title) for kind in all_reports()]
        self.fields["kind"].error_messages["required"] = "Choose a report"
        self.fields["fmt"].error_messages["required"] = "Choose a format"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_from: datetime.date | None = data.get("date_from")
        date_to: datetime.date | None = data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        if data.get("kind"):
            kind = get_report(data["kind"])
            needs_panel = any(option.name == "panel_type" and option.required for option in kind.options)
            takes_panel = any(option.name == "panel_type" for option in kind.options)
            if needs_panel and not data.get("panel_type"):
                self.add_error("panel_type", f"Enter the panel type for the {kind.title} report")
            elif data.get("panel_type") and not takes_panel:
                self.add_error("panel_type", f"The {kind.title} report has no panel type: leave it blank")
        return data
