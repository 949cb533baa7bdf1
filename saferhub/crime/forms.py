from typing import Any

from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import choice_field


class DashboardForm(GovukFormMixin, forms.Form):
    """What the dashboard shows: the last month, the area and the group whose trend is drawn."""

    month = forms.ChoiceField(label="Month", help_text="The last month of the recent quarter and the rolling year")
    area = forms.ChoiceField(label="Area")
    group = forms.ChoiceField(label="Crime group for the trend chart")

    def __init__(
        self,
        *args: Any,
        months: list[tuple[str, str]],
        areas: list[tuple[str, str]],
        groups: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "month").choices = months
        choice_field(self, "area").choices = areas
        choice_field(self, "group").choices = [(name, name) for name in groups]
        for name, what in (("month", "a month"), ("area", "an area"), ("group", "a crime group")):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {what} from the list"
            self.fields[name].error_messages["required"] = f"Choose {what}"


class CommentaryForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text="What lies behind the figures: shown under the group in the dashboard and the board pack",
        error_messages={
            "required": "Enter the commentary",
            "max_length": "Commentary must be 4,000 characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
