"""Forms of the board pack pages. Every message names its field and what to do."""

import datetime
from typing import Any

from django import forms

from saferhub.boardpack.models import DEFAULT_TITLE
from saferhub.boardpack.sections import Section
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.versioning import VersionedFormMixin
from saferhub.reporting.periods import Period, quarter_of

QUARTERS_OFFERED = 8
MAX_SECTIONS = 99


def quarter_choices(today: datetime.date) -> list[Period]:
    """The current quarter and the seven before it, latest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < QUARTERS_OFFERED:
        quarters.append(quarter_of(quarters[-1].start - datetime.timedelta(days=1)))
    return quarters


def last_complete_quarter(today: datetime.date) -> Period:
    return quarter_of(quarter_of(today).start - datetime.timedelta(days=1))


class CoverFields(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the report's title, for example " + DEFAULT_TITLE},
    )
    meeting_title = forms.CharField(
        label="Meeting",
        required=False,
        max_length=200,
        help_text="The board or group that will consider the pack, for example Safer Communities Partnership Board",
    )
    meeting_date = SensibleDateField(
        label="Date of the meeting", required=False, error_messages={"invalid": "Enter the meeting date as 2026-12-04"}
    )
    report_of = forms.CharField(
        label="Report of", required=False, max_length=200, help_text="For example, Chair of the partnership board"
    )


class StartPackForm(CoverFields):
    quarter = forms.ChoiceField(
        label="Quarter the figures cover",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the quarter the pack reports on"},
    )

    field_order = ["quarter", "title", "meeting_title", "meeting_date", "report_of"]

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarters = {quarter.label: quarter for quarter in quarter_choices(today)}
        current, last = quarter_of(today).label, last_complete_quarter(today).label
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            (
                label,
                f"{label}, last complete quarter"
                if label == last
                else f"{label}, current quarter (not yet complete)"
                if label == current
                else label,
            )
            for label in self.quarters
        ]
        self.fields["quarter"].initial = last
        self.fields["title"].initial = DEFAULT_TITLE

    def period(self) -> Period:
        return self.quarters[self.cleaned_data["quarter"]]


class CoverForm(VersionedFormMixin, CoverFields):
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the pack shows the board. Leave a blank line between paragraphs.",
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the board is asked to note or decide.",
    )


class SectionsForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    """Which sections to print (checkboxes) and in what order (a position for each)."""

    sections = forms.MultipleChoiceField(
        label="Sections to include",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one section to include"},
    )

    def __init__(self, *args: Any, offered: list[Section], chosen: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = offered
        self.fields["sections"].choices = [(s.key, s.title) for s in offered]  # type: ignore[attr-defined]
        self.fields["sections"].initial = [key for key in chosen if any(s.key == key for s in offered)]
        # Chosen sections first in their order, then the rest in the default order.
        order = {key: index for index, key in enumerate(chosen)}
        default = sorted(range(len(offered)), key=lambda i: order.get(offered[i].key, len(chosen) + i))
        for position, index in enumerate(default, start=1):
            section = offered[index]
            self.fields[self.position_name(index)] = forms.IntegerField(
                label=f"Position of {section.title}",
                min_value=1,
                max_value=MAX_SECTIONS,
                initial=position,
                error_messages={
                    "required": f"Enter a position for {section.title}, for example {position}",
                    "invalid": f"Enter the position of {section.title} as a whole number, for example {position}",
                    "min_value": f"Enter a position for {section.title} of 1 or more",
                    "max_value": f"Enter a position for {section.title} of {MAX_SECTIONS} or less",
                },
            )

    @staticmethod
    def position_name(index: int) -> str:
        return f"position_{index}"

    def position_fields(self) -> list[tuple[Section, Any]]:
        return [(section, self[self.position_name(index)]) for index, section in enumerate(self.offered)]

    def ordered_keys(self) -> list[str]:
        """The chosen keys by position; equal positions keep the default order."""
        chosen = set(self.cleaned_data["sections"])
        ranked = [
            (self.cleaned_data[self.position_name(index)], index, section.key)
            for index, section in enumerate(self.offered)
            if section.key in chosen
        ]
        return [key for _, _, key in sorted(ranked)]


class IssueForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    pass


class NewVersionForm(GovukFormMixin, forms.Form):
    pass


class ConsideredForm(GovukFormMixin, forms.Form):
    """The meeting that considered an issued pack, and what it resolved (written into its minutes)."""

    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Meeting",
        queryset=None,
        empty_label="Choose the meeting",
        error_messages={
            "required": "Choose the meeting that considered the pack",
            "invalid_choice": "Choose one of the meetings listed: it may have been removed since the page opened",
        },
    )
    decision = forms.CharField(
        label="What the board resolved",
        help_text='Written into the meeting\'s minutes after "RESOLVED:".',
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the board resolved, for example that it noted the report"},
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
