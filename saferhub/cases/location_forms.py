import re
from typing import Any

from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import model_choice_field
from saferhub.places.models import Ward

# The shape of a UK postcode, e.g. "N1 9GU" or "EN5 1AA"; checked only for shape.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
LSOA = re.compile(r"^[EW]01[0-9]{6}$")


class LocationForm(GovukFormMixin, forms.Form):
    address = forms.CharField(
        label="Address or description of the place",
        max_length=500,
        error_messages={"required": "Enter the address or a description of the place"},
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    ward = forms.ModelChoiceField(label="Ward", queryset=Ward.objects.none(), required=False, empty_label="Not known")
    lsoa = forms.CharField(
        label="LSOA code",
        max_length=12,
        required=False,
        help_text="Lower layer super output area, for example E01000123",
    )
    description = forms.CharField(
        label="What happened here",
        max_length=200,
        required=False,
        help_text="For example, where the incident happened, or where the victim lives",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wards = Ward.objects.filter(partnership=partnership, active=True).order_by("name")
        model_choice_field(self, "ward").queryset = wards

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, for example EN5 1AA")
        if postcode and " " not in postcode:
            postcode = f"{postcode[:-3]} {postcode[-3:]}"
        return postcode

    def clean_lsoa(self) -> str:
        lsoa = self.cleaned_data["lsoa"].strip().upper()
        if lsoa and not LSOA.match(lsoa):
            raise forms.ValidationError("Enter an LSOA code like E01000123 (E01 or W01 and six digits)")
        return lsoa
