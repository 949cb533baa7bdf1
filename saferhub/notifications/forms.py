"""The notification preferences form: one choice per kind."""

from typing import Any

from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.notifications.models import Delivery, Kind


class PreferencesForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.value, Delivery.DIGEST),
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you are told about “{kind.label}”"},
            )

    def choices(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}
