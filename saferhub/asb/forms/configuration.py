"""Forms for the ASB module's settings: dated limits and the desk."""

from typing import Any

from django import forms

from saferhub.accounts.models import Team
from saferhub.asb.models import (
    SettingKey,
)
from saferhub.cases.forms import _date_field
from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import model_choice_field
from saferhub.core.versioning import VERSION_ERRORS, VersionedFormMixin

# Settings ---------------------------------------------------------------------------------------


class SettingForm(GovukFormMixin, forms.Form):
    key = forms.ChoiceField(label="Setting", choices=SettingKey.choices)
    value = forms.IntegerField(label="Value", min_value=0, max_value=10_000_000)
    effective_from = _date_field("In force from", help_text="For a change in the law, its commencement date")
    source = forms.CharField(label="Source", max_length=300, help_text="The Act, regulation or local decision")


class DeskForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    # 0 while the partnership has no desk yet, so two people choosing the first team cannot both win.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages=VERSION_ERRORS)
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        help_text="Receives Case Review applications and owns imported ASB cases",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "team").queryset = (
            Team.objects.filter(partnership=partnership).select_related("agency").order_by("name")
        )
