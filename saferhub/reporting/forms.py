import datetime
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.core.dates import uk_range
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.types import choice_field
from saferhub.reporting.periods import financial_year_start, quarter_of
from saferhub.reporting.registry import ReportKind, all_reports

FORMAT_CHOICES = [
    ("html", "Web page"),
    ("xlsx", "Excel spreadsheet (.xlsx)"),
    ("docx", "Word document (.docx)"),
    ("json", "JSON (the machine-readable return)"),
]


class ReportKindForm(GovukFormMixin, forms.Form):
    """The first step: which report. Its options depend on the answer, so they come on the next page."""

    kind = forms.ChoiceField(label="Which report do you want?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [(kind.slug, kind.title) for kind in all_reports()]
        self.fields["kind"].error_messages["required"] = "Choose a report"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose one of the reports listed"


def period_presets(today: datetime.date) -> dict[str, tuple[str, datetime.date, datetime.date]]:
    """The periods people ask for most, as of today: code -> (label, first day, last day)."""
    this_quarter = quarter_of(today)
    last_quarter = quarter_of(this_quarter.start - datetime.timedelta(days=1))
    year = financial_year_start(today)
    year_start = datetime.date(year, 4, 1)
    last_year_start = datetime.date(year - 1, 4, 1)
    last_year = f"{year - 1}/{year % 100:02d}"
    return {
        "last_quarter": (
            f"Last quarter ({last_quarter.label}: {uk_range(last_quarter.start, last_quarter.end)})",
            last_quarter.start,
            last_quarter.end,
        ),
        "year_to_date": (
            f"Financial year to date ({uk_range(year_start, today)})",
            year_start,
            today,
        ),
        "last_year": (
            f"Last financial year ({last_year}: {uk_range(last_year_start, year_start - datetime.timedelta(days=1))})",
            last_year_start,
            year_start - datetime.timedelta(days=1),
        ),
    }


CUSTOM = "custom"


def submitted(data: Any) -> bool:
    """Whether a report's options were sent (rather than the page first opened)."""
    return any(key == "period" or key.startswith(("date_from", "date_to")) for key in data)


class ReportForm(GovukFormMixin, forms.Form):
    """The period (a preset or the dates), the chosen report's own options (and no others), the format
    and publication. Options with choices (a panel type, a strategy …) are selects of names."""

    period = forms.ChoiceField(label="Period", widget=forms.RadioSelect, required=False)
    date_from = SensibleDateField(label="First day of the period", required=False)
    date_to = SensibleDateField(label="Last day of the period", required=False)
    fmt = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, initial="html", widget=forms.RadioSelect)
    publish = forms.BooleanField(
        label="For publication: show counts from 1 to 4 as “<5” (and hide totals that would reveal them)",
        required=False,
    )

    def __init__(self, *args: Any, kind: ReportKind, partnership: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.presets = period_presets(timezone.localdate())
        choice_field(self, "period").choices = [
            *((code, label) for code, (label, _, _) in self.presets.items()),
            (CUSTOM, "Other dates"),
        ]
        self.fields["period"].initial = CUSTOM if self.initial.get("date_from") else "last_quarter"
        self.fields["fmt"].error_messages["required"] = "Choose a format"
        for option in kind.options:
            help_text = option.help[:1].upper() + option.help[1:]
            choices = option.choices(partnership) if option.choices and partnership is not None else None
            field: forms.Field
            if choices is not None:
                empty = [] if option.required else [("", option.blank_label or "All")]
                field = forms.ChoiceField(label=option.label, required=option.required, choices=[*empty, *choices])
                field.error_messages["required"] = f"Select the {option.label.lower()} for the {kind.title} report"
            else:
                field = forms.CharField(
                    label=option.label,
                    required=option.required,
                    max_length=100,
                    help_text=help_text,
                    error_messages={"required": f"Enter the {option.label.lower()} for the {kind.title} report"},
                )
            self.fields[option.name] = field

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
        preset = data.get("period") or CUSTOM
        if preset in self.presets:
            _, data["date_from"], data["date_to"] = self.presets[preset]
            return data
        date_from: datetime.date | None = data.get("date_from")
        date_to: datetime.date | None = data.get("date_to")
        if "date_from" not in self.errors and date_from is None:
            self.add_error("date_from", "Enter the first day of the period")
        if "date_to" not in self.errors and date_to is None:
            self.add_error("date_to", "Enter the last day of the period")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        return data
